// Shared test helpers.
#include "test_util.h"

#include <algorithm>
#include <cmath>

namespace mtc::test {

double max_relative_error(const Value &got, const Value &want, double floor) {
  if (got.elements() != want.elements()) return INFINITY;
  double scale = 0;
  for (int64_t i = 0; i < want.elements(); ++i) scale = std::max(scale, std::fabs(want.get_f64(i)));
  floor = std::max(floor, 5e-2 * scale);
  double worst = 0;
  for (int64_t i = 0; i < want.elements(); ++i) {
    double a = got.get_f64(i), b = want.get_f64(i);
    double e = std::fabs(a - b) / std::max(std::fabs(b), floor);
    if (std::isnan(e)) return INFINITY;
    worst = std::max(worst, e);
  }
  return worst;
}

}  // namespace mtc::test
