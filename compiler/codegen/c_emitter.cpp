// The C module writer: constants, the arena, the run function and the header with sizes and shapes.
#include "codegen/c_emitter.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "codegen/emitter.h"
#include "codegen/module_writer.h"
#include "codegen/runtime_sources.h"
#include "support/error.h"

namespace mtc {

std::string sanitize_c_identifier(const std::string &text) {
  std::string out;
  for (unsigned char c : text) out += (std::isalnum(c) || c == '_') && c < 0x80 ? char(c) : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "m_" + out;
  return out;
}

std::string c_float(float v) {
  if (std::isnan(v)) return "NAN";
  if (std::isinf(v)) return v > 0 ? "INFINITY" : "(-INFINITY)";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.9g", double(v));
  std::string s = buf;
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s + "f";
}

std::string c_comment(const std::string &text) {
  std::string out;
  for (size_t i = 0; i < text.size() && i < 200; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7f) out += '_';
    else if (c == '*' && i + 1 < text.size() && text[i + 1] == '/') out += "* ";
    else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') out += "/ ";
    else if (c == '\\' || c == '?') out += '_';  // no line splices or trigraphs
    else out += char(c);
  }
  return out;
}

CBundle emit_c_bundle(const Graph &g, const std::string &name, const EmitOptions &opts) {
  ModuleWriter m(g, name, opts);
  return m.emit();
}

void write_c_bundle(const CBundle &b, const std::string &dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw CompileError("cannot create output directory " + quote_name(dir) + ": " + ec.message());
  auto write = [&](const std::string &file, const std::string &text) {
    std::ofstream f(fs::path(dir) / file, std::ios::binary);
    f << text;
    if (!f) throw CompileError("cannot write " + quote_name((fs::path(dir) / file).string()));
  };
  write(b.name + ".h", b.header);
  write(b.name + ".c", b.source);
  for (const RuntimeSource &src : runtime_sources())
    for (const std::string &used : b.runtime_files)
      if (src.path == used) write(fs::path(src.path).filename().string(), src.contents);
}

}  // namespace mtc
