// Import of ONNX operators in QOperator form (QLinearConv, QLinearMatMul and the com.microsoft
// QLinearAdd / QLinearMul / QLinearGlobalAveragePool) as the int8 IR ops, keeping the model's own
// scales and zero points (they must be constants). uint8 tensors are moved to int8 at the edges.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

// True for the (domain, op) pairs below; domain "" and "ai.onnx" are the default domain.
bool is_qlinear_op(const std::string &domain, const std::string &op);

// The IR nodes standing for QOperator node `n` (inputs, outputs and attributes already imported),
// in execution order. Throws CompileError naming the node when the parameters are not constants or
// the form is not supported.
std::vector<Node> lower_qlinear_node(Graph &g, const Node &n);

}  // namespace mtc
