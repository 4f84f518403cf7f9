// Elementwise unary math: Exp, Log, Sqrt, Neg, Abs, Reciprocal, Floor, Ceil, Erf, Softplus, Softsign,
// Elu, Selu, Sin, Cos, Sign, Round. One table row per operator: its formula (evaluated in double
// by the reference engine) and the mtc_unary_f32 op code the generated C uses.
#include "ops/unary_math.h"

#include <cmath>

#include "ops/op.h"

namespace mtc {

namespace {

double softplus(double x, double, double) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
}
double elu(double x, double alpha, double) { return x > 0 ? x : alpha * std::expm1(x); }
double selu(double x, double alpha, double gamma) { return gamma * (x > 0 ? x : alpha * std::expm1(x)); }
double sign(double x, double, double) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }

// Round: ties to even, which std::nearbyint does in the default rounding mode.
const UnaryMathDef kUnaryOps[] = {
    {"Exp", "MTC_UNARY_EXP", false, [](double x, double, double) { return std::exp(x); }},
    {"Log", "MTC_UNARY_LOG", false, [](double x, double, double) { return std::log(x); }},
    {"Sqrt", "MTC_UNARY_SQRT", false, [](double x, double, double) { return std::sqrt(x); }},
    {"Neg", "MTC_UNARY_NEG", true, [](double x, double, double) { return -x; }},
    {"Abs", "MTC_UNARY_ABS", true, [](double x, double, double) { return std::fabs(x); }},
    {"Reciprocal", "MTC_UNARY_RECIPROCAL", false, [](double x, double, double) { return 1.0 / x; }},
    {"Floor", "MTC_UNARY_FLOOR", false, [](double x, double, double) { return std::floor(x); }},
    {"Ceil", "MTC_UNARY_CEIL", false, [](double x, double, double) { return std::ceil(x); }},
    {"Erf", "MTC_UNARY_ERF", false, [](double x, double, double) { return std::erf(x); }},
    {"Softplus", "MTC_UNARY_SOFTPLUS", false, softplus},
    {"Softsign", "MTC_UNARY_SOFTSIGN", false,
     [](double x, double, double) { return x / (1.0 + std::fabs(x)); }},
    {"Elu", "MTC_UNARY_ELU", false, elu},
    {"Selu", "MTC_UNARY_SELU", false, selu},
    {"Sin", "MTC_UNARY_SIN", false, [](double x, double, double) { return std::sin(x); }},
    {"Cos", "MTC_UNARY_COS", false, [](double x, double, double) { return std::cos(x); }},
    {"Sign", "MTC_UNARY_SIGN", true, sign},
    {"Round", "MTC_UNARY_ROUND", false, [](double x, double, double) { return std::nearbyint(x); }},
};

void infer_unary(InferContext &ctx) {
  const UnaryMathDef *def = find_unary_math(ctx.node().op);
  DType t = ctx.in_dtype(0);
  bool ok = t == DType::F32 || (def && def->integer_ok && (t == DType::I32 || t == DType::I64));
  ctx.check(ok, std::string("does not support element type ") + dtype_name(t));
  ctx.set_output(0, t, ctx.in_shape(0));
}

// Integers (Neg, Abs, Sign) go through uint64 so negating the minimum wraps instead of overflowing.
template <class T> void eval_int(EvalContext &ctx, const std::string &op) {
  const T *x = ctx.in(0).data<T>();
  T *y = ctx.out(0).data<T>();
  for (int64_t i = 0; i < ctx.in(0).elements(); ++i) {
    uint64_t neg = uint64_t(0) - uint64_t(x[i]);
    if (op == "Neg") y[i] = T(neg);
    else if (op == "Abs") y[i] = x[i] < 0 ? T(neg) : x[i];
    else y[i] = T(x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0);
  }
}

void eval_unary(EvalContext &ctx) {
  const UnaryMathDef *def = find_unary_math(ctx.node().op);
  if (!def) ctx.fail("is not a unary math operator");
  switch (ctx.in(0).dtype) {
  case DType::I32: eval_int<int32_t>(ctx, def->name); return;
  case DType::I64: eval_int<int64_t>(ctx, def->name); return;
  case DType::F32: break;
  default: ctx.fail(std::string("does not support element type ") + dtype_name(ctx.in(0).dtype));
  }
  float alpha, beta;
  unary_math_params(ctx.node(), alpha, beta);
  const float *x = ctx.in(0).data<float>();
  float *y = ctx.out(0).data<float>();
  for (int64_t i = 0; i < ctx.in(0).elements(); ++i) y[i] = float(def->fn(double(x[i]), alpha, beta));
}

OpDef unary_op(const UnaryMathDef &u) {
  OpDef d;
  d.name = u.name;
  d.infer = infer_unary;
  d.eval = eval_unary;
  return d;
}

}  // namespace

const UnaryMathDef *find_unary_math(const std::string &op) {
  for (const UnaryMathDef &d : kUnaryOps)
    if (op == d.name) return &d;
  return nullptr;
}

void unary_math_params(const Node &n, float &alpha, float &beta) {
  alpha = beta = 0.f;
  if (n.op == "Elu") alpha = n.attrs.get_float("alpha", 1.0f);
  if (n.op == "Selu") {
    alpha = n.attrs.get_float("alpha", 1.67326319217681884765625f);
    beta = n.attrs.get_float("gamma", 1.05070102214813232421875f);
  }
}

MTC_REGISTER_OP(unary_op(kUnaryOps[0]))
MTC_REGISTER_OP(unary_op(kUnaryOps[1]))
MTC_REGISTER_OP(unary_op(kUnaryOps[2]))
MTC_REGISTER_OP(unary_op(kUnaryOps[3]))
MTC_REGISTER_OP(unary_op(kUnaryOps[4]))
MTC_REGISTER_OP(unary_op(kUnaryOps[5]))
MTC_REGISTER_OP(unary_op(kUnaryOps[6]))
MTC_REGISTER_OP(unary_op(kUnaryOps[7]))
MTC_REGISTER_OP(unary_op(kUnaryOps[8]))
MTC_REGISTER_OP(unary_op(kUnaryOps[9]))
MTC_REGISTER_OP(unary_op(kUnaryOps[10]))
MTC_REGISTER_OP(unary_op(kUnaryOps[11]))
MTC_REGISTER_OP(unary_op(kUnaryOps[12]))
MTC_REGISTER_OP(unary_op(kUnaryOps[13]))
MTC_REGISTER_OP(unary_op(kUnaryOps[14]))
MTC_REGISTER_OP(unary_op(kUnaryOps[15]))
MTC_REGISTER_OP(unary_op(kUnaryOps[16]))

}  // namespace mtc
