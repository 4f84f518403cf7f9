// Activation functions shared by the standalone activation ops, fused activations (attributes
// "activation", "activation_alpha", "activation_beta" on Conv/Gemm/MatMul/Add/...) and the fusion pass.
#pragma once
#include <string>

#include "ir/graph.h"

namespace mtc {

struct Activation {
  std::string kind;  // "" (none), "Relu", "Clip", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh"
  float alpha = 0.f;
  float beta = 0.f;
};

Activation fused_activation(const Attributes &a);
void set_fused_activation(Attributes &a, const Activation &act);
float apply_activation(const Activation &act, float x);
// The activation a standalone activation node computes (Clip bounds from constant inputs).
Activation standalone_activation(const Graph &g, const Node &n);

}  // namespace mtc
