// Writes the bundle and a small harness (the harness, not the generated code, does file I/O),
// builds with strict warnings, runs all items in one process.
#include "driver/host_engine.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "codegen/c_emitter.h"
#include "support/error.h"
#include "support/file_io.h"
#include "support/process.h"

namespace mtc {

namespace {

std::string harness_source(const Graph &g, const std::string &name) {
  std::ostringstream h;
  h << "#include <stdio.h>\n#include <stdlib.h>\n#include \"" << name << ".h\"\n\n";
  h << "int main(int argc, char **argv) {\n";
  h << "  FILE *in, *out;\n  long items, k;\n";
  h << "  if (argc != 4) return 2;\n  items = atol(argv[1]);\n";
  h << "  in = fopen(argv[2], \"rb\");\n  out = fopen(argv[3], \"wb\");\n  if (!in || !out) return 3;\n";
  auto decl = [&](const std::string &var, TensorId id) {
    const Tensor &t = g.tensor(id);
    h << "  static " << dtype_c_type(t.dtype) << " " << var << "[" << std::max<int64_t>(shape_elements(t.shape), 1)
      << "];\n";
  };
  for (size_t i = 0; i < g.inputs.size(); ++i) decl("in" + std::to_string(i), g.inputs[i]);
  for (size_t i = 0; i < g.outputs.size(); ++i) decl("out" + std::to_string(i), g.outputs[i]);
  h << "  for (k = 0; k < items; ++k) {\n";
  for (size_t i = 0; i < g.inputs.size(); ++i) {
    const Tensor &t = g.tensor(g.inputs[i]);
    int64_t n = shape_elements(t.shape);
    h << "    if (fread(in" << i << ", sizeof in" << i << "[0], " << n << ", in) != " << n << ") return 4;\n";
  }
  h << "    if (" << name << "_run(";
  for (size_t i = 0; i < g.inputs.size(); ++i) h << (i ? ", " : "") << "in" << i;
  for (size_t i = 0; i < g.outputs.size(); ++i) h << (i || !g.inputs.empty() ? ", " : "") << "out" << i;
  h << ") != 0) return 5;\n";
  for (size_t i = 0; i < g.outputs.size(); ++i) {
    const Tensor &t = g.tensor(g.outputs[i]);
    int64_t n = shape_elements(t.shape);
    h << "    if (fwrite(out" << i << ", sizeof out" << i << "[0], " << n << ", out) != " << n << ") return 6;\n";
  }
  h << "  }\n  fclose(in);\n  return fclose(out) == 0 ? 0 : 7;\n}\n";
  return h.str();
}

}  // namespace

std::vector<std::vector<Value>> run_on_host(const Graph &g, const std::vector<std::vector<Value>> &batch,
                                            const HostBuildOptions &opts) {
  namespace fs = std::filesystem;
  TempDir tmp;
  std::string dir = tmp.path();
  if (!opts.keep_dir.empty()) {
    dir = opts.keep_dir;
    fs::create_directories(dir);
  }
  const std::string name = "model";
  CBundle bundle = emit_c_bundle(g, name);
  write_c_bundle(bundle, dir);
  {
    std::ofstream f(dir + "/harness.c");
    f << harness_source(g, name);
  }
  std::string cc = opts.cc;
  if (cc.empty()) {
    const char *env = std::getenv("CC");
    cc = env && *env ? env : "cc";
  }
  std::vector<std::string> cmd = {cc, "-std=c99", opts.optimize ? "-O2" : "-O0", "-Wall", "-Wextra", "-Werror", "-pedantic", "-ffp-contract=off",
                                  "-I" + dir, "-o", dir + "/model_run", dir + "/harness.c", dir + "/" + name + ".c"};
  if (opts.sanitize) {
    cmd.insert(cmd.begin() + 1, {"-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-g"});
  }
  for (const std::string &f : bundle.runtime_files)
    if (f.size() > 2 && f.substr(f.size() - 2) == ".c") cmd.push_back(dir + "/" + fs::path(f).filename().string());
  cmd.push_back("-lm");
  ProcessResult built = run_process(cmd, opts.timeout_seconds);
  if (built.exit_code != 0)
    throw CompileError("building the generated C with " + cc + " failed" +
                       (built.timed_out ? " (timed out)" : "") + ":\n" + built.output);

  std::string in_bytes;
  for (const std::vector<Value> &item : batch) {
    if (item.size() != g.inputs.size()) throw CompileError("internal: wrong number of inputs for the host run");
    for (size_t i = 0; i < item.size(); ++i) {
      const Tensor &t = g.tensor(g.inputs[i]);
      if (item[i].dtype != t.dtype || item[i].elements() != shape_elements(t.shape))
        throw CompileError("input " + quote_name(t.name) + " expects " + dtype_name(t.dtype) + shape_str(t.shape) +
                           " but the data has " + dtype_name(item[i].dtype) + shape_str(item[i].shape));
      in_bytes.append(reinterpret_cast<const char *>(item[i].bytes.data()), item[i].bytes.size());
    }
  }
  {
    std::ofstream f(dir + "/inputs.bin", std::ios::binary);
    f << in_bytes;
  }
  ProcessResult ran = run_process({dir + "/model_run", std::to_string(batch.size()), dir + "/inputs.bin",
                                   dir + "/outputs.bin"},
                                  opts.timeout_seconds);
  if (ran.exit_code != 0)
    throw CompileError(std::string("the compiled model failed on the host") +
                       (ran.timed_out ? " (timed out)" : " with exit code " + std::to_string(ran.exit_code)) +
                       ":\n" + ran.output);
  std::string out_bytes = read_file(dir + "/outputs.bin");
  std::vector<std::vector<Value>> results;
  size_t pos = 0;
  for (size_t k = 0; k < batch.size(); ++k) {
    std::vector<Value> outs;
    for (TensorId id : g.outputs) {
      const Tensor &t = g.tensor(id);
      Value v(t.dtype, t.shape);
      if (pos + v.bytes.size() > out_bytes.size()) throw CompileError("the compiled model wrote too few outputs");
      std::memcpy(v.bytes.data(), out_bytes.data() + pos, v.bytes.size());
      pos += v.bytes.size();
      outs.push_back(std::move(v));
    }
    results.push_back(std::move(outs));
  }
  return results;
}

}  // namespace mtc
