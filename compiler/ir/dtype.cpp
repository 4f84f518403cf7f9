// Element type tables and shape helpers.
#include "ir/dtype.h"

#include "support/error.h"

namespace mtc {

size_t dtype_size(DType t) {
  switch (t) {
  case DType::F32: return 4;
  case DType::F64: return 8;
  case DType::I8: return 1;
  case DType::U8: return 1;
  case DType::I16: return 2;
  case DType::I32: return 4;
  case DType::I64: return 8;
  case DType::Bool: return 1;
  case DType::Undefined: return 0;
  }
  return 0;
}

const char *dtype_name(DType t) {
  switch (t) {
  case DType::F32: return "float32";
  case DType::F64: return "float64";
  case DType::I8: return "int8";
  case DType::U8: return "uint8";
  case DType::I16: return "int16";
  case DType::I32: return "int32";
  case DType::I64: return "int64";
  case DType::Bool: return "bool";
  case DType::Undefined: return "undefined";
  }
  return "?";
}

const char *dtype_c_type(DType t) {
  switch (t) {
  case DType::F32: return "float";
  case DType::F64: return "double";
  case DType::I8: return "int8_t";
  case DType::U8: return "uint8_t";
  case DType::I16: return "int16_t";
  case DType::I32: return "int32_t";
  case DType::I64: return "int64_t";
  case DType::Bool: return "uint8_t";
  case DType::Undefined: return "void";
  }
  return "void";
}

// Generated code indexes with 32-bit ints and MCUs have at most a few MB: anything larger is an error.
static constexpr int64_t kMaxElements = int64_t(1) << 31;

int64_t shape_elements(const Shape &s, const std::string &what) {
  int64_t n = 1;
  for (int64_t d : s) {
    if (d < 0)
      throw CompileError(what + " has a negative or unknown dimension in shape " + shape_str(s));
    if (d != 0 && n > kMaxElements / d)
      throw CompileError(what + " has shape " + shape_str(s) +
                         " whose element count overflows (more than 2^31 elements)");
    n *= d;
  }
  return n;
}

std::string shape_str(const Shape &s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) out += ",";
    out += s[i] < 0 ? std::string("?") : std::to_string(s[i]);
  }
  return out + "]";
}

}  // namespace mtc
