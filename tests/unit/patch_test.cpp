// Patch-based inference (--patch): the region arithmetic, the rewrite checked by the reference
// evaluator, generated C on the host and on Cortex-M4 bit for bit against the whole-tensor graph,
// the arena against the whole-tensor lower bound on a MobileNet-like model, and ineligible models refused.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <random>

#include "driver/host_engine.h"
#include "driver/load_model.h"
#include "driver/qemu_engine.h"
#include "eval/evaluator.h"
#include "memory/patch_plan.h"
#include "memory/patch_rewrite.h"
#include "memory/planner.h"
#include "passes/pass.h"
#include "quant/quantize.h"
#include "support/npy.h"
#include "support/process.h"
#include "quantized_models.h"
#include "test_util.h"

using namespace mtc;
using namespace mtc::test;

namespace {

WindowGeometry geometry(int64_t in, int64_t k, int64_t s, int64_t d, int64_t pb, int64_t pe) {
  WindowGeometry g;
  g.in = {in, in};
  g.kernel = {k, k};
  g.stride = {s, s};
  g.dilation = {d, d};
  g.pad_begin = {pb, pb};
  g.pad_end = {pe, pe};
  const int64_t out = (in + pb + pe - (k - 1) * d - 1) / s + 1;
  g.out = {out, out};
  return g;
}

// One layer of a chain model; Conv layers get random weights and a bias.
struct ChainLayer {
  std::string op;
  int64_t oc = 0, group = 1;
  std::vector<int64_t> k, strides, pads, dilations;
  int64_t ceil_mode = 0, count_include_pad = 0;
};

ChainLayer conv(int64_t oc, int64_t k, std::vector<int64_t> strides = {}, std::vector<int64_t> pads = {},
                std::vector<int64_t> dilations = {}, int64_t group = 1) {
  return {"Conv", oc, group, {k, k}, strides, pads, dilations};
}
ChainLayer pool(const std::string &op, int64_t k, std::vector<int64_t> strides, std::vector<int64_t> pads) {
  return {op, 0, 1, {k, k}, strides, pads, {}};
}
ChainLayer unary(const std::string &op) {
  ChainLayer l;
  l.op = op;
  return l;
}

// Input "x" of shape x through the layers, then Flatten to the output "y" (so the stage may end at
// the last layer: its output is not itself a graph output).
std::string chain_model(const Shape &x, const std::vector<ChainLayer> &layers, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> uni(-1.f, 1.f);
  onnx::ModelProto m = empty_onnx_model("patch_chain");
  auto *g = m.mutable_graph();
  auto *in = g->add_input();
  in->set_name("x");
  auto *tt = in->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : x) tt->mutable_shape()->add_dim()->set_dim_value(d);
  std::string cur = "x", skip;
  int64_t channels = x[1];
  for (size_t i = 0; i < layers.size(); ++i) {
    const ChainLayer &l = layers[i];
    const std::string s = std::to_string(i), y = "t" + s;
    if (l.op == "Mark") {  // the start of a residual block: "AddSkip" adds this tensor back
      skip = cur;
      continue;
    }
    auto *n = g->add_node();
    if (l.op == "AddSkip") {
      n->set_op_type("Add");
      n->set_name("L" + s);
      n->add_input(cur);
      n->add_input(skip);
      n->add_output(y);
      cur = y;
      continue;
    }
    n->set_op_type(l.op);
    n->set_name("L" + s);
    n->add_input(cur);
    if (l.op == "Conv") {
      Shape w = {l.oc, channels / l.group, l.k[0], l.k[1]};
      std::vector<float> wv(size_t(shape_elements(w))), bv(size_t(l.oc));
      for (float &f : wv) f = uni(rng);
      for (float &f : bv) f = uni(rng);
      add_initializer(g, "w" + s, w, wv);
      add_initializer(g, "b" + s, {l.oc}, bv);
      n->add_input("w" + s);
      n->add_input("b" + s);
      if (l.group != 1) add_int(n, "group", l.group);
      channels = l.oc;
      add_ints(n, "dilations", l.dilations);
    }
    if (l.op == "Clip") {
      add_initializer(g, "lo" + s, {}, {0.f});
      add_initializer(g, "hi" + s, {}, {1.f});
      n->add_input("lo" + s);
      n->add_input("hi" + s);
    }
    if (!l.k.empty()) {
      add_ints(n, "kernel_shape", l.k);
      add_ints(n, "strides", l.strides);
      add_ints(n, "pads", l.pads);
    }
    if (l.op == "AveragePool" || l.op == "MaxPool") add_int(n, "ceil_mode", l.ceil_mode);
    if (l.op == "AveragePool") add_int(n, "count_include_pad", l.count_include_pad);
    n->add_output(y);
    cur = y;
  }
  auto *f = g->add_node();
  f->set_op_type("Flatten");
  f->set_name("flatten");
  f->add_input(cur);
  f->add_output("y");
  g->add_output()->set_name("y");
  g->mutable_output(0)->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  return m.SerializeAsString();
}

// Strides, dilation, asymmetric pads, depthwise and grouped convolutions, pools, a plane of 23 x 19
// that no grid divides.
std::vector<ChainLayer> mixed_layers() {
  ChainLayer avg = pool("AveragePool", 3, {1, 1}, {1, 0, 1, 2});
  avg.ceil_mode = 1;
  return {conv(8, 3, {2, 2}, {1, 1, 1, 1}), unary("Relu"),
          conv(8, 3, {1, 1}, {1, 1, 1, 1}, {}, 8), unary("Clip"),
          conv(12, 1),
          pool("MaxPool", 3, {2, 2}, {0, 1, 1, 0}),
          conv(8, 3, {1, 1}, {2, 1, 2, 1}, {2, 2}, 4),
          avg};
}

// 5x5 with asymmetric pads, a 7x7 stride-2 depthwise, Sigmoid (a lookup table in int8), 1x1.
std::vector<ChainLayer> wide_kernel_layers() {
  return {conv(6, 5, {1, 1}, {2, 0, 1, 2}), conv(6, 7, {2, 2}, {3, 3, 3, 3}, {}, 6), unary("Sigmoid"), conv(5, 1),
          pool("AveragePool", 2, {2, 2}, {})};
}

// Two inverted-residual blocks (1x1 expand, 3x3 depthwise, 1x1 project, Add of the block input)
// around a stride-2 convolution; the second block's depthwise is dilated.
std::vector<ChainLayer> residual_layers() {
  return {conv(8, 3, {1, 1}, {1, 1, 1, 1}), unary("Relu"), unary("Mark"),
          conv(16, 1), unary("Relu"), conv(16, 3, {1, 1}, {1, 1, 1, 1}, {}, 16), conv(8, 1), unary("AddSkip"),
          conv(8, 3, {2, 2}, {1, 1, 1, 1}), unary("Mark"),
          conv(8, 3, {1, 1}, {2, 2, 2, 2}, {2, 2}, 8), unary("Clip"), conv(8, 1), unary("AddSkip"),
          pool("MaxPool", 2, {2, 2}, {})};
}

Shape input_for(const std::vector<ChainLayer> &layers) {
  return layers.size() == 5 ? Shape{1, 4, 16, 16} : layers.size() == 8 ? Shape{1, 3, 23, 19} : Shape{1, 3, 20, 18};
}

bool same_bytes(const std::vector<Value> &a, const std::vector<Value> &b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].dtype != b[i].dtype || a[i].shape != b[i].shape || a[i].bytes != b[i].bytes) return false;
  return true;
}

// For every stage end and grid: the evaluator gives the whole-tensor graph's bytes.
void check_every_choice(const Graph &g, const std::vector<std::vector<Value>> &batch, int *checked) {
  PatchStage s = find_patch_stage(g);
  REQUIRE(!s.layers.empty());
  std::vector<std::vector<Value>> want;
  for (const auto &item : batch) want.push_back(evaluate_graph(g, item));
  for (int depth = 1; depth <= int(s.layers.size()); ++depth)
    for (int n : {2, 3, 5}) {
      std::vector<std::vector<LayerPatch>> regions;
      std::string why;
      if (!patch_regions(g, s, depth, n, regions, why)) continue;
      INFO("depth " << depth << ", grid " << n);
      Graph pg = apply_patches(g, s, {depth, n});
      for (size_t b = 0; b < batch.size(); ++b) CHECK(same_bytes(evaluate_graph(pg, batch[b]), want[b]));
      ++*checked;
    }
}

}  // namespace

TEST_CASE("patch regions back-propagate through stride, dilation and padding", "[patch]") {
  // 3x3, stride 2, pad 1 on 16 rows: 8 outputs; the first half reads the top padding row.
  WindowGeometry s2 = geometry(16, 3, 2, 1, 1, 1);
  SpanNeed a = window_input_span(s2, 0, {0, 4});
  CHECK(a.in == Span{0, 8});
  CHECK((a.pad_begin == 1 && a.pad_end == 0));
  SpanNeed b = window_input_span(s2, 0, {4, 8});
  CHECK(b.in == Span{7, 16});  // row 7 is a halo shared with the first patch
  CHECK((b.pad_begin == 0 && b.pad_end == 0));
  // Dilation 2 (extent 5), pad 2: the last rows reach into the bottom padding.
  WindowGeometry d2 = geometry(10, 3, 1, 2, 2, 2);
  SpanNeed c = window_input_span(d2, 0, {3, 6});
  CHECK(c.in == Span{1, 8});
  CHECK((c.pad_begin == 0 && c.pad_end == 0));
  SpanNeed d = window_input_span(d2, 0, {8, 10});
  CHECK(d.in == Span{6, 10});
  CHECK((d.pad_begin == 0 && d.pad_end == 2));
  // Asymmetric pads (0 before, 2 after).
  WindowGeometry asym = geometry(8, 3, 1, 1, 0, 2);
  SpanNeed e = window_input_span(asym, 0, {6, 8});
  CHECK(e.in == Span{6, 8});
  CHECK((e.pad_begin == 0 && e.pad_end == 2));
  SpanNeed f = window_input_span(asym, 0, {0, 3});
  CHECK(f.in == Span{0, 5});
  CHECK((f.pad_begin == 0 && f.pad_end == 0));
  // Grids that do not divide the plane: consecutive spans covering it, sizes differing by one.
  std::vector<Span> spans = split_axis(10, 3);
  REQUIRE(spans.size() == 3);
  CHECK(spans[0] == Span{0, 3});
  CHECK(spans[1] == Span{3, 6});
  CHECK(spans[2] == Span{6, 10});

  // Any geometry: a patch's rows plus its padding are exactly what its windows span, and every
  // tap that reads the input lies in the patch's rows.
  for (int64_t in : {5, 9, 16})
    for (int64_t k : {1, 2, 3, 5})
      for (int64_t st : {1, 2, 3})
        for (int64_t dil : {1, 2})
          for (int64_t pb : {0, 1, 2})
            for (int64_t pe : {0, 2}) {
              if (in + pb + pe < (k - 1) * dil + 1) continue;
              WindowGeometry g = geometry(in, k, st, dil, pb, pe);
              for (int n = 1; n <= std::min<int64_t>(3, g.out[0]); ++n)
                for (Span o : split_axis(g.out[0], n)) {
                  INFO("in " << in << " k " << k << " s " << st << " d " << dil << " pads " << pb << "," << pe
                             << " out " << o.begin << ".." << o.end);
                  SpanNeed need = window_input_span(g, 0, o);
                  // Windows that read only padding (pads at least the kernel extent) need no rows:
                  // patch_regions refuses such grids.
                  if (need.in.size() == 0) continue;
                  CHECK(need.in.size() + need.pad_begin + need.pad_end == (o.size() - 1) * st + (k - 1) * dil + 1);
                  CHECK((need.pad_begin == 0 || need.in.begin == 0));
                  CHECK((need.pad_end == 0 || need.in.end == in));
                  for (int64_t r = o.begin; r < o.end; ++r)
                    for (int64_t t = 0; t < k; ++t) {
                      int64_t row = r * st - pb + t * dil;
                      if (row >= 0 && row < in) CHECK((row >= need.in.begin && row < need.in.end));
                    }
                }
            }
}

TEST_CASE("patches tile the stage end and pad only at the true border", "[patch]") {
  Graph g = load_bytes(chain_model({1, 3, 23, 19}, mixed_layers(), 1));
  PatchStage s = find_patch_stage(g);
  // Conv+Relu and Conv+Clip fuse; everything up to the Flatten is eligible.
  REQUIRE(s.layers.size() == 6);
  CHECK(s.stop.find("Flatten") != std::string::npos);
  std::vector<std::vector<LayerPatch>> regions;
  std::string why;
  REQUIRE(patch_regions(g, s, 6, 3, regions, why));
  REQUIRE(regions.size() == 9);
  const Shape &t = g.tensor(g.nodes[size_t(s.layers[5].node)].outputs[0]).shape;
  std::vector<int> covered(size_t(t[2] * t[3]), 0);
  bool interior_halo = false;
  for (size_t p = 0; p < regions.size(); ++p) {
    const LayerPatch &last = regions[p].back(), &first = regions[p].front();
    for (int64_t r = last.out[0].begin; r < last.out[0].end; ++r)
      for (int64_t c = last.out[1].begin; c < last.out[1].end; ++c) ++covered[size_t(r * t[3] + c)];
    // The first layer (3x3, stride 2, pads 1) reads the padding only where its windows start
    // above or left of the input; every layer pads only where its rows touch the true border.
    for (size_t a = 0; a < 2; ++a) CHECK(first.pad_begin[a] == std::max<int64_t>(0, 1 - 2 * first.out[a].begin));
    for (size_t l = 0; l < regions[p].size(); ++l) {
      const Shape &xs = g.tensor(g.nodes[size_t(s.layers[l].node)].inputs[0]).shape;
      for (size_t a = 0; a < 2; ++a) {
        CHECK((regions[p][l].pad_begin[a] == 0 || regions[p][l].in[a].begin == 0));
        CHECK((regions[p][l].pad_end[a] == 0 || regions[p][l].in[a].end == xs[2 + a]));
      }
    }
    interior_halo = interior_halo || (first.in[0].begin > 0 && first.pad_begin[0] == 0);
  }
  CHECK(interior_halo);
  for (int c : covered) CHECK(c == 1);
  // A grid finer than the plane is refused with a reason.
  CHECK_FALSE(patch_regions(g, s, 6, 8, regions, why));
  CHECK(why.find("finer") != std::string::npos);
}

TEST_CASE("a residual block joins the stage; the stage ends only where one tensor is live", "[patch]") {
  Graph g = load_bytes(chain_model(input_for(residual_layers()), residual_layers(), 2));
  PatchStage s = find_patch_stage(g);
  // conv, expand, depthwise, project, Add, stride-2 conv, depthwise, project, Add, MaxPool.
  REQUIRE(s.layers.size() == 10);
  CHECK(s.ends == std::vector<int>{1, 5, 6, 9, 10});
  std::vector<std::vector<LayerPatch>> regions;
  std::string why;
  CHECK_FALSE(patch_regions(g, s, 3, 2, regions, why));
  CHECK(why.find("cannot end") != std::string::npos);
  // Ending at the first Add: the block input's patch is what the expand convolution and the
  // depthwise halo need, a larger region than the Add's skip path reads.
  REQUIRE(patch_regions(g, s, 5, 2, regions, why));
  for (const auto &rp : regions) {
    CHECK(rp[0].out[0].size() > rp[4].out[0].size());
    CHECK(rp[4].in[0] == rp[4].out[0]);
  }
}

TEST_CASE("patched graphs evaluate to the whole-tensor bytes, float and int8", "[patch]") {
  int checked = 0;
  for (auto layers : {mixed_layers(), wide_kernel_layers(), residual_layers()}) {
    const std::string bytes = chain_model(input_for(layers), layers, 7);
    Graph f = load_bytes(bytes);
    std::mt19937 rng(3);
    check_every_choice(f, {random_inputs(f, rng, 1.f)}, &checked);
    SweepModel q = quantize_model(bytes, 11);
    REQUIRE(q.report.float_nodes.empty());
    check_every_choice(q.graph, {q.batch[0], q.batch[2]}, &checked);
  }
  CHECK(checked >= 30);
}

TEST_CASE("patched generated C is bit-exact with the whole-tensor evaluator on the host", "[patch]") {
  HostBuildOptions fast;
  fast.optimize = false;
  for (auto layers : {mixed_layers(), wide_kernel_layers(), residual_layers()}) {
    const std::string bytes = chain_model(input_for(layers), layers, 5);
    SweepModel q = quantize_model(bytes, 13);
    std::vector<std::vector<Value>> want;
    for (const auto &item : q.batch) want.push_back(evaluate_graph(q.graph, item));
    PatchStage s = find_patch_stage(q.graph);
    const int full = int(s.layers.size());
    // The auto choice, every layer tiled 3 x 3, about half of them 2 x 2.
    std::vector<PatchChoice> choices = {{0, 0}, {full, 3}, {full / 2 + 1, 2}};
    for (PatchChoice c : choices) {
      INFO("depth " << c.depth << " grid " << c.grid);
      Graph pg;
      if (c.depth == 0) {
        PatchOutcome o;
        pg = plan_patches(q.graph, 0, o);
      } else {
        pg = apply_patches(q.graph, s, c);
      }
      std::vector<std::vector<Value>> got = run_on_host(pg, q.batch, fast);
      REQUIRE(got.size() == want.size());
      for (size_t b = 0; b < got.size(); ++b) CHECK(same_bytes(got[b], want[b]));
    }
    // Float: the patched C computes each output with the same operations as the whole-tensor C.
    Graph f = load_bytes(bytes);
    std::mt19937 rng(9);
    std::vector<std::vector<Value>> batch = {random_inputs(f, rng, 1.f)};
    PatchStage fs = find_patch_stage(f);
    Graph pf = apply_patches(f, fs, {int(fs.layers.size()), 2});
    CHECK(same_bytes(run_on_host(pf, batch, fast)[0], run_on_host(f, batch, fast)[0]));
  }
}

TEST_CASE("patched int8 model is bit-exact on Cortex-M4 under QEMU", "[patch][qemu]") {
  // Every layer of the residual model tiled 3 x 3: crops, joins, windows and the quantized input.
  SweepModel q = quantize_model(chain_model(input_for(residual_layers()), residual_layers(), 17), 19);
  PatchStage s = find_patch_stage(q.graph);
  REQUIRE(!s.ends.empty());
  Graph pg = apply_patches(q.graph, s, {s.ends.back(), 3});
  QemuOptions qo;
  qo.plugin = MTC_QEMU_PLUGIN_PATH;
  QemuRun run = run_on_qemu(pg, q.batch, qo);
  REQUIRE(run.outputs.size() == q.batch.size());
  for (size_t b = 0; b < q.batch.size(); ++b) CHECK(same_bytes(run.outputs[b], evaluate_graph(q.graph, q.batch[b])));
  CHECK(run.report.arena_bytes == plan_memory(pg).arena_size);
}

// A MobileNetV1-like start (stride-2 stem, depthwise-separable blocks) on a 48 x 48 input, whose
// first activations set the whole-tensor bound, as in the VWW benchmark model.
std::vector<ChainLayer> mobilenet_like_layers() {
  return {conv(8, 3, {2, 2}, {1, 1, 1, 1}), unary("Relu"),
          conv(8, 3, {1, 1}, {1, 1, 1, 1}, {}, 8), unary("Relu"), conv(16, 1), unary("Relu"),
          conv(16, 3, {2, 2}, {1, 1, 1, 1}, {}, 16), unary("Relu"), conv(32, 1), unary("Relu"),
          conv(32, 3, {2, 2}, {1, 1, 1, 1}, {}, 32), unary("Relu"), conv(32, 1), unary("Relu"),
          pool("AveragePool", 6, {6, 6}, {})};
}

TEST_CASE("patch-based inference of a MobileNet-like model: arena below the whole-tensor lower bound, bit-exact",
          "[patch]") {
  TempDir tmp("mtc-patch-mobilenet");
  const std::vector<ChainLayer> layers = mobilenet_like_layers();
  const std::string bytes = chain_model({1, 3, 48, 48}, layers, 21);
  const std::string model = tmp.path() + "/m.onnx", calib = tmp.path() + "/calib.npy";
  std::ofstream(model, std::ios::binary) << bytes;
  Graph g = load_bytes(bytes);
  std::mt19937 rng(4);
  std::vector<std::vector<Value>> items;
  Value all(DType::F32, {4, 3, 48, 48});
  for (int64_t i = 0; i < 4; ++i) {
    items.push_back(random_inputs(g, rng, 1.f));
    std::copy(items.back()[0].bytes.begin(), items.back()[0].bytes.end(),
              all.bytes.begin() + long(i) * long(items.back()[0].bytes.size()));
  }
  write_npy(calib, all);
  ProcessResult c = run_microtc({"compile", model, "--quantize", "int8", "--calib", calib, "-o", tmp.path() + "/out",
                                 "--patch", "auto", "--report", tmp.path() + "/r.json", "--print-memory-plan"});
  INFO(c.output);
  REQUIRE(c.exit_code == 0);
  nlohmann::json r = nlohmann::json::parse(std::ifstream(tmp.path() + "/r.json"));
  CHECK(r["arena_bytes"].get<int64_t>() < r["lower_bound_whole_tensor"].get<int64_t>());
  CHECK(r["arena_bytes"].get<int64_t>() == r["patch"]["arena_bytes"].get<int64_t>());
  CHECK(r["patch"]["grid"].get<int>() >= 2);
  CHECK(r["patch"]["macs"].get<int64_t>() <= 2 * r["patch"]["macs_whole_tensor"].get<int64_t>());
  CHECK(c.output.find("whole-tensor arena") != std::string::npos);

  // Bit for bit against the evaluator of the whole-tensor graph.
  quantize_graph(g, items, {});
  infer_and_fold(g);
  PatchOutcome o;
  Graph pg = plan_patches(g, 0, o);
  CHECK(o.arena < o.lower_bound_whole);
  std::vector<std::vector<Value>> batch = {items[0], items[3]};
  std::vector<std::vector<Value>> got = run_on_host(pg, batch, {});
  for (size_t b = 0; b < batch.size(); ++b) CHECK(same_bytes(got[b], evaluate_graph(g, batch[b])));
}

TEST_CASE("patch-based inference refuses a model with no eligible first layer, naming the node", "[patch]") {
  onnx::ModelProto m = empty_onnx_model("no_stage");
  auto *g = m.mutable_graph();
  auto *in = g->add_input();
  in->set_name("x");
  auto *tt = in->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : {1, 3, 8, 8}) tt->mutable_shape()->add_dim()->set_dim_value(d);
  auto *n = g->add_node();
  n->set_op_type("Transpose");
  n->set_name("turn_first");
  n->add_input("x");
  n->add_output("t");
  add_ints(n, "perm", {0, 2, 3, 1});
  auto *r = g->add_node();
  r->set_op_type("Relu");
  r->set_name("relu");
  r->add_input("t");
  r->add_output("y");
  g->add_output()->set_name("y");
  g->mutable_output(0)->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
  TempDir tmp("mtc-patch-bad");
  std::ofstream(tmp.path() + "/m.onnx", std::ios::binary) << m.SerializeAsString();
  ProcessResult p = run_microtc({"compile", tmp.path() + "/m.onnx", "-o", tmp.path() + "/out", "--patch", "auto"});
  CHECK(p.exit_code != 0);
  CHECK(p.output.find("turn_first") != std::string::npos);
  CHECK(p.output.find("Transpose") != std::string::npos);
  CHECK(p.output.find("patch") != std::string::npos);
  ProcessResult bad = run_microtc({"compile", tmp.path() + "/m.onnx", "-o", tmp.path() + "/out", "--patch", "9"});
  CHECK(bad.exit_code != 0);
  CHECK(bad.output.find("2..8") != std::string::npos);
}

TEST_CASE("patch operators in a model file with hostile windows are refused, naming the node", "[patch][bad-input]") {
  // The internal operators are importable by name; their attributes must be checked as untrusted.
  struct Case {
    std::string op;
    std::vector<std::pair<std::string, int64_t>> ints;
  };
  const int64_t huge = INT64_MAX - 1;  // row + 2 would overflow
  const std::vector<Case> cases = {
      {"PatchPlace", {{"row", huge}, {"col", 0}}},
      {"PatchPlace", {{"row", 0}, {"col", -1}}},
      {"PatchQuantizeLinear", {{"row", 0}, {"col", 0}, {"rows", huge}, {"cols", 1}}},
      {"PatchQuantizeLinear", {{"row", huge}, {"col", 0}, {"rows", 2}, {"cols", 1}}},
  };
  TempDir tmp("mtc-patch-hostile");
  for (const Case &c : cases) {
    INFO(c.op);
    onnx::ModelProto m = empty_onnx_model("hostile_patch");
    auto *g = m.mutable_graph();
    auto *in = g->add_input();
    in->set_name("x");
    auto *tt = in->mutable_type()->mutable_tensor_type();
    tt->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : {1, 1, 2, 2}) tt->mutable_shape()->add_dim()->set_dim_value(d);
    auto *n = g->add_node();
    n->set_op_type(c.op);
    n->set_name("hostile_window");
    n->add_input("x");
    if (c.op == "PatchQuantizeLinear") n->add_input("x");
    n->add_output("y");
    for (const auto &[k, v] : c.ints) add_int(n, k, v);
    if (c.op == "PatchPlace") add_ints(n, "full_shape", {1, 1, 4, 4});
    g->add_output()->set_name("y");
    std::ofstream(tmp.path() + "/m.onnx", std::ios::binary) << m.SerializeAsString();
    ProcessResult p = run_microtc({"compile", tmp.path() + "/m.onnx", "-o", tmp.path() + "/out"});
    CHECK(p.exit_code == 1);
    CHECK(p.output.find("hostile_window") != std::string::npos);
    CHECK(p.output.find("does not fit") != std::string::npos);
  }
}
