// The `microtc` command line: compile, run, inspect.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include "codegen/c_emitter.h"
#include "driver/batch.h"
#include "driver/host_engine.h"
#include "driver/inspect.h"
#include "driver/load_model.h"
#include "driver/microt_option.h"
#include "driver/patch_option.h"
#include "driver/qemu_engine.h"
#include "driver/quantize_options.h"
#include "driver/run_report.h"
#include "eval/evaluator.h"
#include "memory/plan_chart.h"
#include "memory/schedule.h"
#include "support/error.h"
#include "support/npy.h"
#include "support/npz.h"
#include "targets/board_sources.h"
#include "targets/target.h"

using namespace mtc;

namespace {

struct CommonOptions {
  std::string model;
  std::vector<std::string> input_shapes;
  std::string passes;
  bool print_after_each = false;
  std::string patch;  // --patch: "", "auto" or a grid size
  QuantizeCli quant;
  std::optional<QuantizeReport> quant_report;  // set by load() when --quantize was given
  std::optional<ScheduleResult> schedule;      // set by load() unless --passes was given

  void add(CLI::App *app) {
    quant.add(app);
    app->add_option("model", model, "ONNX model file")->required();
    app->add_option("--input-shape", input_shapes,
                    "static shape for a graph input with symbolic dims: 1,3,32,32 or NAME:1,3,32,32");
    app->add_option("--passes", passes, "comma-separated pass list instead of the default pipeline");
    app->add_flag("--print-after-each", print_after_each, "dump the IR after every pass (to stderr)");
    app->add_option("--patch", patch, "patch-based inference of the first layers: auto (stage end and grid with the "
                    "smallest arena) or N (an N x N grid, 2..8)");
  }

  Graph load() {
    LoadOptions lo;
    for (const std::string &s : input_shapes) parse_input_shape_option(s, lo.import);
    if (!passes.empty()) {
      std::stringstream ss(passes);
      std::string p;
      while (std::getline(ss, p, ',')) lo.passes.push_back(p);
    }
    lo.print_after_each = print_after_each;
    lo.log = &std::cerr;
    Graph g = load_model(model, lo);
    if (quant.enabled()) quant_report = quant.apply(g, std::cerr);
    // Last, once tensor sizes are final (int8): the branch order with the smallest arena.
    if (passes.empty()) {
      schedule = schedule_for_memory(g);
      if (schedule->arena_after < schedule->arena_before)
        std::cerr << "execution order: " << schedule->order << " (arena " << schedule->arena_before << " -> "
                  << schedule->arena_after << " bytes in model order)\n";
    }
    return g;
  }
};

std::string default_name(const std::string &model) {
  return sanitize_c_identifier(std::filesystem::path(model).stem().string());
}

}  // namespace

int main(int argc, char **argv) {
  CLI::App app{"microtc: an ahead-of-time compiler from ONNX models to standalone C for microcontrollers"};
  app.require_subcommand(1);

  CommonOptions compile_opts;
  std::string out_dir, name, target = "host";
  auto *compile = app.add_subcommand("compile", "compile a model to C99 (NAME.h, NAME.c and runtime kernels)");
  compile_opts.add(compile);
  compile->add_option("-o,--output", out_dir, "output directory")->required();
  MicrotCli microt;
  microt.add(compile);
  compile->add_option("--name", name, "C prefix of the generated symbols (default: model file stem)");
  std::string compile_report;
  compile->add_option("--report", compile_report, "write JSON: arena, lower bound, MACs and what quantization did");
  bool print_plan = false;
  compile->add_flag("--print-memory-plan", print_plan, "print the arena plan: buffers, a step x arena chart, "
                    "the lower bound");
  compile->add_option("--target", target, "target; Cortex-M targets also get startup, semihosting and linker "
                      "script files in OUT/board/")->check(CLI::IsMember(target_names()));

  CommonOptions run_opts;
  std::vector<std::string> run_inputs, run_outputs;
  std::string engine = "c", keep, run_target = "host", report_file, profile_file;
  bool sanitize = false, per_layer = false, portable_kernels = false;
  auto *run = app.add_subcommand("run", "run a model on a batch of inputs (.npy, first axis = batch)");
  run_opts.add(run);
  MicrotCli run_microt;
  run_microt.add(run);
  int device_epochs = 0;
  run->add_option("--device-epochs", device_epochs,
                  "with --microt --train-heads: also train the heads on the board from zero, this many epochs over "
                  "the first task's samples, and report their accuracy on --input");
  run->add_option("--input", run_inputs, "input .npy, .npz (array x) or .npz:KEY (one per model input, in order)")->required();
  run->add_option("--output", run_outputs, "output .npy (one per model output, in order)")->required();
  run->add_option("--engine", engine, "c: generated C built with the host compiler; ref: the reference evaluator")
      ->check(CLI::IsMember({"c", "ref"}));
  run->add_flag("--sanitize", sanitize, "build the generated C with -fsanitize=address,undefined");
  run->add_option("--keep-build", keep, "keep the generated C and harness in this directory");
  run->add_option("--target", run_target, "host, or a Cortex-M target run under QEMU (measures instructions, "
                  "flash, RAM)")->check(CLI::IsMember(target_names()));
  run->add_option("--report", report_file, "write the run's figures as JSON to this file");
  run->add_flag("--per-layer", per_layer, "Cortex-M: also measure instructions per layer (printed, and in --report)");
  run->add_option("--profile", profile_file,
                  "Cortex-M: write executed instructions per function (the whole QEMU run of the first image)");
  run->add_flag("--portable-kernels", portable_kernels,
                "Cortex-M: build the kernels' plain C paths instead of the DSP ones (a baseline)");

  CommonOptions inspect_opts;
  bool dump_ir = false;
  auto *inspect = app.add_subcommand("inspect", "per-layer table (op, shapes, parameters, MACs) after simplification");
  inspect_opts.add(inspect);
  inspect->add_flag("--ir", dump_ir, "also print the IR");

  CLI11_PARSE(app, argc, argv);

  try {
    if (*compile) {
      Graph g = compile_opts.load();
      std::optional<PatchOutcome> patch = apply_patch_option(g, compile_opts.patch, std::cerr);
      std::string cname = name.empty() ? default_name(compile_opts.model) : name;
      if (sanitize_c_identifier(cname) != cname)
        throw CompileError("--name " + quote_name(cname) + " is not a C identifier (letters, digits, _; not starting with a digit)");
      if (!microt.enabled && !microt.tasks.empty()) throw CompileError("--task needs --microt");
      std::optional<MicrotPlan> microt_plan;
      if (microt.enabled) microt_plan = microt.run(g, target, out_dir, std::cout);
      EmitOptions eo;
      if (microt_plan) eo.microt = &*microt_plan;
      CBundle b = emit_c_bundle(g, cname, eo);
      write_c_bundle(b, out_dir);
      std::cout << "wrote " << out_dir << "/" << cname << ".h, " << cname << ".c and " << b.runtime_files.size()
                << " runtime files; arena " << b.plan.arena_size << " bytes\n";
      if (print_plan) print_memory_plan(g, b.plan, std::cout);
      if (print_plan && patch) print_patch_outcome(*patch, std::cout, true);
      if (!compile_report.empty()) {
        std::ofstream rf(compile_report);
        RunReport basic = basic_run_report(g, target, 0);
        rf << "{\n  \"target\": \"" << target << "\",\n  \"arena_bytes\": " << b.plan.arena_size
           << ",\n  \"arena_lower_bound\": " << b.plan.lower_bound
           << ",\n  \"arena_bytes_whole_tensor\": " << (patch ? patch->arena_whole : b.plan.arena_size)
           << ",\n  \"lower_bound_whole_tensor\": " << (patch ? patch->lower_bound_whole : b.plan.lower_bound)
           << ",\n  \"patch\": " << (patch ? patch_outcome_json(*patch) : "null") << ",\n  \"macs\": " << basic.macs
           << ",\n  \"arena_bytes_model_order\": "
           << (compile_opts.schedule ? compile_opts.schedule->arena_before : b.plan.arena_size)
           << ",\n  \"execution_order\": \"" << (compile_opts.schedule ? compile_opts.schedule->order : "model order") << "\""
           << ",\n  \"constant_bytes\": " << b.constant_bytes << ",\n  \"weight_bytes\": " << graph_constant_bytes(g)
           << ",\n  \"quantization\": " << (compile_opts.quant_report ? quantize_report_json(*compile_opts.quant_report) : "null")
           << ",\n  \"memory_plan\": " << memory_plan_json(g, b.plan)
           << "}\n";
        if (!rf) throw CompileError("cannot write " + quote_name(compile_report));
      }
      const TargetInfo &ti = find_target(target);
      if (!ti.is_host) {  // same C for now; target-specific (int8 DSP) kernels come later
        std::filesystem::create_directories(out_dir + "/board");
        for (const std::string &f : ti.board_files) {
          std::string path = out_dir + "/board/" + std::filesystem::path(f).filename().string();
          std::ofstream bf(path, std::ios::binary);
          bf << board_source(f);
          if (!bf) throw CompileError("cannot write " + quote_name(path));
        }
        std::cout << "wrote " << ti.board_files.size() << " board files to " << out_dir
                  << "/board; build with arm-none-eabi-gcc";
        for (const std::string &flag : ti.cpu_flags) std::cout << " " << flag;
        std::cout << " -T board/" << std::filesystem::path(ti.linker_script).filename().string()
                  << " -nostartfiles (QEMU -M " << ti.qemu_machine << ")\n";
      }
    } else if (*run) {
      Graph g = run_opts.load();
      if (run_microt.enabled) {
        // MicroT on a Cortex-M board: the split search on the tasks, then the test set of the first
        // task (--input FILE.npz with x and y) through NAME_infer and through the whole model
        if (run_target == "host") throw CompileError("run --microt measures on a Cortex-M target: give --target");
        if (run_inputs.size() != 1 || run_outputs.size() != 1)
          throw CompileError("run --microt takes one --input FILE.npz (x and y) and one --output");
        const std::string dir = std::filesystem::path(run_outputs[0]).parent_path().string();
        std::optional<MicrotPlan> plan = run_microt.run(g, run_target, dir.empty() ? "." : dir, std::cout);
        if (!plan) throw CompileError("run --microt: no split keeps every task within --max-drop");
        MicrotRunOptions mo;
        mo.target = run_target;
        mo.per_layer = per_layer;
        mo.report_file = report_file;
        mo.device_epochs = device_epochs;
        mo.train_file = run_microt.first_task_file();
        run_microt_on_qemu(g, *plan, run_inputs[0], run_outputs[0], mo, std::cout);
        return 0;
      }
      // The reference evaluator always runs the whole-tensor graph: the check of the patched C.
      if (engine != "ref" || run_target != "host") apply_patch_option(g, run_opts.patch, std::cerr);
      if (run_inputs.size() != g.inputs.size())
        throw CompileError("the model has " + std::to_string(g.inputs.size()) + " inputs; give one --input per input");
      if (run_outputs.size() != g.outputs.size())
        throw CompileError("the model has " + std::to_string(g.outputs.size()) + " outputs; give one --output per output");
      std::vector<std::vector<Value>> per_input;
      for (size_t i = 0; i < run_inputs.size(); ++i) {
        const Tensor &t = g.tensor(g.inputs[i]);
        auto [path, key] = split_array_spec(run_inputs[i]);
        Value x = read_array_file(path, key);
        // Any numeric file feeds a float model (uint8 images); integer inputs must match exactly.
        if (t.dtype == DType::F32) x = to_float32(x);
        else if (x.dtype != t.dtype)
          throw CompileError(quote_name(run_inputs[i]) + " holds " + dtype_name(x.dtype) + " data but model input " +
                             quote_name(t.name) + " is " + dtype_name(t.dtype) + "; integer inputs must match exactly");
        per_input.push_back(split_batch(x, t, run_inputs[i]));
        if (per_input[i].size() != per_input[0].size())
          throw CompileError("the --input files have different batch sizes");
      }
      size_t items = per_input.empty() ? 1 : per_input[0].size();
      std::vector<std::vector<Value>> batch(items);
      for (size_t k = 0; k < items; ++k)
        for (auto &inp : per_input) batch[k].push_back(inp[k]);
      std::vector<std::vector<Value>> results;
      RunReport report = basic_run_report(g, run_target, items);
      if (run_target != "host") {
        if (engine != "c" || sanitize)
          throw CompileError("--engine and --sanitize apply to --target host only");
        QemuOptions qo;
        qo.target = run_target;
        qo.keep_dir = keep;
        qo.per_layer = per_layer;
        qo.portable_kernels = portable_kernels;
        qo.profile_file = profile_file;
        QemuRun qr = run_on_qemu(g, batch, qo);
        results = std::move(qr.outputs);
        report = qr.report;
      } else if (per_layer || portable_kernels || !profile_file.empty()) {
        throw CompileError("--per-layer, --portable-kernels and --profile apply to Cortex-M targets only");
      } else if (engine == "ref") {
        for (auto &item : batch) results.push_back(evaluate_graph(g, item));
      } else {
        HostBuildOptions ho;
        ho.sanitize = sanitize;
        ho.keep_dir = keep;
        results = run_on_host(g, batch, ho);
      }
      for (size_t o = 0; o < g.outputs.size(); ++o) {
        const Tensor &t = g.tensor(g.outputs[o]);
        Shape s = t.shape;
        s.insert(s.begin(), int64_t(items));
        Value y(t.dtype, s);
        size_t per = results.empty() ? 0 : results[0][o].bytes.size();
        for (size_t k = 0; k < items; ++k) std::memcpy(y.bytes.data() + k * per, results[k][o].bytes.data(), per);
        write_npy(run_outputs[o], y);
      }
      if (run_target != "host") {
        std::cout << "ran " << items << " item(s) on " << run_target << " (" << *report.chip << ", QEMU): "
                  << static_cast<int64_t>(*report.instructions_per_inference)
                  << " instructions/inference, flash " << *report.flash_bytes << " B, RAM "
                  << *report.ram_bytes << " B (arena " << report.arena_bytes << ", stack "
                  << *report.stack_bytes << ")"
                  << (*report.fits_flash ? "" : "; does NOT fit flash")
                  << (*report.fits_ram ? "" : "; does NOT fit RAM") << "\n";
        if (!report.layers.empty()) print_layer_table(report, std::cout);
      } else {
        std::cout << "ran " << items << " item(s) with the " << engine << " engine\n";
      }
      if (!report_file.empty()) write_run_report(report_file, report);
    } else if (*inspect) {
      Graph g = inspect_opts.load();
      apply_patch_option(g, inspect_opts.patch, std::cerr);
      if (dump_ir) std::cout << dump_graph(g);
      print_inspect_table(g, std::cout);
    }
  } catch (const CompileError &e) {
    std::cerr << "microtc: error: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc &) {
    std::cerr << "microtc: error: out of memory (is the model or input file malformed?)\n";
    return 1;
  } catch (const std::exception &e) {
    std::cerr << "microtc: error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
