/* mtc_panel_fill_row_any: the panel convolution's fill of one input row for any segment geometry
 * (contract in mtc_qnn.h): partial tiles at a border go through a padded int16 run of the row
 * whose tap pairs are one 32-bit copy per position, runs longer than MTC_QCONV_PANEL_RUN_MAX per
 * tap. In its own file so that models whose layers never need it do not link it. */
#include <string.h>

#include "mtc_qnn.h"

#define TILE MTC_QCONV_PANEL_TILE
#define SEG_MAX MTC_QCONV_PANEL_RUN_MAX

static inline uint32_t load_u32(const void *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* One tap's values at positions 0..nt-1 into every other int16 of dst, any position (padding reads
 * x_zp); `row` is the tap's input row or NULL when the row itself is padding. */
static void fill_tap_edge(const int8_t *row, int32_t width, int32_t ix0, int32_t sw, int32_t x_zp, int32_t nt,
                          int16_t *dst) {
  int32_t t, lo = nt, hi = nt;
  if (row) {
    /* positions t in [lo, hi) read inside the row */
    lo = ix0 >= 0 ? 0 : (sw - 1 - ix0) / sw;
    hi = ix0 >= width ? 0 : (width - ix0 + sw - 1) / sw;
    if (lo > nt) lo = nt;
    if (hi > nt) hi = nt;
    if (hi < lo) hi = lo;
  }
  for (t = 0; t < lo; ++t) dst[2 * t] = (int16_t)x_zp;
  for (t = lo; t < hi; ++t) dst[2 * t] = row[ix0 + t * sw];
  for (t = hi; t < nt; ++t) dst[2 * t] = (int16_t)x_zp;
}

/* Values ix_first .. ix_first + len - 1 of an input row as int16, x_zp where they fall outside it
 * (everywhere when `row` is NULL, a padding row). */
static void seg_row(const int8_t *row, int32_t width, int32_t ix_first, int32_t len, int32_t x_zp, int16_t *seg) {
  int32_t i = 0, lo = row ? -ix_first : len, hi = row ? width - ix_first : len;
  if (lo < 0) lo = 0;
  if (lo > len) lo = len;
  if (hi > len) hi = len;
  if (hi < lo) hi = lo;
  for (; i < lo; ++i) seg[i] = (int16_t)x_zp;
  for (; i < hi; ++i) seg[i] = row[ix_first + i];
  for (; i < len; ++i) seg[i] = (int16_t)x_zp;
}

/* The kw taps of one row for positions 0..n-1 from its padded run `seg` (position t, tap kx reads
 * seg[t * sw + kx * dw]), starting at panel tap k; returns the next tap. Two taps of the row that
 * make one of the panel's pairs (k even, unit dilation) are next to each other in `seg`: one
 * 32-bit copy per position moves both. */
static int32_t scatter_row(const int16_t *seg, int32_t kw, int32_t sw, int32_t dw, int32_t n, int16_t *panel,
                           int32_t k) {
  int32_t kx = 0, t;
  while (kx < kw) {
    if (!(k & 1) && kx + 1 < kw && dw == 1) {
      uint32_t *dst = (uint32_t *)(void *)(panel + (k >> 1) * TILE * 2);
      const int16_t *s = seg + kx;
      if (n == TILE && sw == 1) {
        dst[0] = load_u32(s), dst[1] = load_u32(s + 1), dst[2] = load_u32(s + 2), dst[3] = load_u32(s + 3);
        dst[4] = load_u32(s + 4), dst[5] = load_u32(s + 5), dst[6] = load_u32(s + 6), dst[7] = load_u32(s + 7);
      } else {
        for (t = 0; t < n; ++t) dst[t] = load_u32(s + t * sw);
      }
      kx += 2, k += 2;
    } else {
      int16_t *dst = panel + (k >> 1) * TILE * 2 + (k & 1);
      const int16_t *s = seg + kx * dw;
      if (n == TILE && sw == 1) {
        dst[0] = s[0], dst[2] = s[1], dst[4] = s[2], dst[6] = s[3];
        dst[8] = s[4], dst[10] = s[5], dst[12] = s[6], dst[14] = s[7];
      } else {
        for (t = 0; t < n; ++t) dst[2 * t] = s[t * sw];
      }
      kx += 1, k += 1;
    }
  }
  return k;
}

int32_t mtc_panel_fill_row_any(const int8_t *row, int32_t width, int32_t ix_first, int32_t kw, int32_t sw, int32_t dw,
                               int32_t x_zp, int32_t n, int16_t *panel, int32_t k) {
  const int32_t len = (n - 1) * sw + (kw - 1) * dw + 1;
  int32_t kx;
  if (len <= SEG_MAX) {
    int16_t seg[SEG_MAX];
    seg_row(row, width, ix_first, len, x_zp, seg);
    return scatter_row(seg, kw, sw, dw, n, panel, k);
  }
  for (kx = 0; kx < kw; ++kx, ++k)
    fill_tap_edge(row, width, ix_first + kx * dw, sw, x_zp, n, panel + (k >> 1) * TILE * 2 + (k & 1));
  return k;
}
