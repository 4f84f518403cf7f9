// .npy reading and writing as numpy does it (format 1.0-3.0 read, 1.0 written); float32, C order.
#pragma once
#include <string>

#include "ir/value.h"

namespace mtc {

// Reads a little-endian float32 C-order array; any other dtype or Fortran order is a CompileError
// naming the file and what it holds.
Value read_npy(const std::string &path);
Value parse_npy(const std::string &bytes, const std::string &source);
void write_npy(const std::string &path, const Value &v);
std::string serialize_npy(const Value &v);

}  // namespace mtc
