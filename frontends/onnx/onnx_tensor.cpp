// TensorProto decoding with size checks: a model's declared shape must match the bytes it carries.
#include "frontends/onnx/onnx_tensor.h"

#include "support/error.h"

namespace mtc {

DType dtype_from_onnx(int t) {
  switch (t) {
  case onnx::TensorProto::FLOAT: return DType::F32;
  case onnx::TensorProto::DOUBLE: return DType::F64;
  case onnx::TensorProto::INT8: return DType::I8;
  case onnx::TensorProto::UINT8: return DType::U8;
  case onnx::TensorProto::INT16: return DType::I16;
  case onnx::TensorProto::INT32: return DType::I32;
  case onnx::TensorProto::INT64: return DType::I64;
  case onnx::TensorProto::BOOL: return DType::Bool;
  default: return DType::Undefined;
  }
}

Value value_from_onnx(const onnx::TensorProto &t, const std::string &what) {
  DType dt = dtype_from_onnx(t.data_type());
  if (dt == DType::Undefined)
    throw CompileError(what + " has element type " +
                       onnx::TensorProto::DataType_Name(onnx::TensorProto::DataType(t.data_type())) +
                       " (code " + std::to_string(t.data_type()) + "), which microtc does not support");
  if (t.data_location() == onnx::TensorProto::EXTERNAL || t.external_data_size() > 0)
    throw CompileError(what + " stores its data in an external file; microtc needs the weights "
                              "inside the .onnx file (re-save the model without external data)");
  if (t.has_segment()) throw CompileError(what + " is a segmented tensor, which is not supported");
  Shape shape(t.dims().begin(), t.dims().end());
  for (int64_t d : shape)
    if (d < 0) throw CompileError(what + " has a negative dimension in shape " + shape_str(shape));
  const int64_t n = shape_elements(shape, what);
  Value v;
  v.dtype = dt;
  v.shape = shape;
  const size_t esize = dtype_size(dt);
  auto short_data = [&](int64_t have) {
    return CompileError(what + " declares shape " + shape_str(shape) + " (" + std::to_string(n) +
                        " elements) but carries " + std::to_string(have) + " elements of data");
  };
  if (t.has_raw_data()) {
    const std::string &raw = t.raw_data();
    if (raw.size() != size_t(n) * esize) {
      if (raw.size() < size_t(n) * esize) throw short_data(int64_t(raw.size() / esize));
      throw CompileError(what + " declares shape " + shape_str(shape) + " but carries " +
                         std::to_string(raw.size()) + " bytes of raw data instead of " +
                         std::to_string(size_t(n) * esize));
    }
    v.bytes.assign(raw.begin(), raw.end());  // little-endian hosts only, as ONNX stores it
    return v;
  }
  v.bytes.assign(size_t(n) * esize, 0);
  auto check_count = [&](int have) {
    if (have != n) throw short_data(have);
  };
  switch (dt) {
  case DType::F32:
    check_count(t.float_data_size());
    for (int64_t i = 0; i < n; ++i) v.data<float>()[i] = t.float_data(int(i));
    break;
  case DType::F64:
    check_count(t.double_data_size());
    for (int64_t i = 0; i < n; ++i) v.data<double>()[i] = t.double_data(int(i));
    break;
  case DType::I64:
    check_count(t.int64_data_size());
    for (int64_t i = 0; i < n; ++i) v.data<int64_t>()[i] = t.int64_data(int(i));
    break;
  default:  // int8/uint8/int16/int32/bool are stored widened in int32_data
    check_count(t.int32_data_size());
    for (int64_t i = 0; i < n; ++i) v.set_f64(i, double(t.int32_data(int(i))));
    break;
  }
  return v;
}

}  // namespace mtc
