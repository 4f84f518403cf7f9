// Prints the static geometry struct that the conv and pool kernels take, readably wrapped.
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "codegen/emitter.h"

namespace mtc {

// Emits `static const TYPE p = {.field = value, ...};` (C99 designated initializers), a few fields per line.
inline void emit_params_struct(EmitContext &ctx, const std::string &type,
                               const std::vector<std::pair<const char *, int64_t>> &fields) {
  ctx.line("  static const " + type + " p = {");
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    std::string f = std::string(".") + fields[i].first + " = " + std::to_string(fields[i].second) +
                    (i + 1 < fields.size() ? "," : "};");
    if (!line.empty() && line.size() + f.size() > 90) {
      ctx.line("      " + line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + f;
  }
  ctx.line("      " + line);
}

}  // namespace mtc
