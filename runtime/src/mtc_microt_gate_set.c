/* mtc_microt_gate_set: the stay margin of a threshold (contract in mtc_microt.h). */
#include "mtc_microt.h"

#include <math.h>
#include <string.h>

/* ln x for finite x > 0: x = m 2^e with m in [sqrt(1/2), sqrt(2)), ln m = 2 atanh(s), s = (m-1)/(m+1),
 * |s| < 0.172, by the series to s^9 (truncation below 1e-8). Good to about 1e-7: the gate keeps a
 * margin a thousand times wider. */
static float mtc_log_positive(float x) {
  uint32_t bits;
  int32_t e;
  float m, s, s2;
  memcpy(&bits, &x, 4);
  e = (int32_t)((bits >> 23) & 0xFFu) - 127;
  bits = (bits & 0x007FFFFFu) | 0x3F800000u;
  memcpy(&m, &bits, 4);
  if (m > 1.41421356f) {
    m *= 0.5f;
    ++e;
  }
  s = (m - 1.0f) / (m + 1.0f);
  s2 = s * s;
  return (float)e * 0.693147181f + 2.0f * s * (1.0f + s2 * (1.0f / 3 + s2 * (1.0f / 5 + s2 * (1.0f / 7 + s2 * (1.0f / 9)))));
}

void mtc_microt_gate_set(mtc_microt_gate *g, float threshold, int32_t classes) {
  const float t = threshold * (1.0f - MTC_MICROT_GATE_SLACK);
  g->threshold = threshold;
  if (threshold != threshold || threshold > 1.0f) {
    g->stay_margin = INFINITY; /* nothing reaches it: every sample stays, no exponentials */
  } else if (!(t > 1e-30f) || classes < 2 || classes > MTC_MICROT_GATE_MAX_CLASSES || t >= 1.0f) {
    g->stay_margin = -INFINITY; /* always decide on the exact confidence */
  } else {
    g->stay_margin = mtc_log_positive(t) - mtc_log_positive(1.0f - t);
  }
}
