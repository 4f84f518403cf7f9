// Reference-evaluation helper for ops with numpy-broadcast operands (Pow, PRelu, Max, Min, Sum, Mean).
#pragma once
#include <vector>

#include "ops/op_util.h"

namespace mtc {

// Calls f(out_index, in_indices) for every element of `out`, row-major; in_indices[k] is the element
// of operand k (shape ins[k], broadcast to out) that it reads.
template <class F> void walk_broadcast(const std::vector<Shape> &ins, const Shape &out, F f) {
  std::vector<std::vector<int64_t>> st;
  for (const Shape &s : ins) st.push_back(broadcast_strides(s, out));
  int64_t n = product(out, 0, out.size());
  std::vector<int64_t> idx(out.size(), 0), at(ins.size(), 0);
  for (int64_t o = 0; o < n; ++o) {
    f(o, at);
    for (size_t d = out.size(); d-- > 0;) {
      for (size_t k = 0; k < at.size(); ++k) at[k] += st[k][d];
      if (++idx[d] < out[d]) break;
      for (size_t k = 0; k < at.size(); ++k) at[k] -= st[k][d] * out[d];
      idx[d] = 0;
    }
  }
}

}  // namespace mtc
