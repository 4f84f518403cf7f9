// Variadic elementwise Sum, Mean, Max, Min: any number of inputs, all broadcast together (numpy
// rules). Float32 for all four; Sum, Max and Min also take int8/uint8/int32/int64 (Sum wraps on overflow).
#include <cmath>

#include "ops/broadcast_walk.h"
#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

void infer_variadic(InferContext &ctx) {
  DType t = ctx.in_dtype(0);
  bool is_int = t == DType::I8 || t == DType::U8 || t == DType::I32 || t == DType::I64;
  ctx.check(t == DType::F32 || (is_int && ctx.node().op != "Mean"),
            std::string("does not support element type ") + dtype_name(t));
  Shape out = ctx.in_shape(0);
  for (size_t i = 1; i < ctx.num_inputs(); ++i) {
    ctx.check(ctx.in_dtype(i) == t, std::string("input ") + std::to_string(i) + " has type " +
                                        dtype_name(ctx.in_dtype(i)) + ", input 0 has " + dtype_name(t));
    Shape next;
    if (!broadcast_shapes(out, ctx.in_shape(i), next))
      ctx.fail("cannot broadcast input " + std::to_string(i) + " of shape " + shape_str(ctx.in_shape(i)) +
               " to shape " + shape_str(out));
    out = next;
  }
  ctx.set_output(0, t, out);
}

template <class T> void eval_typed(EvalContext &ctx) {
  const std::string &op = ctx.node().op;
  size_t k = ctx.node().inputs.size();
  std::vector<Shape> shapes;
  std::vector<const T *> ins;
  for (size_t i = 0; i < k; ++i) {
    shapes.push_back(ctx.in(i).shape);
    ins.push_back(ctx.in(i).data<T>());
  }
  T *y = ctx.out(0).data<T>();
  walk_broadcast(shapes, ctx.out(0).shape, [&](int64_t o, const std::vector<int64_t> &at) {
    if constexpr (std::is_floating_point<T>::value) {
      double acc = ins[0][at[0]];
      for (size_t i = 1; i < k; ++i) {
        double v = ins[i][at[i]];
        if (op == "Max") acc = (v > acc || std::isnan(v)) ? v : acc;
        else if (op == "Min") acc = (v < acc || std::isnan(v)) ? v : acc;
        else acc += v;
      }
      y[o] = T(op == "Mean" ? acc / double(k) : acc);
    } else {
      T acc = ins[0][at[0]];
      for (size_t i = 1; i < k; ++i) {
        T v = ins[i][at[i]];
        if (op == "Max") acc = v > acc ? v : acc;
        else if (op == "Min") acc = v < acc ? v : acc;
        else acc = T(uint64_t(acc) + uint64_t(v));
      }
      y[o] = acc;
    }
  });
}

void eval_variadic(EvalContext &ctx) {
  switch (ctx.in(0).dtype) {
  case DType::F32: eval_typed<float>(ctx); break;
  case DType::I8: eval_typed<int8_t>(ctx); break;
  case DType::U8: eval_typed<uint8_t>(ctx); break;
  case DType::I32: eval_typed<int32_t>(ctx); break;
  case DType::I64: eval_typed<int64_t>(ctx); break;
  default: ctx.fail(std::string("does not support element type ") + dtype_name(ctx.in(0).dtype));
  }
}

OpDef variadic_op(const char *name) {
  OpDef d;
  d.name = name;
  d.min_inputs = 1;
  d.max_inputs = -1;
  d.infer = infer_variadic;
  d.eval = eval_variadic;
  return d;
}

}  // namespace

MTC_REGISTER_OP(variadic_op("Sum"))
MTC_REGISTER_OP(variadic_op("Mean"))
MTC_REGISTER_OP(variadic_op("Max"))
MTC_REGISTER_OP(variadic_op("Min"))

}  // namespace mtc
