// .npz reading: each zip entry NAME.npy is a .npy file. Sizes are checked against the .npy header
// before the entry is inflated, so a small archive cannot claim gigabytes (a "zip bomb").
#include "support/npz.h"

#include <fstream>
#include <sstream>

#include "support/error.h"
#include "support/file_io.h"
#include "support/npy.h"
#include "support/zip_reader.h"

namespace mtc {

namespace {

// Larger arrays than this cannot be indexed by the generated code anyway.
constexpr uint64_t kMaxEntryBytes = uint64_t(2) << 30;
// numpy's headers are well under this; we inflate this much to read the header first.
constexpr uint64_t kHeaderProbeBytes = 65536;

bool ends_with(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Entries holding arrays, keyed by array name; other files in the archive are ignored.
std::map<std::string, ZipEntry> array_entries(const std::string &bytes, const std::string &source) {
  std::map<std::string, ZipEntry> out;
  for (const ZipEntry &e : list_zip_entries(bytes, source)) {
    if (!ends_with(e.name, ".npy")) continue;
    std::string key = e.name.substr(0, e.name.size() - 4);
    if (!out.emplace(key, e).second)
      throw CompileError(quote_name(source) + " holds the array " + quote_name(key) + " twice");
  }
  return out;
}

Value decode_entry(const std::string &bytes, const ZipEntry &e, const std::string &source) {
  std::string name = source + ":" + e.name;
  if (e.uncompressed_size > kMaxEntryBytes)
    throw CompileError(quote_name(name) + " declares " + std::to_string(e.uncompressed_size) +
                       " bytes, more than microtc reads (2 GiB)");
  NpyHeader h = parse_npy_header(extract_zip_entry(bytes, e, kHeaderProbeBytes, source), name);
  if (h.data_offset + h.data_bytes != e.uncompressed_size)
    throw CompileError(quote_name(name) + ": the zip entry declares " + std::to_string(e.uncompressed_size) +
                       " bytes but its .npy header (shape " + shape_str(h.shape) + " of " + h.descr + ") needs " +
                       std::to_string(h.data_offset + h.data_bytes));
  return parse_npy(extract_zip_entry(bytes, e, e.uncompressed_size, source), name);
}

std::string key_list(const std::map<std::string, ZipEntry> &entries) {
  std::string s;
  for (const auto &kv : entries) s += (s.empty() ? "" : ", ") + quote_name(kv.first);
  return s.empty() ? "none" : s;
}

}  // namespace

std::map<std::string, Value> parse_npz(const std::string &bytes, const std::string &source) {
  std::map<std::string, Value> out;
  for (const auto &kv : array_entries(bytes, source)) out[kv.first] = decode_entry(bytes, kv.second, source);
  return out;
}

std::map<std::string, Value> read_npz(const std::string &path) { return parse_npz(read_file(path), path); }

Value read_array_file(const std::string &path, const std::string &key) {
  if (!ends_with(path, ".npz")) return read_npy(path);
  std::string bytes = read_file(path);
  std::map<std::string, ZipEntry> entries = array_entries(bytes, path);
  auto it = entries.find(key);
  if (it == entries.end())
    throw CompileError(quote_name(path) + " has no array " + quote_name(key) + "; it holds " + key_list(entries));
  return decode_entry(bytes, it->second, path);
}

std::pair<std::string, std::string> split_array_spec(const std::string &spec) {
  size_t at = spec.rfind(".npz:");
  if (at != std::string::npos) return {spec.substr(0, at + 4), spec.substr(at + 5)};
  if (ends_with(spec, ".npz")) return {spec, "x"};
  return {spec, ""};
}

}  // namespace mtc
