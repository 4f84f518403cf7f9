// `microtc compile --microt`: MicroT's split-point search over the tasks given (issue 5, in
// slices): candidates, exit heads trained on the compiled extractor's own features, exit curves,
// the chosen split, OUT/microt_report.md + .json, and the plan for the generated NAME_infer.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include <optional>

#include "ir/graph.h"
#include "microt/plan.h"

namespace CLI {
class App;
}

namespace mtc {

struct MicrotCli {
  bool enabled = false;
  std::vector<std::string> tasks, vals;  // NAME=FILE.npz (arrays x and y)
  std::string split = "auto";            // auto or a candidate tensor's name
  double ratio = 0.5, max_drop_points = 1.0;
  std::optional<double> threshold;  // --threshold: every task's, instead of --ratio's
  bool train_heads = false;     // NAME_train_step, heads in RAM
  double learning_rate = 0.05;

  void add(CLI::App *app);
  std::string first_task_file() const;  // the file of the first --task
  // Runs the search on the compiled int8 graph g (costs from `target`'s cost model, MACs for the
  // host), writes the reports into out_dir, prints a
  // summary to `log`, and returns what the C emitter needs for NAME_infer (none when no split keeps
  // every task within the budget). Throws CompileError on bad task files, naming them.
  std::optional<MicrotPlan> run(const Graph &g, const std::string &target, const std::string &out_dir,
                                std::ostream &log) const;
};

struct MicrotRunOptions {
  std::string target;       // a Cortex-M target
  bool per_layer = false;   // also measure each layer and head (one more run, markers in the code)
  std::string report_file;  // if set: the figures as JSON
  int device_epochs = 0;     // > 0: also train the heads on the device from zero on train_file first
  std::string train_file;    // x and y
};

// `run --microt`: the test samples of `file` (arrays x and y) through the plan's NAME_infer for its
// first task and through the whole model on a Cortex-M target under QEMU; prints accuracy, exit
// share, mean instructions and energy (the target's board profile) of both, writes label, stage and
// confidence bits per sample (int32 [N, 3]) to `output`.
void run_microt_on_qemu(const Graph &g, const MicrotPlan &plan, const std::string &file, const std::string &output,
                        const MicrotRunOptions &opts, std::ostream &log);

}  // namespace mtc
