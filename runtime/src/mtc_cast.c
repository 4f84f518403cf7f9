/* mtc_cast: element type conversion (see mtc_data.h). Each element goes through double (float
 * sources) or int64 (integer sources), both exact, so every pair converts like a direct C cast
 * except where C leaves the result undefined: float to integer out of range saturates, NaN gives 0. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "mtc_data.h"

/* Truncates toward zero and saturates to [lo, hi]; the bounds are exact doubles or round outward. */
static int64_t float_to_int(double v, double lo, double hi, int64_t ilo, int64_t ihi) {
  if (v != v) return 0;
  if (v <= lo) return ilo;
  if (v >= hi) return ihi;
  return (int64_t)v;
}

void mtc_cast(const void *src, int32_t src_type, void *dst, int32_t dst_type, int32_t n) {
  int32_t i;
  int from_float = src_type == MTC_DTYPE_F32 || src_type == MTC_DTYPE_F64;
  for (i = 0; i < n; ++i) {
    double f = 0.0;
    int64_t k = 0;
    switch (src_type) {
    case MTC_DTYPE_F32: f = ((const float *)src)[i]; break;
    case MTC_DTYPE_F64: f = ((const double *)src)[i]; break;
    case MTC_DTYPE_I8: k = ((const int8_t *)src)[i]; break;
    case MTC_DTYPE_U8: k = ((const uint8_t *)src)[i]; break;
    case MTC_DTYPE_I16: k = ((const int16_t *)src)[i]; break;
    case MTC_DTYPE_I32: k = ((const int32_t *)src)[i]; break;
    case MTC_DTYPE_I64: k = ((const int64_t *)src)[i]; break;
    case MTC_DTYPE_BOOL: k = ((const uint8_t *)src)[i] != 0; break;
    default: return;
    }
    switch (dst_type) {
    case MTC_DTYPE_F32:
      if (!from_float)
        ((float *)dst)[i] = (float)k;
      else if (f > FLT_MAX && f <= DBL_MAX)
        ((float *)dst)[i] = HUGE_VALF;
      else if (f < -FLT_MAX && f >= -DBL_MAX)
        ((float *)dst)[i] = -HUGE_VALF;
      else
        ((float *)dst)[i] = (float)f;
      break;
    case MTC_DTYPE_F64: ((double *)dst)[i] = from_float ? f : (double)k; break;
    case MTC_DTYPE_I8:
      ((int8_t *)dst)[i] = (int8_t)(from_float ? float_to_int(f, -128.0, 127.0, -128, 127) : k);
      break;
    case MTC_DTYPE_U8:
      ((uint8_t *)dst)[i] = (uint8_t)(from_float ? float_to_int(f, 0.0, 255.0, 0, 255) : k);
      break;
    case MTC_DTYPE_I16:
      ((int16_t *)dst)[i] = (int16_t)(from_float ? float_to_int(f, -32768.0, 32767.0, -32768, 32767) : k);
      break;
    case MTC_DTYPE_I32:
      ((int32_t *)dst)[i] =
          (int32_t)(from_float ? float_to_int(f, -2147483648.0, 2147483647.0, INT32_MIN, INT32_MAX) : k);
      break;
    case MTC_DTYPE_I64:
      ((int64_t *)dst)[i] =
          from_float ? float_to_int(f, -9223372036854775808.0, 9223372036854775807.0, INT64_MIN, INT64_MAX)
                     : k;
      break;
    case MTC_DTYPE_BOOL: ((uint8_t *)dst)[i] = (uint8_t)(from_float ? f != 0.0 : k != 0); break;
    default: return;
    }
  }
}
