// MicroT exit heads trained by the compiler (compiler/microt/logistic.cpp): the gradient the
// trainer follows is the loss's (finite differences), training is deterministic, and on a real
// task (scikit-learn's digits, tests/fixtures/digits) the held-out accuracy is within two points of
// scikit-learn's own logistic regression with the same penalty (the script that made the fixture
// records it).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <random>

#include "microt/logistic.h"
#include "support/npy.h"
#include "test_util.h"

using namespace mtc;

namespace {

struct Digits {
  std::vector<float> x_train, x_test;
  std::vector<int64_t> y_train, y_test;
};

Digits load_digits(int64_t train) {
  const Value x = read_npy(test::source_path("tests/fixtures/digits/digits_x.npy"));
  const Value y = read_npy(test::source_path("tests/fixtures/digits/digits_y.npy"));
  REQUIRE(x.shape == Shape{1797, 64});
  REQUIRE(y.elements() == 1797);
  Digits d;
  for (int64_t i = 0; i < 1797; ++i) {
    auto &xs = i < train ? d.x_train : d.x_test;
    for (int64_t j = 0; j < 64; ++j) xs.push_back(float(x.data<uint8_t>()[i * 64 + j]));
    (i < train ? d.y_train : d.y_test).push_back(y.get_i64(i));
  }
  return d;
}

}  // namespace

TEST_CASE("the head trainer reaches scikit-learn's accuracy on the digits, deterministically", "[microt]") {
  const nlohmann::json ref = nlohmann::json::parse(std::ifstream(test::source_path("tests/fixtures/digits/reference.json")));
  const int64_t train = ref["train"].get<int64_t>();
  const Digits d = load_digits(train);
  LogisticOptions opts;
  opts.l2 = ref["l2"].get<double>();
  const LinearHead h = train_logistic(d.x_train, d.y_train, 64, 10, opts);
  const double acc = accuracy(h, d.x_test, d.y_test), sk = ref["test_accuracy"].get<double>();
  INFO("microtc " << acc << ", scikit-learn " << sk);
  CHECK(acc >= sk - 0.02);
  CHECK(accuracy(h, d.x_train, d.y_train) >= 0.98);
  // the same weights on a second run
  const LinearHead again = train_logistic(d.x_train, d.y_train, 64, 10, opts);
  CHECK(again.weight == h.weight);
  CHECK(again.bias == h.bias);
  // more iterations lower the training loss
  LogisticOptions few = opts;
  few.iterations = 20;
  CHECK(cross_entropy(train_logistic(d.x_train, d.y_train, 64, 10, few), d.x_train, d.y_train) >
        cross_entropy(h, d.x_train, d.y_train));
}

TEST_CASE("the head trainer minimizes the cross-entropy: its gradient vanishes at the result", "[microt]") {
  // three Gaussian classes in 5 dimensions, overlapping (the optimum is interior)
  std::mt19937 rng(9);
  std::normal_distribution<float> noise(0.f, 1.f);
  std::vector<float> x;
  std::vector<int64_t> y;
  for (int i = 0; i < 300; ++i) {
    const int64_t c = i % 3;
    for (int j = 0; j < 5; ++j) x.push_back(noise(rng) + (j == c ? 1.0f : 0.0f) + float(j));
    y.push_back(c);
  }
  LogisticOptions opts;
  opts.l2 = 0.0;
  opts.iterations = 3000;
  const LinearHead h = train_logistic(x, y, 5, 3, opts);
  // the loss's gradient there (central differences) is zero in every parameter
  for (size_t k = 0; k < h.weight.size() + h.bias.size(); ++k) {
    const float eps = 1e-2f;
    LinearHead up = h, down = h;
    (k < h.weight.size() ? up.weight[k] : up.bias[k - h.weight.size()]) += eps;
    (k < h.weight.size() ? down.weight[k] : down.bias[k - h.weight.size()]) -= eps;
    const double g = (cross_entropy(up, x, y) - cross_entropy(down, x, y)) / (2.0 * eps);
    INFO("parameter " << k);
    CHECK(std::fabs(g) < 2e-4);
  }
}

TEST_CASE("the head trainer rejects labels out of range and mismatched features", "[microt]") {
  CHECK_THROWS_WITH(train_logistic({1.f, 2.f}, {0, 3}, 1, 3), Catch::Contains("label 3"));
  CHECK_THROWS_WITH(train_logistic({1.f, 2.f, 3.f}, {0, 1}, 1, 2), Catch::Contains("do not match"));
  CHECK_THROWS(train_logistic({}, {}, 1, 2));
}
