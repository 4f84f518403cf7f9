// The Cortex-M engine: compile a graph to C, build it for a Cortex-M target with arm-none-eabi-gcc,
// run it on the target's QEMU board and measure it.
//
// Figures (RunReport):
// - instructions: exact executed guest instructions of the inference call, from the project's
//   QEMU TCG plugin (tools/qemu_insn_plugin), minus the cost of an empty marker pair. The figure
//   is NAME_run with its callees plus the call sequence (argument moves, bl: a few instructions).
// - flash_bytes: .text + .rodata + .data kept by the linker from NAME.o, the runtime kernel objects
//   and the libc/libm/libgcc members they pull in (the harness and board files pull in none), read
//   from the link map. ram_bytes: .data + .bss of those (the static arena included) plus the
//   measured peak stack of one inference (stack painted before the call, high-water mark after).
//   The caller-owned input and output buffers are not counted.
#pragma once
#include <string>
#include <vector>

#include "driver/qemu_harness.h"
#include "driver/run_report.h"
#include "ir/graph.h"
#include "microt/plan.h"

namespace mtc {

struct QemuOptions {
  std::string target = "cortex-m4";         // a non-host entry of targets/target.h
  std::string keep_dir;                     // if set, the build directory is kept here (for debugging)
  std::string plugin;                       // empty: $MTC_QEMU_PLUGIN, then next to the running executable
  int timeout_seconds = 300;                // per tool invocation and per QEMU run
  int64_t max_image_input_bytes = 1 << 20;  // larger batches are split over several images
  bool per_layer = false;         // a marker call after every layer: RunReport::layers (first item)
  bool portable_kernels = false;  // build with MTC_PORTABLE_KERNELS: plain C kernels, no DSP paths
  std::string profile_file;       // if set: executed instructions per function of the first image
  // MicroT: run NAME_infer(microt_task, ...) of the plan's generated C instead of NAME_run; each
  // item's outputs are then one int32 [3]: label, stage, the confidence's float bits
  const MicrotPlan *microt = nullptr;
  int32_t microt_task = 0;
  const MicrotTraining *microt_training = nullptr;  // on-device training first (a trainable plan)
};

struct QemuRun {
  std::vector<std::vector<Value>> outputs;  // per item, per graph output: bit-exact from the target
  RunReport report;
};

QemuRun run_on_qemu(const Graph &g, const std::vector<std::vector<Value>> &batch, const QemuOptions &opts);

}  // namespace mtc
