/* mtc_panel_fill_pointwise: a whole panel of a pointwise convolution at stride 1 without padding
 * (contract in mtc_qnn.h). Its own file, passed by the generated code only to such layers, so that
 * other models do not link it. Panel layout: mtc_qconv2d_s8_panel.c (tap pair ic / 2, position h:
 * the int16 pair x[ic][h], x[ic + 1][h]). */
#include <string.h>

#include "mtc_qnn.h"
#include "mtc_simd.h"

#define TILE MTC_QCONV_PANEL_TILE

void mtc_panel_fill_pointwise(const int8_t *x, int32_t plane, int32_t c, int16_t *panel) {
  int32_t ic, h;
#if defined(MTC_HAVE_SIMD32) && TILE % 4 == 0
  /* a tap pair is two words of two planes made into four int16 pairs by SXTB16 and PKHBT/PKHTB:
   * 1.5 instructions a value instead of the row fill's 7 */
  uint32_t *d = (uint32_t *)(void *)panel;
  for (ic = 0; ic < c; ic += 2, x += 2 * plane, d += TILE)
    for (h = 0; h < TILE; h += 4) {
      uint32_t a, b;
      memcpy(&a, x + h, 4);
      memcpy(&b, x + plane + h, 4);
      {
        const uint32_t a02 = (uint32_t)__sxtb16((int32_t)a), a13 = (uint32_t)mtc_sxtb16_ror8(a);
        const uint32_t b02 = (uint32_t)__sxtb16((int32_t)b), b13 = (uint32_t)mtc_sxtb16_ror8(b);
        d[h] = mtc_pkhbt16(a02, b02);
        d[h + 1] = mtc_pkhbt16(a13, b13);
        d[h + 2] = mtc_pkhtb16(b02, a02);
        d[h + 3] = mtc_pkhtb16(b13, a13);
      }
    }
#else
  for (ic = 0; ic < c; ic += 2, x += 2 * plane, panel += 2 * TILE)
    for (h = 0; h < TILE; ++h) {
      panel[2 * h] = x[h];
      panel[2 * h + 1] = x[plane + h];
    }
#endif
}
