// The C runtime sources embedded in the compiler (see cmake/embed_runtime.cmake).
#pragma once
#include <string>
#include <vector>

namespace mtc {

struct RuntimeSource {
  std::string path;      // e.g. "src/mtc_conv2d_f32.c" or "include/mtc_runtime.h"
  std::string contents;
};

const std::vector<RuntimeSource> &runtime_sources();

}  // namespace mtc
