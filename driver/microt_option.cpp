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
#include "driver/microt_plot.h"
#include "driver/qemu_engine.h"
#include "microt/features.h"
#include "microt/search.h"
#include "microt/split_points.h"
#include "support/error.h"
#include "support/npy.h"
#include "support/npz.h"

namespace mtc {

void MicrotCli::add(CLI::App *app) {
  app->add_flag("--microt", enabled, "MicroT adaptive inference: split-point search and exit heads per --task");
  app->add_option("--task", tasks, "a local task: NAME=FILE.npz with x (N, ...) float inputs and y (N,) labels");
  app->add_option("--val", vals, "validation samples of a task: NAME=FILE.npz (default: every fifth sample of its --task)");
  app->add_option("--split", split, "auto (the cheapest split within --max-drop) or the name of a candidate tensor");
  app->add_option("--ratio", ratio, "share of samples that should exit at the part model (default 0.5; the summary "
                                    "line reports the chosen split there)");
  app->add_option("--max-drop", max_drop_points, "accuracy points the adaptive model may lose (default 1)");
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

std::string md_cell(const std::string &s) {
  std::string out;
  for (char c : s) out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out;
}

std::string pct(double v) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(1) << v * 100 << "%";
  return os.str();
}

}  // namespace

std::optional<MicrotPlan> MicrotCli::run(const Graph &g, const std::string &out_dir, std::ostream &log) const {
  if (tasks.empty()) throw CompileError("--microt needs at least one --task NAME=FILE.npz");
  if (ratio < 0 || ratio > 1) throw CompileError("--ratio must lie in [0, 1]");
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

  SearchOptions so;
  so.max_drop = max_drop_points / 100.0;
  std::vector<SplitSearch> results;
  for (const TaskData &t : data) {
    log << "microt: task " << t.name << ": " << t.x_train.size() << " training and " << t.x_val.size()
        << " validation samples, " << t.classes << " classes, " << usable.size() << " candidate splits\n";
    const HeadFeatures tr = head_features(g, usable, final_tensor, t.x_train);
    const HeadFeatures va = head_features(g, usable, final_tensor, t.x_val);
    results.push_back(search_splits(usable, tr, t.y_train, va, t.y_val, t.classes, so));
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

  // reports
  nlohmann::json j;
  j["candidates"] = nlohmann::json::array();
  for (const SplitCandidate &c : usable)
    j["candidates"].push_back({{"step", c.step},
                               {"tensor", g.tensor(c.tensor).name},
                               {"bytes", c.bytes},
                               {"part_macs", c.part_macs},
                               {"total_macs", c.total_macs}});
  j["chosen"] = chosen < 0 ? nlohmann::json(nullptr) : nlohmann::json(g.tensor(usable[size_t(chosen)].tensor).name);
  j["max_drop_points"] = max_drop_points;
  j["cost_unit"] = "multiply-accumulates (heads included)";
  j["tasks"] = nlohmann::json::array();
  std::ostringstream md;
  md << "# MicroT split search\n\n";
  md << "Expected cost is counted in multiply-accumulates per inference (extractor and heads); "
        "instructions and energy per target come with the generated stage decision (a later slice). "
        "Heads: multinomial logistic regression on the pooled int8 features the compiled extractor "
        "produces. Accuracy budget: "
     << max_drop_points << " point(s) below the full model.\n\n";
  md << "Chosen split: "
     << (chosen < 0 ? std::string("none (no candidate keeps every task within the budget)")
                    : "`" + md_cell(g.tensor(usable[size_t(chosen)].tensor).name) + "`")
     << "\n\n";
  md << "| step | split tensor | bytes | part MACs | share of MACs |\n|---:|---|---:|---:|---:|\n";
  for (const SplitCandidate &c : usable)
    md << "| " << c.step << " | `" << md_cell(g.tensor(c.tensor).name) << "` | " << c.bytes << " | " << c.part_macs
       << " | " << pct(double(c.part_macs) / double(c.total_macs)) << " |\n";
  for (size_t t = 0; t < data.size(); ++t) {
    const SplitSearch &s = results[t];
    nlohmann::json jt = {{"name", data[t].name},
                         {"file", data[t].file},
                         {"train_samples", data[t].x_train.size()},
                         {"val_samples", data[t].x_val.size()},
                         {"classes", data[t].classes},
                         {"full_accuracy", s.full_accuracy},
                         {"full_cost", s.full_cost},
                         {"splits", nlohmann::json::array()}};
    md << "\n## Task " << md_cell(data[t].name) << "\n\nFull model alone: accuracy " << pct(s.full_accuracy)
       << " on " << data[t].x_val.size() << " validation samples.\n\n";
    {
      std::vector<std::string> labels;
      for (const SplitResult &r : s.splits) labels.push_back("after step " + std::to_string(r.split.step));
      const std::string svg = "microt_task" + std::to_string(t) + ".svg";
      std::filesystem::create_directories(out_dir);
      std::ofstream(out_dir + "/" + svg) << microt_plot_svg(s, labels, "task " + data[t].name + ": accuracy against cost");
      md << "![accuracy against expected cost per split, Pareto front marked](" << svg << ")\n\n";
      jt["plot"] = svg;
    }
    md << "| split tensor | part head accuracy | best ratio within budget | accuracy there | expected cost vs full |\n"
          "|---|---:|---:|---:|---:|\n";
    for (const SplitResult &r : s.splits) {
      const ExitPoint *bp = best_within_budget(r, s.full_accuracy, so.max_drop);
      nlohmann::json curve = nlohmann::json::array();
      for (const ExitPoint &p : r.curve) {
        curve.push_back({{"ratio", p.ratio},
                         {"threshold", std::isfinite(p.threshold) ? nlohmann::json(p.threshold) : nlohmann::json(nullptr)},
                         {"exit_share", p.exit_share},
                         {"accuracy", p.accuracy},
                         {"cost", p.cost}});
      }
      jt["splits"].push_back({{"tensor", g.tensor(r.split.tensor).name},
                              {"part_accuracy", r.part_accuracy},
                              {"curve", curve}});
      md << "| `" << md_cell(g.tensor(r.split.tensor).name) << "` | " << pct(r.part_accuracy) << " | "
         << (bp ? std::to_string(bp->ratio).substr(0, 4) : std::string("-")) << " | " << (bp ? pct(bp->accuracy) : "-")
         << " | " << (bp ? pct(bp->cost / s.full_cost) : "-") << " |\n";
    }
    if (chosen >= 0) {
      const SplitResult &r = s.splits[size_t(chosen)];
      md << "\nChosen split, ratio -> outcome (thresholds from the validation samples):\n\n"
            "| ratio | threshold | exit share | accuracy | expected cost vs full |\n|---:|---:|---:|---:|---:|\n";
      for (const ExitPoint &p : r.curve)
        md << "| " << std::fixed << std::setprecision(2) << p.ratio << " | "
           << (std::isfinite(p.threshold) ? std::to_string(p.threshold).substr(0, 6) : std::string("-")) << " | "
           << pct(p.exit_share) << " | " << pct(p.accuracy) << " | " << pct(p.cost / s.full_cost) << " |\n";
      md << std::defaultfloat;
      const ExitPoint *at = &point_at_ratio(r, ratio);
      log << "microt: task " << data[t].name << ": full model " << pct(s.full_accuracy) << "; split '"
          << g.tensor(r.split.tensor).name << "' at ratio " << at->ratio << ": accuracy " << pct(at->accuracy)
          << ", exit share " << pct(at->exit_share) << ", expected MACs " << pct(at->cost / s.full_cost)
          << " of the full model's\n";
    }
    j["tasks"].push_back(jt);
  }
  std::filesystem::create_directories(out_dir);
  const std::string mdp = out_dir + "/microt_report.md", jp = out_dir + "/microt_report.json";
  std::ofstream(mdp) << md.str();
  std::ofstream jf(jp);
  jf << j.dump(2) << "\n";
  if (!jf) throw CompileError("cannot write " + jp);
  log << "microt: wrote " << mdp << " and " << jp
      << (chosen < 0 ? "; no split keeps every task within the budget: no NAME_infer\n" : "\n");
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
    h.threshold = point_at_ratio(r, ratio).threshold;
    plan.tasks.push_back(std::move(h));
  }
  return plan;
}

void run_microt_on_qemu(const Graph &g, const MicrotPlan &plan, const std::string &file, const std::string &output,
                        const std::string &target, std::ostream &log) {
  std::vector<std::vector<Value>> xs;
  std::vector<int64_t> ys;
  read_samples(g, file, xs, ys);
  QemuOptions qo;
  qo.target = target;
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
  const double n = double(xs.size()), whole = *full.report.instructions_per_inference;
  log << "microt: task " << plan.tasks[0].name << " on " << target << ", " << xs.size() << " samples of " << file
      << ": accuracy " << pct(double(right) / n) << ", exit share " << pct(double(exits) / n) << ", "
      << int64_t(instr / n) << " instructions an inference on average against " << int64_t(whole)
      << " for the whole model (" << pct(instr / n / whole) << ")\n";
}

}  // namespace mtc
