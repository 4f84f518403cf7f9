// Kernel emitters: for each IR operator, the code that prints the C call(s) implementing one node.
// Shape logic lives in compiler/ops; emitters only choose a runtime kernel and print its arguments.
#pragma once
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

class ModuleWriter;

// What an emitter sees while printing one node.
class EmitContext {
public:
  EmitContext(ModuleWriter &m, const Graph &g, const Node &n) : m_(m), g_(g), n_(n) {}
  const Graph &graph() const { return g_; }
  const Node &node() const { return n_; }
  const Attributes &attrs() const { return n_.attrs; }
  bool has_input(size_t i) const { return n_.has_input(i); }
  const Tensor &in(size_t i) const { return g_.tensor(n_.inputs.at(i)); }
  const Tensor &out(size_t i) const { return g_.tensor(n_.outputs.at(i)); }

  // Typed C pointer expressions for node input i / output i, e.g. "((float *)(m_arena.b + 64))".
  std::string in_ptr(size_t i) const;
  std::string out_ptr(size_t i) const;
  // Declares a file-scope `static const int32_t <sym>[] = {...}` (or float) and returns its symbol.
  std::string int_array(const std::vector<int64_t> &values);
  std::string float_array(const std::vector<float> &values);
  std::string int8_array(const std::vector<int8_t> &values);
  // This node's scratch memory (reserved by the planner, see memory/scratch.h) as `ctype *`.
  std::string scratch_ptr(const std::string &ctype);
  // A C expression for an mtc_act value with this node's fused activation ("activation" attrs).
  std::string act_expr() const;
  // Adds a line to the body of the run function.
  void line(const std::string &code);
  // Marks a runtime kernel (file runtime/src/<function>.c) as used, so it is shipped with the code.
  void use_kernel(const std::string &function);
  [[noreturn]] void fail(const std::string &why) const;

private:
  ModuleWriter &m_;
  const Graph &g_;
  const Node &n_;
};

using KernelEmitter = std::function<void(EmitContext &)>;

class EmitterRegistry {
public:
  static EmitterRegistry &instance();
  void add(const std::string &op, KernelEmitter e);
  const KernelEmitter *find(const std::string &op) const;

private:
  std::vector<std::pair<std::string, KernelEmitter>> emitters_;
};

struct EmitterRegistrar {
  EmitterRegistrar(const std::string &op, KernelEmitter e) { EmitterRegistry::instance().add(op, std::move(e)); }
};

#define MTC_EMIT_CONCAT_INNER(a, b) a##b
#define MTC_EMIT_CONCAT(a, b) MTC_EMIT_CONCAT_INNER(a, b)
#define MTC_REGISTER_EMITTER(op, fn) \
  static const ::mtc::EmitterRegistrar MTC_EMIT_CONCAT(mtc_emitter_registrar_, __LINE__){op, fn};

// Formats a float as a C99 literal that round-trips exactly (handles inf/nan via math.h macros).
std::string c_float(float v);
// Makes any text safe inside a C block comment (untrusted model names go through this).
std::string c_comment(const std::string &text);

}  // namespace mtc
