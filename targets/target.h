// The targets microtc compiles for: the host, and Cortex-M cores emulated by QEMU that stand for a
// real chip. One entry per target; the board files it names live in targets/<board>/.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace mtc {

// Energy of running code on the board: run-mode supply current per MHz from the chip's datasheet
// at a supply voltage, so one core cycle costs volts x current-per-Hz. QEMU counts instructions,
// not cycles: cycles_per_instruction converts (1 unless measured otherwise), which makes energy a
// fixed multiple of instructions per target: rankings by either agree.
struct EnergyProfile {
  double supply_volts = 0;
  double run_microamps_per_mhz = 0;
  double cycles_per_instruction = 1;
  std::string source;  // where the current figure comes from
  double nanojoules_per_instruction() const {
    return supply_volts * run_microamps_per_mhz * 1e-3 * cycles_per_instruction;
  }
};

struct TargetInfo {
  std::string name;  // "host", "cortex-m4", "cortex-m7"
  bool is_host = false;
  std::string qemu_machine;             // qemu-system-arm -M value
  std::vector<std::string> cpu_flags;   // arm-none-eabi-gcc CPU/FPU/ABI flags
  bool has_dsp = false;                 // ARMv7E-M DSP extension (SMLAD etc.)
  std::string chip;                     // the real part whose memory and clock the figures are judged by
  int64_t flash_bytes = 0;              // on-chip flash of `chip`
  int64_t ram_bytes = 0;                // on-chip SRAM of `chip` (all banks)
  int64_t largest_ram_block_bytes = 0;  // largest contiguous SRAM region (a static arena must fit one)
  int64_t clock_hz = 0;                 // maximum core clock of `chip`
  EnergyProfile energy;                 // of `chip` (none for the host)
  std::string startup_file;             // paths under targets/, as embedded (board_sources.h)
  std::string linker_script;
  std::vector<std::string> board_files;  // every file an image needs, startup and linker script included
};

// Throws CompileError naming the known targets if `name` is not one.
const TargetInfo &find_target(const std::string &name);
const std::vector<TargetInfo> &all_targets();
std::vector<std::string> target_names();

}  // namespace mtc
