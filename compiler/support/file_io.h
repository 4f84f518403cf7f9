// Whole-file reads shared by the model readers and the engines.
#pragma once
#include <string>

namespace mtc {

// The bytes of `path`; throws CompileError naming the file if it cannot be opened.
std::string read_file(const std::string &path);

}  // namespace mtc
