// U8ToI8 and I8ToU8: a quantized tensor moved between uint8 and int8 by q - 128 / q + 128 with its
// zero point moved by the same 128, so it stands for exactly the same real values. The int8 ops
// run on int8 only; imported uint8 models (QLinear ops, QDQ with uint8 activations) get these at
// the boundaries, and the cancel-sign-flips pass removes I8ToU8 -> U8ToI8 pairs between ops.
#include "ops/op.h"

namespace mtc {

namespace {

template <bool kToInt8> void infer_flip(InferContext &ctx) {
  DType from = kToInt8 ? DType::U8 : DType::I8, to = kToInt8 ? DType::I8 : DType::U8;
  ctx.check(ctx.in_dtype(0) == from, std::string("expects ") + dtype_name(from) + " input");
  ctx.set_output(0, to, ctx.in_shape(0));
  // The output's parameters follow from the input's when the producer did not set them.
  Graph &g = ctx.graph();
  const Tensor &x = ctx.input(0);
  Tensor &y = g.tensor(ctx.node().outputs[0]);
  if (x.quant && !y.quant && !x.quant->per_axis()) {
    QuantParams q = *x.quant;
    for (int32_t &zp : q.zero_point) zp += kToInt8 ? -128 : 128;
    y.quant = q;
  }
}

template <bool kToInt8> void eval_flip(EvalContext &ctx) {
  const uint8_t *x = ctx.in(0).data<uint8_t>();
  uint8_t *y = ctx.out(0).data<uint8_t>();
  int64_t n = shape_elements(ctx.in(0).shape);
  // Two's complement: q - 128 for uint8 and q + 128 for int8 both flip the top bit.
  for (int64_t i = 0; i < n; ++i) y[i] = uint8_t(x[i] ^ 0x80u);
}

template <bool kToInt8> OpDef flip_op(const char *name) {
  OpDef d;
  d.name = name;
  d.infer = infer_flip<kToInt8>;
  d.eval = eval_flip<kToInt8>;
  return d;
}

}  // namespace

MTC_REGISTER_OP(flip_op<true>("U8ToI8"))
MTC_REGISTER_OP(flip_op<false>("I8ToU8"))

}  // namespace mtc
