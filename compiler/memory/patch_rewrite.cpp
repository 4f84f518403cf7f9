// The patch rewrite and the choice of stage end and grid (see patch_rewrite.h).
#include "memory/patch_rewrite.h"

#include <map>
#include <nlohmann/json.hpp>

#include "memory/planner.h"
#include "ops/op.h"
#include "support/error.h"

namespace mtc {

namespace {

TensorId add_like(Graph &g, TensorId like, const std::string &suffix, const Shape &shape) {
  const Tensor proto = g.tensor(like);  // copy: add_tensor may reallocate
  TensorId id = g.add_tensor(proto.name + suffix, proto.dtype);
  Tensor &t = g.tensor(id);
  t.shape = shape;
  t.shape_known = true;
  t.quant = proto.quant;
  return id;
}

TensorId add_ints(Graph &g, const std::string &name, const std::vector<int64_t> &v) {
  return g.add_constant(name, Value::from_i64(v, {int64_t(v.size())}));
}

// Shape inference of a rewritten node must give the patch's planned extent: a check of the pads.
void infer_checked(Graph &g, Node &n, const Shape &want) {
  infer_node(g, n);
  if (g.tensor(n.outputs[0]).shape != want)
    throw CompileError("internal: patch rewrite of " + g.describe(n) + " gives " +
                       shape_str(g.tensor(n.outputs[0]).shape) + ", planned " + shape_str(want));
}

int64_t graph_macs(const Graph &g) {
  int64_t total = 0;
  for (const Node &n : g.nodes) {
    const OpDef *def = OpRegistry::instance().find(n.op);
    if (def && def->macs) total += def->macs(g, n);
  }
  return total;
}

}  // namespace

Graph apply_patches(const Graph &g, const PatchStage &s, PatchChoice c) {
  std::vector<std::vector<LayerPatch>> regions;
  std::string why;
  if (!patch_regions(g, s, c.depth, c.grid, regions, why)) throw CompileError("--patch: " + why);
  Graph out = g;
  std::vector<char> in_stage(g.nodes.size(), 0);
  for (int l = 0; l < c.depth; ++l) in_stage[size_t(s.layers[size_t(l)].node)] = 1;
  const size_t first = size_t(s.layers[0].node);
  const Node &last_node = g.nodes[size_t(s.layers[size_t(c.depth - 1)].node)];
  const TensorId t_full = last_node.outputs[0];
  const Shape t_shape = g.tensor(t_full).shape;

  std::vector<Node> nodes(g.nodes.begin(), g.nodes.begin() + long(first));
  TensorId filled = kNoTensor;
  for (size_t p = 0; p < regions.size(); ++p) {
    const std::vector<LayerPatch> &rp = regions[p];
    const std::string tag = "@patch" + std::to_string(p / size_t(c.grid)) + "," + std::to_string(p % size_t(c.grid));
    // Per stage tensor: its patch tensor and the region that patch holds.
    std::map<TensorId, std::pair<TensorId, LayerPatch>> patch_of;
    int crops = 0;
    // A patch tensor holding exactly `want` of stage tensor t: the stage input's region copied
    // out, the producer's patch itself, or a crop of it when this reader needs less (a skip path).
    auto fetch = [&](TensorId t, const Span (&want)[2]) {
      TensorId src = t;
      Span have[2] = {{0, g.tensor(t).shape[2]}, {0, g.tensor(t).shape[3]}};
      if (t != s.input) {
        const auto &pp = patch_of.at(t);
        if (pp.second.out[0] == want[0] && pp.second.out[1] == want[1]) return pp.first;
        src = pp.first;
        have[0] = pp.second.out[0];
        have[1] = pp.second.out[1];
      }
      const std::string ctag = tag + (t == s.input ? "" : " crop" + std::to_string(crops++));
      Node slice;
      slice.op = "Slice";
      slice.name = "patch slice" + ctag;
      slice.inputs = {src, add_ints(out, "starts" + ctag, {want[0].begin - have[0].begin, want[1].begin - have[1].begin}),
                      add_ints(out, "ends" + ctag, {want[0].end - have[0].begin, want[1].end - have[1].begin}),
                      add_ints(out, "axes" + ctag, {2, 3})};
      const Shape &ts = g.tensor(t).shape;
      Shape xp = {ts[0], ts[1], want[0].size(), want[1].size()};
      slice.outputs = {add_like(out, t, ctag, xp)};
      infer_checked(out, slice, xp);
      const TensorId id = slice.outputs[0];
      nodes.push_back(std::move(slice));
      return id;
    };
    for (int l = 0; l < c.depth; ++l) {
      const StageLayer &layer = s.layers[size_t(l)];
      const LayerPatch &lp = rp[size_t(l)];
      Node n = g.nodes[size_t(layer.node)];
      n.name += tag;
      if (n.op == "QuantizeLinear" && n.inputs[0] == s.input) {
        // Quantizing the window where it lies: no float copy of it in the arena.
        n.op = "PatchQuantizeLinear";
        n.attrs.set("row", lp.in[0].begin);
        n.attrs.set("col", lp.in[1].begin);
        n.attrs.set("rows", lp.in[0].size());
        n.attrs.set("cols", lp.in[1].size());
      } else {
        for (size_t k = 0; k < layer.reads.size(); ++k)
          n.inputs[layer.slots[k]] = layer.at_output[k] ? fetch(layer.reads[k], lp.out) : fetch(layer.reads[k], lp.in);
      }
      const TensorId y = n.outputs[0];
      const Shape &ys = g.tensor(y).shape;
      Shape yp = {ys[0], ys[1], lp.out[0].size(), lp.out[1].size()};
      n.outputs[0] = add_like(out, y, tag, yp);
      if (layer.window) {
        n.attrs.set("auto_pad", std::string("NOTSET"));
        n.attrs.set("pads", std::vector<int64_t>{lp.pad_begin[0], lp.pad_begin[1], lp.pad_end[0], lp.pad_end[1]});
        if (n.attrs.has("ceil_mode")) n.attrs.set("ceil_mode", int64_t(0));  // the pads give the exact extent
      }
      infer_checked(out, n, yp);
      patch_of[y] = {n.outputs[0], lp};
      nodes.push_back(std::move(n));
    }
    const TensorId x = patch_of.at(t_full).first;
    Node place;
    place.op = "PatchPlace";
    place.name = "patch place" + tag;
    place.inputs = {x, filled};
    place.outputs = {p + 1 == regions.size() ? t_full : add_like(out, t_full, tag, t_shape)};
    const LayerPatch &lp = rp[size_t(c.depth - 1)];
    place.attrs.set("row", lp.out[0].begin);
    place.attrs.set("col", lp.out[1].begin);
    place.attrs.set("full_shape", std::vector<int64_t>(t_shape.begin(), t_shape.end()));
    infer_checked(out, place, t_shape);
    filled = place.outputs[0];
    nodes.push_back(std::move(place));
  }
  for (size_t i = first; i < g.nodes.size(); ++i)
    if (!in_stage[i]) nodes.push_back(g.nodes[i]);
  out.nodes = std::move(nodes);
  verify_graph(out);
  return out;
}

// `auto` does not trade more than this factor of MACs for arena (MCUNetV2 reports about 10% more
// with its receptive-field redistribution; without it, fine grids recompute much more).
constexpr int64_t kAutoMacsFactor = 2;

Graph plan_patches(const Graph &g, int grid, PatchOutcome &outcome) {
  PatchStage s = find_patch_stage(g);
  if (s.layers.empty()) throw CompileError("--patch: no patch stage: " + s.stop);
  outcome = PatchOutcome{};
  outcome.stage_stop = s.stop;
  outcome.stage_layers = int(s.layers.size());
  const MemoryPlan whole = plan_memory(g);
  outcome.arena_whole = whole.arena_size;
  outcome.lower_bound_whole = whole.lower_bound;
  outcome.macs_whole = graph_macs(g);

  // Every candidate gets the quick (largest-first) placement; those within 20% of the best quick
  // arena are planned in full (the search often packs a finer grid's many small buffers better)
  // and the smallest full arena wins, ties to fewer MACs.
  PlanOptions quick;
  quick.search = false;
  int64_t best_quick = -1;
  std::string last_why;
  for (int depth : s.ends) {
    const TensorId t = g.nodes[size_t(s.layers[size_t(depth - 1)].node)].outputs[0];
    if (g.is_graph_output(t)) continue;
    for (int n = grid ? grid : 2; n <= (grid ? grid : 8); ++n) {
      std::vector<std::vector<LayerPatch>> regions;
      if (!patch_regions(g, s, depth, n, regions, last_why)) continue;
      Graph pg = apply_patches(g, s, {depth, n});
      const int64_t arena = plan_memory(pg, quick).arena_size, macs = graph_macs(pg);
      ++outcome.candidates;
      // auto: recomputed halos may at most double the work (a forced grid takes any cost)
      if (!grid && macs > kAutoMacsFactor * outcome.macs_whole) {
        last_why = "every tiling that lowers the arena more than doubles the MACs (force one with --patch N)";
        continue;
      }
      outcome.tried.push_back({{depth, n}, arena, macs});
      if (best_quick < 0 || arena < best_quick) best_quick = arena;
    }
  }
  if (best_quick < 0)
    throw CompileError("--patch: no grid fits the stage ending at " +
                       g.describe(g.nodes[size_t(s.layers[0].node)]) + (last_why.empty() ? "" : ": " + last_why));
  PatchChoice best;
  int64_t best_macs = 0;
  Graph pg;
  MemoryPlan plan;
  for (PatchOutcome::Candidate &c : outcome.tried) {
    if (c.quick_arena * 5 > best_quick * 6) continue;
    Graph cg = apply_patches(g, s, c.choice);
    MemoryPlan cp = plan_memory(cg);
    c.full_arena = cp.arena_size;
    if (best.depth == 0 || cp.arena_size < plan.arena_size || (cp.arena_size == plan.arena_size && c.macs < best_macs)) {
      best = c.choice;
      best_macs = c.macs;
      pg = std::move(cg);
      plan = std::move(cp);
    }
  }
  if (!grid && plan.arena_size >= whole.arena_size)
    throw CompileError("--patch auto: no tiling of the stage lowers the arena below the whole-tensor " +
                       std::to_string(whole.arena_size) + " bytes within " + std::to_string(kAutoMacsFactor) +
                       "x the MACs (force a grid with --patch N)");
  const Node &end = g.nodes[size_t(s.layers[size_t(best.depth - 1)].node)];
  outcome.choice = best;
  outcome.stage_end = g.describe_tensor(end.outputs[0]);
  outcome.stage_end_node = g.describe(end);
  outcome.arena = plan.arena_size;
  outcome.lower_bound = plan.lower_bound;
  outcome.macs = best_macs;
  return pg;
}

std::string patch_outcome_json(const PatchOutcome &o) {
  nlohmann::json j;
  j["grid"] = o.choice.grid;
  j["stage_layers"] = o.choice.depth;
  j["stage_layers_possible"] = o.stage_layers;
  j["stage_end_tensor"] = o.stage_end;
  j["stage_end_node"] = o.stage_end_node;
  j["candidates"] = o.candidates;
  j["arena_bytes"] = o.arena;
  j["lower_bound"] = o.lower_bound;
  j["arena_bytes_whole_tensor"] = o.arena_whole;
  j["lower_bound_whole_tensor"] = o.lower_bound_whole;
  j["macs"] = o.macs;
  j["macs_whole_tensor"] = o.macs_whole;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace mtc
