// `microtc compile --microt`: MicroT's split-point search over the tasks given (issue 5, in
// slices): candidates, exit heads trained on the compiled extractor's own features, exit curves,
// the chosen split, and OUT/microt_report.md + .json. The generated C's stage decision comes in a
// later slice; until then the C is the plain extractor.
#pragma once
#include <ostream>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace CLI {
class App;
}

namespace mtc {

struct MicrotCli {
  bool enabled = false;
  std::vector<std::string> tasks, vals;  // NAME=FILE.npz (arrays x and y)
  std::string split = "auto";            // auto or a candidate tensor's name
  double ratio = 0.5, max_drop_points = 1.0;

  void add(CLI::App *app);
  // Runs the search on the compiled graph g (int8 or float) and writes the reports into out_dir;
  // prints a summary to `log`. Throws CompileError on bad task files, naming them.
  void run(const Graph &g, const std::string &out_dir, std::ostream &log) const;
};

}  // namespace mtc
