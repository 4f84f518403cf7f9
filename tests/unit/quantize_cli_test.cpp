// `microtc compile/run --quantize int8` from the command line: the report, and clear errors for
// missing or mismatched calibration data.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "support/process.h"
#include "test_util.h"

using namespace mtc;

TEST_CASE("compile --quantize int8 writes the quantization report", "[int8][cli]") {
  TempDir dir("mtc-qcli");
  std::string model = test::source_path("tests/fixtures/models/kws_dscnn.onnx");
  std::string calib = test::source_path("tests/fixtures/models/kws_dscnn.input.npy");
  ProcessResult r = test::run_microtc({"compile", model, "--quantize", "int8", "--calib", calib, "--report",
                                       dir.path() + "/r.json", "-o", dir.path() + "/out"});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("quantized to int8") != std::string::npos);
  nlohmann::json j = nlohmann::json::parse(std::ifstream(dir.path() + "/r.json"));
  CHECK(j["arena_bytes"].get<int64_t>() > 0);
  CHECK(j["arena_bytes"].get<int64_t>() >= j["arena_lower_bound"].get<int64_t>());
  const auto &q = j["quantization"];
  CHECK(q["calibrator"] == "minmax");
  CHECK(q["samples"] == 3);
  CHECK(q["float_nodes"].empty());
  REQUIRE(q["tensors"].size() >= 2);
  for (const auto &t : q["tensors"]) {
    CHECK(t["scale"].get<double>() > 0);
    CHECK(t["zero_point"].get<int>() >= -128);
    CHECK(t["zero_point"].get<int>() <= 127);
    CHECK(t["saturated"] == 0);  // minmax covers every calibration value
  }
  CHECK(q["output_cosine_min"][0].get<double>() > 0.99);
}

TEST_CASE("quantization needs matching calibration data", "[int8][cli][bad-input]") {
  TempDir dir("mtc-qcli-bad");
  std::string model = test::source_path("tests/fixtures/models/kws_dscnn.onnx");
  ProcessResult none = test::run_microtc({"compile", model, "--quantize", "int8", "-o", dir.path()});
  CHECK(none.exit_code == 1);
  CHECK(none.output.find("--calib") != std::string::npos);
  // Inputs of another model: wrong item shape, named with the file.
  std::string other = test::source_path("tests/fixtures/models/resnet_small.input.npy");
  ProcessResult wrong = test::run_microtc({"compile", model, "--quantize", "int8", "--calib", other, "-o", dir.path()});
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.output.find("resnet_small.input.npy") != std::string::npos);
  ProcessResult missing =
      test::run_microtc({"compile", model, "--quantize", "int8", "--calib", dir.path() + "/nope.npy", "-o", dir.path()});
  CHECK(missing.exit_code == 1);
  CHECK(missing.output.find("nope.npy") != std::string::npos);
  ProcessResult calibrator = test::run_microtc({"compile", model, "--quantize", "int8", "--calib", other,
                                                "--calibrator", "magic", "-o", dir.path()});
  CHECK(calibrator.exit_code != 0);
}
