// Cortex-M targets under QEMU: fixture models must reproduce PyTorch's outputs on the emulated M4
// and M7, and `microtc run --report` must give repeatable, self-consistent figures. Needs
// arm-none-eabi-gcc and qemu-system-arm; their absence is a failure, not a skip (CI installs them).

#include <catch2/catch.hpp>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "driver/link_map.h"
#include "driver/load_model.h"
#include "driver/qemu_engine.h"
#include "support/npy.h"
#include "test_util.h"

using namespace mtc;

namespace {

constexpr double kTolerance = 1e-4;  // as the [models] tests

void require_cortex_m_tools() {
  for (const char *tool : {"arm-none-eabi-gcc", "qemu-system-arm"})
    if (!on_path(tool))
      FAIL(tool << " is not on PATH: the [qemu] tests need gcc-arm-none-eabi, libnewlib-arm-none-eabi and "
                   "qemu-system-arm (scripts/setup.sh installs them)");
}

struct TargetRun {
  Value output;
  nlohmann::json report;
};

TargetRun run_fixture(const std::string &model, const std::string &target, const std::string &dir) {
  std::string base = test::source_path("tests/fixtures/models/" + model);
  std::string out = dir + "/" + model + "_" + target + ".npy",
              report = dir + "/" + model + "_" + target + ".json";
  ProcessResult r = test::run_microtc({"run", base + ".onnx", "--input", base + ".input.npy", "--output", out,
                                       "--target", target, "--report", report});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  std::ifstream f(report);
  return {read_npy(out), nlohmann::json::parse(f)};
}

}  // namespace

TEST_CASE("the Cortex-M cross compiler and emulator are installed", "[qemu]") {
  require_cortex_m_tools();
  SUCCEED();
}

TEST_CASE("fixture models match PyTorch on Cortex-M4 and Cortex-M7 under QEMU", "[qemu]") {
  require_cortex_m_tools();
  TempDir tmp;
  for (const char *model : {"kws_dscnn", "fc_autoencoder"}) {
    for (const char *target : {"cortex-m4", "cortex-m7"}) {
      INFO(model << " on " << target);
      TargetRun run = run_fixture(model, target, tmp.path());
      Value want =
          read_npy(test::source_path(std::string("tests/fixtures/models/") + model + ".expected.npy"));
      CHECK(run.output.shape == want.shape);
      CHECK(test::max_relative_error(run.output, want) < kTolerance);

      const nlohmann::json &j = run.report;
      INFO(j.dump());
      for (const char *key :
           {"target", "chip", "items", "instructions_per_inference", "per_item_instructions", "flash_bytes",
            "ram_bytes", "arena_bytes", "stack_bytes", "macs", "fits_flash", "fits_ram"}) {
        INFO(key);
        REQUIRE(j.contains(key));
        CHECK(!j[key].is_null());
      }
      CHECK(j["target"] == target);
      CHECK(j["chip"] == (std::string(target) == "cortex-m4" ? "STM32L4R5" : "STM32H7A3"));
      REQUIRE(j["items"] == want.shape[0]);
      REQUIRE(j["per_item_instructions"].size() == size_t(want.shape[0]));
      double macs = j["macs"].get<double>();
      CHECK(macs > 0);
      // Float code needs at least a load pair and a multiply-add per MAC; half that is a loose floor.
      CHECK(j["instructions_per_inference"].get<double>() > macs / 2);
      for (const auto &n : j["per_item_instructions"]) CHECK(n.get<double>() > macs / 2);
      int64_t flash = j["flash_bytes"], ram = j["ram_bytes"], arena = j["arena_bytes"],
              stack = j["stack_bytes"];
      CHECK(flash > 0);
      CHECK(stack > 0);
      CHECK(ram >= arena + stack);
      CHECK(j["fits_flash"] == true);
      CHECK(j["fits_ram"] == true);
    }
  }
}

TEST_CASE("Cortex-M instruction counts are identical run to run", "[qemu]") {
  require_cortex_m_tools();
  TempDir a, b;
  TargetRun first = run_fixture("kws_dscnn", "cortex-m4", a.path());
  TargetRun second = run_fixture("kws_dscnn", "cortex-m4", b.path());
  CHECK(first.report["per_item_instructions"] == second.report["per_item_instructions"]);
  CHECK(first.report["flash_bytes"] == second.report["flash_bytes"]);
  CHECK(first.report["ram_bytes"] == second.report["ram_bytes"]);
  CHECK(first.output.bytes == second.output.bytes);
}

TEST_CASE("microtc run --report on the host has arena and MACs, no target figures", "[qemu][cli]") {
  TempDir tmp;
  std::string base = test::source_path("tests/fixtures/models/kws_dscnn");
  std::string report = tmp.path() + "/host.json";
  ProcessResult r = test::run_microtc({"run", base + ".onnx", "--input", base + ".input.npy", "--output",
                                       tmp.path() + "/y.npy", "--report", report});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  std::ifstream f(report);
  nlohmann::json j = nlohmann::json::parse(f);
  CHECK(j["target"] == "host");
  CHECK(j["arena_bytes"].get<int64_t>() > 0);
  CHECK(j["macs"].get<int64_t>() > 0);
  CHECK(j["instructions_per_inference"].is_null());
  CHECK(j["flash_bytes"].is_null());
}

TEST_CASE("the link map reader attributes kept sections to their objects", "[qemu]") {
  // A trimmed GNU ld 2.40 map: discarded sections are skipped, long names wrap to the next line.
  const char *map = R"(Discarded input sections

 .text.unused   0x00000000       0x40 /b/model.o

Memory Configuration

Linker script and memory map

.text           0x00000000     0x1000
 *(.text*)
 .text.model_run
                0x00000040       0x20 /b/model.o
                0x00000040                model_run
 .text.mtc_marker
                0x00000060        0x4 /b/harness.o
 .rodata.model_w0
                0x00000100       0x80 /b/model.o
 .text          0x00000180       0x10 /lib/libm.a(lib_a-sf_exp.o)
.data           0x20000000        0x8 load address 0x00001000
 .data.model_state
                0x20000000        0x8 /b/model.o
.bss            0x20000008      0x108
 .bss.model_arena
                0x20000008      0x100 /b/model.o
 COMMON         0x20000108        0x8 /b/model.o
)";
  auto sizes = read_link_map(map);
  REQUIRE(sizes.count("/b/model.o"));
  const SectionSizes &m = sizes["/b/model.o"];
  CHECK(m.text == 0x20);
  CHECK(m.rodata == 0x80);
  CHECK(m.data == 0x8);
  CHECK(m.bss == 0x108);
  CHECK(m.flash() == 0x20 + 0x80 + 0x8);
  CHECK(sizes["/b/harness.o"].text == 0x4);
  CHECK(sizes["/lib/libm.a(lib_a-sf_exp.o)"].text == 0x10);
}

TEST_CASE("a batch split over several Cortex-M images gives the same outputs and counts", "[qemu]") {
  require_cortex_m_tools();
  std::string base = test::source_path("tests/fixtures/models/fc_autoencoder");
  Graph g = load_model(base + ".onnx", {});
  Value x = read_npy(base + ".input.npy");
  const Tensor &in = g.tensor(g.inputs.at(0));
  int64_t n = shape_elements(in.shape);
  std::vector<std::vector<Value>> batch;
  for (int64_t b = 0; b < x.shape[0]; ++b) {
    Value xi(DType::F32, in.shape);
    std::memcpy(xi.bytes.data(), x.data<float>() + b * n, size_t(n) * 4);
    batch.push_back({xi});
  }
  QemuOptions whole, split;
  whole.plugin = split.plugin = MTC_QEMU_PLUGIN_PATH;
  whole.target = split.target = "cortex-m7";
  split.max_image_input_bytes = n * 4;  // one item per image
  QemuRun one = run_on_qemu(g, batch, whole), many = run_on_qemu(g, batch, split);
  REQUIRE(one.outputs.size() == batch.size());
  REQUIRE(many.outputs.size() == batch.size());
  for (size_t k = 0; k < batch.size(); ++k) CHECK(one.outputs[k].at(0).bytes == many.outputs[k].at(0).bytes);
  CHECK(one.report.per_item_instructions == many.report.per_item_instructions);
  CHECK(one.report.flash_bytes == many.report.flash_bytes);
}
