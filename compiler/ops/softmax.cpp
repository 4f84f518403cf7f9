// Softmax and LogSoftmax along `axis` (opset >= 13). With coerce_2d = 1 (set by the importer for
// opset < 13) the input is seen as 2-D [prod(dims < axis), prod(dims >= axis)] and normalised over
// the whole second dim.
#include <algorithm>
#include <cmath>

#include "ops/op.h"
#include "ops/op_util.h"
#include "ops/softmax.h"

namespace mtc {

// The 2-D form also accepts axis == rank (a [N, 1] matrix), like onnxruntime.
int64_t softmax_axis(const Attributes &attrs, int64_t rank) {
  bool coerce = attrs.get_int("coerce_2d", 0) != 0;
  int64_t axis = normalize_axis(attrs.get_int("axis", coerce ? 1 : -1), rank);
  return axis >= 0 && (axis < rank || (coerce && axis == rank)) ? axis : -1;
}

SoftmaxLayout softmax_layout(const Attributes &attrs, const Shape &s) {
  size_t axis = size_t(softmax_axis(attrs, int64_t(s.size())));
  if (attrs.get_int("coerce_2d", 0) != 0) return {product(s, 0, axis), product(s, axis, s.size()), 1};
  return {product(s, 0, axis), s[axis], product(s, axis + 1, s.size())};
}

void softmax_eval(const float *px, float *py, const SoftmaxLayout &l, bool log) {
  for (int64_t o = 0; o < l.outer; ++o)
    for (int64_t in = 0; in < l.inner; ++in) {
      int64_t base = o * l.len * l.inner + in;
      double mx = -INFINITY;
      for (int64_t i = 0; i < l.len; ++i) mx = std::max(mx, double(px[base + i * l.inner]));
      double sum = 0;
      for (int64_t i = 0; i < l.len; ++i) sum += std::exp(double(px[base + i * l.inner]) - mx);
      for (int64_t i = 0; i < l.len; ++i) {
        double v = double(px[base + i * l.inner]) - mx;
        py[base + i * l.inner] = float(log ? v - std::log(sum) : std::exp(v) / sum);
      }
    }
}

namespace {

void infer_softmax(InferContext &ctx) {
  ctx.check(ctx.in_dtype(0) == DType::F32,
            std::string("supports float32 only, not ") + dtype_name(ctx.in_dtype(0)));
  const Shape &s = ctx.in_shape(0);
  int64_t rank = int64_t(s.size());
  ctx.check(rank >= 1, "input must have rank >= 1");
  if (softmax_axis(ctx.attrs(), rank) < 0)
    ctx.fail("axis " + std::to_string(ctx.attrs().get_int("axis", 0)) + " is out of range for rank " +
             std::to_string(rank));
  ctx.set_output(0, DType::F32, s);
}

void eval_softmax(EvalContext &ctx) {
  const Value &x = ctx.in(0);
  softmax_eval(x.data<float>(), ctx.out(0).data<float>(), softmax_layout(ctx.attrs(), x.shape),
               ctx.node().op == "LogSoftmax");
}

OpDef softmax_op(const char *name) {
  OpDef d;
  d.name = name;
  d.infer = infer_softmax;
  d.eval = eval_softmax;
  return d;
}

}  // namespace

MTC_REGISTER_OP(softmax_op("Softmax"))
MTC_REGISTER_OP(softmax_op("LogSoftmax"))

}  // namespace mtc
