// Accuracy on real data: the Fashion-MNIST CNNs (tests/fixtures/fashion_mnist, trained by
// make_fashion_models.py) quantized by microtc with 1,000 training images keep their top-1 within
// one point of the float model on 1,000 test images; the float model matches PyTorch's accuracy.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "driver/host_engine.h"
#include "driver/load_model.h"
#include "driver/quantize_options.h"
#include "passes/pass.h"
#include "quant/quantize.h"
#include "support/npy.h"
#include "test_util.h"

using namespace mtc;

namespace {

double top1(const std::vector<std::vector<Value>> &outputs, const Value &labels) {
  std::vector<int64_t> y = labels.to_i64();
  size_t correct = 0;
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::vector<float> logits = outputs[i].at(0).to_f32();
    size_t best = 0;
    for (size_t k = 1; k < logits.size(); ++k)
      if (logits[k] > logits[best]) best = k;
    correct += int64_t(best) == y.at(i);
  }
  return double(correct) / double(outputs.size());
}

}  // namespace

TEST_CASE("Fashion-MNIST: int8 top-1 within one point of float", "[int8][accuracy]") {
  std::string dir = test::source_path("tests/fixtures/fashion_mnist/");
  nlohmann::json acc = nlohmann::json::parse(std::ifstream(dir + "accuracy.json"));
  for (const char *name : {"fmnist_cnn_a", "fmnist_cnn_b"}) {
    INFO(name);
    Graph g = load_model(dir + name + ".onnx", {});
    std::vector<std::vector<Value>> calib = read_calibration(dir + "calib_1000.npy", g);
    std::vector<std::vector<Value>> test = read_calibration(dir + "test_1000.npy", g);
    Value labels = read_npy(dir + "test_1000_labels.npy");
    REQUIRE(calib.size() == 1000);
    REQUIRE(test.size() == 1000);
    Graph q = g;
    quantize_graph(q, calib, {});
    infer_and_fold(q);
    verify_graph(q);
    double float_top1 = top1(run_on_host(g, test, {}), labels);
    double int8_top1 = top1(run_on_host(q, test, {}), labels);
    double pytorch_top1 = acc[name]["float_top1_subset1000"].get<double>();
    CHECK(std::fabs(float_top1 - pytorch_top1) <= 0.002);
    CHECK(int8_top1 >= float_top1 - 0.01);
    WARN(name << ": float top-1 " << float_top1 << ", int8 top-1 " << int8_top1 << " (PyTorch " << pytorch_top1 << ")");
  }
}
