// The .npy container: magic, version, little-endian header length, a Python-dict header, raw data.
#include "support/npy.h"

#include <fstream>
#include <sstream>

#include "support/error.h"

namespace mtc {

namespace {

std::string header_value(const std::string &header, const std::string &key, const std::string &source) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) throw CompileError(quote_name(source) + ": .npy header has no '" + key + "' entry");
  size_t colon = header.find(':', k);
  if (colon == std::string::npos) throw CompileError(quote_name(source) + ": malformed .npy header");
  size_t start = header.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos) throw CompileError(quote_name(source) + ": malformed .npy header");
  size_t end;
  if (header[start] == '(') end = header.find(')', start) + 1;
  else if (header[start] == '\'') end = header.find('\'', start + 1) + 1;
  else end = header.find_first_of(",}", start);
  if (end == std::string::npos || end == 0 || end <= start)
    throw CompileError(quote_name(source) + ": malformed .npy header");
  return header.substr(start, end - start);
}

}  // namespace

Value parse_npy(const std::string &bytes, const std::string &source) {
  const std::string what = quote_name(source);
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    throw CompileError(what + " is not a .npy file (bad magic)");
  unsigned major = static_cast<unsigned char>(bytes[6]);
  size_t header_len, header_start;
  if (major == 1) {
    header_len = size_t(static_cast<unsigned char>(bytes[8])) | size_t(static_cast<unsigned char>(bytes[9])) << 8;
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) throw CompileError(what + " is truncated");
    header_len = 0;
    for (int i = 0; i < 4; ++i) header_len |= size_t(static_cast<unsigned char>(bytes[8 + size_t(i)])) << (8 * i);
    header_start = 12;
  } else {
    throw CompileError(what + ": unsupported .npy format version " + std::to_string(major));
  }
  if (header_start + header_len > bytes.size()) throw CompileError(what + " is truncated (header)");
  std::string header = bytes.substr(header_start, header_len);
  std::string descr = header_value(header, "descr", source);
  std::string order = header_value(header, "fortran_order", source);
  std::string shape_text = header_value(header, "shape", source);
  if (descr != "'<f4'" && descr != "'=f4'")
    throw CompileError(what + " holds dtype " + descr + "; microtc reads float32 ('<f4') arrays only "
                       "(convert with x.astype(np.float32))");
  if (order != "False")
    throw CompileError(what + " is stored in Fortran order; save it in C order (np.ascontiguousarray)");
  Shape shape;
  std::string inner = shape_text.substr(1, shape_text.size() - 2);
  std::stringstream ss(inner);
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t a = item.find_first_not_of(' ');
    if (a == std::string::npos) continue;
    try {
      size_t used = 0;
      long long d = std::stoll(item.substr(a), &used);
      if (d < 0) throw std::invalid_argument("neg");
      shape.push_back(d);
    } catch (const std::exception &) {
      throw CompileError(what + ": malformed shape " + shape_text + " in .npy header");
    }
  }
  int64_t n = shape_elements(shape, "array in " + what);
  size_t data_start = header_start + header_len;
  if (bytes.size() - data_start < size_t(n) * 4)
    throw CompileError(what + " is truncated: shape " + shape_str(shape) + " needs " + std::to_string(n * 4) +
                       " data bytes, the file has " + std::to_string(bytes.size() - data_start));
  Value v(DType::F32, shape);
  std::memcpy(v.bytes.data(), bytes.data() + data_start, size_t(n) * 4);
  return v;
}

Value read_npy(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw CompileError("cannot open " + quote_name(path));
  std::stringstream ss;
  ss << f.rdbuf();
  return parse_npy(ss.str(), path);
}

std::string serialize_npy(const Value &v) {
  if (v.dtype != DType::F32) throw CompileError("internal: write_npy supports float32 only");
  std::string shape = "(";
  for (size_t i = 0; i < v.shape.size(); ++i) shape += std::to_string(v.shape[i]) + ", ";
  if (v.shape.size() > 1) shape.resize(shape.size() - 2);
  else if (v.shape.size() == 1) shape.resize(shape.size() - 1);
  shape += ")";
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
  size_t total = 10 + header.size() + 1;
  header += std::string((64 - total % 64) % 64, ' ') + "\n";
  std::string out = "\x93NUMPY";
  out += char(1);
  out += char(0);
  out += char(header.size() & 0xff);
  out += char(header.size() >> 8);
  out += header;
  out.append(reinterpret_cast<const char *>(v.bytes.data()), v.bytes.size());
  return out;
}

void write_npy(const std::string &path, const Value &v) {
  std::ofstream f(path, std::ios::binary);
  std::string s = serialize_npy(v);
  f.write(s.data(), std::streamsize(s.size()));
  if (!f) throw CompileError("cannot write " + quote_name(path));
}

}  // namespace mtc
