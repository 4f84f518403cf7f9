// Shared test helpers.
#include "test_util.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "driver/host_engine.h"
#include "driver/load_model.h"
#include "eval/evaluator.h"

namespace mtc::test {

onnx::ModelProto empty_onnx_model(const std::string &graph_name, int opset) {
  onnx::ModelProto m;
  m.set_ir_version(8);
  auto *op = m.add_opset_import();
  op->set_domain("");
  op->set_version(opset);
  m.mutable_graph()->set_name(graph_name);
  return m;
}

std::pair<std::vector<Value>, std::vector<Value>> run_both_engines(const std::string &model_bytes,
                                                                   const std::vector<Value> &inputs) {
  TempDir tmp;
  std::string path = tmp.path() + "/model.onnx";
  std::ofstream(path, std::ios::binary) << model_bytes;
  LoadOptions lo;
  lo.verify_each = true;
  Graph g = load_model(path, lo);
  std::vector<Value> ref = evaluate_graph(g, inputs);
  HostBuildOptions ho;
  ho.optimize = false;
  return {ref, run_on_host(g, {inputs}, ho).at(0)};
}

double max_relative_error(const Value &got, const Value &want, double floor) {
  if (got.elements() != want.elements()) return INFINITY;
  double scale = 0;
  for (int64_t i = 0; i < want.elements(); ++i) scale = std::max(scale, std::fabs(want.get_f64(i)));
  floor = std::max(floor, 5e-2 * scale);
  double worst = 0;
  for (int64_t i = 0; i < want.elements(); ++i) {
    double a = got.get_f64(i), b = want.get_f64(i);
    double e = std::fabs(a - b) / std::max(std::fabs(b), floor);
    if (std::isnan(e)) return INFINITY;
    worst = std::max(worst, e);
  }
  return worst;
}

ProcessResult build_host_program(const std::string &program, const std::vector<std::string> &sources,
                                 const std::vector<std::string> &include_dirs, bool sanitize) {
  std::vector<std::string> cmd = {"cc", "-std=c99", sanitize ? "-O0" : "-O2", "-Wall", "-Wextra", "-Werror",
                                  "-pedantic", "-ffp-contract=off"};
  if (sanitize) cmd.insert(cmd.end(), {"-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-g"});
  for (const std::string &d : include_dirs) cmd.push_back("-I" + d);
  cmd.insert(cmd.end(), {"-o", program});
  cmd.insert(cmd.end(), sources.begin(), sources.end());
  cmd.push_back("-lm");
  return run_process(cmd, 120);
}

std::vector<std::string> bundle_c_files(const CBundle &b, const std::string &dir) {
  std::vector<std::string> files = {dir + "/" + b.name + ".c"};
  for (const std::string &f : b.runtime_files)
    if (f.size() > 2 && f.substr(f.size() - 2) == ".c") files.push_back(dir + "/" + f.substr(f.find('/') + 1));
  return files;
}

}  // namespace mtc::test
