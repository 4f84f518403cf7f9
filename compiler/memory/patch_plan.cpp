// Region arithmetic and stage discovery for patch-based inference (see patch_plan.h).
#include "memory/patch_plan.h"

#include <algorithm>
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

// Whether node n can join the stage reading `x`; fills `layer`, or says why not in `why`.
bool eligible(const Graph &g, const Node &n, TensorId x, StageLayer &layer, std::string &why) {
  const bool window = window_ops().count(n.op) != 0;
  if (!window && !elementwise_ops().count(n.op)) {
    why = "its operator has no local receptive field the patch stage can tile";
    return false;
  }
  if (n.inputs.empty() || n.inputs[0] != x) {
    why = "it reads the stage's tensor other than as its first input";
    return false;
  }
  for (size_t i = 1; i < n.inputs.size(); ++i)
    if (n.inputs[i] != kNoTensor && !g.tensor(n.inputs[i]).is_constant()) {
      why = "it has a second input computed at run time";
      return false;
    }
  if (n.outputs.size() != 1 || n.outputs[0] == kNoTensor) {
    why = "it has more than one output";
    return false;
  }
  const Shape &xs = g.tensor(x).shape, &ys = g.tensor(n.outputs[0]).shape;
  if (xs.size() != 4 || ys.size() != 4) {
    why = "its input or output is not a 4-D N, C, H, W tensor";
    return false;
  }
  layer.window = window;
  if (!window) {
    if (xs != ys) {
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
  std::vector<std::vector<int>> readers(g.tensors.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (TensorId t : g.nodes[i].inputs)
      if (t != kNoTensor) readers[size_t(t)].push_back(int(i));
  TensorId x = s.input;
  int node = first;
  while (true) {
    const Node &n = g.nodes[size_t(node)];
    StageLayer layer;
    std::string why;
    if (!eligible(g, n, x, layer, why)) {
      s.stop = g.describe(n) + ": " + why;
      return s;
    }
    layer.node = node;
    s.layers.push_back(layer);
    x = n.outputs[0];
    if (g.is_graph_output(x) || uses[size_t(x)] != 1 || readers[size_t(x)].size() != 1) {
      s.stop = g.describe(n) + ": its output " + quote_name(g.tensor(x).name) +
               " is read more than once or is a graph output, so the stage ends there";
      return s;
    }
    node = readers[size_t(x)][0];
  }
}

bool patch_regions(const Graph &g, const PatchStage &s, int depth, int n,
                   std::vector<std::vector<LayerPatch>> &out, std::string &why) {
  out.clear();
  if (depth < 1 || size_t(depth) > s.layers.size()) {
    why = "stage depth out of range";
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
      Span want[2] = {rows[size_t(pr)], cols[size_t(pc)]};
      for (int l = depth - 1; l >= 0; --l) {
        const StageLayer &layer = s.layers[size_t(l)];
        LayerPatch &lp = layers[size_t(l)];
        for (size_t a = 0; a < 2; ++a) {
          lp.out[a] = want[a];
          if (layer.window) {
            SpanNeed need = window_input_span(layer.geom, a, want[a]);
            lp.in[a] = need.in;
            lp.pad_begin[a] = need.pad_begin;
            lp.pad_end[a] = need.pad_end;
          } else {
            lp.in[a] = want[a];
          }
          if (lp.in[a].size() <= 0) {
            why = "a patch of " + g.describe(g.nodes[size_t(layer.node)]) + " reads only padding";
            return false;
          }
          want[a] = lp.in[a];
        }
      }
      out.push_back(std::move(layers));
    }
  return true;
}

}  // namespace mtc
