// MicroT on-device head training (generated NAME_train_step, NAME_head_reset): on the digits task,
// heads trained on the host build from zero, a few epochs over the samples, reach within 2 points of
// the compiler-trained heads on held-out samples, part and full head alike; under QEMU (Cortex-M4
// and M7) the same training gives the same decisions, bit for bit, as on the host.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "codegen/c_emitter.h"
#include "codegen/emitter.h"
#include "digits_extractor.h"
#include "driver/qemu_engine.h"
#include "microt/features.h"
#include "microt/plan.h"
#include "microt/search.h"
#include "support/process.h"
#include "test_util.h"

using namespace mtc;
using namespace mtc::test;

namespace {

constexpr int kEpochs = 5;
constexpr int64_t kTrain = 600, kHeldFrom = 1200, kHeld = 400;

std::string float_rows(const std::vector<std::vector<Value>> &items) {
  std::ostringstream os;
  for (const auto &item : items) {
    os << "  {";
    for (int64_t j = 0; j < 64; ++j) os << (j ? ", " : "") << c_float(item[0].data<float>()[j]);
    os << "},\n";
  }
  return os.str();
}

}  // namespace

TEST_CASE("heads trained on the device reach the compiler-trained heads' accuracy (host, QEMU M4/M7)",
          "[microt][train]") {
  const DigitsSetup d;
  const Graph &g = d.g;
  std::vector<std::vector<Value>> train, held;
  std::vector<int64_t> ytr, yheld;
  for (int64_t i = 0; i < kTrain; ++i) train.push_back(d.sample(i)), ytr.push_back(d.ys.get_i64(i));
  for (int64_t i = kHeldFrom; i < kHeldFrom + kHeld; ++i) held.push_back(d.sample(i)), yheld.push_back(d.ys.get_i64(i));
  const std::vector<SplitCandidate> cands = split_candidates(g);
  const TensorId final_tensor = microt_final_features(g);
  REQUIRE(!cands.empty());
  const HeadFeatures f = head_features(g, {cands[0]}, final_tensor, train);
  MicrotPlan plan = digits_plan(cands[0], final_tensor, f, ytr, 0.7f);
  plan.trainable = true;
  const MicrotTaskHeads &h = plan.tasks[0];
  EmitOptions eo;
  eo.microt = &plan;
  const CBundle b = emit_c_bundle(g, "net", eo);
  CHECK(b.header.find("#define net_TRAIN_BYTES ") != std::string::npos);
  TempDir tmp("mtc-microt-train");
  write_c_bundle(b, tmp.path());

  // mode 0: the compiled heads; 1: reset to zero and trained; 2: trained, then reset to the compiled
  // heads. Per held-out sample: the part head's label (threshold 0: all exit), the full head's
  // (threshold infinity: none exits), and NAME_infer at the plan's threshold.
  std::ostringstream harness;
  harness << "#include <math.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include \"net.h\"\n";
  harness << "static const float train[" << kTrain << "][64] = {\n" << float_rows(train) << "};\n";
  harness << "static const int32_t labels[" << kTrain << "] = {";
  for (int64_t i = 0; i < kTrain; ++i) harness << (i ? ", " : "") << ytr[size_t(i)];
  harness << "};\nstatic const float held[" << kHeld << "][64] = {\n" << float_rows(held) << "};\n";
  harness << "int main(int argc, char **argv) {\n  int mode = argc > 1 ? atoi(argv[1]) : 0, e, k;\n"
             "  float th = net_threshold(0);\n"
             "  if (net_train_step(1, train[0], 0) != -1 || net_train_step(0, train[0], 10) != -1 ||\n"
             "      net_train_step(0, train[0], -1) != -1 || net_train_step(0, NULL, 0) != -1) return 2;\n"
             "  if (mode >= 1) {\n    net_head_reset(0, 1);\n"
             "    for (e = 0; e < " << kEpochs << "; ++e)\n      for (k = 0; k < " << kTrain << "; ++k)\n"
             "        if (net_train_step(0, train[k], labels[k]) != 0) return 1;\n  }\n"
             "  if (mode == 2) net_head_reset(0, 0);\n"
             "  for (k = 0; k < " << kHeld << "; ++k) {\n    net_result p, f, r;\n    unsigned int bits;\n"
             "    net_set_threshold(0, 0.0f);\n    if (net_infer(0, held[k], &p) != 0) return 1;\n"
             "    net_set_threshold(0, INFINITY);\n    if (net_infer(0, held[k], &f) != 0) return 1;\n"
             "    net_set_threshold(0, th);\n    if (net_infer(0, held[k], &r) != 0) return 1;\n"
             "    memcpy(&bits, &r.confidence, 4);\n"
             "    printf(\"%d %d %d %d %08x\\n\", (int)p.label, (int)f.label, (int)r.label, (int)r.stage, bits);\n"
             "  }\n  return 0;\n}\n";
  std::ofstream(tmp.path() + "/harness.c") << harness.str();
  std::vector<std::string> sources = bundle_c_files(b, tmp.path());
  sources.push_back(tmp.path() + "/harness.c");
  ProcessResult built = build_host_program(tmp.path() + "/prog", sources, {tmp.path()});
  INFO(built.output);
  REQUIRE(built.exit_code == 0);

  struct Outcome {
    double part = 0, full = 0;
    std::vector<std::string> decisions;  // "label stage confidence-bits" of NAME_infer
  };
  auto run_mode = [&](int mode, const std::string &prog = "prog") {
    ProcessResult ran = run_process({tmp.path() + "/" + prog, std::to_string(mode)}, 300);
    INFO(ran.output.substr(0, 2000));
    REQUIRE(ran.exit_code == 0);
    Outcome o;
    std::istringstream lines(ran.output);
    for (int64_t k = 0; k < kHeld; ++k) {
      int p, fl, l, s;
      char bits[16];
      std::string line;
      REQUIRE(std::getline(lines, line));
      REQUIRE(std::sscanf(line.c_str(), "%d %d %d %d %15s", &p, &fl, &l, &s, bits) == 5);
      o.part += p == yheld[size_t(k)];
      o.full += fl == yheld[size_t(k)];
      o.decisions.push_back(std::to_string(l) + " " + std::to_string(s) + " " + bits);
    }
    o.part /= double(kHeld), o.full /= double(kHeld);
    return o;
  };
  const Outcome compiled = run_mode(0), trained = run_mode(1), restored = run_mode(2);
  INFO("compiler-trained heads: part " << compiled.part << ", full " << compiled.full << "; trained on the device: part "
                                       << trained.part << ", full " << trained.full);
  // the compiled heads as the generated code runs them are the compiler's heads
  CHECK(compiled.part == Approx(accuracy(h.part, head_features(g, {cands[0]}, final_tensor, held).part[0], yheld)));
  CHECK(compiled.full > 0.5);
  CHECK(trained.part >= compiled.part - 0.02);
  CHECK(trained.full >= compiled.full - 0.02);
  CHECK(trained.decisions != compiled.decisions);  // training changed the heads
  CHECK(restored.decisions == compiled.decisions);  // and the reset brought the compiled ones back
  {
    // training is clean under ASan/UBSan and gives the same heads
    ProcessResult sb = build_host_program(tmp.path() + "/prog_san", sources, {tmp.path()}, true);
    INFO(sb.output);
    REQUIRE(sb.exit_code == 0);
    CHECK(run_mode(1, "prog_san").decisions == trained.decisions);
  }

  // Cortex-M: the same training gives the same decisions
  std::vector<Value> train_inputs;
  for (const auto &item : train) train_inputs.push_back(item[0]);
  MicrotTraining tr;
  tr.inputs = train_inputs;
  tr.labels.assign(ytr.begin(), ytr.end());
  tr.epochs = kEpochs;
  tr.from_zero = true;
  for (const char *target : {"cortex-m4", "cortex-m7"}) {
    INFO(target);
    QemuOptions qo;
    qo.target = target;
    qo.plugin = MTC_QEMU_PLUGIN_PATH;
    qo.microt = &plan;
    qo.microt_training = &tr;
    const QemuRun run = run_on_qemu(g, held, qo);
    REQUIRE(run.outputs.size() == held.size());
    for (size_t k = 0; k < held.size(); ++k) {
      const int32_t *r = run.outputs[k][0].data<int32_t>();
      char line[64];
      std::snprintf(line, sizeof line, "%d %d %08x", int(r[0]), int(r[1]), unsigned(uint32_t(r[2])));
      INFO("held-out sample " << k);
      CHECK(std::string(line) == trained.decisions[k]);
    }
  }
}
