// Quantization parameters of an integer tensor that stands for real values:
// real = (q - zero_point) * scale, per tensor or per slice along one axis (weights per channel).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace mtc {

struct QuantParams {
  std::vector<float> scale;         // one entry, or one per slice along `axis`
  std::vector<int32_t> zero_point;  // same length as scale
  int axis = -1;                    // -1: per tensor

  bool per_axis() const { return axis >= 0; }
  size_t count() const { return scale.size(); }
  float scale_at(size_t i) const { return scale[per_axis() ? i : 0]; }
  int32_t zero_point_at(size_t i) const { return zero_point[per_axis() ? i : 0]; }
  bool operator==(const QuantParams &o) const {
    return scale == o.scale && zero_point == o.zero_point && axis == o.axis;
  }
  bool operator!=(const QuantParams &o) const { return !(*this == o); }
};

QuantParams per_tensor_quant(float scale, int32_t zero_point);
// "scale 0.0235 zp -128" or "per-axis 1: 16 scales in [0.001, 0.02]" for dumps and reports.
std::string quant_str(const QuantParams &q);

}  // namespace mtc
