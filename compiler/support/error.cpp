// Quoting of untrusted names in error messages.
#include "support/error.h"

#include <cstdio>

namespace mtc {

std::string quote_name(const std::string &name) {
  std::string out = "'";
  size_t shown = 0;
  for (unsigned char c : name) {
    if (++shown > 120) {
      out += "...";
      break;
    }
    if (c < 0x20 || c == 0x7f || c == '\'' || c == '\\') {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "'";
}

}  // namespace mtc
