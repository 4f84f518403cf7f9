// Conv -> BatchNormalization and Gemm -> BatchNormalization become one Conv/Gemm: with
// s = scale / sqrt(var + eps), weights of output channel c scale by s[c] and the bias becomes
// (bias[c] - mean[c]) * s[c] + B[c].
#include <cmath>

#include "ops/activation.h"
#include "passes/pass.h"

namespace mtc {

namespace {

bool all_const(const Graph &g, const Node &n, size_t from, size_t to) {
  for (size_t i = from; i < to; ++i)
    if (!n.has_input(i) || !g.tensor(n.inputs[i]).is_constant()) return false;
  return true;
}

// Per-channel factor s and offset t such that BN(y) = s*y + t.
bool bn_affine(const Graph &g, const Node &bn, int64_t channels, std::vector<float> &s, std::vector<float> &t) {
  if (!all_const(g, bn, 1, 5)) return false;
  const Value &scale = *g.tensor(bn.inputs[1]).constant, &bias = *g.tensor(bn.inputs[2]).constant;
  const Value &mean = *g.tensor(bn.inputs[3]).constant, &var = *g.tensor(bn.inputs[4]).constant;
  for (const Value *v : {&scale, &bias, &mean, &var})
    if (v->elements() != channels || v->dtype != DType::F32) return false;
  float eps = bn.attrs.get_float("epsilon", 1e-5f);
  s.resize(size_t(channels));
  t.resize(size_t(channels));
  for (int64_t c = 0; c < channels; ++c) {
    double f = double(scale.data<float>()[c]) / std::sqrt(double(var.data<float>()[c]) + double(eps));
    s[size_t(c)] = float(f);
    t[size_t(c)] = float(double(bias.data<float>()[c]) - double(mean.data<float>()[c]) * f);
  }
  return true;
}

bool fold_into_conv(Graph &g, Node &conv, const std::vector<float> &s, const std::vector<float> &t) {
  if (!all_const(g, conv, 1, 2) || (conv.has_input(2) && !all_const(g, conv, 2, 3))) return false;
  Value w = *g.tensor(conv.inputs[1]).constant;
  int64_t oc = w.shape.empty() ? 0 : w.shape[0];
  if (oc != int64_t(s.size()) || w.dtype != DType::F32) return false;
  int64_t per = w.elements() / oc;
  for (int64_t c = 0; c < oc; ++c)
    for (int64_t k = 0; k < per; ++k) w.data<float>()[c * per + k] *= s[size_t(c)];
  Value b(DType::F32, {oc});
  for (int64_t c = 0; c < oc; ++c) {
    float old = conv.has_input(2) ? g.tensor(conv.inputs[2]).constant->data<float>()[c] : 0.f;
    b.data<float>()[c] = old * s[size_t(c)] + t[size_t(c)];
  }
  conv.inputs.resize(3, kNoTensor);
  conv.inputs[1] = g.add_constant(g.tensor(conv.inputs[1]).name + "/bn_folded", std::move(w));
  conv.inputs[2] = g.add_constant(conv.name + "/bn_folded_bias", std::move(b));
  return true;
}

bool fold_into_gemm(Graph &g, Node &gemm, const std::vector<float> &s, const std::vector<float> &t) {
  if (!all_const(g, gemm, 1, 2) || (gemm.has_input(2) && !all_const(g, gemm, 2, 3))) return false;
  Value w = *g.tensor(gemm.inputs[1]).constant;
  if (w.shape.size() != 2 || w.dtype != DType::F32) return false;
  bool trans_b = gemm.attrs.get_int("transB", 0) != 0;
  int64_t m = trans_b ? w.shape[0] : w.shape[1], k = trans_b ? w.shape[1] : w.shape[0];
  if (m != int64_t(s.size())) return false;
  float alpha = gemm.attrs.get_float("alpha", 1.f), beta = gemm.attrs.get_float("beta", 1.f);
  std::vector<float> c_row(size_t(m), 0.f);
  if (gemm.has_input(2)) {
    const Value &c = *g.tensor(gemm.inputs[2]).constant;
    // Only a bias that is the same for every row can become a per-column vector.
    if (c.elements() == 1) std::fill(c_row.begin(), c_row.end(), c.data<float>()[0]);
    else if (c.elements() == m && (c.shape.size() == 1 || (c.shape.size() == 2 && c.shape[0] == 1)))
      for (int64_t j = 0; j < m; ++j) c_row[size_t(j)] = c.data<float>()[j];
    else return false;
  }
  for (int64_t j = 0; j < m; ++j)
    for (int64_t kk = 0; kk < k; ++kk) (trans_b ? w.data<float>()[j * k + kk] : w.data<float>()[kk * m + j]) *= alpha * s[size_t(j)];
  Value b(DType::F32, {m});
  for (int64_t j = 0; j < m; ++j) b.data<float>()[j] = beta * c_row[size_t(j)] * s[size_t(j)] + t[size_t(j)];
  gemm.inputs.resize(3, kNoTensor);
  gemm.inputs[1] = g.add_constant(g.tensor(gemm.inputs[1]).name + "/bn_folded", std::move(w));
  gemm.inputs[2] = g.add_constant(gemm.name + "/bn_folded_bias", std::move(b));
  gemm.attrs.set("alpha", 1.f);
  gemm.attrs.set("beta", 1.f);
  return true;
}

void fold_batchnorm(Graph &g, PassContext &) {
  std::vector<int> producer = g.producers();
  std::vector<int> uses = g.use_counts();
  std::vector<char> drop(g.nodes.size(), 0);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    Node &bn = g.nodes[i];
    if (bn.op != "BatchNormalization" || bn.outputs.size() != 1) continue;
    TensorId x = bn.inputs[0];
    int p = producer[size_t(x)];
    if (p < 0 || uses[size_t(x)] != 1 || g.is_graph_output(x)) continue;
    Node &prod = g.nodes[size_t(p)];
    if ((prod.op != "Conv" && prod.op != "Gemm") || !fused_activation(prod.attrs).kind.empty()) continue;
    const Shape &xs = g.tensor(x).shape;
    if (xs.size() < 2) continue;
    std::vector<float> s, t;
    if (!bn_affine(g, bn, xs[1], s, t)) continue;
    bool ok = prod.op == "Conv" ? fold_into_conv(g, prod, s, t) : fold_into_gemm(g, prod, s, t);
    if (!ok) continue;
    prod.outputs[0] = bn.outputs[0];
    drop[i] = 1;
  }
  std::vector<Node> kept;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!drop[i]) kept.push_back(std::move(g.nodes[i]));
  g.nodes = std::move(kept);
}

}  // namespace

MTC_REGISTER_PASS({"fold-batchnorm", "fold BatchNormalization into the preceding Conv or Gemm", fold_batchnorm})

}  // namespace mtc
