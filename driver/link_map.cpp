// Parser for the memory-map part of a GNU ld map. Input sections appear as
//   " .text.name  0xADDR  0xSIZE  file"   or, for long names, the name alone on one line and
//   "             0xADDR  0xSIZE  file"   on the next.
#include "driver/link_map.h"

#include <sstream>
#include <vector>

namespace mtc {

namespace {

bool is_hex(const std::string &s) { return s.size() > 2 && s[0] == '0' && s[1] == 'x'; }

void add(SectionSizes &s, const std::string &section, int64_t size) {
  auto starts = [&](const char *p) { return section.rfind(p, 0) == 0; };
  if (starts(".text"))
    s.text += size;
  else if (starts(".rodata"))
    s.rodata += size;
  else if (starts(".data"))
    s.data += size;
  else if (starts(".bss") || section == "COMMON")
    s.bss += size;
}

}  // namespace

std::map<std::string, SectionSizes> read_link_map(const std::string &map_text) {
  std::map<std::string, SectionSizes> sizes;
  std::istringstream in(map_text);
  std::string line, pending;  // pending: a section name whose address line follows
  bool in_map = false;
  while (std::getline(in, line)) {
    if (!in_map) {
      in_map = line.rfind("Linker script and memory map", 0) == 0;
      continue;
    }
    // Input sections are indented by one space; output sections start in column 0.
    if (line.size() < 2 || line[0] != ' ') {
      pending.clear();
      continue;
    }
    std::istringstream ls(line);
    std::vector<std::string> tok;
    for (std::string t; ls >> t;) tok.push_back(t);
    if (tok.empty()) continue;
    std::string section;
    size_t first = 0;
    if (line[1] != ' ') {  // a name in column 1
      section = tok[0];
      if (section[0] != '.' && section != "COMMON") {
        pending.clear();
        continue;
      }
      if (tok.size() == 1) {
        pending = section;
        continue;
      }
      first = 1;
    } else {
      if (pending.empty()) continue;
      section = pending;
    }
    pending.clear();
    if (tok.size() < first + 3 || !is_hex(tok[first]) || !is_hex(tok[first + 1])) continue;
    std::string file = tok[first + 2];
    for (size_t k = first + 3; k < tok.size(); ++k) file += " " + tok[k];
    add(sizes[file], section, std::stoll(tok[first + 1], nullptr, 16));
  }
  return sizes;
}

}  // namespace mtc
