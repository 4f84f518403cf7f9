// Zip central-directory parsing and entry extraction (zlib raw inflate), for .npz files.
#include "support/zip_reader.h"

#include <zlib.h>

#include <algorithm>

#include "support/error.h"

namespace mtc {

namespace {

constexpr uint32_t kEndOfCentralDir = 0x06054b50, kCentralHeader = 0x02014b50, kLocalHeader = 0x04034b50,
                   kZip64Locator = 0x07064b50;

uint32_t le(const std::string &b, size_t at, int n) {
  uint32_t v = 0;
  for (int i = 0; i < n; ++i) v |= uint32_t(static_cast<unsigned char>(b[at + size_t(i)])) << (8 * i);
  return v;
}

}  // namespace

std::vector<ZipEntry> list_zip_entries(const std::string &bytes, const std::string &source) {
  const std::string what = quote_name(source);
  // The end record is 22 bytes plus a comment of up to 65535 bytes at the very end of the file.
  if (bytes.size() < 22) throw CompileError(what + " is not a zip archive (too short)");
  size_t lowest = bytes.size() > 22 + 65535 ? bytes.size() - 22 - 65535 : 0;
  size_t eocd = std::string::npos;
  for (size_t p = bytes.size() - 22 + 1; p-- > lowest;)
    if (le(bytes, p, 4) == kEndOfCentralDir && p + 22 + le(bytes, p + 20, 2) == bytes.size()) {
      eocd = p;
      break;
    }
  if (eocd == std::string::npos) throw CompileError(what + " is not a zip archive (no end of central directory)");
  uint32_t disk = le(bytes, eocd + 4, 2), cd_disk = le(bytes, eocd + 6, 2);
  uint32_t count_here = le(bytes, eocd + 8, 2), count = le(bytes, eocd + 10, 2);
  uint32_t cd_size = le(bytes, eocd + 12, 4), cd_offset = le(bytes, eocd + 16, 4);
  if ((eocd >= 20 && le(bytes, eocd - 20, 4) == kZip64Locator) || count == 0xffff || cd_size == 0xffffffffu ||
      cd_offset == 0xffffffffu)
    throw CompileError(what + " is a Zip64 archive, which microtc does not read (arrays over 4 GiB)");
  if (disk != 0 || cd_disk != 0 || count_here != count)
    throw CompileError(what + " is a multi-part zip archive, which microtc does not read");
  if (uint64_t(cd_offset) + cd_size > eocd)
    throw CompileError(what + " is truncated or corrupt (central directory outside the file)");
  std::vector<ZipEntry> entries;
  size_t p = cd_offset, end = size_t(cd_offset) + cd_size;
  for (uint32_t i = 0; i < count; ++i) {
    if (end - p < 46 || le(bytes, p, 4) != kCentralHeader)
      throw CompileError(what + " is corrupt (bad central directory entry " + std::to_string(i) + ")");
    uint32_t flags = le(bytes, p + 8, 2);
    ZipEntry e;
    e.method = uint16_t(le(bytes, p + 10, 2));
    e.crc = le(bytes, p + 16, 4);
    e.compressed_size = le(bytes, p + 20, 4);
    e.uncompressed_size = le(bytes, p + 24, 4);
    size_t name_len = le(bytes, p + 28, 2), extra_len = le(bytes, p + 30, 2), comment_len = le(bytes, p + 32, 2);
    e.local_header_offset = le(bytes, p + 42, 4);
    if (end - p - 46 < name_len + extra_len + comment_len)
      throw CompileError(what + " is corrupt (central directory entry " + std::to_string(i) + " overruns)");
    e.name = bytes.substr(p + 46, name_len);
    if (e.compressed_size == 0xffffffffu || e.uncompressed_size == 0xffffffffu ||
        e.local_header_offset == 0xffffffffu)
      throw CompileError(what + ": entry " + quote_name(e.name) + " uses Zip64, which microtc does not read");
    if (flags & 1) throw CompileError(what + ": entry " + quote_name(e.name) + " is encrypted");
    if (e.method != 0 && e.method != 8)
      throw CompileError(what + ": entry " + quote_name(e.name) + " uses compression method " +
                         std::to_string(e.method) + "; microtc reads stored and deflated entries only");
    entries.push_back(e);
    p += 46 + name_len + extra_len + comment_len;
  }
  return entries;
}

std::string extract_zip_entry(const std::string &bytes, const ZipEntry &e, uint64_t limit,
                              const std::string &source) {
  const std::string what = quote_name(source) + " entry " + quote_name(e.name);
  size_t lh = size_t(e.local_header_offset);
  if (lh > bytes.size() || bytes.size() - lh < 30 || le(bytes, lh, 4) != kLocalHeader)
    throw CompileError(what + " is corrupt (bad local header)");
  size_t data = lh + 30 + le(bytes, lh + 26, 2) + le(bytes, lh + 28, 2);
  if (data > bytes.size() || bytes.size() - data < e.compressed_size)
    throw CompileError(what + " is truncated (compressed data outside the file)");
  bool whole = limit >= e.uncompressed_size;
  size_t want = size_t(std::min(limit, e.uncompressed_size));
  std::string out;
  if (e.method == 0) {
    if (e.compressed_size != e.uncompressed_size)
      throw CompileError(what + " is corrupt (stored entry with different sizes)");
    out = bytes.substr(data, want);
  } else {
    out.assign(want, '\0');
    z_stream zs{};
    if (inflateInit2(&zs, -MAX_WBITS) != Z_OK) throw CompileError("internal: zlib inflateInit2 failed");
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data() + data));
    zs.avail_in = uInt(e.compressed_size);
    zs.next_out = reinterpret_cast<Bytef *>(&out[0]);
    zs.avail_out = uInt(want);
    int rc = Z_OK;
    while (zs.avail_out > 0 && rc == Z_OK) rc = inflate(&zs, Z_NO_FLUSH);
    // A full output buffer with the stream not yet ended means more data than declared.
    if (whole && rc == Z_OK && zs.avail_out == 0) {
      unsigned char probe;
      zs.next_out = &probe;
      zs.avail_out = 1;
      rc = inflate(&zs, Z_NO_FLUSH);
      if (zs.avail_out == 0) rc = Z_DATA_ERROR;
    }
    size_t got = size_t(zs.total_out);
    inflateEnd(&zs);
    bool ok = rc == Z_STREAM_END || (!whole && (rc == Z_OK || rc == Z_BUF_ERROR) && got == want);
    if (!ok || (whole && got != want))
      throw CompileError(what + " is corrupt (deflate data does not inflate to the declared " +
                         std::to_string(e.uncompressed_size) + " bytes)");
    out.resize(got);
  }
  if (whole && crc32(0, reinterpret_cast<const Bytef *>(out.data()), uInt(out.size())) != e.crc)
    throw CompileError(what + " is corrupt (CRC-32 mismatch)");
  return out;
}

}  // namespace mtc
