// The targets microtc compiles for: the host, and Cortex-M cores emulated by QEMU that stand for a
// real chip. One entry per target; the board files it names live in targets/<board>/.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace mtc {

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
  std::string startup_file;             // paths under targets/, as embedded (board_sources.h)
  std::string linker_script;
  std::vector<std::string> board_files;  // every file an image needs, startup and linker script included
};

// Throws CompileError naming the known targets if `name` is not one.
const TargetInfo &find_target(const std::string &name);
const std::vector<TargetInfo> &all_targets();
std::vector<std::string> target_names();

}  // namespace mtc
