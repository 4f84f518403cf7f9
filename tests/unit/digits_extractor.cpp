#include "digits_extractor.h"

#include <onnx/onnx_pb.h>

#include <cmath>
#include <random>

#include "microt/logistic.h"
#include "passes/pass.h"
#include "quantized_models.h"
#include "support/npy.h"
#include "test_util.h"

namespace mtc::test {

std::string digits_extractor() {
  onnx::ModelProto m = empty_onnx_model("digits_extractor");
  auto *g = m.mutable_graph();
  add_float_input(g, "x", {1, 1, 8, 8});
  std::mt19937 rng(17);
  std::string prev = "x";
  int64_t cin = 1;
  const int64_t couts[] = {8, 16, 32};
  for (int i = 0; i < 3; ++i) {
    const std::string s = std::to_string(i);
    std::normal_distribution<float> d(0.f, std::sqrt(2.f / float(cin * 9)));
    std::vector<float> w(size_t(couts[i] * cin * 9));
    for (float &v : w) v = d(rng);
    add_initializer(g, "w" + s, {couts[i], cin, 3, 3}, w);
    auto *conv = add_node(g, "Conv", {prev, "w" + s}, "c" + s);
    add_ints(conv, "pads", {1, 1, 1, 1});
    if (i == 2) add_ints(conv, "strides", {2, 2});
    prev = "r" + s;
    add_node(g, "Relu", {"c" + s}, prev);
    cin = couts[i];
  }
  add_float_output(g, prev);
  return m.SerializeAsString();
}

DigitsSetup::DigitsSetup()
    : xs(read_npy(source_path("tests/fixtures/digits/digits_x.npy"))),
      ys(read_npy(source_path("tests/fixtures/digits/digits_y.npy"))),
      g(load_bytes(digits_extractor())) {
  std::vector<std::vector<Value>> calibration;
  for (int64_t i = 0; i < 32; ++i) calibration.push_back(sample(i * 7));
  quantize_graph(g, calibration, {});
  infer_and_fold(g);
}

std::vector<Value> DigitsSetup::sample(int64_t i) const {
  Value v(DType::F32, {1, 1, 8, 8});
  for (int64_t j = 0; j < 64; ++j) v.data<float>()[j] = float(xs.data<uint8_t>()[i * 64 + j]) / 16.f;
  return {v};
}

MicrotPlan digits_plan(const SplitCandidate &split, TensorId final_features, const HeadFeatures &f,
                       const std::vector<int64_t> &labels, float threshold) {
  MicrotPlan plan;
  plan.split = split.tensor;
  plan.final_features = final_features;
  MicrotTaskHeads h;
  h.name = "digits";
  h.part = train_logistic(f.part[0], labels, f.part_dims[0], 10);
  h.full = train_logistic(f.full, labels, f.full_dim, 10);
  h.threshold = threshold;
  plan.tasks.push_back(h);
  return plan;
}

}  // namespace mtc::test
