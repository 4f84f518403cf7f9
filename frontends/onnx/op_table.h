// The (ONNX op, opset) -> IR mapping. Most ops import as-is (same name, attributes copied); the
// entries here rewrite the forms older opsets used into the one form the IR ops understand.
#pragma once
#include <onnx/onnx_pb.h>

#include <vector>

#include "ir/graph.h"

namespace mtc {

struct OnnxImportContext {
  Graph &graph;
  int opset;
  const onnx::NodeProto &proto;
  Node &node;  // already holds inputs, outputs and copied attributes
  std::vector<Node> extra_nodes;  // nodes a rewrite adds after `node`
};

// Applies the opset-specific rewrite for node.op, if any. Returns false if this op/opset pair is
// known to be unsupported (with `why` filled).
bool normalize_onnx_node(OnnxImportContext &ctx, std::string &why);

}  // namespace mtc
