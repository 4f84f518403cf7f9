// MicroT head features and split search on a real task: a small int8 convolutional extractor on
// scikit-learn's digits (tests/fixtures/digits). Checks the pooled features against the evaluator's
// tensors, the ends of every exit curve (ratio 0: the full model, ratio 1: the part model), that a
// threshold set on validation samples lets through about the requested share of held-out samples,
// and that the chosen split keeps the accuracy budget.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <random>

#include "codegen/c_emitter.h"
#include "codegen/emitter.h"
#include "driver/qemu_engine.h"
#include "eval/evaluator.h"
#include "microt/decision.h"
#include "microt/plan.h"
#include "support/process.h"
#include "microt/features.h"
#include "microt/search.h"
#include "passes/pass.h"
#include "digits_extractor.h"
#include "quantized_models.h"
#include "support/npy.h"
#include "test_util.h"

using namespace mtc;
using namespace mtc::test;

TEST_CASE("MicroT heads on an int8 extractor: features, exit curves, held-out exit share, the choice",
          "[microt]") {
  const DigitsSetup d;
  const Graph &g = d.g;
  const Value &ys = d.ys;
  auto sample = [&](int64_t i) { return d.sample(i); };

  const std::vector<SplitCandidate> cands = split_candidates(g);
  REQUIRE(cands.size() >= 2);
  const TensorId final_tensor = g.outputs[0];
  // train 0..999, validation 1000..1399, held out 1400..1796
  auto features = [&](int64_t from, int64_t to, std::vector<int64_t> &labels) {
    std::vector<std::vector<Value>> batch;
    for (int64_t i = from; i < to; ++i) {
      batch.push_back(sample(i));
      labels.push_back(ys.get_i64(i));
    }
    return head_features(g, cands, final_tensor, batch);
  };
  std::vector<int64_t> ytr, yval, ytest;
  const HeadFeatures tr = features(0, 1000, ytr), val = features(1000, 1400, yval), test = features(1400, 1797, ytest);
  REQUIRE(tr.full_dim == 32);
  for (size_t c = 0; c < cands.size(); ++c) CHECK(tr.part_dims[c] == g.tensor(cands[c].tensor).shape[1]);

  // pooled features: the dequantized channel means of the evaluator's int8 tensor
  {
    const Tensor &t = g.tensor(cands[0].tensor);
    Value seen;
    evaluate_graph(g, sample(1000), [&](TensorId id, const Value &v) {
      if (id == cands[0].tensor) seen = v;
    });
    const int64_t c = t.shape[1], count = seen.elements() / c;
    for (int64_t ch = 0; ch < c; ++ch) {
      double mean = 0;
      for (int64_t i = 0; i < count; ++i)
        mean += (double(seen.get_i64(ch * count + i)) - t.quant->zero_point[0]) * t.quant->scale[0];
      mean /= double(count);
      CHECK(val.part[0][size_t(ch)] == Approx(mean).epsilon(1e-5).margin(1e-6));
    }
  }

  SearchOptions opts;
  opts.max_drop = 0.02;
  const SplitSearch s = search_splits(cands, stage_costs(g, cands, final_tensor, nullptr), tr, ytr, val, yval, 10, opts);
  INFO(s.why);
  CHECK(s.full_accuracy > 0.5);  // random features pooled to 32 values: far above chance (0.1)
  for (const SplitResult &r : s.splits) {
    INFO("split after step " << r.split.step << ", part accuracy " << r.part_accuracy);
    REQUIRE(r.curve.size() == size_t(opts.ratio_steps) + 1);
    CHECK(r.curve.front().exit_share == 0.0);
    CHECK(r.curve.front().accuracy == Approx(s.full_accuracy));
    CHECK(r.curve.back().exit_share == 1.0);
    CHECK(r.curve.back().accuracy == Approx(r.part_accuracy));
    for (size_t k = 1; k < r.curve.size(); ++k) CHECK(r.curve[k].cost <= r.curve[k - 1].cost);
    CHECK(r.curve.back().cost < s.full_cost);

    // thresholds from the validation samples let about the asked share of held-out samples exit
    for (const ExitPoint &p : r.curve) {
      if (p.ratio != 0.25 && p.ratio != 0.5 && p.ratio != 0.75) continue;
      size_t exits = 0;
      for (size_t i = 0; i < ytest.size(); ++i) {
        const std::vector<float> l = r.head.logits(&test.part[size_t(&r - &s.splits[0])][i * size_t(r.head.features)]);
        const float mx = *std::max_element(l.begin(), l.end());
        double sum = 0;
        for (float v : l) sum += std::exp(double(v) - double(mx));
        exits += float(1.0 / sum) >= p.threshold;
      }
      INFO("ratio " << p.ratio);
      CHECK(std::fabs(double(exits) / double(ytest.size()) - p.ratio) <= 0.05);
    }
  }
  if (s.chosen >= 0) {
    const SplitResult &r = s.splits[size_t(s.chosen)];
    for (const ExitPoint &p : r.curve)
      if (p.ratio == s.chosen_ratio) {
        CHECK(p.accuracy >= s.full_accuracy - opts.max_drop - 1e-9);
        CHECK(p.cost < s.full_cost);
      }
  }
}

TEST_CASE("the exit threshold for a ratio lets that share of confidences through", "[microt]") {
  const std::vector<float> conf = {0.9f, 0.2f, 0.5f, 0.7f, 0.4f};
  CHECK(threshold_for_ratio(conf, 0.0) == INFINITY);
  CHECK(threshold_for_ratio(conf, 0.4) == 0.7f);  // 0.9 and 0.7 exit
  CHECK(threshold_for_ratio(conf, 1.0) == 0.2f);
  CHECK(threshold_for_ratio({}, 0.5) == INFINITY);
}

TEST_CASE("compile --microt searches the splits of a task and writes the report", "[microt][cli]") {
  TempDir tmp("mtc-microt-cli");
  const std::string model = tmp.path() + "/digits.onnx", task = source_path("tests/fixtures/digits/digits_task.npz");
  std::ofstream(model, std::ios::binary) << digits_extractor();
  const std::string out = tmp.path() + "/out";
  ProcessResult r = run_microtc({"compile", model, "--quantize", "int8", "--calib", task, "--microt", "--task",
                                 "digits=" + task, "--max-drop", "3", "-o", out},
                                120);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output.find("microt: task digits: 400 training and 100 validation samples, 10 classes") != std::string::npos);
  std::ifstream jf(out + "/microt_report.json");
  REQUIRE(jf);
  const nlohmann::json j = nlohmann::json::parse(jf);
  REQUIRE(j["candidates"].size() >= 2);
  REQUIRE(j["tasks"].size() == 1);
  CHECK(j["tasks"][0]["full_accuracy"].get<double>() > 0.5);
  for (const auto &s : j["tasks"][0]["splits"]) CHECK(s["curve"].size() == 21);
  std::ifstream md(out + "/microt_report.md");
  const std::string text((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
  CHECK(text.find("## Task digits") != std::string::npos);
  CHECK(j["cost_unit"] == "MACs");  // the host has no cost model
  CHECK(text.find("| full model only |") != std::string::npos);
  CHECK(text.find("| part model only |") != std::string::npos);
  // the plot: a curve per candidate and the Pareto front
  std::ifstream pf(out + "/microt_task0.svg");
  const std::string svg((std::istreambuf_iterator<char>(pf)), std::istreambuf_iterator<char>());
  CHECK(svg.rfind("<svg", 0) == 0);
  size_t curves = 0, marks = 0;
  for (size_t at = svg.find("class=\"split\""); at != std::string::npos; at = svg.find("class=\"split\"", at + 1)) ++curves;
  for (size_t at = svg.find("class=\"front\""); at != std::string::npos; at = svg.find("class=\"front\"", at + 1)) ++marks;
  CHECK(curves == j["candidates"].size());
  CHECK(marks >= 1);
  CHECK(text.find("(microt_task0.svg)") != std::string::npos);
  // and the generated C has the stage decision
  std::ifstream hf(out + "/digits.h");
  const std::string header((std::istreambuf_iterator<char>(hf)), std::istreambuf_iterator<char>());
  CHECK(header.find("int digits_infer(int32_t task, const float *input, digits_result *result);") != std::string::npos);

  // run --microt: the task's samples through NAME_infer and the whole model on the M4
  ProcessResult ran = run_microtc({"run", model, "--quantize", "int8", "--calib", task, "--microt", "--task",
                                   "digits=" + task, "--max-drop", "3", "--input", task, "--output",
                                   tmp.path() + "/res.npy", "--target", "cortex-m4", "--report",
                                   tmp.path() + "/run.json", "--train-heads", "--device-epochs", "3"},
                                  300);
  INFO(ran.output);
  REQUIRE(ran.exit_code == 0);
  CHECK(ran.output.find("microt: task digits on cortex-m4, 500 samples") != std::string::npos);
  CHECK(ran.output.find("instructions an inference on average against") != std::string::npos);
  CHECK(ran.output.find("microt: energy on the STM32L4R5: ") != std::string::npos);
  // on a Cortex-M target the search prices splits in estimated instructions and energy
  {
    const nlohmann::json sj = nlohmann::json::parse(std::ifstream(tmp.path() + "/microt_report.json"));
    CHECK(sj["cost_unit"] == "instructions");
    CHECK(sj["energy_model"]["chip"] == "STM32L4R5");
    const double nj = sj["energy_model"]["nanojoules_per_instruction"].get<double>();
    CHECK(nj == Approx(3.3 * 110 * 1e-3));
    for (const auto &p : sj["tasks"][0]["splits"][0]["curve"])
      CHECK(p["energy_uj"].get<double>() == Approx(p["cost"].get<double>() * nj * 1e-3));
    const nlohmann::json rj = nlohmann::json::parse(std::ifstream(tmp.path() + "/run.json"));
    CHECK(rj["samples"] == 500);
    const double mean = rj["instructions_per_inference"].get<double>(), whole =
        rj["whole_model_instructions_per_inference"].get<double>();
    CHECK(rj["energy_uj_per_inference"].get<double>() == Approx(mean * nj * 1e-3));
    CHECK(rj["whole_model_energy_uj_per_inference"].get<double>() == Approx(whole * nj * 1e-3));
    double sum = 0;
    for (const auto &n : rj["per_item_instructions"]) sum += n.get<double>();
    CHECK(sum / 500 == Approx(mean));
    // heads trained on the board from zero on the same samples (how close to the compiler's heads
    // microt_train_test.cpp checks; here the plumbing: far above chance, 10%)
    CHECK(ran.output.find("microt: heads trained on the cortex-m4 from zero (3 epochs over 500 samples") !=
          std::string::npos);
    CHECK(rj["device_trained_accuracy"].get<double>() > 0.7);
  }
  ProcessResult untrainable = run_microtc({"run", model, "--quantize", "int8", "--calib", task, "--microt", "--task",
                                           "digits=" + task, "--max-drop", "3", "--input", task, "--output",
                                           tmp.path() + "/res.npy", "--target", "cortex-m4", "--device-epochs", "1"},
                                          300);
  CHECK(untrainable.exit_code == 1);
  CHECK(untrainable.output.find("--device-epochs needs --train-heads") != std::string::npos);
  const Value res = read_npy(tmp.path() + "/res.npy");
  REQUIRE(res.shape == Shape{500, 3});
  for (int64_t i = 0; i < 500; ++i) {
    const int32_t stage = res.data<int32_t>()[i * 3 + 1];
    CHECK((stage == 1 || stage == 2));
  }

  // mistakes are named
  ProcessResult no_flag = run_microtc({"compile", model, "--task", "digits=" + task, "-o", out}, 60);
  CHECK(no_flag.exit_code == 1);
  CHECK(no_flag.output.find("--task needs --microt") != std::string::npos);
  ProcessResult float_model = run_microtc({"compile", model, "--microt", "--task", "digits=" + task, "-o", out}, 60);
  CHECK(float_model.exit_code == 1);
  CHECK(float_model.output.find("--microt needs an int8 extractor") != std::string::npos);
  const std::vector<std::string> int8 = {"compile", model, "--quantize", "int8", "--calib", task, "--microt", "-o", out};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = int8;
    args.insert(args.end(), extra.begin(), extra.end());
    return run_microtc(args, 60);
  };
  ProcessResult bad_split = with({"--task", "digits=" + task, "--split", "nonesuch"});
  CHECK(bad_split.exit_code == 1);
  CHECK(bad_split.output.find("'nonesuch' is not a candidate") != std::string::npos);
  ProcessResult bad_threshold = with({"--task", "digits=" + task, "--threshold", "1.5"});
  CHECK(bad_threshold.exit_code == 1);
  CHECK(bad_threshold.output.find("--threshold must lie in [0, 1]") != std::string::npos);
  ProcessResult fixed = with({"--task", "digits=" + task, "--threshold", "0.75", "--max-drop", "100"});
  INFO(fixed.output);
  REQUIRE(fixed.exit_code == 0);
  {
    std::ifstream cf(out + "/digits.c");
    const std::string c((std::istreambuf_iterator<char>(cf)), std::istreambuf_iterator<char>());
    CHECK(c.find("digits_gates[1] = {{" + c_float(0.75f) + ", ") != std::string::npos);
  }
  ProcessResult bad_spec = with({"--task", task});
  CHECK(bad_spec.exit_code == 1);
  CHECK(bad_spec.output.find("expected NAME=FILE.npz") != std::string::npos);
  ProcessResult no_labels = with({"--task", "digits=" + source_path("tests/fixtures/digits/digits_x.npy")});
  CHECK(no_labels.exit_code == 1);
}

TEST_CASE("generated NAME_infer exits or resumes exactly as the compiler predicts (host C, sanitizers)",
          "[microt][codegen]") {
  const DigitsSetup d;
  const Graph &g = d.g;
  const Value &ys = d.ys;
  auto sample = [&](int64_t i) { return d.sample(i); };
  std::vector<std::vector<Value>> train, val, held;
  std::vector<int64_t> ytr, yval;
  for (int64_t i = 0; i < 600; ++i) {
    (i % 4 == 3 ? val : train).push_back(sample(i));
    (i % 4 == 3 ? yval : ytr).push_back(ys.get_i64(i));
  }
  for (int64_t i = 1700; i < 1760; ++i) held.push_back(sample(i));
  const std::vector<SplitCandidate> cands = split_candidates(g);
  const TensorId final_tensor = microt_final_features(g);
  REQUIRE(final_tensor != kNoTensor);
  const SplitSearch s = search_splits(cands, stage_costs(g, cands, final_tensor, nullptr),
                                      head_features(g, cands, final_tensor, train), ytr,
                                      head_features(g, cands, final_tensor, val), yval, 10);
  // the first candidate, its threshold at ratio 0.5; a second task with the last candidate's heads
  // would need another split: tasks share one, so the second task reuses the heads with ratio 0.25
  MicrotPlan plan;
  plan.split = cands[0].tensor;
  plan.final_features = final_tensor;
  for (double ratio : {0.5, 0.25}) {
    MicrotTaskHeads h;
    h.name = "digits*/ratio " + std::to_string(ratio);  // a hostile name: comments only
    h.part = s.splits[0].head;
    h.full = s.full_head;
    for (const ExitPoint &p : s.splits[0].curve)
      if (std::fabs(p.ratio - ratio) < 1e-9) h.threshold = p.threshold;
    plan.tasks.push_back(h);
  }
  EmitOptions eo;
  eo.microt = &plan;
  const CBundle b = emit_c_bundle(g, "net", eo);
  TempDir tmp("mtc-microt-infer");
  write_c_bundle(b, tmp.path());
  std::ostringstream harness;
  harness << "#include <stdio.h>\n#include <string.h>\n#include \"net.h\"\n";
  harness << "static const float inputs[" << held.size() << "][64] = {\n";
  for (const auto &item : held) {
    harness << "  {";
    for (int64_t j = 0; j < 64; ++j) harness << (j ? ", " : "") << c_float(item[0].data<float>()[j]);
    harness << "},\n";
  }
  harness << "};\nint main(void) {\n  size_t i;\n  int32_t task;\n  for (task = 0; task < net_NUM_TASKS; ++task)\n"
             "    for (i = 0; i < " << held.size() << "; ++i) {\n"
             "      net_result r;\n      unsigned int bits;\n"
             "      if (net_infer(task, inputs[i], &r) != 0) return 1;\n"
             "      memcpy(&bits, &r.confidence, 4);\n"
             "      printf(\"%d %d %08x\\n\", (int)r.label, (int)r.stage, bits);\n    }\n"
             "  printf(\"%u %u %u\\n\", (unsigned)net_stage_count(0, 1), (unsigned)net_stage_count(0, 2), "
             "(unsigned)net_stage_count(2, 1));\n"
             "  {\n    float t;\n    unsigned int bits;\n"
             "    if (net_calibrate_ratio(0, &inputs[0][0], 20, 0.25f) != 0) return 1;\n"
             "    t = net_threshold(0);\n    memcpy(&bits, &t, 4);\n    printf(\"%08x\\n\", bits);\n"
             "    if (net_calibrate_ratio(0, &inputs[0][0], 0, 0.25f) != -1) return 1;\n"
             "    if (net_calibrate_ratio(0, &inputs[0][0], net_CALIBRATE_MAX + 1, 0.25f) != -1) return 1;\n  }\n"
             "  return net_infer(2, inputs[0], NULL) == -1 ? 0 : 1;\n}\n";
  std::ofstream(tmp.path() + "/harness.c") << harness.str();

  // what the compiler expects: the evaluator's features through the heads as the device computes
  std::vector<std::string> expected;
  int64_t exits0 = 0;
  for (const MicrotTaskHeads &t : plan.tasks)
    for (const auto &item : held) {
      const HeadFeatures f = head_features(g, {cands[0]}, final_tensor, {item});
      HeadDecision d = classify(t.part, f.part[0].data());
      int stage = 1;
      if (!(d.confidence >= t.threshold)) d = classify(t.full, f.full.data()), stage = 2;
      if (&t == &plan.tasks[0] && stage == 1) ++exits0;
      uint32_t bits;
      std::memcpy(&bits, &d.confidence, 4);
      char line[64];
      std::snprintf(line, sizeof line, "%d %d %08x", int(d.label), stage, bits);
      expected.push_back(line);
    }
  CHECK(exits0 > 0);
  CHECK(exits0 < int64_t(held.size()));

  for (bool sanitize : {false, true}) {
    INFO((sanitize ? "ASan/UBSan" : "-O2"));
    std::vector<std::string> sources = bundle_c_files(b, tmp.path());
    sources.push_back(tmp.path() + "/harness.c");
    ProcessResult built = build_host_program(tmp.path() + "/prog", sources, {tmp.path()}, sanitize);
    INFO(built.output);
    REQUIRE(built.exit_code == 0);
    ProcessResult ran = run_process({tmp.path() + "/prog"}, 60);
    REQUIRE(ran.exit_code == 0);
    std::istringstream lines(ran.output);
    std::string line;
    for (size_t i = 0; i < expected.size(); ++i) {
      REQUIRE(std::getline(lines, line));
      INFO("inference " << i);
      CHECK(line == expected[i]);
    }
    REQUIRE(std::getline(lines, line));
    CHECK(line == std::to_string(exits0) + " " + std::to_string(int64_t(held.size()) - exits0) + " 0");
    // the device's calibration of ratio 0.25 on the first 20 samples: the compiler's rule on the
    // same confidences
    std::vector<float> conf;
    for (size_t i = 0; i < 20; ++i)
      conf.push_back(classify(plan.tasks[0].part, head_features(g, {cands[0]}, final_tensor, {held[i]}).part[0].data())
                         .confidence);
    const float want = threshold_for_ratio(conf, 0.25);
    uint32_t bits;
    std::memcpy(&bits, &want, 4);
    char hex[16];
    std::snprintf(hex, sizeof hex, "%08x", bits);
    REQUIRE(std::getline(lines, line));
    CHECK(line == hex);
  }

  // The same decisions on Cortex-M4 and M7 under QEMU; an early exit runs fewer instructions than
  // the whole model, a resumed inference the whole model plus the two heads.
  for (const char *target : {"cortex-m4", "cortex-m7"}) {
    INFO(target);
    QemuOptions qo;
    qo.target = target;
    qo.plugin = MTC_QEMU_PLUGIN_PATH;
    const QemuRun full = run_on_qemu(g, held, qo);
    qo.microt = &plan;
    const QemuRun mt = run_on_qemu(g, held, qo);
    REQUIRE(mt.outputs.size() == held.size());
    REQUIRE(mt.report.per_item_instructions.size() == held.size());
    double exit_sum = 0, resume_sum = 0;
    int64_t exits = 0;
    for (size_t i = 0; i < held.size(); ++i) {
      const int32_t *r = mt.outputs[i][0].data<int32_t>();
      char line[64];
      std::snprintf(line, sizeof line, "%d %d %08x", int(r[0]), int(r[1]), unsigned(uint32_t(r[2])));
      INFO("inference " << i);
      CHECK(std::string(line) == expected[i]);
      (r[1] == 1 ? exit_sum : resume_sum) += double(mt.report.per_item_instructions[i]);
      exits += r[1] == 1;
    }
    REQUIRE(exits == exits0);
    const double whole = *full.report.instructions_per_inference;
    CHECK(exit_sum / double(exits) < 0.9 * whole);
    CHECK(resume_sum / double(int64_t(held.size()) - exits) > whole);
  }
}

TEST_CASE("the Pareto front keeps the outcomes no other beats", "[microt]") {
  SplitSearch s;
  auto split = [](std::vector<std::pair<double, double>> pts) {
    SplitResult r;
    for (auto [cost, acc] : pts) {
      ExitPoint p;
      p.cost = cost, p.accuracy = acc;
      r.curve.push_back(p);
    }
    return r;
  };
  s.splits = {split({{10, 0.8}, {5, 0.7}}), split({{8, 0.85}, {4, 0.6}, {6, 0.7}})};
  const std::vector<TradeOff> f = pareto_front(s);
  REQUIRE(f.size() == 3);
  CHECK((f[0].cost == 4 && f[0].split == 1 && f[0].point == 1));
  CHECK((f[1].cost == 5 && f[1].split == 0));   // (6, 0.7) costs more for the same accuracy
  CHECK((f[2].cost == 8 && f[2].accuracy == 0.85));  // (10, 0.8) costs more for less
}
