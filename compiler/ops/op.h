// Operator definitions: each operator lives in one file under compiler/ops/ and registers its
// arity, shape/type inference and reference evaluation with MTC_REGISTER_OP.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/error.h"

namespace mtc {

// What shape inference of one node sees: its input types/shapes, constant input values, attributes.
class InferContext {
public:
  InferContext(Graph &g, Node &n) : g_(g), n_(n) {}
  Graph &graph() { return g_; }
  Node &node() { return n_; }
  const Attributes &attrs() const { return n_.attrs; }
  size_t num_inputs() const { return n_.inputs.size(); }
  bool has_input(size_t i) const { return n_.has_input(i); }
  const Tensor &input(size_t i) const;
  const Shape &in_shape(size_t i) const { return input(i).shape; }
  DType in_dtype(size_t i) const { return input(i).dtype; }
  // The constant value of input i, or nullptr when it is computed at run time.
  const Value *const_input(size_t i) const;
  // Like const_input, but a CompileError saying what needed it when it is not constant.
  const Value &require_const(size_t i, const char *what) const;
  size_t num_outputs() const { return n_.outputs.size(); }
  void set_output(size_t i, DType t, Shape s);
  // For outputs known at compile time without the input values (Shape, Size): sets type, shape and
  // value, so constant folding can drop the node.
  void set_output_constant(size_t i, Value v);

  // Throws a CompileError that names the node and its operator.
  [[noreturn]] void fail(const std::string &why) const;
  void check(bool ok, const std::string &why) const {
    if (!ok) fail(why);
  }

private:
  Graph &g_;
  Node &n_;
};

// What reference evaluation of one node sees: input values (nullptr for omitted optional inputs)
// and output values already allocated with the inferred types and shapes.
class EvalContext {
public:
  EvalContext(const Graph &g, const Node &n, std::vector<const Value *> ins, std::vector<Value *> outs)
      : g_(g), n_(n), ins_(std::move(ins)), outs_(std::move(outs)) {}
  const Node &node() const { return n_; }
  const Graph &graph() const { return g_; }
  const Attributes &attrs() const { return n_.attrs; }
  bool has(size_t i) const { return i < ins_.size() && ins_[i] != nullptr; }
  const Value &in(size_t i) const { return *ins_.at(i); }
  Value &out(size_t i) const { return *outs_.at(i); }
  size_t num_outputs() const { return outs_.size(); }
  [[noreturn]] void fail(const std::string &why) const;

private:
  const Graph &g_;
  const Node &n_;
  std::vector<const Value *> ins_;
  std::vector<Value *> outs_;
};

struct OpDef {
  std::string name;
  int min_inputs = 1, max_inputs = 1;    // a max of -1 means any number
  int min_outputs = 1, max_outputs = 1;  // a max of -1 means any number
  std::function<void(InferContext &)> infer;
  std::function<void(EvalContext &)> eval;
  // Multiply-accumulates of one node (for `microtc inspect` and cost models); null means 0.
  std::function<int64_t(const Graph &, const Node &)> macs;
  // Ops whose kernels apply a fused activation (attributes "activation*", see activation.h).
  bool fuses_activation = false;
  // Ops whose outputs are always known at compile time (Shape, Size; Range and ConstantOfShape,
  // whose inputs must be constants): constant folding removes them, so they need no C kernel.
  bool compile_time_only = false;
  // Ops whose output only relabels the input bytes (Reshape, Flatten, ...): no copy at run time.
  bool is_view = false;
};

class OpRegistry {
public:
  static OpRegistry &instance();
  void add(OpDef def);
  const OpDef *find(const std::string &name) const;
  std::vector<std::string> names() const;

private:
  std::vector<OpDef> defs_;
};

// Multiply-accumulates of a node (its OpDef's count; 0 for operators without one).
int64_t node_macs(const Graph &g, const Node &n);

struct OpRegistrar {
  explicit OpRegistrar(OpDef def) { OpRegistry::instance().add(std::move(def)); }
};

#define MTC_CONCAT_INNER(a, b) a##b
#define MTC_CONCAT(a, b) MTC_CONCAT_INNER(a, b)
// Registers an operator at static-initialisation time (the compiler is linked as object files, so
// every registrar runs).
#define MTC_REGISTER_OP(...) \
  static const ::mtc::OpRegistrar MTC_CONCAT(mtc_op_registrar_, __LINE__){__VA_ARGS__};

// Runs shape inference for one node; checks arity first.
void infer_node(Graph &g, Node &n);

}  // namespace mtc
