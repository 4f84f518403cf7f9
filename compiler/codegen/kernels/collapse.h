// Shrinks a strided iteration space for the broadcasting kernels: drops size-1 dims and merges
// neighbouring dims that both operands walk contiguously, so kernels see the fewest, longest loops.
#pragma once
#include <vector>

#include "ir/dtype.h"

namespace mtc {

// dims[i] with element strides sa[i], sb[i] (0 = broadcast) for two operands; updated in place.
inline void collapse_dims(Shape &dims, std::vector<int64_t> &sa, std::vector<int64_t> &sb) {
  Shape d;
  std::vector<int64_t> a, b;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (dims[i] == 1) continue;
    if (!d.empty() && a.back() == sa[i] * dims[i] && b.back() == sb[i] * dims[i]) {
      d.back() *= dims[i];
      a.back() = sa[i];
      b.back() = sb[i];
      continue;
    }
    d.push_back(dims[i]);
    a.push_back(sa[i]);
    b.push_back(sb[i]);
  }
  dims = d;
  sa = a;
  sb = b;
}

}  // namespace mtc
