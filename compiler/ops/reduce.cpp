// Reductions over a set of axes: ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL1,
// ReduceL2, ReduceSumSquare, ReduceLogSum, ReduceLogSumExp. Axes come from attribute "axes" (opset <
// 18) or a constant input 1 (ReduceSum since opset 13, all of them since 18); keepdims defaults to 1.
#include "ops/reduce.h"

#include <cmath>
#include <limits>

#include "ops/op.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

struct ReduceDef {
  const char *name;
  ReduceKind kind;
  bool integer_ok;  // meaningful (and evaluated) for integer tensors
};

const ReduceDef kReduceOps[] = {
    {"ReduceSum", ReduceKind::Sum, true},          {"ReduceMean", ReduceKind::Mean, true},
    {"ReduceMax", ReduceKind::Max, true},          {"ReduceMin", ReduceKind::Min, true},
    {"ReduceProd", ReduceKind::Prod, true},        {"ReduceL1", ReduceKind::L1, true},
    {"ReduceL2", ReduceKind::L2, false},           {"ReduceSumSquare", ReduceKind::SumSquare, true},
    {"ReduceLogSum", ReduceKind::LogSum, false},   {"ReduceLogSumExp", ReduceKind::LogSumExp, false},
};

const ReduceDef &def_of(const std::string &op) {
  for (const ReduceDef &d : kReduceOps)
    if (op == d.name) return d;
  return kReduceOps[0];
}

// The output shape for the given reduced axes.
Shape reduced_shape(const Shape &in, const std::vector<bool> &reduced, bool keepdims) {
  Shape out;
  for (size_t d = 0; d < in.size(); ++d) {
    if (!reduced[d]) out.push_back(in[d]);
    else if (keepdims) out.push_back(1);
  }
  return out;
}

void infer_reduce(InferContext &ctx) {
  const ReduceDef &def = def_of(ctx.node().op);
  DType t = ctx.in_dtype(0);
  bool is_int = t == DType::I32 || t == DType::I64;
  ctx.check(t == DType::F32 || (is_int && def.integer_ok),
            std::string("does not support element type ") + dtype_name(t));
  const Value *axes = nullptr;
  if (ctx.has_input(1)) {
    axes = &ctx.require_const(1, "axes");
    ctx.check(axes->dtype == DType::I64 || axes->dtype == DType::I32, "axes must be int64");
    ctx.check(axes->shape.size() <= 1, "axes must be a 1-D tensor");
  }
  std::vector<bool> reduced;
  std::string err = reduce_axes(ctx.node(), axes, int64_t(ctx.in_shape(0).size()), reduced);
  if (!err.empty()) ctx.fail(err);
  ctx.set_output(0, t, reduced_shape(ctx.in_shape(0), reduced, ctx.attrs().get_int("keepdims", 1) != 0));
}

// Calls f(in_index, out_index) for every input element; out_index is row-major in the output.
template <class F> void for_each_reduced(const Shape &in, const std::vector<bool> &reduced, F f) {
  Shape kept = in;
  for (size_t d = 0; d < in.size(); ++d)
    if (reduced[d]) kept[d] = 1;
  std::vector<int64_t> os = contiguous_strides(kept);
  for (size_t d = 0; d < in.size(); ++d)
    if (reduced[d]) os[d] = 0;
  int64_t n = product(in, 0, in.size());
  std::vector<int64_t> idx(in.size(), 0);
  int64_t o = 0;
  for (int64_t i = 0; i < n; ++i) {
    f(i, o);
    for (size_t d = in.size(); d-- > 0;) {
      o += os[d];
      if (++idx[d] < in[d]) break;
      o -= os[d] * in[d];
      idx[d] = 0;
    }
  }
}

void eval_float(EvalContext &ctx, ReduceKind k, const std::vector<bool> &reduced) {
  const Value &x = ctx.in(0);
  Value &y = ctx.out(0);
  const float *px = x.data<float>();
  int64_t count = 1;
  for (size_t d = 0; d < x.shape.size(); ++d)
    if (reduced[d]) count *= x.shape[d];
  double init = k == ReduceKind::Max    ? -INFINITY
                : k == ReduceKind::Min  ? INFINITY
                : k == ReduceKind::Prod ? 1
                                        : 0;
  std::vector<double> acc(size_t(y.elements()), init), shift(size_t(y.elements()), 0.0);
  if (k == ReduceKind::LogSumExp) {
    std::vector<double> mx(size_t(y.elements()), -INFINITY);
    for_each_reduced(x.shape, reduced,
                     [&](int64_t i, int64_t o) { mx[size_t(o)] = std::max(mx[size_t(o)], double(px[i])); });
    for (size_t o = 0; o < mx.size(); ++o) shift[o] = std::isfinite(mx[o]) ? mx[o] : 0.0;
  }
  for_each_reduced(x.shape, reduced, [&](int64_t i, int64_t o) {
    double v = px[i], &a = acc[size_t(o)];
    switch (k) {
    case ReduceKind::Max: a = (v > a || std::isnan(v)) ? v : a; break;
    case ReduceKind::Min: a = (v < a || std::isnan(v)) ? v : a; break;
    case ReduceKind::Prod: a *= v; break;
    case ReduceKind::L1: a += std::fabs(v); break;
    case ReduceKind::L2:
    case ReduceKind::SumSquare: a += v * v; break;
    case ReduceKind::LogSumExp: a += std::exp(v - shift[size_t(o)]); break;
    default: a += v; break;
    }
  });
  float *py = y.data<float>();
  for (size_t o = 0; o < acc.size(); ++o) {
    double a = acc[o];
    switch (k) {
    case ReduceKind::Mean: a /= double(count); break;
    case ReduceKind::L2: a = std::sqrt(a); break;
    case ReduceKind::LogSum: a = std::log(a); break;
    case ReduceKind::LogSumExp: a = std::log(a) + shift[o]; break;
    default: break;
    }
    py[o] = float(a);
  }
}

// Integer reductions wrap on overflow (uint64 arithmetic) like the integer binary ops; Mean
// truncates toward zero like numpy's mean cast back to the integer type.
template <class T> void eval_int(EvalContext &ctx, ReduceKind k, const std::vector<bool> &reduced) {
  const Value &x = ctx.in(0);
  Value &y = ctx.out(0);
  const T *px = x.data<T>();
  int64_t count = 1;
  for (size_t d = 0; d < x.shape.size(); ++d)
    if (reduced[d]) count *= x.shape[d];
  int64_t init = k == ReduceKind::Max   ? int64_t(std::numeric_limits<T>::lowest())
                 : k == ReduceKind::Min ? int64_t(std::numeric_limits<T>::max())
                 : k == ReduceKind::Prod ? 1
                                         : 0;
  std::vector<int64_t> acc(size_t(y.elements()), init);
  for_each_reduced(x.shape, reduced, [&](int64_t i, int64_t o) {
    int64_t v = int64_t(px[i]);
    int64_t &a = acc[size_t(o)];
    switch (k) {
    case ReduceKind::Max: a = std::max(a, v); break;
    case ReduceKind::Min: a = std::min(a, v); break;
    case ReduceKind::Prod: a = int64_t(uint64_t(a) * uint64_t(v)); break;
    case ReduceKind::L1: a = int64_t(uint64_t(a) + uint64_t(v < 0 ? -uint64_t(v) : uint64_t(v))); break;
    case ReduceKind::SumSquare: a = int64_t(uint64_t(a) + uint64_t(v) * uint64_t(v)); break;
    default: a = int64_t(uint64_t(a) + uint64_t(v)); break;
    }
  });
  T *py = y.data<T>();
  for (size_t o = 0; o < acc.size(); ++o)
    py[o] = T(k == ReduceKind::Mean && count > 0 ? acc[o] / count : acc[o]);
}

void eval_reduce(EvalContext &ctx) {
  std::vector<bool> reduced;
  std::string err =
      reduce_axes(ctx.node(), ctx.has(1) ? &ctx.in(1) : nullptr, int64_t(ctx.in(0).shape.size()), reduced);
  if (!err.empty()) ctx.fail(err);
  ReduceKind k = def_of(ctx.node().op).kind;
  switch (ctx.in(0).dtype) {
  case DType::F32: eval_float(ctx, k, reduced); break;
  case DType::I32: eval_int<int32_t>(ctx, k, reduced); break;
  case DType::I64: eval_int<int64_t>(ctx, k, reduced); break;
  default: ctx.fail(std::string("does not support element type ") + dtype_name(ctx.in(0).dtype));
  }
}

int64_t reduce_macs(const Graph &g, const Node &n) { return shape_elements(g.tensor(n.inputs[0]).shape); }

OpDef reduce_op(const ReduceDef &r) {
  OpDef d;
  d.name = r.name;
  d.min_inputs = 1;
  d.max_inputs = 2;
  d.infer = infer_reduce;
  d.eval = eval_reduce;
  d.macs = reduce_macs;
  return d;
}

}  // namespace

ReduceKind reduce_kind(const std::string &op) { return def_of(op).kind; }

std::string reduce_axes(const Node &n, const Value *axes_input, int64_t rank, std::vector<bool> &reduced) {
  std::vector<int64_t> axes = axes_input ? axes_input->to_i64() : n.attrs.get_ints("axes");
  bool noop = n.attrs.get_int("noop_with_empty_axes", 0) != 0;
  reduced.assign(size_t(rank), axes.empty() && !noop);
  for (int64_t a : axes) {
    int64_t d = normalize_axis(a, rank);
    if (d < 0 || d >= rank)
      return "axis " + std::to_string(a) + " is out of range for rank " + std::to_string(rank);
    if (reduced[size_t(d)]) return "axis " + std::to_string(a) + " is listed twice";
    reduced[size_t(d)] = true;
  }
  return "";
}

MTC_REGISTER_OP(reduce_op(kReduceOps[0]))
MTC_REGISTER_OP(reduce_op(kReduceOps[1]))
MTC_REGISTER_OP(reduce_op(kReduceOps[2]))
MTC_REGISTER_OP(reduce_op(kReduceOps[3]))
MTC_REGISTER_OP(reduce_op(kReduceOps[4]))
MTC_REGISTER_OP(reduce_op(kReduceOps[5]))
MTC_REGISTER_OP(reduce_op(kReduceOps[6]))
MTC_REGISTER_OP(reduce_op(kReduceOps[7]))
MTC_REGISTER_OP(reduce_op(kReduceOps[8]))
MTC_REGISTER_OP(reduce_op(kReduceOps[9]))

}  // namespace mtc
