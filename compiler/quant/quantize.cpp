#include "quant/quantize.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "eval/evaluator.h"
#include "ops/activation.h"
#include "ops/op.h"
#include "passes/fuse_dequantize_softmax.h"
#include "passes/fuse_residual_add.h"
#include "support/error.h"

namespace mtc {

namespace {

QuantParams activation_params(float lo, float hi) {
  lo = std::min(lo, 0.f);
  hi = std::max(hi, 0.f);
  if (!(hi - lo > 1e-20f)) hi = lo + 1e-6f;  // a constant-zero tensor: any scale represents it
  float scale = (hi - lo) / 255.f;
  double zp = std::round(-128.0 - double(lo) / double(scale));
  return per_tensor_quant(scale, int32_t(std::clamp(zp, -128.0, 127.0)));
}

int8_t quantize_value(float v, const QuantParams &q, size_t slice = 0) {
  double r = std::round(double(v) / double(q.scale_at(slice))) + q.zero_point_at(slice);
  return int8_t(std::clamp(r, -128.0, 127.0));
}

bool is_clamp_activation(const Activation &a) { return a.kind.empty() || a.kind == "Relu" || a.kind == "Clip"; }

bool is_pool(const std::string &op) {
  return op == "MaxPool" || op == "AveragePool" || op == "GlobalAveragePool" || op == "GlobalMaxPool";
}

// Splits fused activations the int8 kernels cannot apply (anything but a clamp, and any activation
// on pooling) into standalone nodes, so calibration sees the tensor before the activation.
void unfuse_activations(Graph &g) {
  std::vector<Node> out;
  for (Node n : g.nodes) {
    Activation a = fused_activation(n.attrs);
    if (a.kind.empty() || (is_clamp_activation(a) && !is_pool(n.op)) || n.outputs.empty()) {
      out.push_back(std::move(n));
      continue;
    }
    TensorId y = n.outputs[0];
    TensorId pre = g.add_tensor(g.tensor(y).name + "/pre_activation", DType::F32);
    g.tensor(pre).shape = g.tensor(y).shape;
    g.tensor(pre).shape_known = true;
    n.outputs[0] = pre;
    n.attrs.erase("activation");
    n.attrs.erase("activation_alpha");
    n.attrs.erase("activation_beta");
    Node act;
    act.op = a.kind;
    act.name = n.name + "/" + a.kind;
    act.inputs = {pre};
    act.outputs = {y};
    if (a.kind == "Clip") {
      act.inputs.push_back(g.add_constant(act.name + "/min", Value::scalar_f32(a.alpha)));
      act.inputs.push_back(g.add_constant(act.name + "/max", Value::scalar_f32(a.beta)));
    } else if (a.kind == "LeakyRelu") {
      act.attrs.set("alpha", a.alpha);
    } else if (a.kind == "HardSigmoid") {
      act.attrs.set("alpha", a.alpha);
      act.attrs.set("beta", a.beta);
    }
    out.push_back(std::move(n));
    out.push_back(std::move(act));
  }
  g.nodes = std::move(out);
}

const std::set<std::string> &lookup_ops() {
  static const std::set<std::string> ops = {
      "Relu", "Clip", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Exp", "Log", "Sqrt", "Neg",
      "Abs", "Reciprocal", "Floor", "Ceil", "Erf", "Softplus", "Softsign", "Elu", "Selu", "Sin", "Cos", "Sign",
      "Round", "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Identity"};
  return ops;
}

const std::set<std::string> &view_ops() {
  static const std::set<std::string> ops = {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Identity"};
  return ops;
}

class Rewriter {
public:
  Rewriter(Graph &g, const std::vector<std::optional<QuantParams>> &params, QuantizeReport &report)
      : g_(g), params_(params), report_(report) {}

  void run(bool int8_io) {
    if (int8_io)
      for (TensorId &in : g_.inputs) {
        if (g_.tensor(in).dtype != DType::F32 || !params_[size_t(in)]) continue;
        TensorId q = new_int8(in, *params_[size_t(in)], "");
        calibrated_used.push_back(in);
        replaced_.insert(in);
        std::swap(in, q);  // the graph input is now the int8 tensor
        twin_[q] = in;
      }
    std::vector<Node> nodes = std::move(g_.nodes);
    g_.nodes.clear();
    for (Node &n : nodes) {
      std::string why;
      if (!try_quantize(n, why)) {
        for (TensorId &i : n.inputs)
          if (i != kNoTensor) i = float_of(i);
        report_.float_nodes.push_back(g_.describe(n) + ": " + why);
        g_.nodes.push_back(std::move(n));
      } else {
        ++report_.int8_nodes;
      }
    }
    for (TensorId &o : g_.outputs) {
      if (!replaced_.count(o)) continue;
      if (int8_io) o = twin_.at(o);
      else o = float_of(o);
    }
  }

private:
  Graph &g_;
  const std::vector<std::optional<QuantParams>> &params_;
  QuantizeReport &report_;
  std::map<TensorId, TensorId> twin_;  // float tensor -> its int8 version
  std::set<TensorId> replaced_;        // float tensors whose producer now computes in int8
  std::set<TensorId> dequantized_;

public:
  std::vector<TensorId> calibrated_used;  // float tensors whose calibrated parameters an int8 tensor uses

private:

  TensorId new_int8(TensorId f, QuantParams q, const char *suffix) {  // by value: add_tensor moves tensors
    TensorId t = g_.add_tensor(g_.tensor(f).name + suffix, DType::I8);
    Tensor &tt = g_.tensor(t);
    tt.shape = g_.tensor(f).shape;
    tt.shape_known = true;
    tt.quant = std::move(q);
    return t;
  }

  TensorId scalar_constant(const std::string &name, Value v) { return g_.add_constant(name, std::move(v)); }

  Value int8_scalar(int32_t v) {
    Value z(DType::I8, {});
    z.data<int8_t>()[0] = int8_t(v);
    return z;
  }

  // The int8 version of float tensor f, quantizing it where needed.
  TensorId quantized(TensorId f) {
    auto it = twin_.find(f);
    if (it != twin_.end()) return it->second;
    const Tensor &t = g_.tensor(f);
    if (t.is_constant()) {
      std::vector<float> v = t.constant->to_f32();
      float lo = 0.f, hi = 0.f;
      for (float x : v) lo = std::min(lo, x), hi = std::max(hi, x);
      QuantParams q = activation_params(lo, hi);
      Value c(DType::I8, t.shape);
      for (size_t i = 0; i < v.size(); ++i) c.data<int8_t>()[i] = quantize_value(v[i], q);
      TensorId id = g_.add_constant(t.name + "/int8", std::move(c));
      g_.tensor(id).quant = q;
      twin_[f] = id;
      return id;
    }
    if (!params_[size_t(f)]) throw CompileError("quantize: no calibration range for " + g_.describe_tensor(f));
    QuantParams p = *params_[size_t(f)];
    calibrated_used.push_back(f);
    TensorId q = new_int8(f, p, "/int8");
    Node n;
    n.op = "QuantizeLinear";
    n.name = g_.tensor(f).name + "/quantize";
    TensorId src = float_of(f);
    TensorId scale = scalar_constant(n.name + "/scale", Value::scalar_f32(p.scale[0]));
    TensorId zp = scalar_constant(n.name + "/zero_point", int8_scalar(p.zero_point[0]));
    n.inputs = {src, scale, zp};
    n.outputs = {q};
    g_.nodes.push_back(std::move(n));
    twin_[f] = q;
    return q;
  }

  // The float tensor f, dequantizing its int8 version where its producer became int8.
  TensorId float_of(TensorId f) {
    if (!replaced_.count(f) || dequantized_.count(f)) return f;
    TensorId q = twin_.at(f);
    QuantParams p = *g_.tensor(q).quant;
    Node n;
    n.op = "DequantizeLinear";
    n.name = g_.tensor(f).name + "/dequantize";
    TensorId scale = scalar_constant(n.name + "/scale", Value::scalar_f32(p.scale[0]));
    TensorId zp = scalar_constant(n.name + "/zero_point", int8_scalar(p.zero_point[0]));
    n.inputs = {q, scale, zp};
    n.outputs = {f};
    g_.nodes.push_back(std::move(n));
    dequantized_.insert(f);
    return f;
  }

  // Declares float output y of a node as computed in int8 into a new tensor with parameters q.
  TensorId int8_output(TensorId y, QuantParams q) {
    if (params_[size_t(y)] && *params_[size_t(y)] == q) calibrated_used.push_back(y);
    TensorId t = new_int8(y, q, "/int8");
    twin_[y] = t;
    replaced_.insert(y);
    return t;
  }

  const QuantParams *calibrated(TensorId id) const {
    return params_[size_t(id)] ? &*params_[size_t(id)] : nullptr;
  }

  bool float_tensor(TensorId id) const { return id != kNoTensor && g_.tensor(id).dtype == DType::F32; }

  // Per-output-channel symmetric int8 weights along `axis` of a float constant.
  TensorId quantize_weights(const Value &w, const std::string &name, int axis) {
    int64_t channels = w.shape[size_t(axis)];
    int64_t inner = 1;
    for (size_t d = size_t(axis) + 1; d < w.shape.size(); ++d) inner *= w.shape[d];
    const float *p = w.data<float>();
    int64_t total = w.elements();
    QuantParams q;
    q.axis = axis;
    q.scale.assign(size_t(channels), 0.f);
    q.zero_point.assign(size_t(channels), 0);
    std::vector<float> amax(size_t(channels), 0.f);
    for (int64_t i = 0; i < total; ++i) {
      size_t c = size_t((i / inner) % channels);
      amax[c] = std::max(amax[c], std::fabs(p[i]));
    }
    for (size_t c = 0; c < size_t(channels); ++c) q.scale[c] = amax[c] > 0.f ? amax[c] / 127.f : 1.f;
    Value v(DType::I8, w.shape);
    for (int64_t i = 0; i < total; ++i) {
      size_t c = size_t((i / inner) % channels);
      double r = std::round(double(p[i]) / double(q.scale[c]));
      v.data<int8_t>()[i] = int8_t(std::clamp(r, -127.0, 127.0));
    }
    TensorId id = g_.add_constant(name + "/int8", std::move(v));
    g_.tensor(id).quant = q;
    return id;
  }

  TensorId quantize_bias(const std::vector<float> &b, const std::string &name, const QuantParams &x,
                         const QuantParams &w) {
    Value v(DType::I32, {int64_t(b.size())});
    for (size_t c = 0; c < b.size(); ++c) {
      double r = std::round(double(b[c]) / (double(x.scale[0]) * double(w.scale_at(c))));
      v.data<int32_t>()[c] = int32_t(std::clamp(r, -2147483648.0, 2147483647.0));
    }
    return g_.add_constant(name + "/int32", std::move(v));
  }

  void push(Node n) { g_.nodes.push_back(std::move(n)); }

  bool try_quantize(Node &n, std::string &why) {
    if (n.outputs.size() != 1 || !float_tensor(n.outputs[0])) return why = "no float output", false;
    if (!is_clamp_activation(fused_activation(n.attrs))) return why = "activation is not a clamp", false;
    if (n.op == "Conv") return quantize_conv(n, why);
    if (n.op == "Gemm" || n.op == "MatMul") return quantize_gemm(n, why);
    if (n.op == "Add" || n.op == "Mul") {
      if (quantize_binary(n)) return true;
    }
    if (n.op == "MaxPool" || n.op == "AveragePool") return quantize_window_pool(n, why);
    if (n.op == "GlobalAveragePool") return quantize_global_pool(n);
    if (n.op == "Concat") return quantize_concat(n, why);
    if (view_ops().count(n.op) && twin_.count(n.inputs[0])) return quantize_view(n);
    if (lookup_ops().count(n.op)) return quantize_lookup(n, why);
    return why = "no int8 kernel", false;
  }

  bool quantize_conv(Node &n, std::string &why) {
    const Tensor w = g_.tensor(n.inputs[1]);  // a copy: quantizing the input adds tensors
    if (!w.is_constant() || g_.tensor(n.inputs[0]).is_constant()) return why = "weights not constant", false;
    if (n.has_input(2) && !g_.tensor(n.inputs[2]).is_constant()) return why = "bias not constant", false;
    const QuantParams *yq = calibrated(n.outputs[0]);
    if (!yq) return why = "output not calibrated", false;
    Node q;
    q.op = "QConv";
    q.name = n.name;
    q.attrs = n.attrs;
    q.attrs.set("requant", int64_t(2));  // one rounding where the multipliers fit
    TensorId x = quantized(n.inputs[0]);
    TensorId wq = quantize_weights(*w.constant, w.name, 0);
    q.inputs = {x, wq};
    if (n.has_input(2)) {
      QuantParams xq = *g_.tensor(x).quant, wqp = *g_.tensor(wq).quant;
      std::string bname = g_.tensor(n.inputs[2]).name;
      q.inputs.push_back(quantize_bias(g_.tensor(n.inputs[2]).constant->to_f32(), bname, xq, wqp));
    }
    q.outputs = {int8_output(n.outputs[0], *yq)};
    push(std::move(q));
    return true;
  }

  bool quantize_gemm(Node &n, std::string &why) {
    const Tensor &a = g_.tensor(n.inputs[0]);
    const Tensor b = g_.tensor(n.inputs[1]);  // a copy: quantizing the input adds tensors
    if (a.is_constant() || !b.is_constant() || b.shape.size() != 2) return why = "needs constant 2-D weights", false;
    const QuantParams *yq = calibrated(n.outputs[0]);
    if (!yq) return why = "output not calibrated", false;
    bool gemm = n.op == "Gemm";
    if (gemm && n.attrs.get_int("transA", 0) != 0) return why = "transA", false;
    float alpha = gemm ? n.attrs.get_float("alpha", 1.f) : 1.f, beta = gemm ? n.attrs.get_float("beta", 1.f) : 1.f;
    bool trans_b = gemm && n.attrs.get_int("transB", 0) != 0;
    int64_t k = trans_b ? b.shape[1] : b.shape[0], cols = trans_b ? b.shape[0] : b.shape[1];
    std::vector<float> bias;
    if (n.has_input(2)) {
      const Tensor &c = g_.tensor(n.inputs[2]);
      if (!c.is_constant()) return why = "bias not constant", false;
      std::vector<float> cv = c.constant->to_f32();
      if (cv.size() != 1 && int64_t(cv.size()) != cols) return why = "bias is not a row vector", false;
      for (int64_t j = 0; j < cols; ++j) bias.push_back(beta * cv[cv.size() == 1 ? 0 : size_t(j)]);
    }
    // Weights as [K, N], scaled by alpha.
    Value w(DType::F32, {k, cols});
    const float *bp = b.constant->data<float>();
    for (int64_t i = 0; i < k; ++i)
      for (int64_t j = 0; j < cols; ++j) w.data<float>()[i * cols + j] = alpha * (trans_b ? bp[j * k + i] : bp[i * cols + j]);
    Node q;
    q.op = "QGemm";
    q.name = n.name;
    q.attrs.set("requant", int64_t(2));  // one rounding where the multipliers fit
    if (n.attrs.has("activation")) {
      set_fused_activation(q.attrs, fused_activation(n.attrs));
    }
    TensorId x = quantized(n.inputs[0]);
    TensorId wq = quantize_weights(w, b.name, 1);
    q.inputs = {x, wq};
    if (!bias.empty()) {
      QuantParams xq = *g_.tensor(x).quant, wqp = *g_.tensor(wq).quant;
      q.inputs.push_back(quantize_bias(bias, b.name + "/bias", xq, wqp));
    }
    q.outputs = {int8_output(n.outputs[0], *yq)};
    push(std::move(q));
    return true;
  }

  bool quantize_binary(Node &n) {
    if (n.inputs.size() != 2 || !float_tensor(n.inputs[0]) || !float_tensor(n.inputs[1])) return false;
    const Tensor &a = g_.tensor(n.inputs[0]), &b = g_.tensor(n.inputs[1]);
    if (a.is_constant() && b.is_constant()) return false;
    // A scalar constant operand: cheaper as a lookup table (handled by the caller's fallback).
    if ((a.is_constant() && a.constant->elements() == 1) || (b.is_constant() && b.constant->elements() == 1))
      return false;
    const QuantParams *yq = calibrated(n.outputs[0]);
    if (!yq) return false;
    Node q;
    q.op = n.op == "Add" ? "QAdd" : "QMul";
    q.name = n.name;
    q.attrs = n.attrs;
    // Add: one rounding of the two operands' sum where it is precise enough (quant/qbinary_params.h)
    q.attrs.set("requant", int64_t(n.op == "Add" ? 2 : 0));
    q.inputs = {quantized(n.inputs[0]), quantized(n.inputs[1])};
    q.outputs = {int8_output(n.outputs[0], *yq)};
    push(std::move(q));
    return true;
  }

  bool quantize_window_pool(Node &n, std::string &why) {
    if (!fused_activation(n.attrs).kind.empty()) return why = "fused activation", false;
    TensorId x = quantized(n.inputs[0]);
    Node q;
    q.op = n.op == "MaxPool" ? "MaxPool" : "QAveragePool";
    q.name = n.name;
    q.attrs = n.attrs;
    q.inputs = {x};
    q.outputs = {int8_output(n.outputs[0], *g_.tensor(x).quant)};
    push(std::move(q));
    return true;
  }

  bool quantize_global_pool(Node &n) {
    const QuantParams *yq = calibrated(n.outputs[0]);
    if (!yq) return false;
    Node q;
    q.op = "QGlobalAveragePool";
    q.name = n.name;
    q.attrs.set("requant", int64_t(0));
    q.inputs = {quantized(n.inputs[0])};
    q.outputs = {int8_output(n.outputs[0], *yq)};
    push(std::move(q));
    return true;
  }

  bool quantize_view(Node &n) {
    Node q = n;
    TensorId x = quantized(n.inputs[0]);
    q.inputs[0] = x;
    q.outputs = {int8_output(n.outputs[0], *g_.tensor(x).quant)};
    push(std::move(q));
    return true;
  }

  bool quantize_concat(Node &n, std::string &why) {
    const QuantParams *yq = calibrated(n.outputs[0]);
    if (!yq) return why = "output not calibrated", false;
    for (TensorId i : n.inputs)
      if (!float_tensor(i)) return why = "non-float input", false;
    Node q = n;
    for (TensorId &i : q.inputs) {
      i = quantized(i);
      if (*g_.tensor(i).quant != *yq) i = requantize(i, *yq);
    }
    q.outputs = {int8_output(n.outputs[0], *yq)};
    push(std::move(q));
    return true;
  }

  // An int8 tensor re-expressed with other parameters, through a lookup table.
  TensorId requantize(TensorId x, const QuantParams &to) {
    QuantParams from = *g_.tensor(x).quant;
    Value table(DType::I8, {256});
    for (int i = 0; i < 256; ++i)
      table.data<int8_t>()[i] = quantize_value(float(i - 128 - from.zero_point[0]) * from.scale[0], to);
    TensorId t = g_.add_tensor(g_.tensor(x).name + "/requantized", DType::I8);
    g_.tensor(t).shape = g_.tensor(x).shape;
    g_.tensor(t).shape_known = true;
    g_.tensor(t).quant = to;
    Node n;
    n.op = "QLookup";
    n.name = g_.tensor(x).name + "/requantize";
    n.inputs = {x, g_.add_constant(n.name + "/table", std::move(table))};
    n.outputs = {t};
    push(std::move(n));
    return t;
  }

  // Any elementwise function of one tensor (other operands constant scalars) as a 256-entry table,
  // computed by the float operator's own reference evaluation on the 256 dequantized inputs.
  bool quantize_lookup(Node &n, std::string &why) {
    int data = -1;
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      if (!n.has_input(i)) continue;
      const Tensor &t = g_.tensor(n.inputs[i]);
      if (t.is_constant()) {
        if (t.constant->elements() != 1) return why = "constant operand is not a scalar", false;
      } else {
        if (data >= 0) return why = "more than one varying operand", false;
        data = int(i);
      }
    }
    if (data < 0 || !float_tensor(n.inputs[size_t(data)])) return why = "no float operand", false;
    if (g_.tensor(n.inputs[size_t(data)]).shape != g_.tensor(n.outputs[0]).shape) return why = "broadcasts", false;
    const QuantParams *yq = calibrated(n.outputs[0]);
    if (!yq) return why = "output not calibrated", false;
    TensorId x = quantized(n.inputs[size_t(data)]);
    QuantParams xq = *g_.tensor(x).quant;
    // A one-node graph over the 256 representable inputs.
    Graph s;
    TensorId sx = s.add_tensor("x", DType::F32);
    s.tensor(sx).shape = {256};
    s.tensor(sx).shape_known = true;
    s.inputs = {sx};
    Node m = n;
    for (size_t i = 0; i < m.inputs.size(); ++i) {
      if (!m.has_input(i)) continue;
      if (int(i) == data) m.inputs[i] = sx;
      else m.inputs[i] = s.add_constant("c", *g_.tensor(n.inputs[i]).constant);
    }
    TensorId sy = s.add_tensor("y", DType::F32);
    m.outputs = {sy};
    s.outputs = {sy};
    s.nodes = {m};
    infer_node(s, s.nodes[0]);
    if (s.tensor(sy).shape != Shape{256} || s.tensor(sy).dtype != DType::F32) return why = "not elementwise", false;
    Value in(DType::F32, {256});
    for (int i = 0; i < 256; ++i) in.data<float>()[i] = float(i - 128 - xq.zero_point[0]) * xq.scale[0];
    std::vector<Value> out = evaluate_graph(s, {in});
    Value table(DType::I8, {256});
    Activation act = fused_activation(n.attrs);
    for (int i = 0; i < 256; ++i)
      table.data<int8_t>()[i] = quantize_value(apply_activation(act, out[0].data<float>()[i]), *yq);
    Node q;
    q.op = "QLookup";
    q.name = n.name;
    q.inputs = {x, g_.add_constant(n.name + "/table", std::move(table))};
    q.outputs = {int8_output(n.outputs[0], *yq)};
    push(std::move(q));
    return true;
  }
};

}  // namespace

QuantizeReport quantize_graph(Graph &g, const std::vector<std::vector<Value>> &calibration, const QuantizeOptions &opts) {
  QuantizeReport report;
  report.calibrator = calibrator_name(opts.calibrator);
  report.samples = calibration.size();
  unfuse_activations(g);
  verify_graph(g);
  std::vector<TensorStats> stats =
      collect_stats(g, calibration, opts.calibrator != Calibrator::MinMax, opts.progress);
  std::vector<std::optional<QuantParams>> params(g.tensors.size());
  std::map<TensorId, TensorQuantInfo> infos;
  for (size_t t = 0; t < stats.size(); ++t) {
    if (!stats[t].seen) continue;
    TensorQuantInfo info;
    choose_range(stats[t], opts.calibrator, info.range_lo, info.range_hi, info.saturated);
    params[t] = activation_params(info.range_lo, info.range_hi);
    info.name = g.tensor(TensorId(t)).name;
    info.scale = params[t]->scale[0];
    info.zero_point = params[t]->zero_point[0];
    info.observed_min = stats[t].min;
    info.observed_max = stats[t].max;
    info.values = stats[t].count;
    infos[TensorId(t)] = info;
  }
  Rewriter rw(g, params, report);
  rw.run(opts.int8_io);
  std::set<TensorId> listed;
  for (TensorId id : rw.calibrated_used)
    if (listed.insert(id).second && infos.count(id)) report.tensors.push_back(infos[id]);
  g.remove_dead_nodes();
  g.sort_topologically();
  // residual Adds run inside the convolution that produces their operand (same integers)
  if (opts.fuse_residual_adds) fuse_residual_adds(g);
  // a Softmax over the int8 logits reads them directly (the same values)
  if (opts.fuse_dequantize_softmax) fuse_dequantize_softmax(g);
  return report;
}

void compare_float_int8(const Graph &float_graph, const Graph &int8_graph,
                        const std::vector<std::vector<Value>> &samples, QuantizeReport &r, size_t max_samples) {
  size_t n = std::min(samples.size(), max_samples), outs = float_graph.outputs.size();
  r.compared_samples = n;
  r.output_cosine_mean.assign(outs, 0.0);
  r.output_cosine_min.assign(outs, 1.0);
  for (size_t k = 0; k < n; ++k) {
    std::vector<Value> f = evaluate_graph(float_graph, samples[k]);
    std::vector<Value> q = evaluate_graph(int8_graph, samples[k]);
    for (size_t o = 0; o < outs && o < q.size(); ++o) {
      std::vector<float> a = f[o].to_f32(), b = q[o].to_f32();
      if (int8_graph.tensor(int8_graph.outputs[o]).quant) {  // int8 outputs: compare real values
        const QuantParams &p = *int8_graph.tensor(int8_graph.outputs[o]).quant;
        for (float &v : b) v = (v - float(p.zero_point[0])) * p.scale[0];
      }
      double ab = 0, aa = 0, bb = 0;
      for (size_t i = 0; i < a.size() && i < b.size(); ++i)
        ab += double(a[i]) * b[i], aa += double(a[i]) * a[i], bb += double(b[i]) * b[i];
      double c = (aa == 0 && bb == 0) ? 1.0 : ab / std::sqrt(aa * bb + 1e-300);
      r.output_cosine_mean[o] += c / double(n);
      r.output_cosine_min[o] = std::min(r.output_cosine_min[o], c);
    }
  }
}

std::string quantize_report_json(const QuantizeReport &r) {
  std::ostringstream s;
  auto str = [](const std::string &v) {
    std::string o = "\"";
    for (unsigned char c : v) {
      if (c == '"' || c == '\\') o += '\\', o += char(c);
      else if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        o += buf;
      } else o += char(c);
    }
    return o + "\"";
  };
  s.precision(9);
  s << "{\n  \"calibrator\": " << str(r.calibrator) << ",\n  \"samples\": " << r.samples
    << ",\n  \"int8_nodes\": " << r.int8_nodes << ",\n  \"float_nodes\": [";
  for (size_t i = 0; i < r.float_nodes.size(); ++i) s << (i ? ", " : "") << str(r.float_nodes[i]);
  s << "],\n  \"compared_samples\": " << r.compared_samples << ",\n  \"output_cosine_mean\": [";
  for (size_t i = 0; i < r.output_cosine_mean.size(); ++i) s << (i ? ", " : "") << r.output_cosine_mean[i];
  s << "],\n  \"output_cosine_min\": [";
  for (size_t i = 0; i < r.output_cosine_min.size(); ++i) s << (i ? ", " : "") << r.output_cosine_min[i];
  s << "],\n  \"tensors\": [\n";
  for (size_t i = 0; i < r.tensors.size(); ++i) {
    const TensorQuantInfo &t = r.tensors[i];
    s << "    {\"name\": " << str(t.name) << ", \"scale\": " << t.scale << ", \"zero_point\": " << t.zero_point
      << ", \"min\": " << t.observed_min << ", \"max\": " << t.observed_max << ", \"range\": [" << t.range_lo << ", "
      << t.range_hi << "], \"saturated\": " << t.saturated << ", \"values\": " << t.values << "}"
      << (i + 1 < r.tensors.size() ? ",\n" : "\n");
  }
  s << "  ]\n}\n";
  return s.str();
}

}  // namespace mtc
