// The .npy container: magic, version, little-endian header length, a Python-dict header, raw data.
#include "support/npy.h"

#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>

#include "support/error.h"

namespace mtc {

namespace {

struct FileType {
  const char *descr;
  DType dtype;      // what we return
  size_t size;      // bytes per element in the file
  bool is_unsigned;  // u2/u4/u8 widen to a signed DType
};

// '=' is native order, which numpy never writes but is little-endian on every host we run on.
const FileType kFileTypes[] = {
    {"f4", DType::F32, 4, false}, {"f8", DType::F64, 8, false}, {"i1", DType::I8, 1, false},
    {"u1", DType::U8, 1, false},  {"i2", DType::I16, 2, false}, {"u2", DType::I32, 2, true},
    {"i4", DType::I32, 4, false}, {"u4", DType::I64, 4, true},  {"i8", DType::I64, 8, false},
    {"u8", DType::I64, 8, true},  {"b1", DType::Bool, 1, false},
};

std::string header_value(const std::string &header, const std::string &key, const std::string &what) {
  size_t k = header.find("'" + key + "'");
  if (k == std::string::npos) throw CompileError(what + ": .npy header has no '" + key + "' entry");
  size_t colon = header.find(':', k);
  if (colon == std::string::npos) throw CompileError(what + ": malformed .npy header");
  size_t start = header.find_first_not_of(' ', colon + 1);
  if (start == std::string::npos) throw CompileError(what + ": malformed .npy header");
  size_t end;
  if (header[start] == '(') end = header.find(')', start);
  else if (header[start] == '\'') end = header.find('\'', start + 1);
  else if ((end = header.find_first_of(",}", start)) != std::string::npos) --end;
  if (end == std::string::npos || end < start) throw CompileError(what + ": malformed .npy header");
  return header.substr(start, end + 1 - start);
}

Shape parse_shape(const std::string &text, const std::string &what) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')')
    throw CompileError(what + ": malformed shape " + text + " in .npy header");
  Shape shape;
  std::stringstream ss(text.substr(1, text.size() - 2));
  std::string item;
  while (std::getline(ss, item, ',')) {
    size_t a = item.find_first_not_of(' ');
    if (a == std::string::npos) continue;
    size_t b = item.find_last_not_of(' ');
    std::string digits = item.substr(a, b + 1 - a);
    // Digits only and at most 18 of them: no sign, no overflow in stoll.
    if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos)
      throw CompileError(what + ": malformed shape " + text + " in .npy header");
    shape.push_back(std::stoll(digits));
  }
  return shape;
}

template <class From, class To> void convert_elements(const uint8_t *src, To *dst, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    From x;
    std::memcpy(&x, src + i * sizeof(From), sizeof(From));
    dst[i] = To(x);
  }
}

}  // namespace

NpyHeader parse_npy_header(const std::string &bytes, const std::string &source) {
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
  if (header_len > bytes.size() - header_start)
    throw CompileError(what + " is truncated: its .npy header says " + std::to_string(header_len) +
                       " bytes, the file has " + std::to_string(bytes.size() - header_start));
  std::string header = bytes.substr(header_start, header_len);
  for (char c : header)
    if (static_cast<unsigned char>(c) >= 0x7f || (static_cast<unsigned char>(c) < 0x20 && c != '\n'))
      throw CompileError(what + ": the .npy header holds non-ASCII or control bytes");
  std::string descr = header_value(header, "descr", what);
  std::string order = header_value(header, "fortran_order", what);
  NpyHeader h;
  h.shape = parse_shape(header_value(header, "shape", what), what);
  if (order != "False")
    throw CompileError(what + " is stored in Fortran order; save it in C order (np.ascontiguousarray)");
  const FileType *type = nullptr;
  if (descr.size() == 5 && descr.front() == '\'' && descr.back() == '\'')
    for (const FileType &t : kFileTypes)
      if (descr.compare(2, 2, t.descr) == 0) type = &t;
  char order_char = descr.size() == 5 ? descr[1] : '?';
  bool one_byte = type && type->size == 1;
  bool order_ok = order_char == '<' || order_char == '=' || (one_byte && order_char == '|');
  if (!type || !order_ok) {
    std::string why = order_char == '>' && type ? " (big-endian; save with x.astype(x.dtype.newbyteorder('<')))"
                      : descr.find('O') != std::string::npos ? " (object arrays are not data)"
                                                            : "";
    throw CompileError(what + " holds dtype " + descr + why +
                       "; microtc reads little-endian float32/64, int8/16/32/64, uint8/16/32/64 and bool arrays");
  }
  h.descr = descr.substr(1, 3);
  h.dtype = type->dtype;
  h.file_elem_size = type->size;
  int64_t n = shape_elements(h.shape, "array in " + what);
  h.data_offset = header_start + header_len;
  h.data_bytes = size_t(n) * type->size;
  return h;
}

Value parse_npy(const std::string &bytes, const std::string &source) {
  NpyHeader h = parse_npy_header(bytes, source);
  const std::string what = quote_name(source);
  if (bytes.size() - h.data_offset < h.data_bytes)
    throw CompileError(what + " is truncated: shape " + shape_str(h.shape) + " of " + h.descr + " needs " +
                       std::to_string(h.data_bytes) + " data bytes, the file has " +
                       std::to_string(bytes.size() - h.data_offset));
  Value v(h.dtype, h.shape);
  const uint8_t *src = reinterpret_cast<const uint8_t *>(bytes.data()) + h.data_offset;
  size_t n = size_t(v.elements());
  const std::string code = h.descr.substr(1);  // without the byte-order character
  if (code == "u2") {
    convert_elements<uint16_t>(src, v.data<int32_t>(), n);
  } else if (code == "u4") {
    convert_elements<uint32_t>(src, v.data<int64_t>(), n);
  } else if (code == "u8") {
    for (size_t i = 0; i < n; ++i) {
      uint64_t x;
      std::memcpy(&x, src + i * 8, 8);
      if (x > uint64_t(std::numeric_limits<int64_t>::max()))
        throw CompileError(what + " holds uint64 value " + std::to_string(x) + " at element " + std::to_string(i) +
                           ", which does not fit int64 (the widest integer type microtc has)");
      v.data<int64_t>()[i] = int64_t(x);
    }
  } else if (h.dtype == DType::Bool) {
    for (size_t i = 0; i < n; ++i) v.bytes[i] = src[i] != 0;
  } else if (h.data_bytes) {  // memcpy of an empty vector's null data() is undefined
    std::memcpy(v.bytes.data(), src, h.data_bytes);
  }
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
  const char *descr = nullptr;
  for (const FileType &t : kFileTypes)
    if (t.dtype == v.dtype && !t.is_unsigned) descr = t.descr;
  if (!descr) throw CompileError(std::string("internal: write_npy cannot write dtype ") + dtype_name(v.dtype));
  std::string shape = "(";
  for (size_t i = 0; i < v.shape.size(); ++i) shape += std::to_string(v.shape[i]) + ", ";
  if (v.shape.size() > 1) shape.resize(shape.size() - 2);
  else if (v.shape.size() == 1) shape.resize(shape.size() - 1);
  shape += ")";
  std::string order = dtype_size(v.dtype) == 1 ? "|" : "<";
  std::string header = "{'descr': '" + order + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
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

Value to_float32(const Value &v) {
  Value out(DType::F32, v.shape);
  float *dst = out.data<float>();
  size_t n = size_t(out.elements());
  const uint8_t *src = v.bytes.data();
  switch (v.dtype) {
  case DType::F32: return v;
  case DType::F64: convert_elements<double>(src, dst, n); break;
  case DType::I8: convert_elements<int8_t>(src, dst, n); break;
  case DType::U8: convert_elements<uint8_t>(src, dst, n); break;
  case DType::I16: convert_elements<int16_t>(src, dst, n); break;
  case DType::I32: convert_elements<int32_t>(src, dst, n); break;
  case DType::I64: convert_elements<int64_t>(src, dst, n); break;
  case DType::Bool: for (size_t i = 0; i < n; ++i) dst[i] = src[i] ? 1.f : 0.f; break;
  case DType::Undefined: throw CompileError("internal: to_float32 of an undefined value");
  }
  return out;
}

}  // namespace mtc
