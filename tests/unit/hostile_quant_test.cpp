// Quantized models with hostile quantization parameters (tests/fixtures/quantized/hostile, made by
// make_hostile_models.py): invalid ones are refused with an error naming the node and the tensor;
// extreme but valid ones (denormal scales, multipliers that overflow float32) run, and the
// evaluator, the host C and the sanitized host C agree.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "support/file_io.h"
#include "support/process.h"
#include "test_util.h"

using namespace mtc;

TEST_CASE("hostile quantization parameters give named errors", "[bad-input][int8]") {
  std::string dir = test::source_path("tests/fixtures/quantized/hostile/");
  struct Case {
    const char *model, *tensor;
  } cases[] = {{"zero_xscale", "'xs'"}, {"neg_yscale", "'ys'"}, {"nan_wscale", "'ws'"}, {"inf_yscale", "'ys'"},
               {"wscale_len3", "'wz'"}, {"wzp_len3", "'wz'"},  {"f64_scale", "'xs'"}};
  for (const Case &c : cases) {
    INFO(c.model);
    ProcessResult r = test::run_microtc({"compile", dir + c.model + ".onnx", "-o", "/dev/null/none"});
    CHECK(r.exit_code == 1);
    CHECK(r.output.find("QLinearConv_0") != std::string::npos);
    CHECK(r.output.find(c.tensor) != std::string::npos);
  }
}

TEST_CASE("a bias whose zero-point fold overflows int32 is refused, not wrapped", "[bad-input][int8]") {
  // b = 2^31 - 10 with x_zp -128: the int8 kernels' folded bias b - x_zp * sum w leaves int32.
  std::string dir = test::source_path("tests/fixtures/quantized/hostile/");
  for (const char *model : {"huge_bias", "huge_bias_dw"}) {
    INFO(model);
    ProcessResult r = test::run_microtc({"compile", dir + model + ".onnx", "-o", "/dev/null/none"});
    CHECK(r.exit_code == 1);
    CHECK(r.output.find("'QLinearConv_0'") != std::string::npos);
    CHECK(r.output.find("folded bias overflows int32") != std::string::npos);
  }
}

TEST_CASE("extreme but valid quantization parameters run the same in every engine", "[bad-input][int8]") {
  std::string dir = test::source_path("tests/fixtures/quantized/hostile/");
  TempDir tmp("mtc-hostile-q");
  for (const char *model : {"ok", "denormal", "huge_ratio", "tiny_yscale"}) {
    INFO(model);
    std::vector<std::string> outs;
    for (std::vector<std::string> engine : {std::vector<std::string>{"--engine", "ref"}, {"--engine", "c"}, {"--sanitize"}}) {
      std::string out = tmp.path() + "/" + model + std::to_string(outs.size()) + ".npy";
      std::vector<std::string> args = {"run", dir + model + ".onnx", "--input", dir + "input.npy", "--output", out};
      args.insert(args.end(), engine.begin(), engine.end());
      ProcessResult r = test::run_microtc(args);
      INFO(r.output);
      REQUIRE(r.exit_code == 0);
      outs.push_back(out);
    }
    CHECK(read_file(outs[0]) == read_file(outs[1]));
    CHECK(read_file(outs[0]) == read_file(outs[2]));
  }
}
