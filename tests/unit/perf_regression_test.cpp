// Performance guard (quick benchmark for CI): int8 instructions per inference on Cortex-M4, arena
// and flash of small models must not grow more than 3% over the committed figures in
// benchmarks/quick_baseline.json. Counts come from the QEMU plugin and are exact and repeatable,
// so this is not a timed test. After a deliberate change, regenerate the file with
// MTC_UPDATE_BASELINE=1 build/tests/mtc_tests "[perf]".
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "driver/load_model.h"
#include "driver/qemu_engine.h"
#include "driver/quantize_options.h"
#include "passes/pass.h"
#include "quant/quantize.h"
#include "test_util.h"

using namespace mtc;

TEST_CASE("int8 speed, arena and flash stay within 3% of the committed baseline", "[perf][qemu]") {
  const std::string baseline_path = test::source_path("benchmarks/quick_baseline.json");
  const bool update = std::getenv("MTC_UPDATE_BASELINE") != nullptr;
  nlohmann::json baseline = update ? nlohmann::json::object() : nlohmann::json::parse(std::ifstream(baseline_path));
  for (const char *name : {"kws_dscnn", "fc_autoencoder", "resnet_small", "mbv2_tiny"}) {
    INFO(name);
    std::string base = test::source_path(std::string("tests/fixtures/models/") + name);
    Graph g = load_model(base + ".onnx", {});
    std::vector<std::vector<Value>> batch = read_calibration(base + ".input.npy", g);
    quantize_graph(g, batch, {});
    infer_and_fold(g);
    QemuOptions qo;
    qo.target = "cortex-m4";
    qo.plugin = MTC_QEMU_PLUGIN_PATH;
    RunReport r = run_on_qemu(g, {batch[0]}, qo).report;
    REQUIRE(r.instructions_per_inference);
    REQUIRE(r.flash_bytes);
    nlohmann::json now = {{"instructions", int64_t(*r.instructions_per_inference)},
                          {"arena_bytes", r.arena_bytes},
                          {"flash_bytes", *r.flash_bytes}};
    if (update) {
      baseline[name] = now;
      continue;
    }
    REQUIRE(baseline.contains(name));
    for (const char *key : {"instructions", "arena_bytes", "flash_bytes"}) {
      INFO(key << ": now " << now[key].get<int64_t>() << ", baseline " << baseline[name][key].get<int64_t>());
      CHECK(double(now[key].get<int64_t>()) <= 1.03 * double(baseline[name][key].get<int64_t>()));
    }
  }
  if (update) std::ofstream(baseline_path) << baseline.dump(2) << "\n";
}
