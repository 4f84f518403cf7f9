// The pass registry and the default pipeline.
#include <ostream>

#include "passes/pass.h"
#include "support/error.h"

namespace mtc {

PassRegistry &PassRegistry::instance() {
  static PassRegistry registry;
  return registry;
}

const Pass *PassRegistry::find(const std::string &name) const {
  for (const Pass &p : passes_)
    if (p.name == name) return &p;
  return nullptr;
}

const std::vector<std::string> &default_pipeline() {
  static const std::vector<std::string> pipeline = {
      // Quantized models in QDQ form run as int8 ops with their own parameters; first, because
      // fold-constants would turn DequantizeLinear of int8 weights into float weights.
      "fuse-qdq",
      // uint8 <-> int8 round trips between imported int8 ops (QLinear* and QDQ with uint8).
      "cancel-sign-flips",
      // Every later pass needs static shapes; folding resolves the Shape->Gather->Concat->Reshape
      // chains PyTorch exports so that Reshape targets become constants.
      "fold-constants",
      // Identity and inference-mode Dropout only rename tensors.
      "remove-identities",
      // Conv/Gemm followed by BatchNormalization become one Conv/Gemm with rescaled weights.
      "fold-batchnorm",
      // A zero Pad before Conv (or count-including AveragePool) becomes the consumer's own pads.
      "fold-pad",
      // Activations are applied inside the producing kernel instead of a second pass over memory.
      "fuse-activations",
      // Imported int8 models: a convolution's residual Add runs inside the convolution (models
      // microtc quantizes get this from the quantizer).
      "fuse-residual-add",
      // A classifier's int8 logits: Softmax reads them without a float copy.
      "fuse-dequantize-softmax",
      // Whatever the rewrites left unread.
      "remove-dead-nodes",
  };
  return pipeline;
}

void run_pipeline(Graph &g, const std::vector<std::string> &names, PassContext &ctx) {
  for (const std::string &name : names) {
    const Pass *p = PassRegistry::instance().find(name);
    if (!p) {
      std::string known;
      for (const Pass &q : PassRegistry::instance().all()) known += " " + q.name;
      throw CompileError("unknown pass '" + name + "'; known passes:" + known);
    }
    p->run(g, ctx);
    if (ctx.verify_each) verify_graph(g);
    if (ctx.print_after_each && ctx.log) *ctx.log << "; after " << name << "\n" << dump_graph(g);
  }
}

}  // namespace mtc
