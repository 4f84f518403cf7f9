/* mtc_copy_nd: strided N-d copy behind Transpose, Slice, Concat, Expand and Pad (see mtc_data.h).
 * Recursion over axes keeps it free of a rank limit; the innermost axis is one memcpy when both sides
 * are contiguous there. */
#include <stddef.h>
#include <string.h>

#include "mtc_data.h"

static void copy_axis(const unsigned char *src, unsigned char *dst, int32_t es, int32_t rank,
                      const int32_t *shape, const int32_t *ss, const int32_t *ds) {
  int32_t i, n = shape[0];
  ptrdiff_t sstep = (ptrdiff_t)ss[0] * es, dstep = (ptrdiff_t)ds[0] * es;
  if (rank > 1) {
    for (i = 0; i < n; ++i)
      copy_axis(src + i * sstep, dst + i * dstep, es, rank - 1, shape + 1, ss + 1, ds + 1);
    return;
  }
  if (ss[0] == 1 && ds[0] == 1) {
    memcpy(dst, src, (size_t)n * (size_t)es);
    return;
  }
  /* constant sizes let the compiler turn each memcpy into one load and store */
  switch (es) {
  case 1:
    for (i = 0; i < n; ++i) memcpy(dst + i * dstep, src + i * sstep, 1);
    break;
  case 2:
    for (i = 0; i < n; ++i) memcpy(dst + i * dstep, src + i * sstep, 2);
    break;
  case 4:
    for (i = 0; i < n; ++i) memcpy(dst + i * dstep, src + i * sstep, 4);
    break;
  case 8:
    for (i = 0; i < n; ++i) memcpy(dst + i * dstep, src + i * sstep, 8);
    break;
  default:
    for (i = 0; i < n; ++i) memcpy(dst + i * dstep, src + i * sstep, (size_t)es);
    break;
  }
}

void mtc_copy_nd(const void *src, void *dst, int32_t elem_size, int32_t rank, const int32_t *shape,
                 const int32_t *src_strides, const int32_t *dst_strides) {
  if (rank <= 0) {
    memcpy(dst, src, (size_t)elem_size);
    return;
  }
  copy_axis((const unsigned char *)src, (unsigned char *)dst, elem_size, rank, shape, src_strides,
            dst_strides);
}
