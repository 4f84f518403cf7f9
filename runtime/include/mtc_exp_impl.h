/* The exponential that the softmax kernels share (mtc_softmax_f32, mtc_softmax_s8_f32). */
#ifndef MTC_EXP_IMPL_H
#define MTC_EXP_IMPL_H

#include <stdint.h>
#include <string.h>

/* e^x for the x <= 0 that softmax exponentiates (x minus the maximum): x = k ln 2 + r with |r| <=
 * ln 2 / 2, e^r by its Taylor polynomial to r^7 (truncation below 6e-9 relative), 2^k into the
 * exponent bits. Within 2 ulp of expf, the same bits on every core (single-precision operations
 * only, no contraction), and a fifth of libm's expf in flash. Results below 2^-126 (x < -87.3)
 * are 0, which a softmax sum cannot tell apart from them; NaN stays NaN. */
static inline float mtc_exp_nonpositive(float x) {
  float t, r, p;
  int32_t k;
  uint32_t bits;
  if (!(x > -87.0f)) return x != x ? x : 0.0f;
  t = x * 1.44269504f;
  k = (int32_t)(t - 0.5f); /* round to nearest for t <= 0 (truncation toward zero) */
  r = x - (float)k * 0.693145752f;
  r = r - (float)k * 1.42860677e-6f; /* ln 2 in two parts: k * 0.693145752 is exact */
  p = 1.0f + r * (1.0f + r * (0.5f + r * (1.0f / 6 + r * (1.0f / 24 + r * (1.0f / 120 + r * (1.0f / 720 + r * (1.0f / 5040)))))));
  bits = (uint32_t)(k + 127) << 23;
  memcpy(&t, &bits, 4);
  return p * t;
}

#endif
