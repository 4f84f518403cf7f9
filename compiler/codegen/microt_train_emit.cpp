// MicroT's on-device head training in the generated C (issue 5): the heads of every task live in
// RAM, copied from the compiled weights on first use; NAME_train_step runs the frozen int8
// extractor on one labelled sample and takes one SGD step on each of the task's two heads
// (runtime mtc_microt_train_step); NAME_head_reset restarts a task's heads from the compiled
// weights or from zero. Everything it needs is static: NAME_TRAIN_BYTES says how much.
#include <algorithm>
#include <sstream>

#include "codegen/emitter.h"
#include "codegen/module_writer.h"

namespace mtc {

namespace {

// RAM the heads and the training scratch take: weights and biases of every head, the scratch row
// of standardized features, the ready flag.
int64_t train_bytes(const MicrotPlan &mt) {
  int64_t floats = 0, max_features = 0;
  for (const MicrotTaskHeads &t : mt.tasks)
    for (const LinearHead *h : {&t.part, &t.full}) {
      floats += h->features * h->classes + h->classes;
      max_features = std::max(max_features, h->features);
    }
  return 4 * (floats + max_features) + 4 + 4;  // the flag and the learning rate
}

}  // namespace

std::string ModuleWriter::microt_train_header() const {
  const MicrotPlan &mt = *opts_.microt;
  const std::string in_type = dtype_c_type(g_.tensor(g_.inputs[0]).dtype);
  std::ostringstream h;
  h << "/* On-device training of the heads: one labelled sample runs the extractor (int8, frozen) and\n"
       " * takes one SGD step on the softmax loss of the task's part head and full head (float, in the\n"
       " * standardized feature space of the compiler's training). Returns 0, or -1 for a bad task, input\n"
       " * or label. The heads live in RAM; this many bytes of static memory, beyond inference: */\n";
  h << "#define " << name_ << "_TRAIN_BYTES " << train_bytes(mt) << "\n";
  h << "int " << name_ << "_train_step(int32_t task, const " << in_type << " *input, int32_t label);\n";
  h << "/* Restarts a task's heads from the compiled weights (from_zero 0) or from zero (1). */\n";
  h << "void " << name_ << "_head_reset(int32_t task, int32_t from_zero);\n";
  h << "/* The SGD step size (default " << c_float(mt.learning_rate) << "). */\n";
  h << "void " << name_ << "_set_learning_rate(float rate);\n\n";
  return h.str();
}

std::string ModuleWriter::microt_train_functions(int64_t max_features) {
  const MicrotPlan &mt = *opts_.microt;
  const std::string n = name_, in_type = dtype_c_type(g_.tensor(g_.inputs[0]).dtype);
  const std::string tasks = std::to_string(mt.tasks.size());
  std::ostringstream src;
  src << "static int " << n << "_heads_ready;\nstatic float " << n << "_learning_rate = " << c_float(mt.learning_rate)
      << ";\nstatic float " << n << "_train_u[" << max_features << "];\n\n";
  src << "static void " << n << "_reset_head(const " << n << "_trainable_head *t, const mtc_microt_head *h, "
      << "int32_t from_zero) {\n  int32_t i;\n"
      << "  for (i = 0; i < h->features * h->classes; ++i) t->weight[i] = from_zero ? 0.0f : t->init_weight[i];\n"
      << "  for (i = 0; i < h->classes; ++i) t->bias[i] = from_zero ? 0.0f : t->init_bias[i];\n}\n\n";
  src << "static void " << n << "_heads_init(void) {\n  int32_t t, s;\n  if (" << n << "_heads_ready) return;\n"
      << "  for (t = 0; t < " << tasks << "; ++t)\n    for (s = 0; s < 2; ++s) " << n << "_reset_head(&" << n
      << "_train_heads[t][s], &" << n << "_heads[t][s], 0);\n  " << n << "_heads_ready = 1;\n}\n\n";
  src << "void " << n << "_head_reset(int32_t task, int32_t from_zero) {\n  int32_t s;\n"
      << "  if (task < 0 || task >= " << tasks << ") return;\n  " << n << "_heads_init();\n"
      << "  for (s = 0; s < 2; ++s) " << n << "_reset_head(&" << n << "_train_heads[task][s], &" << n
      << "_heads[task][s], from_zero);\n}\n\n";
  src << "void " << n << "_set_learning_rate(float rate) {\n  " << n << "_learning_rate = rate;\n}\n\n";
  auto step = [&](int s) {
    return "  mtc_microt_train_step(" + n + "_train_heads[task][" + std::to_string(s) + "].weight, " + n +
           "_train_heads[task][" + std::to_string(s) + "].bias, " + n + "_heads[task][" + std::to_string(s) +
           "].features, " + n + "_heads[task][" + std::to_string(s) + "].classes, " + n + "_features, label, " + n +
           "_learning_rate, " + n + "_train_heads[task][" + std::to_string(s) + "].mean, " + n +
           "_train_heads[task][" + std::to_string(s) + "].inv_sd, " + n + "_logits, " + n + "_train_u);\n";
  };
  const std::string in = "input";
  src << "int " << n << "_train_step(int32_t task, const " << in_type << " *" << in << ", int32_t label) {\n";
  src << "  if (task < 0 || task >= " << tasks << " || " << in << " == NULL || label < 0 || label >= " << n
      << "_heads[task][0].classes || label >= " << n << "_heads[task][1].classes) return -1;\n";
  src << "  " << n << "_heads_init();\n";
  src << "  " << n << "_part(" << in << ");\n  " << microt_pool_call(mt.split) << step(0);
  src << "  " << n << "_rest();\n  " << microt_pool_call(mt.final_features) << step(1);
  src << "  return 0;\n}\n\n";
  return src.str();
}

}  // namespace mtc
