// Prints a call of a kernel with the broadcasting binary contract of mtc_elementwise.h, for the
// emitters of Pow, PRelu and the variadic Max/Min/Sum/Mean.
#pragma once
#include <string>

#include "codegen/emitter.h"
#include "codegen/kernels/collapse.h"
#include "ops/op_util.h"

namespace mtc {

// `fn(a<a_after>, b<b_after>, y, n, a_step, b_step, <outer tables><extra>)` where a and b (C pointer
// expressions with shapes a_shape and b_shape) broadcast to output 0's shape and y is output 0.
// a_after / b_after follow their pointers (", type code" for mtc_pow_mixed); extra ends the call.
inline void emit_broadcast_call(EmitContext &ctx, const std::string &fn, const std::string &a,
                                const Shape &a_shape, const std::string &b, const Shape &b_shape,
                                const std::string &extra = "", const std::string &a_after = "",
                                const std::string &b_after = "") {
  Shape dims = ctx.out(0).shape;
  std::vector<int64_t> sa = broadcast_strides(a_shape, dims), sb = broadcast_strides(b_shape, dims);
  collapse_dims(dims, sa, sb);
  int64_t n = 1, a_step = 0, b_step = 0;
  if (!dims.empty()) {
    n = dims.back(), a_step = sa.back(), b_step = sb.back();
    dims.pop_back(), sa.pop_back(), sb.pop_back();
  }
  std::string tables = "0, 0, 0, 0";
  if (!dims.empty()) {
    // declared in argument order (operands of + are evaluated in unspecified order)
    std::string t_dims = ctx.int_array(dims), t_a = ctx.int_array(sa), t_b = ctx.int_array(sb);
    tables = std::to_string(dims.size()) + ", " + t_dims + ", " + t_a + ", " + t_b;
  }
  ctx.use_kernel(fn);
  ctx.line(fn + "(" + a + a_after + ", " + b + b_after + ", " + ctx.out_ptr(0) + ", " + std::to_string(n) +
           ", " + std::to_string(a_step) + ", " + std::to_string(b_step) + ", " + tables + extra + ");");
}

}  // namespace mtc
