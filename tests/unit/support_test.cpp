// .npy/.npz reading and writing, hostile data files, C identifier sanitizing, float literal round trips.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "codegen/c_emitter.h"
#include "codegen/emitter.h"
#include "support/error.h"
#include "support/npy.h"
#include "support/npz.h"
#include "support/process.h"
#include "test_util.h"

using namespace mtc;

TEST_CASE(".npy serialization round-trips shape and data", "[support][npy]") {
  for (Shape s : {Shape{}, Shape{5}, Shape{2, 3, 4}, Shape{0, 7}}) {
    Value v(DType::F32, s);
    for (int64_t i = 0; i < v.elements(); ++i) v.data<float>()[i] = float(i) * 0.25f - 1.f;
    std::string bytes = serialize_npy(v);
    CHECK((10 + (size_t(bytes[8]) & 0xff)) % 64 == 0);  // numpy aligns the data to 64 bytes
    Value back = parse_npy(bytes, "mem.npy");
    CHECK(back.shape == v.shape);
    CHECK(back.bytes == v.bytes);
  }
}

TEST_CASE(".npy files numpy would read differently are rejected", "[support][npy]") {
  Value v(DType::F32, {2, 2});
  std::string good = serialize_npy(v);
  std::string fortran = good;
  fortran.replace(fortran.find("False"), 5, "True ");
  CHECK_THROWS_WITH(parse_npy(fortran, "f.npy"), Catch::Contains("Fortran"));
  std::string big_endian = good;
  big_endian.replace(big_endian.find("<f4"), 3, ">f4");
  CHECK_THROWS_WITH(parse_npy(big_endian, "d.npy"), Catch::Contains(">f4"));
  CHECK_THROWS_WITH(parse_npy(good.substr(0, good.size() - 3), "t.npy"), Catch::Contains("truncated"));
  CHECK_THROWS_WITH(parse_npy("hello", "x.npy"), Catch::Contains("not a .npy"));
}

TEST_CASE("C identifiers are sanitized", "[support][codegen]") {
  CHECK(sanitize_c_identifier("resnet-8.v2") == "resnet_8_v2");
  CHECK(sanitize_c_identifier("8bit") == "m_8bit");
  CHECK(sanitize_c_identifier("") == "m_");
  CHECK(sanitize_c_identifier("a\xc3\xa9*/") == "a____");
}

TEST_CASE("float literals round-trip exactly", "[support][codegen]") {
  for (float f : {0.1f, -3.4028235e38f, 1.17549435e-38f, 1e-45f, 123456.789f, -0.0f, 1.0f}) {
    std::string s = c_float(f);
    REQUIRE(s.back() == 'f');
    float back = std::strtof(s.substr(0, s.size() - 1).c_str(), nullptr);
    CHECK(back == f);
    CHECK(std::signbit(back) == std::signbit(f));
  }
  CHECK(c_float(INFINITY) == "INFINITY");
  CHECK(c_float(NAN) == "NAN");
}

TEST_CASE("comments cannot be closed or spliced by untrusted text", "[support][codegen]") {
  std::string c = c_comment("a*/b/*c\\\n??=d");
  CHECK(c.find("*/") == std::string::npos);
  CHECK(c.find("/*") == std::string::npos);
  CHECK(c.find('\\') == std::string::npos);
  CHECK(c.find("??") == std::string::npos);
  CHECK(c.find('\n') == std::string::npos);
}

// ---- .npy dtypes and .npz archives, against files numpy wrote (tests/fixtures/npy/make_npy_fixtures.py).

namespace {

std::string npy_fixture(const std::string &name) { return test::source_path("tests/fixtures/npy/" + name); }

std::string file_bytes(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

template <class T> std::vector<T> values_of(const Value &v) {
  return std::vector<T>(v.data<T>(), v.data<T>() + v.elements());
}

uint32_t le32(const std::string &b, size_t at) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i) v |= uint32_t(static_cast<unsigned char>(b[at + i])) << (8 * i);
  return v;
}

void put_le32(std::string &b, size_t at, uint32_t v) {
  for (size_t i = 0; i < 4; ++i) b[at + i] = char((v >> (8 * i)) & 0xff);
}

// Offset of the central directory header of entry `name` (the test archives are tiny, no comment).
size_t central_entry(const std::string &zip, const std::string &name) {
  size_t p = zip.find("PK\x01\x02");
  while (p != std::string::npos && zip.compare(p + 46, name.size(), name) != 0) p = zip.find("PK\x01\x02", p + 4);
  REQUIRE(p != std::string::npos);
  return p;
}

}  // namespace

TEST_CASE(".npy files of every numeric dtype read as numpy wrote them", "[support][npy]") {
  Value f4 = read_npy(npy_fixture("f4.npy"));
  CHECK(f4.dtype == DType::F32);
  CHECK(f4.shape == Shape{2, 3});
  CHECK(values_of<float>(f4) == std::vector<float>{0.5f, -1.25f, 3.0e38f, 1.0e-45f, -0.0f, 7.0f});
  CHECK(std::signbit(f4.data<float>()[4]));
  Value f8 = read_npy(npy_fixture("f8.npy"));
  CHECK(f8.dtype == DType::F64);
  CHECK(values_of<double>(f8) == std::vector<double>{0.1, -1.0e300, 1152921504606846976.0, 5e-324});
  Value i1 = read_npy(npy_fixture("i1.npy"));
  CHECK(i1.dtype == DType::I8);
  CHECK(values_of<int8_t>(i1) == std::vector<int8_t>{-128, -1, 0, 1, 127});
  Value u1 = read_npy(npy_fixture("u1.npy"));
  CHECK(u1.dtype == DType::U8);
  CHECK(u1.shape == Shape{2, 3});
  CHECK(values_of<uint8_t>(u1) == std::vector<uint8_t>{0, 1, 128, 200, 254, 255});
  Value i2 = read_npy(npy_fixture("i2.npy"));
  CHECK(i2.dtype == DType::I16);
  CHECK(values_of<int16_t>(i2) == std::vector<int16_t>{-32768, -2, 0, 3, 32767});
  Value u2 = read_npy(npy_fixture("u2.npy"));  // no uint16 DType: widened
  CHECK(u2.dtype == DType::I32);
  CHECK(values_of<int32_t>(u2) == std::vector<int32_t>{0, 1, 40000, 65535});
  Value i4 = read_npy(npy_fixture("i4.npy"));
  CHECK(i4.dtype == DType::I32);
  CHECK(i4.shape == Shape{2, 2});
  CHECK(values_of<int32_t>(i4) == std::vector<int32_t>{INT32_MIN, -5, 6, INT32_MAX});
  Value u4 = read_npy(npy_fixture("u4.npy"));
  CHECK(u4.dtype == DType::I64);
  CHECK(values_of<int64_t>(u4) == std::vector<int64_t>{0, 16777217, 4294967295LL});
  Value i8 = read_npy(npy_fixture("i8.npy"));
  CHECK(i8.dtype == DType::I64);
  CHECK(values_of<int64_t>(i8) == std::vector<int64_t>{INT64_MIN, -7, 16777217, INT64_MAX});
  Value u8 = read_npy(npy_fixture("u8.npy"));
  CHECK(u8.dtype == DType::I64);
  CHECK(values_of<int64_t>(u8) == std::vector<int64_t>{0, 9, INT64_MAX});
  Value b1 = read_npy(npy_fixture("b1.npy"));
  CHECK(b1.dtype == DType::Bool);
  CHECK(values_of<uint8_t>(b1) == std::vector<uint8_t>{1, 0, 0, 1});
}

TEST_CASE("writing any dtype gives the bytes numpy writes", "[support][npy]") {
  for (const char *name : {"f4", "f8", "i1", "u1", "i2", "i4", "i8", "b1"}) {
    INFO(name);
    std::string numpy_bytes = file_bytes(npy_fixture(std::string(name) + ".npy"));
    CHECK(serialize_npy(parse_npy(numpy_bytes, name)) == numpy_bytes);
  }
}

TEST_CASE(".npy layouts microtc cannot read are rejected with the file named", "[support][npy]") {
  CHECK_THROWS_WITH(read_npy(npy_fixture("u8_too_big.npy")),
                    Catch::Contains("u8_too_big.npy") && Catch::Contains("18446744073709551615"));
  CHECK_THROWS_WITH(read_npy(npy_fixture("f4_big_endian.npy")),
                    Catch::Contains("f4_big_endian.npy") && Catch::Contains("big-endian"));
  CHECK_THROWS_WITH(read_npy(npy_fixture("f4_fortran.npy")),
                    Catch::Contains("f4_fortran.npy") && Catch::Contains("Fortran"));
  CHECK_THROWS_WITH(read_npy(npy_fixture("object.npy")),
                    Catch::Contains("object.npy") && Catch::Contains("object"));
}

TEST_CASE("hostile .npy headers give errors, not crashes", "[support][npy]") {
  std::string good = file_bytes(npy_fixture("i4.npy"));
  auto with_shape = [&](const std::string &shape) {
    std::string s = good;
    s.replace(s.find("(2, 2)"), 6, shape);
    return s;
  };
  // Same header length, so only the shape changes.
  CHECK_THROWS_WITH(parse_npy(with_shape("(9999999999, 999999999, 9)"), "h.npy"), Catch::Contains("overflows"));
  CHECK_THROWS_WITH(parse_npy(with_shape("(99999999999999999999999)"), "h.npy"), Catch::Contains("malformed shape"));
  CHECK_THROWS_WITH(parse_npy(with_shape("(-2, 2)"), "h.npy"), Catch::Contains("malformed shape"));
  CHECK_THROWS_WITH(parse_npy(with_shape("(3, 3)"), "h.npy"), Catch::Contains("truncated"));
  std::string long_header = good;
  long_header[8] = char(0xff);
  long_header[9] = char(0xff);
  CHECK_THROWS_WITH(parse_npy(long_header, "h.npy"), Catch::Contains("h.npy") && Catch::Contains("truncated"));
  std::string v2 = good;  // format 2.0 reads a 4-byte length: here far beyond the file
  v2[6] = 2;
  CHECK_THROWS_WITH(parse_npy(v2, "h.npy"), Catch::Contains("truncated"));
  std::string non_ascii = good;
  non_ascii.replace(non_ascii.find("descr"), 2, "\xc3\xa9");
  CHECK_THROWS_WITH(parse_npy(non_ascii, "h.npy"), Catch::Contains("non-ASCII"));
  for (size_t n = 0; n < good.size(); ++n) CHECK_THROWS_AS(parse_npy(good.substr(0, n), "t.npy"), CompileError);
}

TEST_CASE("to_float32 converts every dtype, rounding large integers", "[support][npy]") {
  CHECK(values_of<float>(to_float32(read_npy(npy_fixture("u1.npy")))) ==
        std::vector<float>{0, 1, 128, 200, 254, 255});
  CHECK(values_of<float>(to_float32(read_npy(npy_fixture("i1.npy")))) == std::vector<float>{-128, -1, 0, 1, 127});
  CHECK(values_of<float>(to_float32(read_npy(npy_fixture("b1.npy")))) == std::vector<float>{1, 0, 0, 1});
  // 2^24 + 1 is the first integer float32 cannot hold: it rounds to even.
  CHECK(values_of<float>(to_float32(read_npy(npy_fixture("i8.npy")))) ==
        std::vector<float>{-9223372036854775808.f, -7.f, 16777216.f, 9223372036854775808.f});
  Value f8 = to_float32(read_npy(npy_fixture("f8.npy")));
  CHECK(f8.data<float>()[0] == 0.1f);
  CHECK(std::isinf(f8.data<float>()[1]));
  CHECK(f8.data<float>()[3] == 0.f);
  Value f4 = read_npy(npy_fixture("f4.npy"));
  CHECK(to_float32(f4).bytes == f4.bytes);
}

TEST_CASE(".npz archives from numpy.savez and savez_compressed read alike", "[support][npz]") {
  for (const char *name : {"stored.npz", "compressed.npz"}) {
    INFO(name);
    std::map<std::string, Value> arrays = read_npz(npy_fixture(name));
    REQUIRE(arrays.size() == 2);
    CHECK(arrays["x"].dtype == DType::F32);
    CHECK(arrays["x"].shape == Shape{2, 3});
    CHECK(values_of<float>(arrays["x"]) == std::vector<float>{-1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 1.5f});
    CHECK(arrays["y"].dtype == DType::I32);
    CHECK(values_of<int32_t>(arrays["y"]) == std::vector<int32_t>{-3, 0, 70000, 2147483647});
    CHECK(read_array_file(npy_fixture(name), "y").bytes == arrays["y"].bytes);
    CHECK_THROWS_WITH(read_array_file(npy_fixture(name), "z"),
                      Catch::Contains(name) && Catch::Contains("'x', 'y'"));
  }
  CHECK(read_array_file(npy_fixture("u1.npy"), "ignored").shape == Shape{2, 3});
  CHECK(split_array_spec("a/b.npz:feat") == std::make_pair(std::string("a/b.npz"), std::string("feat")));
  CHECK(split_array_spec("a/b.npz") == std::make_pair(std::string("a/b.npz"), std::string("x")));
  CHECK(split_array_spec("c:/b.npy") == std::make_pair(std::string("c:/b.npy"), std::string()));
}

TEST_CASE("corrupt, truncated and lying .npz archives give errors, not crashes", "[support][npz]") {
  CHECK_THROWS_WITH(read_npz(npy_fixture("corrupt.npz")),
                    Catch::Contains("corrupt.npz") && Catch::Contains("x.npy") && Catch::Contains("corrupt"));
  for (const char *name : {"stored.npz", "compressed.npz"}) {
    INFO(name);
    std::string zip = file_bytes(npy_fixture(name));
    for (size_t n = 0; n < zip.size(); n += 7) CHECK_THROWS_AS(parse_npz(zip.substr(0, n), name), CompileError);
    // Declared sizes that disagree with the .npy header are refused before inflating.
    std::string bigger = zip;
    size_t cd = central_entry(bigger, "x.npy");
    put_le32(bigger, cd + 24, 0x7fffffff);
    CHECK_THROWS_WITH(parse_npz(bigger, name),
                      Catch::Contains("x.npy") && (Catch::Contains("declares") || Catch::Contains("stored entry")));
    std::string over_cap = zip;
    put_le32(over_cap, cd + 24, 0xfffffff0u);
    CHECK_THROWS_WITH(parse_npz(over_cap, name), Catch::Contains("2 GiB"));
    std::string zip64 = zip;
    put_le32(zip64, cd + 24, 0xffffffffu);
    CHECK_THROWS_WITH(parse_npz(zip64, name), Catch::Contains("Zip64"));
    std::string crc = zip;
    put_le32(crc, cd + 16, le32(crc, cd + 16) ^ 1);
    CHECK_THROWS_WITH(parse_npz(crc, name), Catch::Contains("CRC"));
  }
  CHECK_THROWS_WITH(read_npz(npy_fixture("f4.npy")), Catch::Contains("not a zip"));
}

TEST_CASE("microtc run reads the same input from .npy and .npz", "[support][npz][cli]") {
  TempDir tmp;
  std::string model = test::source_path("tests/fixtures/models/kws_dscnn.onnx");
  auto run = [&](const std::string &input, const std::string &out) {
    ProcessResult r = test::run_microtc({"run", model, "--engine", "ref", "--input", input, "--output", out});
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    return file_bytes(out);
  };
  std::string from_npy = run(test::source_path("tests/fixtures/models/kws_dscnn.input.npy"), tmp.path() + "/a.npy");
  std::string from_npz = run(npy_fixture("kws_input.npz"), tmp.path() + "/b.npy");
  std::string from_key = run(npy_fixture("kws_input.npz") + ":x", tmp.path() + "/c.npy");
  CHECK(from_npz == from_npy);
  CHECK(from_key == from_npy);
  Value all = parse_npy(from_npy, "a.npy");
  Value two = parse_npy(run(npy_fixture("kws_input.npz") + ":features", tmp.path() + "/d.npy"), "d.npy");
  REQUIRE(two.shape[0] == 2);
  CHECK(std::equal(two.bytes.begin(), two.bytes.end(), all.bytes.begin()));
  ProcessResult missing = test::run_microtc(
      {"run", model, "--engine", "ref", "--input", npy_fixture("kws_input.npz") + ":nope", "--output", tmp.path() + "/e.npy"});
  CHECK(missing.exit_code != 0);
  CHECK_THAT(missing.output, Catch::Contains("nope") && Catch::Contains("features"));
}
