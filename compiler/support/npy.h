// .npy reading and writing as numpy does it (format 1.0-3.0 read, 1.0 written); numeric dtypes, C order.
#pragma once
#include <cstddef>
#include <string>

#include "ir/value.h"

namespace mtc {

// What a .npy header says: the element type as stored in the file, the shape, and where the data is.
struct NpyHeader {
  std::string descr;        // numpy's type string, e.g. "<f4", "|u1"
  DType dtype;              // the DType read_npy returns (u2 -> I32, u4/u8 -> I64)
  size_t file_elem_size;    // bytes per element in the file
  Shape shape;
  size_t data_offset;       // bytes before the data
  size_t data_bytes;        // elements * file_elem_size, checked not to overflow
};

// Parses the magic, version and header dict of `bytes` (only the header needs to be present).
// Big-endian, Fortran-order, object or non-numeric arrays are a CompileError naming `source`.
NpyHeader parse_npy_header(const std::string &bytes, const std::string &source);

// Reads a little-endian C-order array of any of <f4 <f8 |i1 |u1 <i2 <u2 <i4 <u4 <i8 <u8 |b1 and returns
// it in the file's own DType; unsigned types without a DType widen to the next signed type
// (uint64 values above INT64_MAX are an error). Any other file is a CompileError naming the file.
Value read_npy(const std::string &path);
Value parse_npy(const std::string &bytes, const std::string &source);

// Writes any DType as numpy would (bool as '|b1').
void write_npy(const std::string &path, const Value &v);
std::string serialize_npy(const Value &v);

// Element-wise conversion to float32 for feeding float inputs: exact for integers up to 2^24 in
// magnitude; larger integers and float64 values round to the nearest float32 (as C's conversion does).
Value to_float32(const Value &v);

}  // namespace mtc
