// The target table. Chip figures come from ST's datasheets (checked 2024):
// - STM32L4R5 (Cortex-M4F): 2 MB flash, 640 KB SRAM (SRAM1 192 KB + SRAM2 64 KB + SRAM3 384 KB,
//   contiguous from 0x20000000), 120 MHz.
// - STM32H7A3 (Cortex-M7, DP FPU): 2 MB flash, "1.4 MB" RAM = 1,376 KB: 128 KB DTCM + 64 KB ITCM +
//   1,024 KB AXI SRAM + 128 KB AHB SRAM + 32 KB SRD SRAM (the 4 KB backup SRAM is not counted),
//   280 MHz. The largest contiguous block is the 1,024 KB AXI SRAM.
// Run-mode current per MHz (typical, 25 C, peripherals off), from the chips' front-page figures:
// STM32L4R5 110 uA/MHz (LDO regulator), STM32H7A3 120 uA/MHz (SMPS); both boards run at 3.3 V.
// They price a core cycle; memory wait states and peripherals are not modelled.
// The H7A3's core has a double-precision FPU, but -mfpu=fpv5-d16 is what the QEMU board's M7 and
// every M7 part accept; doubles are rare in the generated code either way.
#include "targets/target.h"

#include "support/error.h"
#include "targets/board_sources.h"

namespace mtc {

namespace {

constexpr int64_t kKiB = 1024;

std::vector<std::string> cortex_m_board_files() {
  return {"cortex-m/startup.c", "cortex-m/semihost.c", "cortex-m/semihost.h", "cortex-m/mps2.ld"};
}

std::vector<TargetInfo> make_targets() {
  std::vector<TargetInfo> t;
  TargetInfo host;
  host.name = "host";
  host.is_host = true;
  t.push_back(host);

  TargetInfo m4;
  m4.name = "cortex-m4";
  m4.qemu_machine = "mps2-an386";
  m4.cpu_flags = {"-mcpu=cortex-m4", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv4-sp-d16"};
  m4.has_dsp = true;
  m4.chip = "STM32L4R5";
  m4.flash_bytes = 2048 * kKiB;
  m4.ram_bytes = 640 * kKiB;
  m4.largest_ram_block_bytes = 640 * kKiB;
  m4.clock_hz = 120000000;
  m4.energy.supply_volts = 3.3;
  m4.energy.run_microamps_per_mhz = 110;
  m4.energy.source = "STM32L4R5 datasheet (DS12023), features: 110 uA/MHz in Run mode with the LDO regulator";
  m4.startup_file = "cortex-m/startup.c";
  m4.linker_script = "cortex-m/mps2.ld";
  m4.board_files = cortex_m_board_files();
  t.push_back(m4);

  TargetInfo m7 = m4;
  m7.name = "cortex-m7";
  m7.qemu_machine = "mps2-an500";
  m7.cpu_flags = {"-mcpu=cortex-m7", "-mthumb", "-mfloat-abi=hard", "-mfpu=fpv5-d16"};
  m7.chip = "STM32H7A3";
  m7.flash_bytes = 2048 * kKiB;
  m7.ram_bytes = 1376 * kKiB;
  m7.largest_ram_block_bytes = 1024 * kKiB;
  m7.clock_hz = 280000000;
  m7.energy.run_microamps_per_mhz = 120;
  m7.energy.source = "STM32H7A3/7B3 (ST product overview): 120 uA/MHz typical in Run mode with the SMPS";
  t.push_back(m7);
  return t;
}

}  // namespace

const std::vector<TargetInfo> &all_targets() {
  static const std::vector<TargetInfo> targets = make_targets();
  return targets;
}

std::vector<std::string> target_names() {
  std::vector<std::string> names;
  for (const TargetInfo &t : all_targets()) names.push_back(t.name);
  return names;
}

const TargetInfo &find_target(const std::string &name) {
  std::string known;
  for (const TargetInfo &t : all_targets()) {
    if (t.name == name) return t;
    known += (known.empty() ? "" : ", ") + t.name;
  }
  throw CompileError("unknown target " + quote_name(name) + " (known: " + known + ")");
}

const std::string &board_source(const std::string &path) {
  for (const RuntimeSource &s : board_sources())
    if (s.path == path) return s.contents;
  throw CompileError("internal: board file " + quote_name(path) + " is not embedded in microtc");
}

}  // namespace mtc
