// QDQ form: DequantizeLinear -> float op [-> Relu/Clip] -> QuantizeLinear becomes the int8 op with
// the model's own parameters (which must be constants), rounding as onnxruntime does ("requant" 1).
// Runs before fold-constants, which would otherwise fold DequantizeLinear of the int8 weights into
// float weights. What does not match stays as DequantizeLinear / float op / QuantizeLinear.
#include <cmath>
#include <map>
#include <set>

#include "ops/activation.h"
#include "passes/pass.h"
#include "quant/given_quant.h"

namespace mtc {

namespace {

bool same_params(const GivenQuant &a, const GivenQuant &b) { return a.type == b.type && a.q == b.q; }

class QdqFuser {
public:
  explicit QdqFuser(Graph &g) : g_(g), old_(g.nodes), producer_(g.producers()) {
    for (size_t i = 0; i < old_.size(); ++i)
      for (TensorId t : old_[i].inputs)
        if (t != kNoTensor) readers_[t].push_back(i);
  }

  void run() {
    std::vector<Node> out;
    for (size_t i = 0; i < old_.size(); ++i) {
      if (removed_.count(i)) continue;
      std::vector<Node> fused;
      if (try_fuse(i, fused)) {
        for (Node &f : fused) out.push_back(std::move(f));
        continue;
      }
      out.push_back(old_[i]);
    }
    g_.nodes = std::move(out);
    g_.sort_topologically();
    g_.remove_dead_nodes();
  }

private:
  Graph &g_;
  std::vector<Node> old_;
  std::vector<int> producer_;
  std::map<TensorId, std::vector<size_t>> readers_;
  std::set<size_t> removed_;

  struct Output {
    size_t quantize = 0;           // the QuantizeLinear node
    std::vector<size_t> absorbed;  // the activation node, if any
    Activation act;
    TensorId y = kNoTensor;        // the QuantizeLinear output
    GivenQuant gq;
  };

  const std::vector<size_t> &readers(TensorId t) {
    static const std::vector<size_t> none;
    auto it = readers_.find(t);
    return it == readers_.end() ? none : it->second;
  }

  // The single reader of t, or -1 (several readers, or t is a graph output).
  int only_reader(TensorId t) {
    if (t == kNoTensor || g_.is_graph_output(t) || readers(t).size() != 1) return -1;
    size_t r = readers(t)[0];
    return removed_.count(r) ? -1 : int(r);
  }

  bool constant(size_t node, size_t input) const {
    const Node &n = old_[node];
    return !n.has_input(input) || g_.tensor(n.inputs[input]).is_constant();
  }

  // n's first output goes only to QuantizeLinear (through one Relu/Clip when allow_act).
  bool match_output(const Node &n, bool allow_act, Output &o) {
    for (size_t k = 1; k < n.outputs.size(); ++k)
      if (n.outputs[k] != kNoTensor && (!readers(n.outputs[k]).empty() || g_.is_graph_output(n.outputs[k])))
        return false;
    int r = only_reader(n.outputs[0]);
    if (r < 0) return false;
    if (allow_act && (old_[size_t(r)].op == "Relu" || old_[size_t(r)].op == "Clip")) {
      if (!constant(size_t(r), 1) || !constant(size_t(r), 2)) return false;
      o.act = standalone_activation(g_, old_[size_t(r)]);
      o.absorbed.push_back(size_t(r));
      r = only_reader(old_[size_t(r)].outputs[0]);
      if (r < 0) return false;
    }
    const Node &q = old_[size_t(r)];
    if (q.op != "QuantizeLinear" || !q.has_input(2)) return false;
    std::string why;
    if (!read_given_quant(g_, kNoTensor, q.inputs[1], q.inputs[2], -1, o.gq, why)) return false;
    o.quantize = size_t(r);
    o.y = q.outputs[0];
    return true;
  }

  // t is DequantizeLinear(src) with constant parameters; weight_axis >= 0 allows per-axis ones
  // along that axis of src only.
  bool match_input(TensorId t, int weight_axis, TensorId &src, GivenQuant &gq) {
    if (t == kNoTensor || producer_[size_t(t)] < 0) return false;
    const Node &d = old_[size_t(producer_[size_t(t)])];
    if (d.op != "DequantizeLinear") return false;
    src = d.inputs[0];
    int axis = -1;
    if (weight_axis >= 0) {
      if (!g_.tensor(src).is_constant()) return false;
      int64_t rank = int64_t(g_.tensor(src).constant->shape.size());
      int64_t a = d.attrs.get_int("axis", 1);
      axis = int(a < 0 ? a + rank : a);
    }
    std::string why;
    if (!read_given_quant(g_, src, d.inputs[1], d.has_input(2) ? d.inputs[2] : kNoTensor, axis, gq, why)) return false;
    if (gq.q.per_axis() && gq.q.axis != weight_axis) return false;
    // One tensor cannot carry two parameter sets.
    const Tensor &s = g_.tensor(src);
    return !s.quant || s.quant == gq.q;
  }

  // The int32 bias of a Conv / Gemm: DequantizeLinear of an int32 constant with scale x*w[c] (its
  // values as given), or a float constant quantized with that scale.
  bool match_bias(TensorId t, const QuantParams &x, const QuantParams &w, int64_t channels, TensorId &bias) {
    std::vector<float> expect;
    for (int64_t c = 0; c < channels; ++c) expect.push_back(x.scale[0] * w.scale_at(size_t(c)));
    if (g_.tensor(t).is_constant() && g_.tensor(t).dtype == DType::F32) {
      std::vector<float> b = g_.tensor(t).constant->to_f32();
      if (int64_t(b.size()) != channels) return false;
      Value v(DType::I32, {channels});
      for (int64_t c = 0; c < channels; ++c) {
        double r = std::nearbyint(double(b[size_t(c)]) / double(expect[size_t(c)]));
        if (!(std::fabs(r) < 2147483647.0)) return false;
        v.data<int32_t>()[c] = int32_t(r);
      }
      bias = g_.add_constant(g_.tensor(t).name + "/int32", std::move(v));
      return true;
    }
    if (producer_[size_t(t)] < 0) return false;
    const Node &d = old_[size_t(producer_[size_t(t)])];
    if (d.op != "DequantizeLinear" || !g_.tensor(d.inputs[0]).is_constant()) return false;
    const Value &v = *g_.tensor(d.inputs[0]).constant;
    if (v.dtype != DType::I32 || v.elements() != channels || !g_.tensor(d.inputs[1]).is_constant()) return false;
    if (d.has_input(2)) {
      if (!g_.tensor(d.inputs[2]).is_constant()) return false;
      const Value &z = *g_.tensor(d.inputs[2]).constant;
      for (int64_t i = 0; i < z.elements(); ++i)
        if (z.get_i64(i) != 0) return false;
    }
    std::vector<float> s = g_.tensor(d.inputs[1]).constant->to_f32();
    for (int64_t c = 0; c < channels; ++c) {
      float given = s[s.size() == 1 ? 0 : size_t(c)];
      if (std::fabs(given - expect[size_t(c)]) > 1e-6f * expect[size_t(c)]) return false;
    }
    bias = d.inputs[0];
    return true;
  }

  Node make(const Node &n, const std::string &op, std::vector<TensorId> ins, bool requant) {
    Node m;
    m.op = op;
    m.name = n.name;
    m.inputs = std::move(ins);
    if (requant) m.attrs.set("requant", int64_t(1));
    return m;
  }

  // Emits the new int8 node writing the QuantizeLinear output, marking the replaced nodes removed.
  void finish(Node m, const Output &o, std::vector<Node> &pre, std::vector<Node> &out) {
    if (!o.act.kind.empty()) set_fused_activation(m.attrs, o.act);
    std::vector<Node> after;
    m.outputs = {int8_output(g_, o.y, o.gq, m.name + "/int8", after)};
    removed_.insert(o.quantize);
    for (size_t a : o.absorbed) removed_.insert(a);
    for (Node &p : pre) out.push_back(std::move(p));
    out.push_back(std::move(m));
    for (Node &a : after) out.push_back(std::move(a));
  }

  bool try_fuse(size_t i, std::vector<Node> &out) {
    const Node &n = old_[i];
    if (n.outputs.empty() || n.inputs.empty()) return false;
    const std::string &op = n.op;
    if (op == "Conv") return fuse_conv(n, out);
    if (op == "MatMul" || op == "Gemm") return fuse_gemm(n, out);
    if (op == "Add" || op == "Mul") return fuse_binary(n, out);
    if (op == "GlobalAveragePool") return fuse_unary(n, "QGlobalAveragePool", false, true, out);
    if (op == "AveragePool") return fuse_unary(n, "QAveragePool", true, false, out);
    if (op == "MaxPool" || op == "Reshape" || op == "Flatten" || op == "Transpose")
      return fuse_unary(n, op, true, false, out);
    return false;
  }

  bool fuse_conv(const Node &n, std::vector<Node> &out) {
    TensorId xs, ws;
    GivenQuant xq, wq;
    Output o;
    if (!match_input(n.inputs[0], -1, xs, xq) || !n.has_input(1) || !match_input(n.inputs[1], 0, ws, wq) ||
        !match_output(n, true, o))
      return false;
    int64_t channels = g_.tensor(ws).constant->shape.empty() ? 0 : g_.tensor(ws).constant->shape[0];
    TensorId bias = kNoTensor;
    if (n.has_input(2) && !match_bias(n.inputs[2], xq.q, wq.q, channels, bias)) return false;
    std::vector<Node> pre;
    TensorId x = int8_input(g_, xs, xq, n.name + "/x_int8", pre);
    TensorId w = int8_constant(g_, ws, wq, n.name + "/w_int8");
    Node m = make(n, "QConv", {x, w}, true);
    if (bias != kNoTensor) m.inputs.push_back(bias);
    for (const auto &[k, v] : n.attrs.all()) m.attrs.set(k, v);
    finish(std::move(m), o, pre, out);
    return true;
  }

  bool fuse_gemm(const Node &n, std::vector<Node> &out) {
    bool gemm = n.op == "Gemm";
    if (gemm && (n.attrs.get_int("transA", 0) != 0 || n.attrs.get_float("alpha", 1.f) != 1.f ||
                 n.attrs.get_float("beta", 1.f) != 1.f))
      return false;
    bool trans_b = gemm && n.attrs.get_int("transB", 0) != 0;
    TensorId as, bs;
    GivenQuant aq, bq;
    Output o;
    if (!match_input(n.inputs[0], -1, as, aq) || !n.has_input(1) ||
        !match_input(n.inputs[1], trans_b ? 0 : 1, bs, bq) || !match_output(n, true, o))
      return false;
    Value b = *g_.tensor(bs).constant;
    if (b.shape.size() != 2) return false;
    if (trans_b) {  // to [K, N]; per-row parameters become per-column
      Value t(b.dtype, {b.shape[1], b.shape[0]});
      for (int64_t r = 0; r < b.shape[0]; ++r)
        for (int64_t c = 0; c < b.shape[1]; ++c) t.bytes[size_t(c * b.shape[0] + r)] = b.bytes[size_t(r * b.shape[1] + c)];
      b = std::move(t);
      if (bq.q.per_axis()) bq.q.axis = 1;
    }
    int64_t cols = b.shape[1];
    TensorId bias = kNoTensor;
    if (gemm && n.has_input(2) && !match_bias(n.inputs[2], aq.q, bq.q, cols, bias)) return false;
    std::vector<Node> pre;
    TensorId a = int8_input(g_, as, aq, n.name + "/a_int8", pre);
    TensorId src = g_.add_constant(n.name + "/b", std::move(b));
    TensorId w = int8_constant(g_, src, bq, n.name + "/b_int8");
    Node m = make(n, "QGemm", {a, w}, true);
    if (bias != kNoTensor) m.inputs.push_back(bias);
    finish(std::move(m), o, pre, out);
    return true;
  }

  bool fuse_binary(const Node &n, std::vector<Node> &out) {
    TensorId as, bs;
    GivenQuant aq, bq;
    Output o;
    if (n.inputs.size() != 2 || !match_input(n.inputs[0], -1, as, aq) || !match_input(n.inputs[1], -1, bs, bq) ||
        !match_output(n, true, o))
      return false;
    if (as == bs && !same_params(aq, bq)) return false;
    std::vector<Node> pre;
    TensorId a = int8_input(g_, as, aq, n.name + "/a_int8", pre);
    TensorId b = as == bs ? a : int8_input(g_, bs, bq, n.name + "/b_int8", pre);
    Node m = make(n, n.op == "Add" ? "QAdd" : "QMul", {a, b}, true);
    finish(std::move(m), o, pre, out);
    return true;
  }

  // One int8 data input (the others, e.g. Reshape's shape, kept); `same` requires the output
  // parameters to equal the input's (ops that only move or pick values).
  bool fuse_unary(const Node &n, const std::string &op, bool same, bool requant, std::vector<Node> &out) {
    TensorId xs;
    GivenQuant xq;
    Output o;
    if (!match_input(n.inputs[0], -1, xs, xq) || !match_output(n, false, o)) return false;
    if (same && !(xq.q == o.gq.q && xq.type == o.gq.type)) return false;
    std::vector<Node> pre;
    Node m = make(n, op, n.inputs, requant);
    if (!requant)
      for (const auto &[k, v] : n.attrs.all()) m.attrs.set(k, v);
    m.inputs[0] = int8_input(g_, xs, xq, n.name + "/x_int8", pre);
    finish(std::move(m), o, pre, out);
    return true;
  }
};

}  // namespace

// It runs on the graph as imported (before shapes are inferred) and leaves it inferred and folded,
// as fold-constants does, so it can stand first in a pipeline (see load_model).
MTC_REGISTER_PASS({"fuse-qdq", "DequantizeLinear -> float op -> QuantizeLinear into int8 ops",
                   [](Graph &g, PassContext &) {
                     QdqFuser(g).run();
                     infer_and_fold(g);
                   }})

}  // namespace mtc
