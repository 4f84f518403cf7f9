/* Loop nests shared by the typed kernels of mtc_qops.h: each kernel file expands one macro with its
 * element types, so every type pair runs the same code without a per-element switch. */
#ifndef MTC_QOPS_IMPL_H
#define MTC_QOPS_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "mtc_qops.h"

/* Body of mtc_quantize_linear_<T>: outputs of type T saturated to [LO, HI]. */
#define MTC_QUANTIZE_LINEAR_LOOPS(T, LO, HI)                                         \
  int32_t o, c, i;                                                                   \
  for (o = 0; o < outer; ++o) {                                                      \
    for (c = 0; c < channels; ++c) {                                                 \
      const float s = scale[c];                                                      \
      const int32_t zp = zero_point != NULL ? (int32_t)zero_point[c] : 0;            \
      const float *xr = x + (o * channels + c) * inner;                              \
      T *yr = y + (o * channels + c) * inner;                                        \
      for (i = 0; i < inner; ++i) yr[i] = (T)mtc_quantize_one(xr[i], s, zp, LO, HI); \
    }                                                                                \
  }

/* Body of mtc_dequantize_linear_<T>: the difference is taken in int64 so int32 inputs cannot
 * overflow, and converted to float once. */
#define MTC_DEQUANTIZE_LINEAR_LOOPS(T)                                      \
  int32_t o, c, i;                                                          \
  for (o = 0; o < outer; ++o) {                                             \
    for (c = 0; c < channels; ++c) {                                        \
      const float s = scale[c];                                             \
      const int64_t zp = zero_point != NULL ? (int64_t)zero_point[c] : 0;   \
      const T *xr = x + (o * channels + c) * inner;                         \
      float *yr = y + (o * channels + c) * inner;                           \
      for (i = 0; i < inner; ++i) yr[i] = (float)((int64_t)xr[i] - zp) * s; \
    }                                                                       \
  }

/* Taps [*first, *last) of a window starting at input position `start` that read inside [0, size). */
static inline void mtc_qops_tap_range(int32_t start, int32_t size, int32_t k, int32_t dil, int32_t *first,
                                      int32_t *last) {
  int32_t f = start < 0 ? (-start + dil - 1) / dil : 0;
  int32_t l = size - start <= 0 ? 0 : (size - start + dil - 1) / dil;
  if (l > k) l = k;
  *first = f;
  *last = l < f ? f : l;
}

/* Body of mtc_conv_integer2d_<TX>_<TW>. Taps in the padding are skipped (they read x_zero_point,
 * which contributes 0); sums wrap modulo 2^32 through uint32_t instead of overflowing. */
#define MTC_CONV_INTEGER_LOOPS(TX, TW)                                                                 \
  const int32_t cg = p->c / p->group, mg = p->oc / p->group;                                           \
  const int32_t plane = p->h * p->w, taps = p->kh * p->kw;                                             \
  const int32_t xzp = x_zero_point != NULL ? (int32_t)x_zero_point[0] : 0;                             \
  int32_t b, oc, oy, ox, ic, ky, kx, nkx;                                                              \
  for (b = 0; b < p->n; ++b) {                                                                         \
    for (oc = 0; oc < p->oc; ++oc) {                                                                   \
      const TX *xg = x + (b * p->c + (oc / mg) * cg) * plane;                                          \
      const TW *wo = w + oc * cg * taps;                                                               \
      const int32_t wzp = w_zero_point != NULL ? (int32_t)w_zero_point[w_zp_per_channel ? oc : 0] : 0; \
      int32_t *yo = y + (b * p->oc + oc) * p->oh * p->ow;                                              \
      for (oy = 0; oy < p->oh; ++oy) {                                                                 \
        const int32_t iy0 = oy * p->stride_h - p->pad_top;                                             \
        int32_t ky0, ky1;                                                                              \
        mtc_qops_tap_range(iy0, p->h, p->kh, p->dilation_h, &ky0, &ky1);                               \
        for (ox = 0; ox < p->ow; ++ox) {                                                               \
          const int32_t ix0 = ox * p->stride_w - p->pad_left;                                          \
          int32_t kx0, kx1;                                                                            \
          uint32_t acc = 0;                                                                            \
          mtc_qops_tap_range(ix0, p->w, p->kw, p->dilation_w, &kx0, &kx1);                             \
          nkx = kx1 - kx0;                                                                             \
          for (ic = 0; ic < cg && nkx > 0; ++ic) {                                                     \
            const TX *xc = xg + ic * plane + ix0 + kx0 * p->dilation_w;                                \
            const TW *wc = wo + ic * taps + kx0;                                                       \
            for (ky = ky0; ky < ky1; ++ky) {                                                           \
              const TX *xr = xc + (iy0 + ky * p->dilation_h) * p->w;                                   \
              const TW *wr = wc + ky * p->kw;                                                          \
              for (kx = 0; kx < nkx; ++kx)                                                             \
                acc += (uint32_t)(((int32_t)xr[kx * p->dilation_w] - xzp) * ((int32_t)wr[kx] - wzp));  \
            }                                                                                          \
          }                                                                                            \
          yo[oy * p->ow + ox] = (int32_t)acc;                                                          \
        }                                                                                              \
      }                                                                                                \
    }                                                                                                  \
  }

/* Body of mtc_matmul_integer_<TA>_<TB>; sums wrap modulo 2^32 through uint32_t. */
#define MTC_MATMUL_INTEGER_LOOPS(TA, TB)                                                                  \
  int32_t batches = 1, bi, d, i, j, q;                                                                    \
  for (d = 0; d < batch_rank; ++d) batches *= batch_dims[d];                                              \
  for (bi = 0; bi < batches; ++bi) {                                                                      \
    int32_t ao = 0, bo = 0, rest = bi;                                                                    \
    int32_t *yb = y + bi * m * n;                                                                         \
    for (d = batch_rank - 1; d >= 0; --d) {                                                               \
      int32_t idx = rest % batch_dims[d];                                                                 \
      rest /= batch_dims[d];                                                                              \
      ao += idx * a_strides[d];                                                                           \
      bo += idx * b_strides[d];                                                                           \
    }                                                                                                     \
    for (i = 0; i < m; ++i) {                                                                             \
      const TA *ar = a + ao + i * k;                                                                      \
      const int32_t azp =                                                                                 \
          a_zero_point == NULL ? 0 : (int32_t)a_zero_point[a_zp_per_row && k > 0 ? (ao + i * k) / k : 0]; \
      int32_t *yr = yb + i * n;                                                                           \
      for (j = 0; j < n; ++j) {                                                                           \
        const TB *bc = b + bo + j;                                                                        \
        const int32_t bzp =                                                                               \
            b_zero_point == NULL ? 0 : (int32_t)b_zero_point[b_zp_per_col && k > 0 ? bo / k + j : 0];     \
        uint32_t acc = 0;                                                                                 \
        for (q = 0; q < k; ++q) acc += (uint32_t)(((int32_t)ar[q] - azp) * ((int32_t)bc[q * n] - bzp));   \
        yr[j] = (int32_t)acc;                                                                             \
      }                                                                                                   \
    }                                                                                                     \
  }

#endif
