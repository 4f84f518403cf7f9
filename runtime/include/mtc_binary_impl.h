/* The loop nest shared by the binary kernels (mtc_elementwise.h). Each kernel file defines
 * MTC_BIN(x, z), the value stored for operands x and z, and expands MTC_BINARY_LOOPS(T) as its body,
 * so every operator gets the same fast paths without a per-element switch. */
#ifndef MTC_BINARY_IMPL_H
#define MTC_BINARY_IMPL_H

#include <stdint.h>

/* The row offsets are recomputed per row by division, which costs little next to a row and needs no
 * index buffer whose size would bound the rank. */
#define MTC_BINARY_LOOPS(T)                                                      \
  int32_t rows = 1, r, i, d;                                                     \
  for (d = 0; d < outer_rank; ++d) rows *= outer_dims[d];                        \
  for (r = 0; r < rows; ++r) {                                                   \
    const T *pa = a, *pb = b;                                                    \
    T *py = y + r * n;                                                           \
    int32_t rest = r;                                                            \
    for (d = outer_rank - 1; d >= 0; --d) {                                      \
      int32_t idx = rest % outer_dims[d];                                        \
      rest /= outer_dims[d];                                                     \
      pa += idx * a_strides[d];                                                  \
      pb += idx * b_strides[d];                                                  \
    }                                                                            \
    if (a_step == 1 && b_step == 1) {                                            \
      for (i = 0; i < n; ++i) py[i] = MTC_BIN(pa[i], pb[i]);                     \
    } else if (a_step == 1 && b_step == 0) {                                     \
      const T z0 = pb[0];                                                        \
      for (i = 0; i < n; ++i) py[i] = MTC_BIN(pa[i], z0);                        \
    } else if (a_step == 0 && b_step == 1) {                                     \
      const T x0 = pa[0];                                                        \
      for (i = 0; i < n; ++i) py[i] = MTC_BIN(x0, pb[i]);                        \
    } else {                                                                     \
      for (i = 0; i < n; ++i) py[i] = MTC_BIN(pa[i * a_step], pb[i * b_step]);   \
    }                                                                            \
  }

#endif
