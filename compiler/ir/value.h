// A dense tensor value: element type, shape and bytes. Constants in the IR and the evaluator's
// intermediate results are Values.
#pragma once
#include <cstring>
#include <vector>

#include "ir/dtype.h"

namespace mtc {

struct Value {
  DType dtype = DType::Undefined;
  Shape shape;
  std::vector<uint8_t> bytes;

  Value() = default;
  Value(DType t, Shape s) : dtype(t), shape(std::move(s)) {
    bytes.assign(size_t(shape_elements(shape)) * dtype_size(dtype), 0);
  }

  int64_t elements() const { return int64_t(bytes.size() / (dtype_size(dtype) ? dtype_size(dtype) : 1)); }

  template <class T> T *data() { return reinterpret_cast<T *>(bytes.data()); }
  template <class T> const T *data() const { return reinterpret_cast<const T *>(bytes.data()); }

  // Element i converted to double / int64, whatever the element type (used by shape-like inputs).
  double get_f64(int64_t i) const;
  int64_t get_i64(int64_t i) const;
  void set_f64(int64_t i, double v);
  std::vector<int64_t> to_i64() const;
  std::vector<float> to_f32() const;

  static Value from_i64(const std::vector<int64_t> &v, Shape shape);
  static Value from_f32(const std::vector<float> &v, Shape shape);
  static Value scalar_f32(float v) { return from_f32({v}, {}); }
};

}  // namespace mtc
