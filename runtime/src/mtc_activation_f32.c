/* mtc_activation_f32: y[i] = act(x[i]) for n floats. x and y may be the same buffer. */
#include "mtc_activation.h"

#include <stdint.h>

void mtc_activation_f32(const float *x, float *y, int32_t n, mtc_act act) {
  int32_t i;
  for (i = 0; i < n; ++i) y[i] = mtc_act_apply(x[i], act);
}
