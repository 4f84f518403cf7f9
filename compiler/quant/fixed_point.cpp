#include "quant/fixed_point.h"

#include <cmath>
#include <limits>

#include "support/error.h"

namespace mtc {

int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  constexpr int32_t kMin = std::numeric_limits<int32_t>::min();
  if (a == kMin && b == kMin) return std::numeric_limits<int32_t>::max();
  int64_t product = int64_t(a) * int64_t(b);
  int64_t nudge = product >= 0 ? (int64_t(1) << 30) : (1 - (int64_t(1) << 30));
  return int32_t((product + nudge) / (int64_t(1) << 31));  // C++ division truncates toward zero
}

int32_t rounding_divide_by_pot(int32_t x, int exponent) {
  const int64_t mask = (int64_t(1) << exponent) - 1;
  const int64_t remainder = int64_t(x) & mask;
  const int64_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  // Floor division by a power of two, written without relying on the right shift of negatives.
  int64_t floor_div = (int64_t(x) - remainder) / (int64_t(1) << exponent);
  return int32_t(floor_div + (remainder > threshold ? 1 : 0));
}

int32_t requantize_fixed(int32_t acc, int32_t multiplier, int32_t shift) {
  int left = shift > 0 ? shift : 0, right = shift > 0 ? 0 : -shift;
  int64_t shifted = int64_t(acc) * (int64_t(1) << left);
  if (shifted > std::numeric_limits<int32_t>::max()) shifted = std::numeric_limits<int32_t>::max();
  if (shifted < std::numeric_limits<int32_t>::min()) shifted = std::numeric_limits<int32_t>::min();
  return rounding_divide_by_pot(saturating_rounding_doubling_high_mul(int32_t(shifted), multiplier), right);
}

float round_half_even(float x) {
  // std::nearbyint follows the current rounding mode, which the compiler never changes.
  if (!std::isfinite(x)) return x;
  return std::nearbyint(x);
}

int32_t float_to_int_saturate(float x, int32_t lo, int32_t hi) {
  if (!(x >= float(lo))) return lo;
  if (x >= float(hi)) return hi;
  return int32_t(x);
}

int32_t requantize_float(int32_t acc, float scale) {
  volatile float product = float(acc) * scale;  // one float32 rounding, as the C kernel does
  constexpr int32_t kLimit = std::numeric_limits<int32_t>::max() / 2;
  return float_to_int_saturate(round_half_even(product), std::numeric_limits<int32_t>::min() / 2, kLimit);
}

int32_t requantize_mulhigh(int32_t acc, int32_t multiplier) {
  const int64_t two32 = int64_t(1) << 32;
  const int64_t p = int64_t(acc) * int64_t(multiplier) + (int64_t(1) << 31);
  // floor(p / 2^32), written without relying on the right shift of negatives
  return int32_t(p >= 0 ? p / two32 : -((-p + two32 - 1) / two32));
}

bool quantize_multiplier_mulhigh(double m, int32_t &multiplier) {
  if (!(m >= 0.0) || !std::isfinite(m)) return false;
  const double scaled = std::round(m * 4294967296.0);
  if (scaled >= 2147483648.0 || (scaled != 0.0 && scaled < 65536.0)) return false;
  multiplier = int32_t(scaled);
  return true;
}

void quantize_multiplier(double m, int32_t &q31, int32_t &shift) {
  if (!(m >= 0.0) || !std::isfinite(m) || m >= double(1 << 30))
    throw CompileError("requantization multiplier " + std::to_string(m) + " is out of range");
  if (m == 0.0) {
    q31 = 0;
    shift = 0;
    return;
  }
  int exponent = 0;
  double fraction = std::frexp(m, &exponent);  // m = fraction * 2^exponent, fraction in [0.5, 1)
  int64_t q = int64_t(std::llround(fraction * double(int64_t(1) << 31)));
  if (q == (int64_t(1) << 31)) {
    q /= 2;
    ++exponent;
  }
  if (exponent < -31) {  // too small to represent: the result is always 0
    q = 0;
    exponent = 0;
  }
  q31 = int32_t(q);
  shift = exponent;
}

}  // namespace mtc
