// The unary math operators (Exp, Log, Erf, Elu, ...): their C enum names and parameters, shared by
// the op definitions and the emitter.
#pragma once
#include <string>

#include "ir/graph.h"

namespace mtc {

struct UnaryMathDef {
  const char *name;    // ONNX operator
  const char *c_enum;  // enum mtc_unary_op value in mtc_math.h
  bool integer_ok;     // also evaluated for int32/int64 (Neg, Abs, Sign)
  double (*fn)(double x, double alpha, double beta);
};

// nullptr if `op` is not a unary math operator.
const UnaryMathDef *find_unary_math(const std::string &op);
// alpha and beta of the formula (Elu: alpha; Selu: alpha and gamma), with ONNX's defaults.
void unary_math_params(const Node &n, float &alpha, float &beta);

}  // namespace mtc
