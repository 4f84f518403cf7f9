// Builds the bundle once into objects, links one image per chunk of the batch (inputs are embedded,
// so a large batch is split to keep each image well inside the board's flash), runs each image
// under QEMU with the instruction-count plugin, and reads sizes from the link map.
#include "driver/qemu_engine.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "codegen/c_emitter.h"
#include "driver/link_map.h"
#include "driver/qemu_harness.h"
#include "support/error.h"
#include "support/file_io.h"
#include "support/process.h"
#include "targets/board_sources.h"
#include "targets/cost_model.h"
#include "targets/target.h"

namespace mtc {

namespace fs = std::filesystem;

namespace {

constexpr const char *kGcc = "arm-none-eabi-gcc";
constexpr const char *kNm = "arm-none-eabi-nm";
constexpr const char *kQemu = "qemu-system-arm";
constexpr const char *kPluginFile = "microtc-qemu-insn.so";

void require_tools() {
  if (!on_path(kGcc))
    throw CompileError(std::string(kGcc) +
                       " not found on PATH; the Cortex-M targets need it "
                       "(Debian: apt-get install gcc-arm-none-eabi libnewlib-arm-none-eabi)");
  if (!on_path(kQemu))
    throw CompileError(std::string(kQemu) +
                       " not found on PATH; the Cortex-M targets run under it "
                       "(Debian: apt-get install qemu-system-arm)");
}

std::string find_plugin(const QemuOptions &opts) {
  if (!opts.plugin.empty()) return opts.plugin;
  const char *env = std::getenv("MTC_QEMU_PLUGIN");
  if (env && *env) return env;
  std::error_code ec;
  fs::path exe_dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  for (fs::path p : {exe_dir / kPluginFile, exe_dir / ".." / "lib" / "microtc" / kPluginFile})
    if (fs::exists(p, ec)) return p.string();
  throw CompileError(std::string("the QEMU instruction-count plugin ") + kPluginFile +
                     " was not found next to " + exe_dir.string() +
                     " or in ../lib/microtc; build the CMake target mtc_qemu_insn_plugin or "
                     "set MTC_QEMU_PLUGIN");
}

void write_file(const std::string &path, const std::string &text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
  if (!f) throw CompileError("cannot write " + quote_name(path));
}

void run_tool(const std::vector<std::string> &cmd, int timeout, const std::string &what) {
  ProcessResult r = run_process(cmd, timeout);
  if (r.exit_code != 0)
    throw CompileError(what + " failed" + (r.timed_out ? " (timed out)" : "") + ":\n" + r.output);
}

// Chunks of the batch whose embedded inputs stay under `max_bytes` (at least one item each).
std::vector<std::pair<size_t, size_t>> chunk_batch(const std::vector<std::vector<Value>> &batch,
                                                   int64_t max_bytes) {
  std::vector<std::pair<size_t, size_t>> chunks;
  size_t begin = 0;
  int64_t bytes = 0;
  for (size_t k = 0; k < batch.size(); ++k) {
    int64_t item = 0;
    for (const Value &v : batch[k]) item += int64_t(v.bytes.size());
    if (k > begin && bytes + item > max_bytes) {
      chunks.push_back({begin, k});
      begin = k;
      bytes = 0;
    }
    bytes += item;
  }
  chunks.push_back({begin, batch.size()});
  return chunks;
}

// The marker's address in the linked image, from the symbol table.
std::string marker_address(const std::string &elf, int timeout) {
  ProcessResult r = run_process({kNm, elf}, timeout);
  if (r.exit_code != 0)
    throw CompileError(std::string(kNm) + " failed on " + quote_name(elf) + ":\n" + r.output);
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    std::string addr, type, sym;
    if (ls >> addr >> type >> sym && sym == kQemuMarkerSymbol) return "0x" + addr;
  }
  throw CompileError(std::string("internal: no ") + kQemuMarkerSymbol + " symbol in " + quote_name(elf));
}

// Executed instructions per function from the plugin's per-block counts ("ADDR INSNS EXECS"),
// attributed with the symbol table; written as "INSTRUCTIONS SHARE FUNCTION" lines, largest first.
void write_profile(const std::string &elf, const std::string &blocks_file, const std::string &out, int timeout) {
  ProcessResult r = run_process({kNm, "-S", "--defined-only", elf}, timeout);
  if (r.exit_code != 0) throw CompileError(std::string(kNm) + " failed on " + quote_name(elf) + ":\n" + r.output);
  struct Sym {
    uint64_t start, size;
    std::string name;
  };
  std::vector<Sym> syms;
  std::istringstream in(r.output);
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    std::string addr, size, type, name;
    if (!(ls >> addr >> size >> type >> name) || (type != "t" && type != "T" && type != "W" && type != "w")) continue;
    syms.push_back({std::stoull(addr, nullptr, 16) & ~uint64_t(1), std::stoull(size, nullptr, 16), name});
  }
  std::sort(syms.begin(), syms.end(), [](const Sym &a, const Sym &b) { return a.start < b.start; });
  std::map<std::string, int64_t> per_function;
  int64_t total = 0;
  std::ifstream bf(blocks_file);
  if (!bf) throw CompileError("the QEMU plugin wrote no profile to " + quote_name(blocks_file));
  for (std::string line; std::getline(bf, line);) {
    std::istringstream ls(line);
    std::string addr;
    int64_t insns = 0, execs = 0;
    if (!(ls >> addr >> insns >> execs)) continue;
    uint64_t a = std::stoull(addr, nullptr, 16);
    auto it = std::upper_bound(syms.begin(), syms.end(), a, [](uint64_t v, const Sym &s) { return v < s.start; });
    std::string name = "(unknown)";
    if (it != syms.begin() && a < std::prev(it)->start + std::prev(it)->size) name = std::prev(it)->name;
    per_function[name] += insns * execs;
    total += insns * execs;
  }
  std::vector<std::pair<int64_t, std::string>> rows;
  for (const auto &[name, n] : per_function) rows.push_back({n, name});
  std::sort(rows.rbegin(), rows.rend());
  std::ofstream f(out);
  f << "# executed instructions per function, whole QEMU run of the first image (harness included)\n";
  char buf[64];
  for (const auto &[n, name] : rows) {
    std::snprintf(buf, sizeof buf, "%12lld %6.2f%%  ", (long long)n, total ? 100.0 * double(n) / double(total) : 0.0);
    f << buf << name << "\n";
  }
  if (!f) throw CompileError("cannot write the profile " + quote_name(out));
}

// Snapshots from the plugin: one per marker hit.
std::vector<int64_t> read_marker_counts(const std::string &path) {
  std::ifstream f(path);
  if (!f) throw CompileError("the QEMU plugin wrote no counts to " + quote_name(path));
  std::vector<int64_t> counts;
  for (std::string line; std::getline(f, line);)
    if (!line.empty() && line.rfind("total", 0) != 0) counts.push_back(std::stoll(line));
  return counts;
}

LayerFigures layer_figures(int step, const std::string &name, const std::string &op, const std::string &kernel,
                           const LayerShape &s, int64_t instructions) {
  LayerFigures f;
  f.step = step;
  f.name = name;
  f.op = op;
  f.kernel = kernel;
  f.macs = s.macs;
  f.input_elements = s.input_elements;
  f.output_elements = s.output_elements;
  f.patch_elements = s.patch_elements;
  f.variant = s.variant;
  f.instructions = instructions;
  return f;
}

LayerFigures measured_layer(const Graph &g, const EmittedLayer &l, int64_t instructions) {
  const Node &n = g.nodes.at(size_t(l.step));
  return layer_figures(l.step, n.name, n.op, l.kernel, layer_shape(g, n), instructions);
}

LayerFigures head_layer(const Graph &g, const MicrotPlan &plan, int32_t task, bool full, int64_t instructions) {
  const MicrotTaskHeads &t = plan.tasks.at(size_t(task));
  const LinearHead &h = full ? t.full : t.part;
  return layer_figures(-1, std::string(full ? "full" : "part") + " head of task " + t.name, "MicrotHead",
                       kMicrotHeadKernel,
                       microt_head_shape(shape_elements(g.tensor(full ? plan.final_features : plan.split).shape),
                                         h.features, h.classes),
                       instructions);
}

}  // namespace

QemuRun run_on_qemu(const Graph &g, const std::vector<std::vector<Value>> &batch, const QemuOptions &opts) {
  const TargetInfo &target = find_target(opts.target);
  if (target.is_host) throw CompileError("internal: run_on_qemu called for the host target");
  require_tools();
  const std::string plugin = find_plugin(opts);
  if (batch.empty()) throw CompileError("the batch is empty; nothing to run on " + target.name);

  TempDir tmp;
  std::string dir = tmp.path();
  if (!opts.keep_dir.empty()) {
    dir = fs::absolute(opts.keep_dir).string();
    fs::create_directories(dir);
  }
  const std::string name = "model";
  EmitOptions eo;
  eo.layer_markers = opts.per_layer;
  eo.microt = opts.microt;
  CBundle bundle = emit_c_bundle(g, name, eo);
  const int64_t markers_per_item = 2 + (opts.per_layer ? int64_t(bundle.layers.size()) : 0);
  write_c_bundle(bundle, dir);
  fs::create_directories(dir + "/board");
  for (const std::string &f : target.board_files)
    write_file(dir + "/board/" + fs::path(f).filename().string(), board_source(f));

  // The model and its kernels build with the flags generated C promises to be clean under; the
  // harness and board files need GNU C (inline asm) and must not turn loops into libc calls, so
  // every libc/libm/libgcc member in the image belongs to the model.
  std::vector<std::string> common = {
      kGcc,      "-O2",      "-ffunction-sections", "-fdata-sections", "-Wall", "-Wextra",
      "-Werror", "-I" + dir, "-I" + dir + "/board"};
  common.insert(common.end(), target.cpu_flags.begin(), target.cpu_flags.end());
  auto compile = [&](const std::string &src, const std::string &obj, bool model_code) {
    std::vector<std::string> cmd = common;
    if (model_code) {
      cmd.insert(cmd.end(), {"-std=c99", "-pedantic"});
      if (opts.portable_kernels) cmd.push_back("-DMTC_PORTABLE_KERNELS");
    } else
      cmd.insert(cmd.end(), {"-std=gnu99", "-fno-tree-loop-distribute-patterns"});
    cmd.insert(cmd.end(), {"-c", src, "-o", obj});
    run_tool(cmd, opts.timeout_seconds,
             "building " + fs::path(src).filename().string() + " for " + target.name);
  };
  std::vector<std::string> model_objects, board_objects;
  std::vector<std::string> model_sources = {dir + "/" + name + ".c"};
  for (const std::string &f : bundle.runtime_files)
    if (f.size() > 2 && f.substr(f.size() - 2) == ".c")
      model_sources.push_back(dir + "/" + fs::path(f).filename().string());
  for (const std::string &src : model_sources) {
    model_objects.push_back(fs::path(src).replace_extension(".o").string());
    compile(src, model_objects.back(), true);
  }
  for (const std::string &f : target.board_files) {
    if (fs::path(f).extension() != ".c") continue;
    std::string src = dir + "/board/" + fs::path(f).filename().string();
    board_objects.push_back(fs::path(src).replace_extension(".o").string());
    compile(src, board_objects.back(), false);
  }

  QemuRun run;
  run.report = basic_run_report(g, target.name, batch.size());
  RunReport &rep = run.report;
  int64_t stack = -1, overhead = -1;
  // MicroT with per_layer: layers of NAME_part and of NAME_rest (bundle.layers is in step order)
  size_t part_layers = 0, rest_layers = 0;
  bool resumed_measured = false;
  std::vector<LayerFigures> resumed_layers;
  if (opts.microt) {
    const std::vector<int> producers = g.producers();
    const int split = producers[size_t(opts.microt->split)], last = producers[size_t(opts.microt->final_features)];
    for (const EmittedLayer &l : bundle.layers) {
      part_layers += l.step <= split;
      rest_layers += l.step > split && l.step <= last;
    }
  }
  std::string first_map;
  const auto chunks = chunk_batch(batch, opts.max_image_input_bytes);
  for (size_t c = 0; c < chunks.size(); ++c) {
    const auto [begin, end] = chunks[c];
    std::vector<std::vector<Value>> items(batch.begin() + long(begin), batch.begin() + long(end));
    const std::string stem = dir + "/image" + std::to_string(c);
    write_file(stem + "_harness.c", qemu_harness_source(g, name, items, opts.microt ? opts.microt_task : -1, opts.microt_training));
    compile(stem + "_harness.c", stem + "_harness.o", false);
    std::vector<std::string> link = common;
    link.insert(link.end(),
                {"-nostartfiles", "--specs=nano.specs", "--specs=nosys.specs", "-Wl,--gc-sections", "-T",
                 dir + "/board/" + fs::path(target.linker_script).filename().string(),
                 "-Wl,-Map=" + stem + ".map", "-o", stem + ".elf", stem + "_harness.o"});
    link.insert(link.end(), board_objects.begin(), board_objects.end());
    link.insert(link.end(), model_objects.begin(), model_objects.end());
    link.push_back("-lm");
    run_tool(link, opts.timeout_seconds, "linking the " + target.name + " image");

    const std::string counts_file = stem + "_counts.txt", blocks_file = stem + "_blocks.txt";
    const bool profile = !opts.profile_file.empty() && c == 0;
    std::error_code ec;
    fs::remove(counts_file, ec);
    ProcessResult ran = run_process(
        {kQemu, "-M", target.qemu_machine, "-nographic", "-monitor", "none", "-serial", "none",
         "-semihosting-config", "enable=on,target=native", "-kernel", stem + ".elf", "-plugin",
         plugin + ",marker=" + marker_address(stem + ".elf", opts.timeout_seconds) + ",out=" + counts_file +
             (profile ? ",profile=" + blocks_file : "")},
        opts.timeout_seconds);
    if (ran.exit_code != 0)
      throw CompileError(
          "the compiled model failed on " + target.name + " (QEMU " + target.qemu_machine + ")" +
          (ran.timed_out ? " (timed out)" : " with exit code " + std::to_string(ran.exit_code)) + ":\n" +
          ran.output.substr(0, 4000));
    if (profile) write_profile(stem + ".elf", blocks_file, opts.profile_file, opts.timeout_seconds);
    QemuHarnessOutput out = parse_qemu_harness_output(g, items.size(), ran.output, opts.microt != nullptr);
    if (c == 0) stack = out.stack_bytes;

    // Snapshots: an empty pair, then per inference one before, one after every layer (per_layer)
    // and one after. The empty pair's difference is the cost of one marker call in between. A
    // MicroT inference marks its part layers and the part head, and when it resumes, the rest's
    // layers and the full head: how many depends on the stage its result reports.
    std::vector<size_t> item_markers(items.size(), size_t(markers_per_item));
    if (opts.per_layer && opts.microt)
      for (size_t k = 0; k < items.size(); ++k)
        item_markers[k] = 3 + part_layers + (out.outputs[k][0].data<int32_t>()[1] == 2 ? rest_layers + 1 : 0);
    std::vector<int64_t> counts = read_marker_counts(counts_file);
    size_t expected = 2;
    for (size_t m : item_markers) expected += m;
    if (counts.size() != expected)
      throw CompileError("the QEMU plugin saw " + std::to_string(counts.size()) + " marker calls, expected " +
                         std::to_string(expected));
    int64_t pair = counts[1] - counts[0];
    if (overhead >= 0 && pair != overhead)
      throw CompileError("internal: the marker cost differs between images");
    overhead = pair;
    size_t first = 2;
    for (size_t k = 0; k < items.size(); first += item_markers[k], ++k) {
      const size_t last = first + item_markers[k] - 1;
      rep.per_item_instructions.push_back(counts[last] - counts[first] - overhead);
      if (!opts.per_layer) continue;
      auto between = [&](size_t m) { return counts[first + m + 1] - counts[first + m] - overhead; };
      if (!opts.microt) {
        if (c == 0 && k == 0)
          for (size_t l = 0; l < bundle.layers.size(); ++l) rep.layers.push_back(measured_layer(g, bundle.layers[l], between(l)));
        continue;
      }
      // MicroT: the part and its head from the first item, the rest and the full head from the
      // first that resumes
      if (c == 0 && k == 0) {
        for (size_t l = 0; l < part_layers; ++l) rep.layers.push_back(measured_layer(g, bundle.layers[l], between(l)));
        rep.layers.push_back(head_layer(g, *opts.microt, opts.microt_task, false, between(part_layers)));
      }
      if (item_markers[k] > 3 + part_layers && !resumed_measured) {
        resumed_measured = true;
        std::vector<LayerFigures> rest;
        for (size_t l = 0; l < rest_layers; ++l)
          rest.push_back(measured_layer(g, bundle.layers[part_layers + l], between(part_layers + 1 + l)));
        rest.push_back(head_layer(g, *opts.microt, opts.microt_task, true, between(part_layers + 1 + rest_layers)));
        resumed_layers = std::move(rest);
      }
    }
    for (auto &o : out.outputs) run.outputs.push_back(std::move(o));
    if (c == 0) first_map = read_file(stem + ".map");
  }
  for (LayerFigures &f : resumed_layers) rep.layers.push_back(std::move(f));
  if (stack < 0)
    throw CompileError("the inference used the whole free stack of the QEMU board (stack overflow?)");

  double sum = 0;
  for (int64_t n : rep.per_item_instructions) sum += double(n);
  rep.instructions_per_inference = sum / double(rep.per_item_instructions.size());
  rep.marker_overhead_instructions = overhead;

  // Model objects by path, library members as "….a(member.o)"; the harness and board objects
  // are neither.
  int64_t flash = 0, library_flash = 0, static_ram = 0;
  for (const auto &[file, s] : read_link_map(first_map)) {
    bool model = std::find(model_objects.begin(), model_objects.end(), file) != model_objects.end();
    bool library = file.find(".a(") != std::string::npos;
    if (!model && !library) continue;
    flash += s.flash();
    static_ram += s.ram();
    if (library) library_flash += s.flash();
  }
  rep.chip = target.chip;
  rep.flash_bytes = flash;
  rep.library_flash_bytes = library_flash;
  rep.static_ram_bytes = static_ram;
  rep.stack_bytes = stack;
  rep.ram_bytes = static_ram + stack;
  rep.chip_flash_bytes = target.flash_bytes;
  rep.chip_ram_bytes = target.ram_bytes;
  rep.chip_largest_ram_block_bytes = target.largest_ram_block_bytes;
  rep.clock_hz = target.clock_hz;
  rep.fits_flash = flash <= target.flash_bytes;
  rep.portable_kernels = opts.portable_kernels;
  // One static arena and the stack must each sit in one contiguous SRAM block; all of it in total.
  rep.fits_ram = *rep.ram_bytes <= target.ram_bytes && static_ram <= target.largest_ram_block_bytes;
  return run;
}

}  // namespace mtc
