// The instruction cost model (targets/cost_model.h) against QEMU on a network it was not fitted
// on (the digits extractor), the per-layer measurement of a MicroT inference it is fitted from, and
// the energy profile of the boards.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "driver/qemu_engine.h"
#include "microt/features.h"
#include "microt/search.h"
#include "microt/stage_costs.h"
#include "digits_extractor.h"
#include "targets/cost_model.h"
#include "targets/target.h"
#include "test_util.h"

using namespace mtc;
using namespace mtc::test;

TEST_CASE("every Cortex-M target has a fitted cost model and an energy profile, the host neither", "[cost]") {
  CHECK(find_cost_model("host") == nullptr);
  CHECK(find_target("host").energy.nanojoules_per_instruction() == 0);
  for (const char *t : {"cortex-m4", "cortex-m7"}) {
    INFO(t);
    const CostModel *m = find_cost_model(t);
    REQUIRE(m != nullptr);
    CHECK(std::string(m->target) == t);
    // the kernels every int8 CNN uses, and the exit head, were measured
    for (const char *k : {"mtc_qconv2d_s8_panel", "mtc_qdwconv2d_s8", "mtc_qfc_s8", kMicrotHeadKernel})
      CHECK(std::string(m->for_kernel(k, "").kernel) == k);
    // a window the fit saw gets its own line, an unseen one the kernel's, an unseen kernel `other`
    CHECK(std::string(m->for_kernel("mtc_qconv2d_s8_panel", "3x3").kernel) == "mtc_qconv2d_s8_panel:3x3");
    CHECK(std::string(m->for_kernel("mtc_qconv2d_s8_panel", "11x11").kernel) == "mtc_qconv2d_s8_panel");
    CHECK(&m->for_kernel("mtc_no_such_kernel", "") == &m->other);
    for (const KernelCost &k : m->kernels) {
      INFO(k.kernel);
      CHECK(k.layers >= 3);
      CHECK((k.fixed >= 0 && k.per_mac >= 0 && k.per_input >= 0 && k.per_output >= 0 && k.per_patch >= 0));
    }
    // more work costs more
    LayerShape small{1000, 500, 500, 10, "3x3"}, large{100000, 5000, 5000, 100, "3x3"};
    CHECK(m->instructions("mtc_qconv2d_s8_panel", large) > m->instructions("mtc_qconv2d_s8_panel", small));
    const EnergyProfile &e = find_target(t).energy;
    CHECK(e.nanojoules_per_instruction() > 0.1);  // hundreds of pJ a cycle at 3.3 V
    CHECK(e.nanojoules_per_instruction() < 1.0);
    CHECK(!e.source.empty());
  }
}

TEST_CASE("the cost model estimates a network it was not fitted on, and the MicroT heads, within 25%",
          "[cost][qemu]") {
  const DigitsSetup d;
  const Graph &g = d.g;
  std::vector<std::vector<Value>> samples, train;
  std::vector<int64_t> labels;
  for (int64_t i = 0; i < 8; ++i) samples.push_back(d.sample(1700 + i));
  for (int64_t i = 0; i < 200; ++i) {
    train.push_back(d.sample(i));
    labels.push_back(d.ys.get_i64(i));
  }
  const std::vector<SplitCandidate> cands = split_candidates(g);
  const TensorId final_tensor = microt_final_features(g);
  REQUIRE(cands.size() >= 2);
  const HeadFeatures feats = head_features(g, cands, final_tensor, train);
  for (const char *target : {"cortex-m4", "cortex-m7"}) {
    INFO(target);
    const CostModel &model = *find_cost_model(target);
    QemuOptions qo;
    qo.target = target;
    qo.plugin = MTC_QEMU_PLUGIN_PATH;
    qo.per_layer = true;
    const QemuRun run = run_on_qemu(g, {samples[0]}, qo);
    const std::vector<double> est = step_instructions(g, model);
    double measured = 0, estimated = 0;
    for (const LayerFigures &l : run.report.layers) {
      measured += double(l.instructions);
      estimated += est[size_t(l.step)];
    }
    CHECK(estimated == Approx(std::accumulate(est.begin(), est.end(), 0.0)));  // no cost where no code runs
    CHECK(estimated == Approx(measured).epsilon(0.25));
    // the part model at every split
    const StageCosts costs = stage_costs(g, cands, final_tensor, &model);
    for (size_t c = 0; c < cands.size(); ++c) {
      double part = 0;
      for (const LayerFigures &l : run.report.layers) part += l.step <= cands[c].step ? double(l.instructions) : 0.0;
      INFO("split after step " << cands[c].step);
      CHECK(costs.part[c] == Approx(part).epsilon(0.25));
    }

    // a MicroT inference measured layer by layer: the part, its head, and for resumed samples the
    // rest and the full head; a threshold of 0.5 lets some samples exit and not others
    const MicrotPlan plan = digits_plan(cands[0], final_tensor, feats, labels, 0.5f);
    const MicrotTaskHeads &h = plan.tasks[0];
    qo.microt = &plan;
    const QemuRun mt = run_on_qemu(g, samples, qo);
    size_t exits = 0;
    for (const auto &o : mt.outputs) exits += o[0].data<int32_t>()[1] == 1;
    INFO(exits << " of " << samples.size() << " samples exit");
    REQUIRE(exits > 0);
    REQUIRE(exits < samples.size());
    std::vector<const LayerFigures *> heads;
    size_t part_layers = 0;
    for (const LayerFigures &l : mt.report.layers) {
      if (l.kernel == kMicrotHeadKernel) {
        heads.push_back(&l);
      } else if (heads.empty()) {
        ++part_layers;
        CHECK(l.step <= cands[0].step);
      } else {
        CHECK(l.step > cands[0].step);
      }
    }
    REQUIRE(heads.size() == 2);
    CHECK(heads[0]->name == "part head of task digits");
    CHECK(heads[1]->name == "full head of task digits");
    CHECK(heads[0]->input_elements == shape_elements(g.tensor(plan.split).shape));
    CHECK(heads[0]->macs == h.part.features * 10);
    CHECK(part_layers >= 1);
    for (const LayerFigures *l : heads) {
      INFO(l->name << ": " << l->instructions << " instructions");
      CHECK(l->instructions > 0);
      CHECK(costs.head(l->input_elements, l->macs / 10, 10) == Approx(double(l->instructions)).epsilon(0.25));
    }
  }
}
