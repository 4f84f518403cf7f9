// Just enough of the zip format to read numpy's .npz archives: the central directory, stored and
// deflated entries. Zip64, encryption and multi-disk archives are rejected.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mtc {

struct ZipEntry {
  std::string name;
  uint16_t method = 0;  // 0 stored, 8 deflate
  uint32_t crc = 0;
  uint64_t compressed_size = 0;
  uint64_t uncompressed_size = 0;
  uint64_t local_header_offset = 0;
};

// The entries of the central directory of the archive `bytes`; a CompileError naming `source` if
// the archive is malformed or uses features we do not read.
std::vector<ZipEntry> list_zip_entries(const std::string &bytes, const std::string &source);

// The first min(limit, uncompressed_size) bytes of the entry. When the whole entry is asked for,
// the inflated size and CRC-32 must match the central directory; the output buffer is never larger
// than the declared size, so a lying archive cannot make us allocate more (callers cap the size).
std::string extract_zip_entry(const std::string &bytes, const ZipEntry &e, uint64_t limit,
                              const std::string &source);

}  // namespace mtc
