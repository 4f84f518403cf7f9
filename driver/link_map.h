// Reads a GNU ld map file (-Wl,-Map) to attribute the kept input sections to object files, so the
// flash and RAM a model contributes can be separated from the harness that runs it.
#pragma once
#include <cstdint>
#include <map>
#include <string>

namespace mtc {

struct SectionSizes {
  int64_t text = 0;    // .text*
  int64_t rodata = 0;  // .rodata*
  int64_t data = 0;    // .data* (in RAM, with its initial image in flash)
  int64_t bss = 0;     // .bss*, COMMON
  int64_t flash() const { return text + rodata + data; }
  int64_t ram() const { return data + bss; }
};

// Sizes per input file as the map names it (an object path, or "lib.a(member.o)"), counting only
// sections the linker kept (the "Discarded input sections" part is skipped).
std::map<std::string, SectionSizes> read_link_map(const std::string &map_text);

}  // namespace mtc
