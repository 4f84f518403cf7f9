// Views: Reshape, Flatten, Squeeze, Unsqueeze, Identity and inference-mode Dropout only relabel the
// shape of their input; the memory planner lets the output share the input's bytes.
#include <algorithm>

#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

// The shape-determining input as integers; it must be a constant 1-D integer tensor.
std::vector<int64_t> const_int_list(InferContext &ctx, size_t i, const char *what) {
  const Value &v = ctx.require_const(i, what);
  ctx.check(v.dtype == DType::I64 || v.dtype == DType::I32,
            std::string(what) + " must be int64, not " + dtype_name(v.dtype));
  ctx.check(v.shape.size() <= 1, std::string(what) + " must be a 1-D tensor");
  return v.to_i64();
}

void set_view(InferContext &ctx, Shape s) {
  ctx.check(shape_elements(s) == shape_elements(ctx.in_shape(0)),
            "output shape " + shape_str(s) + " does not have the " +
                std::to_string(shape_elements(ctx.in_shape(0))) + " elements of input shape " +
                shape_str(ctx.in_shape(0)));
  ctx.set_output(0, ctx.in_dtype(0), std::move(s));
}

void infer_reshape(InferContext &ctx) {
  const Shape &in = ctx.in_shape(0);
  std::vector<int64_t> target = const_int_list(ctx, 1, "target shape");
  bool allowzero = ctx.attrs().get_int("allowzero", 0) != 0;
  Shape out(target.size());
  int infer_at = -1;
  int64_t known = 1;
  for (size_t i = 0; i < target.size(); ++i) {
    int64_t d = target[i];
    if (d == -1) {
      ctx.check(infer_at < 0, "the target shape has more than one -1");
      infer_at = int(i);
      continue;
    }
    ctx.check(d >= 0, "the target shape has a negative dimension " + std::to_string(d));
    if (d == 0 && !allowzero) {
      ctx.check(i < in.size(), "target dimension " + std::to_string(i) +
                                   " is 0 (copy) but the input has rank " + std::to_string(in.size()));
      d = in[i];
    }
    out[i] = d;
    ctx.check(d == 0 || known <= (int64_t(1) << 40) / d, "the target shape is too large");
    known *= d;
  }
  if (infer_at >= 0) {
    ctx.check(!(allowzero && std::count(target.begin(), target.end(), 0) > 0),
              "allowzero=1 forbids a target shape holding both 0 and -1");
    int64_t total = shape_elements(in);
    ctx.check(known != 0 && total % known == 0, "cannot infer the -1 dimension: " + std::to_string(total) +
                                                    " elements do not divide into " + std::to_string(known));
    out[size_t(infer_at)] = total / known;
  }
  set_view(ctx, std::move(out));
}

void infer_flatten(InferContext &ctx) {
  const Shape &in = ctx.in_shape(0);
  int64_t r = int64_t(in.size());
  int64_t axis = ctx.attrs().get_int("axis", 1);
  if (axis < 0) axis += r;
  ctx.check(axis >= 0 && axis <= r, "axis " + std::to_string(ctx.attrs().get_int("axis", 1)) +
                                        " is out of range for rank " + std::to_string(r));
  set_view(ctx, {product(in, 0, size_t(axis)), product(in, size_t(axis), in.size())});
}

// Normalised, duplicate-free axes for a tensor of rank r.
std::vector<int64_t> unique_axes(InferContext &ctx, const std::vector<int64_t> &axes, int64_t r) {
  std::vector<int64_t> out;
  for (int64_t a : axes) {
    int64_t n = normalize_axis(ctx, a, r);
    ctx.check(std::find(out.begin(), out.end(), n) == out.end(),
              "axis " + std::to_string(a) + " appears twice");
    out.push_back(n);
  }
  return out;
}

void infer_squeeze(InferContext &ctx) {
  const Shape &in = ctx.in_shape(0);
  std::vector<char> drop(in.size(), 0);
  if (ctx.has_input(1)) {
    for (int64_t a : unique_axes(ctx, const_int_list(ctx, 1, "axes"), int64_t(in.size()))) {
      ctx.check(in[size_t(a)] == 1,
                "cannot squeeze axis " + std::to_string(a) + " of size " + std::to_string(in[size_t(a)]));
      drop[size_t(a)] = 1;
    }
  } else {
    for (size_t a = 0; a < in.size(); ++a) drop[a] = in[a] == 1;
  }
  Shape out;
  for (size_t a = 0; a < in.size(); ++a)
    if (!drop[a]) out.push_back(in[a]);
  set_view(ctx, std::move(out));
}

void infer_unsqueeze(InferContext &ctx) {
  const Shape &in = ctx.in_shape(0);
  std::vector<int64_t> axes = const_int_list(ctx, 1, "axes");
  int64_t r = int64_t(in.size() + axes.size());
  std::vector<char> inserted(size_t(r), 0);
  for (int64_t a : unique_axes(ctx, axes, r)) inserted[size_t(a)] = 1;
  Shape out;
  size_t k = 0;
  for (int64_t a = 0; a < r; ++a) out.push_back(inserted[size_t(a)] ? 1 : in[k++]);
  set_view(ctx, std::move(out));
}

void infer_identity(InferContext &ctx) { ctx.set_output(0, ctx.in_dtype(0), ctx.in_shape(0)); }

void infer_dropout(InferContext &ctx) {
  if (ctx.has_input(2)) {
    const Value *training = ctx.const_input(2);
    ctx.check(training && training->elements() == 1 && training->get_i64(0) == 0,
              "training_mode must be a constant false; only inference-mode Dropout is supported");
  }
  ctx.set_output(0, ctx.in_dtype(0), ctx.in_shape(0));
  // In inference mode the optional mask keeps every element: a compile-time constant of trues.
  if (ctx.num_outputs() > 1) {
    Value mask(DType::Bool, ctx.in_shape(0));
    std::fill(mask.bytes.begin(), mask.bytes.end(), uint8_t(1));
    ctx.set_output_constant(1, std::move(mask));
  }
}

void eval_copy(EvalContext &ctx) {
  ctx.out(0).bytes = ctx.in(0).bytes;
  if (ctx.num_outputs() > 1) std::fill(ctx.out(1).bytes.begin(), ctx.out(1).bytes.end(), uint8_t(1));
}

OpDef view_op(const char *name, int min_inputs, int max_inputs, std::function<void(InferContext &)> infer) {
  OpDef d;
  d.name = name;
  d.min_inputs = min_inputs;
  d.max_inputs = max_inputs;
  d.infer = std::move(infer);
  d.eval = eval_copy;
  d.is_view = true;
  return d;
}

}  // namespace

MTC_REGISTER_OP(view_op("Reshape", 2, 2, infer_reshape))
MTC_REGISTER_OP(view_op("Flatten", 1, 1, infer_flatten))
MTC_REGISTER_OP(view_op("Squeeze", 1, 2, infer_squeeze))
MTC_REGISTER_OP(view_op("Unsqueeze", 2, 2, infer_unsqueeze))
MTC_REGISTER_OP(view_op("Identity", 1, 1, infer_identity))
MTC_REGISTER_OP([] {
  OpDef d = view_op("Dropout", 1, 3, infer_dropout);
  d.max_outputs = 2;  // the mask, if the importer keeps it
  return d;
}())

}  // namespace mtc
