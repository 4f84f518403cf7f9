/* mtc_remap_nd: N-d copy through per-axis index maps into a contiguous destination (reflect and
 * edge padding; see mtc_data.h). */
#include <stddef.h>
#include <string.h>

#include "mtc_data.h"

static unsigned char *remap_axis(const unsigned char *src, unsigned char *dst, int32_t es, int32_t rank,
                                 const int32_t *shape, const int32_t *ss, const int32_t *maps) {
  int32_t i;
  for (i = 0; i < shape[0]; ++i) {
    const unsigned char *s = src + (ptrdiff_t)maps[i] * ss[0] * es;
    if (rank > 1) {
      dst = remap_axis(s, dst, es, rank - 1, shape + 1, ss + 1, maps + shape[0]);
    } else {
      memcpy(dst, s, (size_t)es);
      dst += es;
    }
  }
  return dst;
}

void mtc_remap_nd(const void *src, void *dst, int32_t elem_size, int32_t rank, const int32_t *shape,
                  const int32_t *src_strides, const int32_t *maps) {
  if (rank <= 0) {
    memcpy(dst, src, (size_t)elem_size);
    return;
  }
  remap_axis((const unsigned char *)src, (unsigned char *)dst, elem_size, rank, shape, src_strides, maps);
}
