// A constant-zero Pad on the spatial axes in front of a Conv (or an AveragePool that counts padding)
// becomes that op's own `pads`, saving the padded copy. A Pad of all zeros is dropped.
#include "passes/pass.h"

namespace mtc {

namespace {

// The pads of a Pad node if its mode is constant and its fill value is a constant 0.
bool zero_pads(const Graph &g, const Node &pad, std::vector<int64_t> &pads) {
  if (pad.attrs.get_string("mode", "constant") != "constant") return false;
  if (!pad.has_input(1) || !g.tensor(pad.inputs[1]).is_constant()) return false;
  if (pad.has_input(2)) {
    const Tensor &v = g.tensor(pad.inputs[2]);
    if (!v.is_constant() || v.constant->elements() != 1 || v.constant->get_f64(0) != 0.0) return false;
  }
  if (pad.has_input(3)) return false;  // opset 18 axes input
  pads = g.tensor(pad.inputs[1]).constant->to_i64();
  for (int64_t p : pads)
    if (p < 0) return false;
  return true;
}

bool fold_into(Graph &g, Node &consumer, const std::vector<int64_t> &pads) {
  size_t rank = pads.size() / 2;
  if (rank < 3 || pads[0] || pads[1] || pads[rank] || pads[rank + 1]) return false;  // N and C unpadded
  if (consumer.attrs.get_string("auto_pad", "NOTSET") != "NOTSET") return false;
  size_t spatial = rank - 2;
  if (consumer.op == "AveragePool") {
    std::vector<int64_t> own = consumer.attrs.get_ints("pads", std::vector<int64_t>(2 * spatial, 0));
    bool has_own = false;
    for (int64_t p : own) has_own |= p != 0;
    if (has_own && consumer.attrs.get_int("count_include_pad", 0) == 0) return false;
    consumer.attrs.set("count_include_pad", int64_t(1));  // padded zeros were real elements
  } else if (consumer.op != "Conv") {
    return false;
  }
  std::vector<int64_t> own = consumer.attrs.get_ints("pads", std::vector<int64_t>(2 * spatial, 0));
  if (own.size() != 2 * spatial) return false;
  for (size_t d = 0; d < spatial; ++d) {
    own[d] += pads[2 + d];
    own[spatial + d] += pads[rank + 2 + d];
  }
  consumer.attrs.set("pads", own);
  (void)g;
  return true;
}

void fold_pad(Graph &g, PassContext &) {
  std::vector<int> uses = g.use_counts();
  std::vector<char> drop(g.nodes.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    Node &pad = g.nodes[i];
    std::vector<int64_t> pads;
    if (pad.op != "Pad" || pad.outputs.size() != 1 || !zero_pads(g, pad, pads)) continue;
    TensorId out = pad.outputs[0];
    bool all_zero = true;
    for (int64_t p : pads) all_zero &= p == 0;
    if (all_zero) {
      g.replace_uses(out, pad.inputs[0]);
      drop[i] = 1;
      continue;
    }
    if (uses[size_t(out)] != 1 || g.is_graph_output(out)) continue;
    for (size_t j = i + 1; j < g.nodes.size(); ++j) {
      Node &c = g.nodes[j];
      if (c.inputs.empty() || c.inputs[0] != out) continue;
      if (fold_into(g, c, pads)) {
        c.inputs[0] = pad.inputs[0];
        drop[i] = 1;
      }
      break;
    }
  }
  std::vector<Node> kept;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!drop[i]) kept.push_back(std::move(g.nodes[i]));
  g.nodes = std::move(kept);
}

}  // namespace

MTC_REGISTER_PASS({"fold-pad", "fold zero Pad into Conv / AveragePool pads", fold_pad})

}  // namespace mtc
