// MicroT's generated C (issue 5): the model's steps split into NAME_part (up to the split
// activation), NAME_rest (up to the full heads' features) and NAME_tail (the rest of NAME_run), and
// NAME_infer, which runs the part model, the task's part head and the stage decision, and resumes
// NAME_rest from the split activation still in the arena only when the part head is not confident.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "codegen/emitter.h"
#include "codegen/module_writer.h"
#include "microt/decision.h"
#include "support/error.h"

namespace mtc {

namespace {

int producer_step(const Graph &g, TensorId t) {
  const std::vector<int> p = g.producers();
  return p[size_t(t)];
}

std::string float_literal(float v) { return std::isinf(v) ? (v > 0 ? "INFINITY" : "-INFINITY") : c_float(v); }

}  // namespace

std::string ModuleWriter::microt_pool_call(TensorId t) {
  const Tensor &tt = g_.tensor(t);
  const int64_t c = tt.shape[1], count = shape_elements(tt.shape) / c;
  const float inv = tt.quant->scale[0] / float(count);  // as pooled_features computes it
  return "mtc_microt_pool_s8(" + tensor_ptr(t, false) + ", " + std::to_string(c) + ", " + std::to_string(count) +
         ", " + std::to_string(tt.quant->zero_point[0]) + ", " + c_float(inv) + ", " + name_ + "_features);\n";
}

std::string ModuleWriter::microt_header() const {
  const MicrotPlan &mt = *opts_.microt;
  const std::string in_type = dtype_c_type(g_.tensor(g_.inputs[0]).dtype);
  std::ostringstream h;
  h << "/* MicroT adaptive inference: " << mt.tasks.size() << " task(s)";
  for (size_t t = 0; t < mt.tasks.size(); ++t) h << (t ? ", " : ": ") << t << " " << c_comment(mt.tasks[t].name);
  h << ". */\n#define " << name_ << "_NUM_TASKS " << mt.tasks.size() << "\n";
  h << "typedef struct {\n  int32_t label;      /* the deciding head's class */\n"
       "  int32_t stage;      /* 1: the part model's head decided (early exit), 2: the full model's */\n"
       "  float confidence;   /* that head's maximum softmax probability */\n} "
    << name_ << "_result;\n";
  h << "/* Runs the part model and the task's part head; exits when its confidence reaches the task's\n"
       " * threshold, else resumes the rest of the model from the activation in the arena and the full head\n"
       " * answers. Returns 0, or -1 for a task out of range or a NULL result. */\n";
  h << "int " << name_ << "_infer(int32_t task, const " << in_type << " *input, " << name_ << "_result *result);\n";
  h << "/* The confidence a task's part head needs to decide (set at compile time from --ratio). */\n";
  h << "void " << name_ << "_set_threshold(int32_t task, float threshold);\n";
  h << "float " << name_ << "_threshold(int32_t task);\n";
  h << "/* Sets a task's threshold on the device so that a share `ratio` of these n samples (n inputs one\n"
       " * after another, n <= " << name_ << "_CALIBRATE_MAX) would exit early: runs the part model and the part\n"
       " * head on each; the threshold is the confidence ranked ceil(ratio * n) from the top (MicroT's percentile\n"
       " * rule). Returns 0, or -1 for a bad task, n or ratio. */\n";
  h << "#define " << name_ << "_CALIBRATE_MAX 64\n";
  h << "int " << name_ << "_calibrate_ratio(int32_t task, const " << in_type << " *samples, int32_t n, float ratio);\n";
  h << "/* How many inferences of a task each stage decided (stage 1 or 2). */\n";
  h << "uint32_t " << name_ << "_stage_count(int32_t task, int32_t stage);\n\n";
  if (mt.trainable) h << microt_train_header();
  return h.str();
}

std::string ModuleWriter::microt_source(const std::string &run_signature) {
  const MicrotPlan &mt = *opts_.microt;
  if (g_.inputs.size() != 1 || g_.outputs.size() != 1)
    throw CompileError("--microt: the extractor must have one input and one output");
  if (mt.tasks.empty()) throw CompileError("internal: a MicroT plan without tasks");
  const int split = producer_step(g_, mt.split), last = producer_step(g_, mt.final_features);
  if (split < 0 || last <= split) throw CompileError("internal: the MicroT split does not precede the features");
  for (TensorId t : {mt.split, mt.final_features}) {
    if (plan_.storage[size_t(t)].kind != StorageKind::Arena)
      throw CompileError("--microt: " + g_.describe_tensor(t) + " is not an activation in the arena");
    if (g_.tensor(t).dtype != DType::I8 || !g_.tensor(t).quant)
      throw CompileError("--microt: " + g_.describe_tensor(t) + " is not int8 with quantization parameters");
  }
  // NAME_part and NAME_rest take no output: nothing up to the features writes the graph output,
  // and nothing after the split reads the input
  for (int s = 0; s <= last; ++s) {
    for (TensorId t : g_.nodes[size_t(s)].outputs)
      if (t != kNoTensor && plan_.storage[size_t(t)].kind == StorageKind::Output)
        throw CompileError("--microt: " + g_.describe(g_.nodes[size_t(s)]) + " writes the graph output before the features");
    if (s > split)
      for (TensorId t : g_.nodes[size_t(s)].inputs)
        if (t != kNoTensor && plan_.storage[size_t(t)].kind == StorageKind::Input)
          throw CompileError("--microt: " + g_.describe(g_.nodes[size_t(s)]) + " reads the input after the split");
  }
  const std::string body = body_.str(), in = io_param(g_.inputs[0], true, 0), out = io_param(g_.outputs[0], false, 0);
  const std::string in_type = dtype_c_type(g_.tensor(g_.inputs[0]).dtype);
  const std::string out_type = dtype_c_type(g_.tensor(g_.outputs[0]).dtype);
  std::ostringstream src;
  src << "static void " << name_ << "_part(const " << in_type << " *" << in << ") {\n  (void)" << in << ";\n  (void)"
      << name_ << "_arena;\n"
      << body.substr(0, step_end_[size_t(split)]) << "}\n\n";
  src << "static void " << name_ << "_rest(void) {\n"
      << body.substr(step_end_[size_t(split)], step_end_[size_t(last)] - step_end_[size_t(split)]) << "}\n\n";
  src << "static void " << name_ << "_tail(" << out_type << " *" << out << ") {\n  (void)" << out << ";\n"
      << body.substr(step_end_[size_t(last)]) << "}\n\n";
  src << run_signature << " {\n  " << name_ << "_part(" << in << ");\n  " << name_ << "_rest();\n  " << name_
      << "_tail(" << out << ");\n  return 0;\n}\n\n";

  // the heads: constant, or trainable (RAM copies of the compiled weights, standardization tables)
  use_kernel("mtc_microt_pool_s8");
  use_kernel("mtc_microt_classify");  // calls mtc_microt_decide
  use_kernel("mtc_microt_decide");
  const bool train = mt.trainable;
  if (train) use_kernel("mtc_microt_train_step");
  int64_t max_features = 0, max_classes = 0;
  std::ostringstream heads, ram, train_table;
  heads << "static const mtc_microt_head " << name_ << "_heads[" << mt.tasks.size() << "][2] = {\n";
  train_table << "static const " << name_ << "_trainable_head " << name_ << "_train_heads[" << mt.tasks.size()
              << "][2] = {\n";
  for (size_t t = 0; t < mt.tasks.size(); ++t) {
    heads << "    {";
    train_table << "    {";
    for (int s = 0; s < 2; ++s) {
      const LinearHead &h = s == 0 ? mt.tasks[t].part : mt.tasks[t].full;
      auto floats = [](const std::vector<float> &v) {
        std::string e;
        for (size_t i = 0; i < v.size(); ++i) e += (i ? ", " : "") + c_float(v[i]);
        return e;
      };
      const std::string ws = declare_array("float", floats(h.weight), h.weight.size()),
                        bs = declare_array("float", floats(h.bias), h.bias.size());
      std::string w = ws, b = bs;
      if (train) {
        w = name_ + "_hw" + std::to_string(t) + "_" + std::to_string(s);
        b = name_ + "_hb" + std::to_string(t) + "_" + std::to_string(s);
        ram << "static float " << w << "[" << h.weight.size() << "];\nstatic float " << b << "[" << h.bias.size()
            << "];\n";
        // a head made without standardization trains on the raw features
        const bool stats = h.feature_mean.size() == size_t(h.features) && h.feature_inv_sd.size() == size_t(h.features);
        const std::string mean = declare_array("float", floats(stats ? h.feature_mean : std::vector<float>(size_t(h.features), 0.f)), size_t(h.features));
        const std::string inv = declare_array("float", floats(stats ? h.feature_inv_sd : std::vector<float>(size_t(h.features), 1.f)), size_t(h.features));
        train_table << "{" << w << ", " << b << ", " << ws << ", " << bs << ", " << mean << ", " << inv << "}"
                    << (s == 0 ? ", " : "");
      }
      heads << "{" << w << ", " << b << ", " << h.features << ", " << h.classes << "}" << (s == 0 ? ", " : "");
      max_features = std::max(max_features, h.features);
      max_classes = std::max(max_classes, h.classes);
    }
    heads << "},\n";
    train_table << "},\n";
  }
  heads << "};\n";
  train_table << "};\n";
  if (train)
    src << "typedef struct {\n  float *weight, *bias;\n  const float *init_weight, *init_bias, *mean, *inv_sd;\n} "
        << name_ << "_trainable_head;\n"
        << ram.str() << train_table.str();
  src << heads.str();
  // the thresholds with their stay margins (runtime mtc_microt_gate_set computes the same bound)
  use_kernel("mtc_microt_gate_set");
  use_kernel("mtc_microt_decide");
  src << "static mtc_microt_gate " << name_ << "_gates[" << mt.tasks.size() << "] = {";
  for (size_t t = 0; t < mt.tasks.size(); ++t)
    src << (t ? ", " : "") << "{" << float_literal(mt.tasks[t].threshold) << ", "
        << float_literal(stay_margin(mt.tasks[t].threshold, mt.tasks[t].part.classes)) << "}";
  src << "};\nstatic uint32_t " << name_ << "_stages[" << mt.tasks.size() << "][2];\n";
  src << "static float " << name_ << "_features[" << max_features << "];\nstatic float " << name_ << "_logits["
      << max_classes << "];\n\n";
  if (train) src << microt_train_functions(max_features);

  src << "int " << name_ << "_infer(int32_t task, const " << in_type << " *" << in << ", " << name_
      << "_result *result) {\n";
  src << "  float confidence;\n  int32_t label, exits;\n";
  src << "  if (task < 0 || task >= " << mt.tasks.size() << " || result == NULL) return -1;\n";
  if (train) src << "  " << name_ << "_heads_init();\n";
  src << "  " << name_ << "_part(" << in << ");\n";
  src << "  " << microt_pool_call(mt.split);
  src << "  exits = mtc_microt_decide(&" << name_ << "_heads[task][0], " << name_ << "_features, " << name_
      << "_logits, &" << name_ << "_gates[task], &label, &confidence);\n";
  // with layer markers, the heads are measured as one more layer each
  const std::string marker = opts_.layer_markers ? "  mtc_marker();\n" : "";
  src << marker << "  result->stage = 1;\n";
  src << "  if (!exits) {\n";
  src << "    /* not confident: the rest of the model from the split activation in the arena */\n";
  src << "    " << name_ << "_rest();\n";
  src << "    " << microt_pool_call(mt.final_features);
  src << "    label = mtc_microt_classify(&" << name_ << "_heads[task][1], " << name_ << "_features, " << name_
      << "_logits, &confidence);\n";
  src << (marker.empty() ? "" : "  " + marker) << "    result->stage = 2;\n  }\n";
  src << "  ++" << name_ << "_stages[task][result->stage - 1];\n";
  src << "  result->label = label;\n  result->confidence = confidence;\n  return 0;\n}\n\n";
  const int64_t in_elems = shape_elements(g_.tensor(g_.inputs[0]).shape);
  src << "int " << name_ << "_calibrate_ratio(int32_t task, const " << in_type << " *samples, int32_t n, float ratio) {\n";
  src << "  static float conf[" << name_ << "_CALIBRATE_MAX];\n  int32_t i, j, k;\n";
  src << "  if (task < 0 || task >= " << mt.tasks.size() << " || n < 1 || n > " << name_
      << "_CALIBRATE_MAX || !(ratio >= 0.0f && ratio <= 1.0f) || samples == NULL) return -1;\n";
  if (train) src << "  " << name_ << "_heads_init();\n";
  src << "  for (i = 0; i < n; ++i) {\n    float c;\n    " << name_ << "_part(samples + (size_t)i * " << in_elems
      << ");\n    " << microt_pool_call(mt.split);
  src << "    (void)mtc_microt_classify(&" << name_ << "_heads[task][0], " << name_ << "_features, " << name_
      << "_logits, &c);\n";
  src << "    /* insertion into descending order */\n";
  src << "    for (j = i; j > 0 && conf[j - 1] < c; --j) conf[j] = conf[j - 1];\n    conf[j] = c;\n  }\n";
  src << "  k = (int32_t)ceilf(ratio * (float)n);\n";
  src << "  mtc_microt_gate_set(&" << name_ << "_gates[task], k == 0 ? INFINITY : conf[k - 1], " << name_
      << "_heads[task][0].classes);\n  return 0;\n}\n\n";
  src << "void " << name_ << "_set_threshold(int32_t task, float threshold) {\n  if (task >= 0 && task < "
      << mt.tasks.size() << ") mtc_microt_gate_set(&" << name_ << "_gates[task], threshold, " << name_
      << "_heads[task][0].classes);\n}\n\n";
  src << "float " << name_ << "_threshold(int32_t task) {\n  return task >= 0 && task < " << mt.tasks.size() << " ? "
      << name_ << "_gates[task].threshold : INFINITY;\n}\n\n";
  src << "uint32_t " << name_ << "_stage_count(int32_t task, int32_t stage) {\n  return task >= 0 && task < "
      << mt.tasks.size() << " && (stage == 1 || stage == 2) ? " << name_ << "_stages[task][stage - 1] : 0;\n}\n";
  return src.str();
}

}  // namespace mtc
