#include "ir/quant_params.h"

#include <algorithm>
#include <sstream>

namespace mtc {

QuantParams per_tensor_quant(float scale, int32_t zero_point) {
  QuantParams q;
  q.scale = {scale};
  q.zero_point = {zero_point};
  return q;
}

std::string quant_str(const QuantParams &q) {
  std::ostringstream s;
  if (!q.per_axis()) {
    s << "scale " << q.scale.at(0) << " zp " << q.zero_point.at(0);
  } else {
    auto [lo, hi] = std::minmax_element(q.scale.begin(), q.scale.end());
    s << "per-axis " << q.axis << ": " << q.scale.size() << " scales in [" << *lo << ", " << *hi << "]";
  }
  return s.str();
}

}  // namespace mtc
