// .npy round trips and rejections, C identifier sanitizing, float literal round trips.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>

#include "codegen/c_emitter.h"
#include "codegen/emitter.h"
#include "support/error.h"
#include "support/npy.h"

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
  std::string f8 = good;
  f8.replace(f8.find("<f4"), 3, "<f8");
  CHECK_THROWS_WITH(parse_npy(f8, "d.npy"), Catch::Contains("<f8"));
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
