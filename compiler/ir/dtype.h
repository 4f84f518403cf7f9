// Element types of IR tensors and their sizes and names.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mtc {

enum class DType : uint8_t { Undefined, F32, F64, I8, U8, I16, I32, I64, Bool };

size_t dtype_size(DType t);
const char *dtype_name(DType t);
// The C99 type the generated code uses for this element type.
const char *dtype_c_type(DType t);

using Shape = std::vector<int64_t>;

// Number of elements; throws CompileError naming `what` if the product overflows int32 range that
// the generated code indexes with.
int64_t shape_elements(const Shape &s, const std::string &what = "tensor");
std::string shape_str(const Shape &s);

}  // namespace mtc
