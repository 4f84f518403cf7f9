/* mtc_fill: n copies of one element (Pad borders, ConstantOfShape). */
#include <string.h>

#include "mtc_data.h"

void mtc_fill(void *dst, const void *value, int32_t elem_size, int32_t n) {
  unsigned char *d = (unsigned char *)dst;
  int32_t i;
  for (i = 0; i < n; ++i) memcpy(d + (size_t)i * (size_t)elem_size, value, (size_t)elem_size);
}
