// Import + passes + verification.
#include "driver/load_model.h"

#include "passes/pass.h"

namespace mtc {

Graph load_model(const std::string &path, const LoadOptions &opts) {
  Graph g = import_onnx_file(path, opts.import);
  PassContext ctx;
  ctx.verify_each = opts.verify_each;
  ctx.print_after_each = opts.print_after_each;
  ctx.log = opts.log;
  const std::vector<std::string> &passes = opts.passes.empty() ? default_pipeline() : opts.passes;
  // Shapes must be known before anything else can run, whatever pipeline was asked for.
  // (fuse-qdq infers too, and must see DequantizeLinear of int8 weights before folding does.)
  if (passes.empty() || (passes.front() != "fold-constants" && passes.front() != "fuse-qdq")) infer_and_fold(g);
  run_pipeline(g, passes, ctx);
  verify_graph(g);
  return g;
}

}  // namespace mtc
