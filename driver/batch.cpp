#include "driver/batch.h"

#include <cstring>

#include "support/error.h"

namespace mtc {

std::vector<Value> split_batch(const Value &x, const Tensor &input, const std::string &file) {
  int64_t per_item = shape_elements(input.shape);
  if (x.shape.empty()) throw CompileError(quote_name(file) + " holds a scalar; expected a batch (B, ...)");
  Shape item(x.shape.begin() + 1, x.shape.end());
  Shape squeezed = input.shape;
  if (!squeezed.empty() && squeezed[0] == 1) squeezed.erase(squeezed.begin());
  if (item != input.shape && item != squeezed)
    throw CompileError(quote_name(file) + " has shape " + shape_str(x.shape) + "; expected (B, " +
                       shape_str(input.shape) + ") items for model input " + quote_name(input.name));
  std::vector<Value> out;
  for (int64_t b = 0; b < x.shape[0]; ++b) {
    Value v(input.dtype, input.shape);
    size_t item_bytes = size_t(per_item) * dtype_size(input.dtype);
    std::memcpy(v.bytes.data(), x.bytes.data() + size_t(b) * item_bytes, item_bytes);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace mtc
