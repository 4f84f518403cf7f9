// Graph passes: each is a named function over the Graph, defined in its own file and registered
// with MTC_REGISTER_PASS; pipelines are lists of pass names (see pipeline.cpp).
#pragma once
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

struct PassContext {
  bool verify_each = false;      // run the IR verifier after every pass (tests turn this on)
  bool print_after_each = false; // dump the IR after every pass to `log`
  std::ostream *log = nullptr;
};

struct Pass {
  std::string name;
  std::string summary;
  std::function<void(Graph &, PassContext &)> run;
};

class PassRegistry {
public:
  static PassRegistry &instance();
  void add(Pass p) { passes_.push_back(std::move(p)); }
  const Pass *find(const std::string &name) const;
  const std::vector<Pass> &all() const { return passes_; }

private:
  std::vector<Pass> passes_;
};

struct PassRegistrar {
  explicit PassRegistrar(Pass p) { PassRegistry::instance().add(std::move(p)); }
};

#define MTC_PASS_CONCAT_INNER(a, b) a##b
#define MTC_PASS_CONCAT(a, b) MTC_PASS_CONCAT_INNER(a, b)
#define MTC_REGISTER_PASS(...) \
  static const ::mtc::PassRegistrar MTC_PASS_CONCAT(mtc_pass_registrar_, __LINE__){__VA_ARGS__};

// The default float pipeline, in order.
const std::vector<std::string> &default_pipeline();
// Runs the named passes in order; throws CompileError for an unknown name.
void run_pipeline(Graph &g, const std::vector<std::string> &names, PassContext &ctx);

// Shared by passes: infers every node's output shape and folds nodes whose inputs are constant.
void infer_and_fold(Graph &g);

}  // namespace mtc
