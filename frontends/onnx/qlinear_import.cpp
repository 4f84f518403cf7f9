#include "frontends/onnx/qlinear_import.h"

#include "quant/given_quant.h"
#include "support/error.h"

namespace mtc {

namespace {

struct Lowering {
  Graph &g;
  const Node &n;
  std::vector<Node> nodes;  // in execution order
  std::vector<Node> after;  // appended after `nodes`

  [[noreturn]] void fail(const std::string &why) const { throw CompileError(g.describe(n) + ": " + why); }

  TensorId in(size_t i) const { return n.has_input(i) ? n.inputs[i] : kNoTensor; }

  // `data` is the tensor whose type stands in for an omitted zero point's.
  GivenQuant params(TensorId data, size_t scale, size_t zp, int axis) {
    GivenQuant gq;
    std::string why;
    if (!read_given_quant(g, data, in(scale), in(zp), axis, gq, why)) fail(why);
    return gq;
  }

  std::string name(const std::string &suffix) const { return n.name + "/" + suffix; }

  Node make(const std::string &op, std::vector<TensorId> ins, TensorId out) const {
    Node m;
    m.op = op;
    m.name = n.name;
    m.inputs = std::move(ins);
    m.outputs = {out};
    m.attrs.set("requant", int64_t(1));  // onnxruntime's float rounding
    return m;
  }

  // The output tensor for the int8 op; its type is known from here on (later nodes may rely on it).
  TensorId output(const GivenQuant &y) {
    TensorId out = n.outputs.empty() ? kNoTensor : n.outputs[0];
    if (out == kNoTensor) fail("has no output");
    g.tensor(out).dtype = y.type;
    return int8_output(g, out, y, name("int8"), after);
  }

  void finish(Node m) {
    nodes.push_back(std::move(m));
    for (Node &a : after) nodes.push_back(std::move(a));
  }

  void conv() {
    if (n.inputs.size() < 8) fail("needs 8 or 9 inputs");
    GivenQuant xq = params(in(0), 1, 2, -1), wq = params(in(3), 4, 5, 0), yq = params(kNoTensor, 6, 7, -1);
    if (!g.tensor(in(3)).is_constant()) fail("weights " + quote_name(g.tensor(in(3)).name) + " must be a constant (" + kNeedsConstant + ": weights are compiled in)");
    TensorId x = int8_input(g, in(0), xq, name("x_int8"), nodes);
    TensorId w = int8_constant(g, in(3), wq, name("w_int8"));
    std::vector<TensorId> ins = {x, w};
    if (n.has_input(8)) {
      if (!g.tensor(in(8)).is_constant()) fail("bias " + quote_name(g.tensor(in(8)).name) + " must be a constant (" + kNeedsConstant + ": weights are compiled in)");
      ins.push_back(in(8));
    }
    Node m = make("QConv", ins, output(yq));
    for (const auto &[key, value] : n.attrs.all()) m.attrs.set(key, value);
    finish(std::move(m));
  }

  void matmul() {
    if (n.inputs.size() != 8) fail("needs 8 inputs");
    TensorId b = in(3);
    if (!g.tensor(b).is_constant()) fail("B " + quote_name(g.tensor(b).name) + " must be a constant (" + kNeedsConstant + ": weights are compiled in)");
    const Value bv = *g.tensor(b).constant;  // a copy: adding tensors below moves them
    int rank = int(bv.shape.size());
    if (rank != 2 && rank != 3) fail("B must be 2-D (or 3-D with one matrix per batch), got " + shape_str(bv.shape));
    GivenQuant aq = params(in(0), 1, 2, -1), bq = params(in(3), 4, 5, 1), yq = params(kNoTensor, 6, 7, -1);
    if (bq.q.per_axis() && int64_t(bq.q.count()) != bv.shape.back())
      fail("b_scale must have one value per column of B");
    TensorId a = int8_input(g, in(0), aq, name("a_int8"), nodes);
    TensorId y = output(yq);
    if (rank == 2) {
      finish(make("QGemm", {a, int8_constant(g, b, bq, name("b_int8"))}, y));
      return;
    }
    // A batch of matrices: one QGemm per batch on a slice of A, concatenated.
    const Tensor &at = g.tensor(in(0));
    int64_t batch = bv.shape[0], k = bv.shape[1], cols = bv.shape[2];
    if (!at.shape_known || at.shape.size() != 3 || at.shape[0] != batch)
      fail("with a 3-D B " + shape_str(bv.shape) + ", A must be 3-D with the same batch (got " +
           (at.shape_known ? shape_str(at.shape) : std::string("an unknown shape")) + ")");
    QuantParams y8 = as_int8_params(yq);
    Node concat;
    concat.op = "Concat";
    concat.name = name("concat");
    concat.attrs.set("axis", int64_t(0));
    concat.outputs = {y};
    for (int64_t i = 0; i < batch; ++i) {
      std::string tag = "batch" + std::to_string(i);
      Node slice;
      slice.op = "Slice";
      slice.name = name(tag + "/slice");
      slice.inputs = {a, g.add_constant(slice.name + "/starts", Value::from_i64({i}, {1})),
                      g.add_constant(slice.name + "/ends", Value::from_i64({i + 1}, {1})),
                      g.add_constant(slice.name + "/axes", Value::from_i64({0}, {1}))};
      TensorId part = g.add_tensor(slice.name, DType::I8);
      g.tensor(part).quant = g.tensor(a).quant;
      slice.outputs = {part};
      Value wb(bv.dtype, {k, cols});
      size_t bytes = wb.bytes.size();
      std::copy(bv.bytes.begin() + std::ptrdiff_t(size_t(i) * bytes), bv.bytes.begin() + std::ptrdiff_t(size_t(i + 1) * bytes),
                wb.bytes.begin());
      TensorId wsrc = g.add_constant(name(tag + "/b"), std::move(wb));
      TensorId w = int8_constant(g, wsrc, bq, name(tag + "/b_int8"));
      TensorId yi = g.add_tensor(name(tag), DType::I8);
      g.tensor(yi).quant = y8;
      Node gemm = make("QGemm", {part, w}, yi);
      gemm.name = name(tag);
      nodes.push_back(std::move(slice));
      nodes.push_back(std::move(gemm));
      concat.inputs.push_back(yi);
    }
    finish(std::move(concat));
  }

  void binary(const char *op) {
    if (n.inputs.size() < 7) fail("needs 7 or 8 inputs");
    GivenQuant aq = params(in(0), 1, 2, -1), bq = params(in(3), 4, 5, -1), yq = params(in(0), 6, 7, -1);
    TensorId a = int8_input(g, in(0), aq, name("a_int8"), nodes);
    TensorId b = int8_input(g, in(3), bq, name("b_int8"), nodes);
    finish(make(op, {a, b}, output(yq)));
  }

  void global_pool() {
    if (n.inputs.size() < 4) fail("needs 4 or 5 inputs");
    if (n.attrs.get_int("channels_last", 0) != 0) fail("channels_last = 1 is not supported (NCHW only)");
    GivenQuant xq = params(in(0), 1, 2, -1), yq = params(in(0), 3, 4, -1);
    TensorId x = int8_input(g, in(0), xq, name("x_int8"), nodes);
    finish(make("QGlobalAveragePool", {x}, output(yq)));
  }
};

}  // namespace

bool is_qlinear_op(const std::string &domain, const std::string &op) {
  bool onnx = domain.empty() || domain == "ai.onnx";
  if (onnx) return op == "QLinearConv" || op == "QLinearMatMul";
  return domain == "com.microsoft" &&
         (op == "QLinearAdd" || op == "QLinearMul" || op == "QLinearGlobalAveragePool");
}

std::vector<Node> lower_qlinear_node(Graph &g, const Node &n) {
  Lowering l{g, n, {}, {}};
  if (n.op == "QLinearConv") l.conv();
  else if (n.op == "QLinearMatMul") l.matmul();
  else if (n.op == "QLinearAdd") l.binary("QAdd");
  else if (n.op == "QLinearMul") l.binary("QMul");
  else if (n.op == "QLinearGlobalAveragePool") l.global_pool();
  else l.fail("is not a QOperator-form operator");
  return std::move(l.nodes);
}

}  // namespace mtc
