// The integer and float32 arithmetic of int8 inference, as the compiler's evaluator computes it.
// The runtime (runtime/include/mtc_quant.h) implements the same rules in C; the two are written
// separately and tests check they agree bit for bit. Rules: the TFLite int8 specification and
// gemmlowp's fixed-point notes for the fixed-point path, the ONNX operator definitions for the
// float path.
#pragma once
#include <cstdint>

namespace mtc {

// round(a * b / 2^31) with gemmlowp's nudge (ties upward); saturates INT32_MIN * INT32_MIN.
int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b);
// x / 2^exponent rounded to nearest, ties away from zero (exponent 0..31).
int32_t rounding_divide_by_pot(int32_t x, int exponent);
// acc * multiplier / 2^31 * 2^shift with the rounding above.
int32_t requantize_fixed(int32_t acc, int32_t multiplier, int32_t shift);
// Rounds half to even in float32.
float round_half_even(float x);
// Rounded float to integer, saturating to [lo, hi]; NaN goes to lo.
int32_t float_to_int_saturate(float x, int32_t lo, int32_t hi);
// round_half_even(acc * scale) in float32, clamped to +-2^30.
int32_t requantize_float(int32_t acc, float scale);

// A real multiplier m as q31 * 2^shift with q31 in [2^30, 2^31); m == 0 gives (0, 0). Throws for
// m < 0 or m >= 2^30 (no model needs more; it would overflow the shift).
void quantize_multiplier(double m, int32_t &q31, int32_t &shift);

}  // namespace mtc
