/* mtc_gather: Gather along one axis with int32 or int64 indices (see mtc_data.h). */
#include <stddef.h>
#include <string.h>

#include "mtc_data.h"

void mtc_gather(const void *data, const void *indices, int32_t index_size, void *dst, int32_t elem_size,
                int32_t outer, int32_t axis_dim, int32_t n_indices, int32_t inner) {
  const unsigned char *d = (const unsigned char *)data;
  unsigned char *y = (unsigned char *)dst;
  size_t row = (size_t)inner * (size_t)elem_size;
  int32_t o, j;
  for (o = 0; o < outer; ++o) {
    for (j = 0; j < n_indices; ++j) {
      int64_t k = index_size == 8 ? ((const int64_t *)indices)[j] : ((const int32_t *)indices)[j];
      unsigned char *out = y + ((size_t)o * (size_t)n_indices + (size_t)j) * row;
      if (k < 0) k += axis_dim;
      if (k < 0 || k >= axis_dim) {
        memset(out, 0, row); /* invalid index: defined output instead of an out-of-bounds read */
        continue;
      }
      memcpy(out, d + ((size_t)o * (size_t)axis_dim + (size_t)k) * row, row);
    }
  }
}
