// The target board files (targets/<board>/: startup, semihosting, linker scripts) embedded in the
// compiler, keyed by their path under targets/ (see cmake/embed_runtime.cmake).
#pragma once
#include "codegen/runtime_sources.h"

namespace mtc {

const std::vector<RuntimeSource> &board_sources();

// The contents of one embedded board file; throws CompileError if it is not embedded.
const std::string &board_source(const std::string &path);

}  // namespace mtc
