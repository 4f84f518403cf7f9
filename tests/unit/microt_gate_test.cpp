// MicroT's stage decision on logit margins (runtime mtc_microt_decide and mtc_microt_gate_set): on
// random heads and thresholds, including thresholds one float step either side of the confidence
// and the special values, the decision equals classify's "confidence >= threshold" every time, and
// a good share of the samples that stay are decided without exponentials. Host C, -O2 and
// ASan/UBSan.
#include <catch2/catch.hpp>

#include <fstream>

#include "microt/decision.h"
#include "support/process.h"
#include "test_util.h"

using namespace mtc;
using namespace mtc::test;

namespace {

const char *kHarness = R"(#include <math.h>
#include <stdio.h>
#include "mtc_microt.h"

static unsigned int state = 12345u;
static unsigned int next(void) {
  state = state * 1664525u + 1013904223u;
  return state >> 8;
}
static float uniform(void) { return (float)next() / 16777216.0f; }

int main(void) {
  static float w[16 * 8], b[16], x[8], logits[16];
  long trials, mismatches = 0, stays = 0, stays_without_exp = 0, exits = 0, decisions = 0;
  for (trials = 0; trials < 20000; ++trials) {
    const int classes = 2 + (int)(next() % 15), features = 1 + (int)(next() % 8);
    const float scale = 0.05f + 20.0f * uniform() * uniform();
    mtc_microt_head h;
    float conf, thresholds[13];
    int32_t label, i;
    for (i = 0; i < classes * features; ++i) w[i] = scale * (2.0f * uniform() - 1.0f);
    for (i = 0; i < classes; ++i) b[i] = scale * (2.0f * uniform() - 1.0f);
    for (i = 0; i < features; ++i) x[i] = 2.0f * uniform() - 1.0f;
    h.weight = w, h.bias = b, h.features = features, h.classes = classes;
    label = mtc_microt_classify(&h, x, logits, &conf);
    thresholds[0] = conf;
    thresholds[1] = nextafterf(conf, 0.0f);
    thresholds[2] = nextafterf(conf, 2.0f);
    thresholds[3] = uniform();
    thresholds[4] = 0.0f;
    thresholds[5] = 1.0f;
    thresholds[6] = 1.0f / (float)classes;
    thresholds[7] = NAN;
    thresholds[8] = INFINITY;
    thresholds[9] = -1.0f;
    thresholds[10] = 2.0f;
    thresholds[11] = conf * (1.0f - 1e-3f);
    thresholds[12] = conf * (1.0f + 1e-3f);
    for (i = 0; i < 13; ++i) {
      mtc_microt_gate g;
      int32_t got_label = -1, exit;
      float got_conf = -7.0f;
      mtc_microt_gate_set(&g, thresholds[i], classes);
      exit = mtc_microt_decide(&h, x, logits, &g, &got_label, &got_conf);
      ++decisions;
      if (exit != (conf >= thresholds[i]) || got_label != label || (exit && got_conf != conf)) ++mismatches;
      if (exit) ++exits;
      else {
        ++stays;
        stays_without_exp += got_conf == -7.0f;
      }
    }
  }
  printf("%ld %ld %ld %ld %ld\n", decisions, mismatches, exits, stays, stays_without_exp);
  return 0;
}
)";

}  // namespace

TEST_CASE("the margin gate decides exactly as the softmax confidence test, mostly without exponentials",
          "[microt][gate]") {
  TempDir tmp("mtc-microt-gate");
  std::ofstream(tmp.path() + "/harness.c") << kHarness;
  for (bool sanitize : {false, true}) {
    INFO((sanitize ? "ASan/UBSan" : "-O2"));
    std::vector<std::string> sources = {tmp.path() + "/harness.c"};
    for (const char *f : {"mtc_microt_classify.c", "mtc_microt_decide.c", "mtc_microt_gate_set.c"})
      sources.push_back(source_path(std::string("runtime/src/") + f));
    ProcessResult built =
        build_host_program(tmp.path() + "/prog", sources, {source_path("runtime/include")}, sanitize);
    INFO(built.output);
    REQUIRE(built.exit_code == 0);
    ProcessResult ran = run_process({tmp.path() + "/prog"}, 120);
    INFO(ran.output);
    REQUIRE(ran.exit_code == 0);
    long decisions = 0, mismatches = -1, exits = 0, stays = 0, quick = 0;
    REQUIRE(std::sscanf(ran.output.c_str(), "%ld %ld %ld %ld %ld", &decisions, &mismatches, &exits, &stays, &quick) == 5);
    CHECK(decisions == 20000 * 13);
    CHECK(mismatches == 0);
    CHECK(exits > decisions / 5);
    CHECK(stays > decisions / 5);
    CHECK(quick > stays / 2);  // NaN, infinity and 2 alone are 3 of 13; margins settle many more
  }
  // the compiler's initial gates follow the same rule
  CHECK(std::isinf(stay_margin(NAN, 10)));
  CHECK(stay_margin(2.0f, 10) > 0);
  CHECK(std::isinf(stay_margin(0.0f, 10)));
  CHECK(stay_margin(0.0f, 10) < 0);
  CHECK(stay_margin(0.5f, 10) == Approx(std::log(0.4995 / 0.5005)).margin(1e-6));
}
