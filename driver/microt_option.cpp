#include "driver/microt_option.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <sstream>

#include "driver/batch.h"
#include "driver/microt_report.h"
#include "driver/qemu_engine.h"
#include "microt/features.h"
#include "microt/search.h"
#include "microt/split_points.h"
#include "support/error.h"
#include "support/npy.h"
#include "support/npz.h"
#include "targets/target.h"

namespace mtc {

void MicrotCli::add(CLI::App *app) {
  app->add_flag("--microt", enabled, "MicroT adaptive inference: split-point search and exit heads per --task");
  app->add_option("--task", tasks, "a local task: NAME=FILE.npz with x (N, ...) float inputs and y (N,) labels");
  app->add_option("--val", vals, "validation samples of a task: NAME=FILE.npz (default: every fifth sample of its --task)");
  app->add_option("--split", split, "auto (the cheapest split within --max-drop) or the name of a candidate tensor");
  app->add_option("--ratio", ratio, "share of samples that should exit at the part model (default 0.5; the summary "
                                    "line reports the chosen split there)");
  app->add_option("--threshold", threshold,
                  "the part head's confidence needed to exit, for every task (instead of --ratio's)");
  app->add_option("--max-drop", max_drop_points, "accuracy points the adaptive model may lose (default 1)");
  app->add_flag("--train-heads", train_heads,
                "generate NAME_train_step and NAME_head_reset: the heads live in RAM and train on the device");
  app->add_option("--learning-rate", learning_rate, "the default SGD step of NAME_train_step (default 0.05)");
}

namespace {

struct TaskData {
  std::string name, file;
  std::vector<std::vector<Value>> x_train, x_val;
  std::vector<int64_t> y_train, y_val;
  int64_t classes = 0;
};

std::pair<std::string, std::string> name_and_file(const std::string &spec, const char *option) {
  const size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    throw CompileError(std::string(option) + " " + spec + ": expected NAME=FILE.npz");
  return {spec.substr(0, eq), spec.substr(eq + 1)};
}

// x and y of a task file, x split into model inputs.
void read_samples(const Graph &g, const std::string &file, std::vector<std::vector<Value>> &xs,
                  std::vector<int64_t> &ys) {
  if (g.inputs.size() != 1) throw CompileError("--microt: the extractor must have one input");
  const Tensor &in = g.tensor(g.inputs[0]);
  Value x = read_array_file(file, "x"), y = read_array_file(file, "y");
  if (in.dtype == DType::F32) x = to_float32(x);
  std::vector<Value> items = split_batch(x, in, file + ":x");
  if (y.shape.size() != 1 || y.shape[0] != int64_t(items.size()))
    throw CompileError(file + ":y must hold one label per sample of x (" + std::to_string(items.size()) + ")");
  for (size_t i = 0; i < items.size(); ++i) {
    const int64_t label = y.dtype == DType::F32 ? int64_t(y.data<float>()[i]) : y.get_i64(int64_t(i));
    if (label < 0 || label > 100000) throw CompileError(file + ":y holds label " + std::to_string(label));
    xs.push_back({items[i]});
    ys.push_back(label);
  }
}

}  // namespace

std::string MicrotCli::first_task_file() const {
  if (tasks.empty()) throw CompileError("--microt needs at least one --task NAME=FILE.npz");
  return name_and_file(tasks[0], "--task").second;
}

std::optional<MicrotPlan> MicrotCli::run(const Graph &g, const std::string &target, const std::string &out_dir,
                                         std::ostream &log) const {
  if (tasks.empty()) throw CompileError("--microt needs at least one --task NAME=FILE.npz");
  if (ratio < 0 || ratio > 1) throw CompileError("--ratio must lie in [0, 1]");
  if (!(learning_rate > 0 && learning_rate < 100)) throw CompileError("--learning-rate must lie in (0, 100)");
  if (threshold && !(*threshold >= 0 && *threshold <= 1)) throw CompileError("--threshold must lie in [0, 1]");
  const TensorId final_tensor = microt_final_features(g);
  if (final_tensor == kNoTensor || g.tensor(final_tensor).shape.size() < 2 || g.tensor(final_tensor).shape[0] != 1)
    throw CompileError("--microt needs an int8 extractor with one output of shape [1, C, ...] (compile with "
                       "--quantize int8)");
  const std::vector<SplitCandidate> cands = split_candidates(g);
  std::vector<SplitCandidate> usable;
  for (const SplitCandidate &c : cands)
    if (c.poolable) usable.push_back(c);
  if (usable.empty()) throw CompileError("--microt: the extractor has no split point (no step where one tensor is live)");
  if (split != "auto") {
    std::vector<SplitCandidate> one;
    std::string names;
    for (const SplitCandidate &c : usable) {
      names += " '" + g.tensor(c.tensor).name + "'";
      if (g.tensor(c.tensor).name == split) one.push_back(c);
    }
    if (one.empty()) throw CompileError("--split '" + split + "' is not a candidate; candidates:" + names);
    usable = one;
  }

  std::vector<TaskData> data;
  for (const std::string &spec : tasks) {
    TaskData t;
    std::tie(t.name, t.file) = name_and_file(spec, "--task");
    std::vector<std::vector<Value>> xs;
    std::vector<int64_t> ys;
    read_samples(g, t.file, xs, ys);
    std::string val_file;
    for (const std::string &v : vals) {
      auto [n, f] = name_and_file(v, "--val");
      if (n == t.name) val_file = f;
    }
    if (val_file.empty()) {
      // a deterministic hold-out: every fifth sample validates
      for (size_t i = 0; i < xs.size(); ++i) {
        (i % 5 == 4 ? t.x_val : t.x_train).push_back(xs[i]);
        (i % 5 == 4 ? t.y_val : t.y_train).push_back(ys[i]);
      }
    } else {
      t.x_train = std::move(xs), t.y_train = std::move(ys);
      read_samples(g, val_file, t.x_val, t.y_val);
    }
    if (t.x_train.size() < 2 || t.x_val.empty()) throw CompileError("--task " + t.name + ": too few samples");
    for (int64_t y : t.y_train) t.classes = std::max(t.classes, y + 1);
    for (int64_t y : t.y_val) t.classes = std::max(t.classes, y + 1);
    if (t.classes < 2) throw CompileError("--task " + t.name + ": the labels need at least two classes");
    data.push_back(std::move(t));
  }

  // instructions from the target's cost model when it has one (energy is proportional), else MACs
  const StageCosts costs = stage_costs(g, usable, final_tensor, find_cost_model(target));
  SearchOptions so;
  so.max_drop = max_drop_points / 100.0;
  std::vector<SplitSearch> results;
  for (const TaskData &t : data) {
    log << "microt: task " << t.name << ": " << t.x_train.size() << " training and " << t.x_val.size()
        << " validation samples, " << t.classes << " classes, " << usable.size() << " candidate splits\n";
    const HeadFeatures tr = head_features(g, usable, final_tensor, t.x_train);
    const HeadFeatures va = head_features(g, usable, final_tensor, t.x_val);
    results.push_back(search_splits(usable, costs, tr, t.y_train, va, t.y_val, t.classes, so));
  }
  // One split for every task: the candidate with the least summed expected cost at which every
  // task keeps its accuracy budget at some ratio.
  int chosen = -1;
  double best = INFINITY;
  for (size_t c = 0; c < usable.size(); ++c) {
    double sum = 0;
    bool ok = true;
    for (const SplitSearch &s : results) {
      const ExitPoint *b = best_within_budget(s.splits[c], s.full_accuracy, so.max_drop);
      ok = ok && b;
      sum += b ? b->cost / s.full_cost : INFINITY;
    }
    if (ok && sum < best) best = sum, chosen = int(c);
  }

  MicrotSearchReport rep;
  rep.graph = &g;
  rep.candidates = usable;
  rep.costs = costs;
  for (const TaskData &t : data)
    rep.tasks.push_back({t.name, t.file, t.x_train.size(), t.x_val.size(), t.classes});
  rep.results = results;
  rep.chosen = chosen;
  rep.ratio = ratio;
  rep.max_drop_points = max_drop_points;
  rep.target = &find_target(target);
  write_microt_report(rep, out_dir, log);
  if (chosen < 0) return std::nullopt;
  MicrotPlan plan;
  plan.split = usable[size_t(chosen)].tensor;
  plan.final_features = final_tensor;
  for (size_t t = 0; t < data.size(); ++t) {
    const SplitResult &r = results[t].splits[size_t(chosen)];
    MicrotTaskHeads h;
    h.name = data[t].name;
    h.part = r.head;
    h.full = results[t].full_head;
    h.threshold = threshold ? float(*threshold) : point_at_ratio(r, ratio).threshold;
    plan.tasks.push_back(std::move(h));
  }
  plan.trainable = train_heads;
  plan.learning_rate = float(learning_rate);
  return plan;
}

void run_microt_on_qemu(const Graph &g, const MicrotPlan &plan, const std::string &file, const std::string &output,
                        const MicrotRunOptions &opts, std::ostream &log) {
  std::vector<std::vector<Value>> xs;
  std::vector<int64_t> ys;
  read_samples(g, file, xs, ys);
  const TargetInfo &target = find_target(opts.target);
  QemuOptions qo;
  qo.target = opts.target;
  const QemuRun full = run_on_qemu(g, xs, qo);
  qo.microt = &plan;
  const QemuRun mt = run_on_qemu(g, xs, qo);
  Value out(DType::I32, {int64_t(xs.size()), 3});
  int64_t right = 0, exits = 0;
  double instr = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const int32_t *r = mt.outputs[i][0].data<int32_t>();
    std::copy(r, r + 3, out.data<int32_t>() + 3 * i);
    right += r[0] == ys[i];
    exits += r[1] == 1;
    instr += double(mt.report.per_item_instructions[i]);
  }
  write_npy(output, out);
  const double n = double(xs.size()), whole = *full.report.instructions_per_inference, mean = instr / n;
  std::optional<double> device_accuracy;
  const double nj = target.energy.nanojoules_per_instruction();
  auto uj = [&](double instructions) {
    std::ostringstream os;
    os << std::fixed << std::setprecision(1) << instructions * nj * 1e-3 << " uJ";
    return os.str();
  };
  log << "microt: task " << plan.tasks[0].name << " on " << opts.target << ", " << xs.size() << " samples of " << file
      << ": accuracy " << percent(double(right) / n) << ", exit share " << percent(double(exits) / n) << ", "
      << int64_t(mean) << " instructions an inference on average against " << int64_t(whole)
      << " for the whole model (" << percent(mean / whole) << ")\n";
  log << "microt: energy on the " << target.chip << ": " << uj(mean) << " an inference against " << uj(whole)
      << " for the whole model (" << nj << " nJ an instruction: " << target.energy.supply_volts << " V, "
      << target.energy.run_microamps_per_mhz << " uA/MHz, " << target.energy.cycles_per_instruction
      << " cycle an instruction; " << target.energy.source << ")\n";
  if (opts.device_epochs > 0) {
    // the heads trained on the device from zero on the task's samples, then the same test samples
    if (!plan.trainable) throw CompileError("--device-epochs needs --train-heads");
    std::vector<std::vector<Value>> tx;
    std::vector<int64_t> ty;
    read_samples(g, opts.train_file, tx, ty);
    MicrotTraining tr;
    for (auto &item : tx) tr.inputs.push_back(item[0]);
    tr.labels.assign(ty.begin(), ty.end());
    tr.epochs = opts.device_epochs;
    tr.from_zero = true;
    QemuOptions to = qo;
    to.microt_training = &tr;
    const QemuRun trained = run_on_qemu(g, xs, to);
    int64_t right_trained = 0;
    for (size_t i = 0; i < xs.size(); ++i) right_trained += trained.outputs[i][0].data<int32_t>()[0] == ys[i];
    device_accuracy = double(right_trained) / n;
    log << "microt: heads trained on the " << opts.target << " from zero (" << opts.device_epochs << " epochs over "
        << tx.size() << " samples of " << opts.train_file << ", step " << plan.learning_rate << "): accuracy "
        << percent(*device_accuracy) << " on the same test samples (compiler-trained heads: " << percent(double(right) / n)
        << ")\n";
  }
  RunReport layers;
  if (opts.per_layer) {
    qo.per_layer = true;
    layers = run_on_qemu(g, xs, qo).report;
    log << "microt: per layer (the part and its head from the first sample, the rest and the full head from the "
           "first that resumes; markers between layers):\n";
    print_layer_table(layers, log);
  }
  if (!opts.report_file.empty()) {
    nlohmann::json j;
    j["target"] = opts.target;
    j["chip"] = target.chip;
    j["task"] = plan.tasks[0].name;
    j["samples"] = xs.size();
    j["accuracy"] = double(right) / n;
    j["exit_share"] = double(exits) / n;
    j["instructions_per_inference"] = mean;
    j["whole_model_instructions_per_inference"] = whole;
    j["per_item_instructions"] = mt.report.per_item_instructions;
    j["energy_uj_per_inference"] = mean * nj * 1e-3;
    j["whole_model_energy_uj_per_inference"] = whole * nj * 1e-3;
    j["energy_model"] = {{"nanojoules_per_instruction", nj},
                         {"supply_volts", target.energy.supply_volts},
                         {"run_microamps_per_mhz", target.energy.run_microamps_per_mhz},
                         {"cycles_per_instruction", target.energy.cycles_per_instruction},
                         {"source", target.energy.source}};
    j["device_trained_accuracy"] = device_accuracy ? nlohmann::json(*device_accuracy) : nlohmann::json(nullptr);
    j["layers"] = opts.per_layer ? layers_json(layers.layers) : nlohmann::json(nullptr);
    std::ofstream f(opts.report_file);
    f << j.dump(2) << "\n";
    if (!f) throw CompileError("cannot write the report " + quote_name(opts.report_file));
  }
}

}  // namespace mtc
