/* mtc_unary_f32: the unary math functions of mtc_math.h (Exp, Log, Erf, Elu, ...) over n floats. */
#include <math.h>

#include "mtc_math.h"

/* One loop per function: the switch runs once per call, not once per element. */
#define MTC_UNARY_LOOP(expr)                   \
  for (i = 0; i < n; ++i) {                    \
    const float v = x[i];                      \
    y[i] = (expr);                             \
  }                                            \
  break;

void mtc_unary_f32(const float *x, float *y, int32_t n, int32_t op, float alpha, float beta) {
  int32_t i;
  switch (op) {
  case MTC_UNARY_EXP: MTC_UNARY_LOOP(expf(v))
  case MTC_UNARY_LOG: MTC_UNARY_LOOP(logf(v))
  case MTC_UNARY_SQRT: MTC_UNARY_LOOP(sqrtf(v))
  case MTC_UNARY_NEG: MTC_UNARY_LOOP(-v)
  case MTC_UNARY_ABS: MTC_UNARY_LOOP(fabsf(v))
  case MTC_UNARY_RECIPROCAL: MTC_UNARY_LOOP(1.0f / v)
  case MTC_UNARY_FLOOR: MTC_UNARY_LOOP(floorf(v))
  case MTC_UNARY_CEIL: MTC_UNARY_LOOP(ceilf(v))
  case MTC_UNARY_ERF: MTC_UNARY_LOOP(erff(v))
  /* written so exp never overflows: log(1 + e^v) = v + log(1 + e^-v) for v > 0 */
  case MTC_UNARY_SOFTPLUS: MTC_UNARY_LOOP(v > 0.0f ? v + log1pf(expf(-v)) : log1pf(expf(v)))
  case MTC_UNARY_SOFTSIGN: MTC_UNARY_LOOP(v / (1.0f + fabsf(v)))
  case MTC_UNARY_ELU: MTC_UNARY_LOOP(v > 0.0f ? v : alpha * expm1f(v))
  case MTC_UNARY_SELU: MTC_UNARY_LOOP(beta * (v > 0.0f ? v : alpha * expm1f(v)))
  case MTC_UNARY_SIN: MTC_UNARY_LOOP(sinf(v))
  case MTC_UNARY_COS: MTC_UNARY_LOOP(cosf(v))
  case MTC_UNARY_SIGN: MTC_UNARY_LOOP(v > 0.0f ? 1.0f : (v < 0.0f ? -1.0f : v))
  /* rintf rounds ties to even in the default rounding mode, which C programs start in */
  case MTC_UNARY_ROUND: MTC_UNARY_LOOP(rintf(v))
  default: MTC_UNARY_LOOP(v)
  }
}
