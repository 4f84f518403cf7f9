// State of one C module being written: file-scope declarations, the run function body, the
// runtime kernels used. EmitContext is the per-node view of it.
#pragma once
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "codegen/c_emitter.h"

namespace mtc {

class ModuleWriter {
public:
  ModuleWriter(const Graph &g, std::string name, EmitOptions opts = {});
  CBundle emit();

  // Used by EmitContext.
  std::string tensor_ptr(TensorId id, bool writable);
  std::string declare_array(const char *ctype, const std::string &elements, size_t count);
  void add_line(const std::string &code) { body_ << "  " << code << "\n"; }
  void use_kernel(const std::string &function) {
    kernels_.insert(function);
    current_kernel_ = function;
  }
  // The current node's scratch memory in the arena, as a `ctype *` expression.
  std::string scratch_ptr(const std::string &ctype);

private:
  std::string constant_symbol(TensorId id);
  std::string io_param(TensorId id, bool input, int index) const;
  void emit_node(const Node &n, int step);
  void emit_output_copies();
  std::string make_header() const;
  // MicroT: the steps as NAME_part / NAME_rest / NAME_tail, NAME_run calling them, and NAME_infer
  // (codegen/microt_emit.cpp).
  std::string microt_source(const std::string &run_signature);
  std::string microt_header() const;
  std::string microt_pool_call(TensorId t);  // pools t into NAME_features
  // On-device head training (codegen/microt_train_emit.cpp): NAME_heads_init, NAME_head_reset,
  // NAME_set_learning_rate, NAME_train_step; its header part and the bytes it keeps in RAM.
  std::string microt_train_functions(int64_t max_features);
  std::string microt_train_header() const;

  const Graph &g_;
  std::string name_;
  EmitOptions opts_;
  std::vector<EmittedLayer> layers_;
  std::string current_kernel_;
  MemoryPlan plan_;
  std::ostringstream decls_;
  std::ostringstream body_;
  std::map<TensorId, std::string> const_syms_;
  std::map<std::string, std::string> array_syms_;  // "ctype:elements" -> symbol
  std::set<std::string> kernels_;
  int next_array_ = 0;
  int64_t constant_bytes_ = 0;
  int current_step_ = -1;
  std::vector<size_t> step_end_;  // body_ length after each step's code
};

}  // namespace mtc
