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
// acc * multiplier / 2^32 rounded to nearest, ties upward: one rounding of the exact product
// (microtc's own int8 mode; the Cortex-M kernels compute it with one SMMLAR).
int32_t requantize_mulhigh(int32_t acc, int32_t multiplier);

// A real multiplier m as q31 * 2^shift with q31 in [2^30, 2^31); m == 0 gives (0, 0). Throws for
// m < 0 or m >= 2^30 (no model needs more; it would overflow the shift).
void quantize_multiplier(double m, int32_t &q31, int32_t &shift);

// A real multiplier m as round(m * 2^32) for requantize_mulhigh; false when that leaves fewer than
// 16 significant bits (m < 2^-16) or does not fit a positive int32 (m >= 0.5). m == 0 gives 0.
bool quantize_multiplier_mulhigh(double m, int32_t &multiplier);

}  // namespace mtc
