// Region arithmetic and stage discovery for patch-based inference (see patch_plan.h).
#include "memory/patch_plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "ops/quantize_linear.h"
#include "support/error.h"

namespace mtc {

SpanNeed window_input_span(const WindowGeometry &g, size_t axis, Span out) {
  const int64_t s = g.stride[axis], extent = (g.kernel[axis] - 1) * g.dilation[axis] + 1;
  // Padded-input coordinates of the first row the first window reads and one past the last row
  // the last window reads; the rows outside [0, in) are padding.
  const int64_t first = out.begin * s - g.pad_begin[axis], last = (out.end - 1) * s - g.pad_begin[axis] + extent;
  SpanNeed need;
  need.in.begin = std::clamp<int64_t>(first, 0, g.in[axis]);
  need.in.end = std::clamp<int64_t>(last, 0, g.in[axis]);
  need.pad_begin = need.in.begin - first;
  need.pad_end = last - need.in.end;
  return need;
}

std::vector<Span> split_axis(int64_t size, int n) {
  std::vector<Span> spans;
  for (int i = 0; i < n; ++i) spans.push_back({i * size / n, (i + 1) * size / n});
  return spans;
}

namespace {

// Ops computing y[i] from x[i] alone (the constant operands are scalars or lookup tables).
const std::set<std::string> &elementwise_ops() {
  static const std::set<std::string> ops = {
      "Relu", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Clip", "Exp", "Log", "Sqrt", "Neg",
      "Abs", "Reciprocal", "Floor", "Ceil", "Erf", "Softplus", "Softsign", "Elu", "Selu", "Sin", "Cos",
      "Sign", "Round", "QLookup", "U8ToI8", "I8ToU8", "QuantizeLinear", "DequantizeLinear"};
  return ops;
}

const std::set<std::string> &window_ops() {
  static const std::set<std::string> ops = {"Conv", "QConv", "MaxPool", "AveragePool", "QAveragePool"};
  return ops;
}

// Whether node n can join the stage whose tensors so far are `inside`; fills `layer`, or says why
// not in `why`.
bool eligible(const Graph &g, const Node &n, const std::set<TensorId> &inside, StageLayer &layer, std::string &why) {
  const bool window = window_ops().count(n.op) != 0, join = n.op == "Add" || n.op == "QAdd";
  if (!window && !join && !elementwise_ops().count(n.op)) {
    why = "its operator has no local receptive field the patch stage can tile";
    return false;
  }
  const size_t reads = join ? 2 : 1;
  if (n.inputs.size() < reads) {
    why = "it has too few inputs";
    return false;
  }
  // a QConv's fused residual (quant/qbinary_params.h) is read elementwise at the output's positions
  const bool residual = n.op == "QConv" && n.has_input(3);
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    const TensorId t = n.inputs[i];
    if (i < reads || (residual && i == 3)) {
      if (t == kNoTensor || !inside.count(t)) {
        why = "it reads a tensor computed outside the stage";
        return false;
      }
      layer.reads.push_back(t);
      layer.slots.push_back(i);
      layer.at_output.push_back(!window || i == 3);
    } else if (t != kNoTensor && !g.tensor(t).is_constant()) {
      why = "it has a second input computed at run time";
      return false;
    }
  }
  if (n.outputs.size() != 1 || n.outputs[0] == kNoTensor) {
    why = "it has more than one output";
    return false;
  }
  const Shape &xs = g.tensor(n.inputs[0]).shape, &ys = g.tensor(n.outputs[0]).shape;
  if (xs.size() != 4 || ys.size() != 4) {
    why = "its input or output is not a 4-D N, C, H, W tensor";
    return false;
  }
  layer.window = window;
  if (!window) {
    for (TensorId t : layer.reads)
      if (g.tensor(t).shape != ys) {
        why = "its output shape differs from its input shape";
        return false;
      }
    if (n.op == "QuantizeLinear" || n.op == "DequantizeLinear") {
      QuantLayout l;
      const Shape *zp = n.has_input(2) ? &g.tensor(n.inputs[2]).shape : nullptr;
      if (n.inputs.size() < 2 || !quant_layout(n, xs, g.tensor(n.inputs[1]).shape, zp, l, why)) return false;
      if (l.channels > 1 && l.inner != xs[2] * xs[3]) {
        why = "it quantizes per spatial position";
        return false;
      }
    }
    return true;
  }
  if (n.op == "Conv" || n.op == "QConv") {
    if (n.inputs.size() < 2 || !conv_window(n.attrs, xs, g.tensor(n.inputs[1]).shape, layer.geom, why)) return false;
  } else {
    if (!pool_window(n.attrs, xs, layer.geom, why)) return false;
    // With ceil_mode a last window may run past pad_end, and how such a window's divisor counts
    // is not something a patch's explicit pads can reproduce.
    if (n.op != "MaxPool" && n.attrs.get_int("count_include_pad", 0) != 0 && n.attrs.get_int("ceil_mode", 0) != 0) {
      why = "it is an average pool with ceil_mode and count_include_pad";
      return false;
    }
  }
  return true;
}

}  // namespace

PatchStage find_patch_stage(const Graph &g) {
  PatchStage s;
  int first = -1;
  for (size_t i = 0; i < g.nodes.size() && first < 0; ++i)
    if (!g.nodes[i].inputs.empty() && g.nodes[i].inputs[0] != kNoTensor && g.is_graph_input(g.nodes[i].inputs[0]))
      first = int(i);
  if (first < 0) {
    s.stop = "no node reads a graph input as its first operand";
    return s;
  }
  s.input = g.nodes[size_t(first)].inputs[0];
  const std::vector<int> uses = g.use_counts();
  std::set<TensorId> inside = {s.input};
  std::map<TensorId, int> unread;  // stage tensors with readers not yet in the stage
  for (size_t i = size_t(first); i < g.nodes.size(); ++i) {
    const Node &n = g.nodes[i];
    StageLayer layer;
    std::string why;
    if (!eligible(g, n, inside, layer, why)) {
      s.stop = g.describe(n) + ": " + why;
      return s;
    }
    layer.node = int(i);
    for (TensorId t : layer.reads)
      if (t != s.input && --unread[t] == 0) unread.erase(t);
    const TensorId y = n.outputs[0];
    s.layers.push_back(layer);
    inside.insert(y);
    if (g.is_graph_output(y) || uses[size_t(y)] == 0) {
      s.stop = g.describe(n) + ": its output " + quote_name(g.tensor(y).name) + " is a graph output or unread";
      return s;
    }
    unread[y] = uses[size_t(y)];
    if (unread.size() == 1) s.ends.push_back(int(s.layers.size()));
  }
  s.stop = "the stage reaches the end of the graph";
  return s;
}

namespace {

void widen(Span (&have)[2], const Span (&need)[2], bool first) {
  for (size_t a = 0; a < 2; ++a)
    have[a] = first ? need[a] : Span{std::min(have[a].begin, need[a].begin), std::max(have[a].end, need[a].end)};
}

}  // namespace

bool patch_regions(const Graph &g, const PatchStage &s, int depth, int n,
                   std::vector<std::vector<LayerPatch>> &out, std::string &why) {
  out.clear();
  if (std::find(s.ends.begin(), s.ends.end(), depth) == s.ends.end()) {
    why = "the stage cannot end after " + std::to_string(depth) + " layers (a tensor inside is read after it)";
    return false;
  }
  const Shape &t = g.tensor(g.nodes[size_t(s.layers[size_t(depth - 1)].node)].outputs[0]).shape;
  if (n < 1 || n > t[2] || n > t[3]) {
    why = "a " + std::to_string(n) + " x " + std::to_string(n) + " grid is finer than the " + std::to_string(t[2]) +
          " x " + std::to_string(t[3]) + " plane of the stage's last tensor";
    return false;
  }
  const std::vector<Span> rows = split_axis(t[2], n), cols = split_axis(t[3], n);
  for (int pr = 0; pr < n; ++pr)
    for (int pc = 0; pc < n; ++pc) {
      std::vector<LayerPatch> layers(static_cast<size_t>(depth));
      // Per stage tensor, the bounding box of what its readers need; complete when its producer is
      // reached, the layers being visited in reverse execution order.
      std::map<TensorId, LayerPatch> need;
      Span whole_t[2] = {rows[size_t(pr)], cols[size_t(pc)]};
      widen(need[g.nodes[size_t(s.layers[size_t(depth - 1)].node)].outputs[0]].out, whole_t, true);
      for (int l = depth - 1; l >= 0; --l) {
        const StageLayer &layer = s.layers[size_t(l)];
        LayerPatch &lp = layers[size_t(l)];
        auto it = need.find(g.nodes[size_t(layer.node)].outputs[0]);
        if (it == need.end()) {
          why = "internal: " + g.describe(g.nodes[size_t(layer.node)]) + " has no reader in the stage";
          return false;
        }
        for (size_t a = 0; a < 2; ++a) {
          lp.out[a] = it->second.out[a];
          if (layer.window) {
            SpanNeed sn = window_input_span(layer.geom, a, lp.out[a]);
            lp.in[a] = sn.in;
            lp.pad_begin[a] = sn.pad_begin;
            lp.pad_end[a] = sn.pad_end;
          } else {
            lp.in[a] = lp.out[a];
          }
          if (lp.in[a].size() <= 0) {
            why = "a patch of " + g.describe(g.nodes[size_t(layer.node)]) + " reads only padding";
            return false;
          }
        }
        for (size_t k = 0; k < layer.reads.size(); ++k)
          if (layer.reads[k] != s.input) {
            const bool first = !need.count(layer.reads[k]);
            if (layer.at_output[k])
              widen(need[layer.reads[k]].out, lp.out, first);
            else
              widen(need[layer.reads[k]].out, lp.in, first);
          }
      }
      out.push_back(std::move(layers));
    }
  return true;
}

}  // namespace mtc
