// Typed element access on Values.
#include "ir/value.h"

#include <cmath>

namespace mtc {

double Value::get_f64(int64_t i) const {
  switch (dtype) {
  case DType::F32: return data<float>()[i];
  case DType::F64: return data<double>()[i];
  case DType::I8: return data<int8_t>()[i];
  case DType::U8: return data<uint8_t>()[i];
  case DType::I16: return data<int16_t>()[i];
  case DType::I32: return data<int32_t>()[i];
  case DType::I64: return double(data<int64_t>()[i]);
  case DType::Bool: return data<uint8_t>()[i] ? 1.0 : 0.0;
  case DType::Undefined: return 0;
  }
  return 0;
}

int64_t Value::get_i64(int64_t i) const {
  switch (dtype) {
  case DType::I64: return data<int64_t>()[i];
  case DType::F32: {
    float f = data<float>()[i];
    return std::isfinite(f) && std::fabs(f) < 9.2e18f ? int64_t(f) : 0;
  }
  case DType::F64: {
    double f = data<double>()[i];
    return std::isfinite(f) && std::fabs(f) < 9.2e18 ? int64_t(f) : 0;
  }
  default: return int64_t(get_f64(i));
  }
}

void Value::set_f64(int64_t i, double v) {
  switch (dtype) {
  case DType::F32: data<float>()[i] = float(v); break;
  case DType::F64: data<double>()[i] = v; break;
  case DType::I8: data<int8_t>()[i] = int8_t(v); break;
  case DType::U8: data<uint8_t>()[i] = uint8_t(v); break;
  case DType::I16: data<int16_t>()[i] = int16_t(v); break;
  case DType::I32: data<int32_t>()[i] = int32_t(v); break;
  case DType::I64: data<int64_t>()[i] = int64_t(v); break;
  case DType::Bool: data<uint8_t>()[i] = v != 0; break;
  case DType::Undefined: break;
  }
}

std::vector<int64_t> Value::to_i64() const {
  std::vector<int64_t> out(static_cast<size_t>(elements()));
  for (int64_t i = 0; i < elements(); ++i) out[size_t(i)] = get_i64(i);
  return out;
}

std::vector<float> Value::to_f32() const {
  std::vector<float> out(static_cast<size_t>(elements()));
  for (int64_t i = 0; i < elements(); ++i) out[size_t(i)] = float(get_f64(i));
  return out;
}

Value Value::from_i64(const std::vector<int64_t> &v, Shape shape) {
  Value out(DType::I64, std::move(shape));
  std::memcpy(out.bytes.data(), v.data(), out.bytes.size());
  return out;
}

Value Value::from_f32(const std::vector<float> &v, Shape shape) {
  Value out(DType::F32, std::move(shape));
  std::memcpy(out.bytes.data(), v.data(), out.bytes.size());
  return out;
}

}  // namespace mtc
