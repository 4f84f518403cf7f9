// The memory planner: placement orders and search on hand-built graphs whose best arena is known,
// in-place execution (which nodes may, which must not), never worse than largest-first on the
// fixtures, and generated C with in-place nodes equal to the reference evaluator bit for bit.
#include <catch2/catch.hpp>

#include <cstring>
#include <sstream>

#include "driver/host_engine.h"
#include "driver/load_model.h"
#include "eval/evaluator.h"
#include "memory/in_place.h"
#include "memory/placement.h"
#include "memory/plan_chart.h"
#include "memory/planner.h"
#include "memory/schedule.h"
#include "passes/pass.h"
#include "quant/quantize.h"
#include "support/npy.h"
#include "test_util.h"

using namespace mtc;

namespace {

const PlanOptions kOldPlanner{false, false};  // largest first, no in-place: the planner before

// A graph built by hand for the planner, which only needs dtypes, shapes and the node order.
struct Builder {
  Graph g;
  TensorId tensor(const std::string &name, Shape shape, DType t = DType::F32) {
    TensorId id = g.add_tensor(name, t);
    g.tensor(id).shape = std::move(shape);
    g.tensor(id).shape_known = true;
    return id;
  }
  TensorId input(const std::string &name, Shape shape) {
    TensorId id = tensor(name, std::move(shape));
    g.inputs.push_back(id);
    return id;
  }
  void node(const std::string &op, std::vector<TensorId> in, TensorId out) {
    g.nodes.push_back({op, op + "_" + std::to_string(g.nodes.size()), std::move(in), {out}, {}});
  }
};

// F32 tensors of n * 16 bytes.
Shape floats(int64_t sixteen_bytes) { return {sixteen_bytes * 4}; }

}  // namespace

TEST_CASE("a chain where largest-first wastes space is planned at its lower bound", "[memory]") {
  // Sizes 64, 64, 64, 96, 64 bytes, each live while the next is written. Largest first puts D at 0,
  // which pushes C above both B and D (192 bytes); the best plan alternates and needs 160.
  Builder b;
  TensorId x = b.input("x", floats(1));
  TensorId prev = x;
  std::vector<TensorId> chain;
  for (int64_t s : {4, 4, 4, 6, 4}) {
    TensorId t = b.tensor("t" + std::to_string(chain.size()), floats(s));
    b.node("Conv", {prev}, t);
    chain.push_back(prev = t);
  }
  TensorId y = b.tensor("y", floats(1));
  b.node("Conv", {prev}, y);
  b.g.outputs.push_back(y);

  MemoryPlan old = plan_memory(b.g, kOldPlanner);
  CHECK(old.lower_bound == 160);
  CHECK(old.arena_size == 192);
  MemoryPlan p = plan_memory(b.g);
  CHECK_NOTHROW(check_plan(p));
  CHECK(p.lower_bound == 160);
  CHECK(p.arena_size == 160);
  CHECK(p.by_size_arena == 192);
  CHECK(p.placement_order != "largest first");
}

TEST_CASE("a residual block adds in place and needs two buffers", "[memory]") {
  // x -> a -> c; d = a + c -> y. Without in-place a, c and d are live at the Add; with it d
  // overwrites a (the first operand that dies there).
  Builder bd;
  TensorId x = bd.input("x", floats(4));
  TensorId a = bd.tensor("a", floats(4)), c = bd.tensor("c", floats(4)), d = bd.tensor("d", floats(4));
  TensorId y = bd.tensor("y", floats(1));
  bd.node("Conv", {x}, a);
  bd.node("Conv", {a}, c);
  bd.node("Add", {a, c}, d);
  bd.node("Gemm", {d}, y);
  bd.g.outputs.push_back(y);

  MemoryPlan old = plan_memory(bd.g, kOldPlanner);
  CHECK(old.lower_bound == 3 * 64);
  CHECK(old.arena_size == 3 * 64);
  MemoryPlan p = plan_memory(bd.g);
  CHECK_NOTHROW(check_plan(p));
  CHECK(p.storage[size_t(d)].in_place);
  CHECK(p.storage[size_t(d)].root == a);
  CHECK(p.storage[size_t(d)].offset == p.storage[size_t(a)].offset);
  CHECK(p.lower_bound == 2 * 64);
  CHECK(p.arena_size == 2 * 64);
}

TEST_CASE("an elementwise chain runs in place in one buffer", "[memory]") {
  Builder b;
  TensorId x = b.input("x", {1, 8, 4, 4});
  TensorId t = b.tensor("conv", {1, 8, 4, 4});
  b.node("Conv", {x}, t);
  for (const char *op : {"Relu", "Sigmoid", "Tanh", "Exp", "Clip", "HardSwish"}) {
    TensorId next = b.tensor(std::string("after_") + op, {1, 8, 4, 4});
    b.node(op, {t}, next);
    t = next;
  }
  TensorId y = b.tensor("y", {1, 10});
  b.node("Gemm", {t}, y);
  b.g.outputs.push_back(y);

  MemoryPlan p = plan_memory(b.g);
  CHECK_NOTHROW(check_plan(p));
  REQUIRE(p.buffers.size() == 1);
  CHECK(p.arena_size == 8 * 16 * 4);  // the largest single buffer
  CHECK(p.arena_size == p.lower_bound);
  CHECK(plan_memory(b.g, kOldPlanner).arena_size == 2 * 8 * 16 * 4);
}

TEST_CASE("in-place execution is refused where the kernel or the lifetime forbids it", "[memory]") {
  Builder b;
  TensorId x = b.input("x", {4, 4});
  TensorId full = b.tensor("full", {4, 4}), row = b.tensor("row", {1, 4});
  b.node("Conv", {x}, full);
  b.node("ReduceMean", {full}, row);  // full stays live: read again below
  TensorId sum = b.tensor("sum", {4, 4});
  b.node("Add", {row, full}, sum);  // row broadcasts: only `full` may be overwritten
  TensorId kept = b.tensor("kept", {4, 4}), r = b.tensor("r", {4, 4});
  b.node("Relu", {sum}, r);        // sum is read again by the Mul: not in place
  b.node("Mul", {sum, r}, kept);
  TensorId soft = b.tensor("soft", {4, 4});
  b.node("Softmax", {kept}, soft);  // not an elementwise kernel
  TensorId relu_in = b.tensor("relu_in", {4, 4});
  b.node("Relu", {x}, relu_in);  // a graph input is never overwritten
  TensorId out = b.tensor("out", {4, 4});
  b.node("Add", {soft, relu_in}, out);  // writes the user's buffer, not the arena
  b.g.outputs.push_back(out);

  CHECK_FALSE(node_can_run_in_place(b.g, b.g.nodes[2], 0));
  CHECK(node_can_run_in_place(b.g, b.g.nodes[2], 1));
  CHECK_FALSE(node_can_run_in_place(b.g, b.g.nodes[5], 0));
  MemoryPlan p = plan_memory(b.g);
  CHECK_NOTHROW(check_plan(p));
  CHECK(p.storage[size_t(sum)].in_place);
  CHECK(p.storage[size_t(sum)].root == full);
  CHECK_FALSE(p.storage[size_t(r)].in_place);
  CHECK(p.storage[size_t(kept)].in_place);  // Mul over sum (or r), both die there
  CHECK_FALSE(p.storage[size_t(soft)].in_place);
  CHECK_FALSE(p.storage[size_t(relu_in)].in_place);
  CHECK(p.storage[size_t(x)].kind == StorageKind::Input);
  CHECK(p.storage[size_t(out)].kind == StorageKind::Output);
}

TEST_CASE("in place is refused when another operand reads the same bytes with another shape", "[memory]") {
  // v is a view of a with the output's shape; a broadcasts as (4, 4) against (1, 4, 4). The bytes
  // line up here, but the planner only allows same-shape readers of an overwritten buffer.
  Builder b;
  TensorId x = b.input("x", {4, 4});
  TensorId a = b.tensor("a", {4, 4}), v = b.tensor("v", {1, 4, 4}), s = b.tensor("s", {1, 4, 4});
  b.node("Conv", {x}, a);
  b.node("Reshape", {a}, v);
  b.node("Add", {a, v}, s);
  TensorId y = b.tensor("y", {1});
  b.node("Gemm", {s}, y);
  b.g.outputs.push_back(y);
  CHECK(node_can_run_in_place(b.g, b.g.nodes[2], 1));
  MemoryPlan p = plan_memory(b.g);
  CHECK(p.storage[size_t(v)].root == a);
  CHECK_FALSE(p.storage[size_t(s)].in_place);
  CHECK_NOTHROW(check_plan(p));
}

TEST_CASE("the chart and the JSON show every buffer with escaped names", "[memory]") {
  Builder b;
  TensorId x = b.input("x", floats(1));
  TensorId a = b.tensor("evil\n\"name", floats(4)), y = b.tensor("y", floats(1));
  b.node("Conv", {x}, a);
  b.node("Conv", {a}, y);
  b.g.outputs.push_back(y);
  MemoryPlan p = plan_memory(b.g);
  std::ostringstream os;
  print_memory_plan(b.g, p, os);
  INFO(os.str());
  CHECK(os.str().find("'evil\\x0a\"name'") != std::string::npos);
  CHECK(os.str().find("\n    0 |aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa| Conv") != std::string::npos);
  CHECK(os.str().find("arena 64 bytes, lower bound 64 bytes, ratio 1.000") != std::string::npos);
  std::string j = memory_plan_json(b.g, p);
  CHECK(j.find("\"name\":\"evil\\n\\\"name\"") != std::string::npos);
  CHECK(j.find("\"lower_bound\":64") != std::string::npos);
}

namespace {

std::vector<std::string> fixture_models() {
  std::vector<std::string> m;
  for (const char *n : {"resnet_small", "kws_dscnn", "mbv2_tiny", "fc_autoencoder", "concat_se_hswish"})
    m.push_back("tests/fixtures/models/" + std::string(n));
  return m;
}

// The fixture quantized to int8 with its own inputs as calibration data (as int8_test.cpp does).
Graph quantized(const std::string &base, std::vector<std::vector<Value>> &batch) {
  Graph g = load_model(test::source_path(base + ".onnx"), LoadOptions());
  Value x = read_npy(test::source_path(base + ".input.npy"));
  const Tensor &in = g.tensor(g.inputs.at(0));
  int64_t n_in = shape_elements(in.shape);
  for (int64_t i = 0; i < x.shape[0]; ++i) {
    Value xi(DType::F32, in.shape);
    std::memcpy(xi.bytes.data(), x.data<float>() + i * n_in, size_t(n_in) * 4);
    batch.push_back({xi});
  }
  quantize_graph(g, batch, QuantizeOptions());
  infer_and_fold(g);
  verify_graph(g);
  return g;
}

}  // namespace

TEST_CASE("fixture plans never overlap and never lose to largest-first or the old planner", "[memory][models]") {
  for (const std::string &base : fixture_models())
    for (bool int8 : {false, true}) {
      INFO(base << (int8 ? " int8" : " float"));
      std::vector<std::vector<Value>> batch;
      Graph g = int8 ? quantized(base, batch) : load_model(test::source_path(base + ".onnx"), LoadOptions());
      MemoryPlan old = plan_memory(g, kOldPlanner), p = plan_memory(g);
      CHECK_NOTHROW(check_plan(old));
      CHECK_NOTHROW(check_plan(p));
      CHECK(p.arena_size >= p.lower_bound);
      CHECK(p.arena_size <= p.by_size_arena);
      CHECK(p.arena_size <= old.arena_size);
      CHECK(p.lower_bound <= old.lower_bound);
      // Deterministic: planning twice gives the same offsets.
      MemoryPlan again = plan_memory(g);
      for (size_t i = 0; i < p.buffers.size(); ++i) CHECK(again.buffers[i].offset == p.buffers[i].offset);
    }
}

TEST_CASE("int8 resnet with in-place adds matches the evaluator bit for bit through generated C",
          "[memory][models][int8]") {
  std::vector<std::vector<Value>> batch;
  Graph g = quantized("tests/fixtures/models/resnet_small", batch);
  MemoryPlan p = plan_memory(g);
  int in_place = 0;
  for (const TensorStorage &s : p.storage) in_place += s.in_place;
  REQUIRE(in_place > 0);
  auto out = run_on_host(g, batch, {});
  for (size_t i = 0; i < batch.size(); ++i) {
    Value want = evaluate_graph(g, batch[i]).at(0);
    CHECK(out[i].at(0).bytes == want.bytes);
  }
}

TEST_CASE("branch order: finishing the big branch first lowers the arena", "[memory]") {
  // x -> A1 (100 units) -> A2 (1 unit); x -> B1 (10) -> B2 (10); Concat(A2, B2). In model order
  // A1, B1, B2, A2 the big A1 stays alive under both B tensors (peak 120 units); running A2 right
  // after A1 frees it first (peak 101).
  Builder b;
  TensorId x = b.input("x", floats(1));
  TensorId a1 = b.tensor("a1", floats(100)), a2 = b.tensor("a2", floats(1));
  TensorId b1 = b.tensor("b1", floats(10)), b2 = b.tensor("b2", floats(10)), y = b.tensor("y", floats(11));
  b.node("Conv", {x}, a1);
  b.node("Conv", {x}, b1);
  b.node("Conv", {b1}, b2);
  b.node("Conv", {a1}, a2);
  b.node("Concat", {a2, b2}, y);
  TensorId z = b.tensor("z", floats(11));
  b.node("Conv", {y}, z);
  b.g.outputs.push_back(z);
  Graph g = b.g;
  ScheduleResult r = schedule_for_memory(g);
  CHECK(r.arena_before == 120 * 16 + 11 * 16 - 11 * 16);  // peak at B2: a1 + b1 + b2
  CHECK(r.arena_after == 101 * 16);
  CHECK(r.order != "model order");
  CHECK_NOTHROW(verify_graph(g));
  REQUIRE(g.nodes.size() == b.g.nodes.size());
  CHECK(g.nodes[1].name == b.g.nodes[3].name);  // A2 right after A1
  // Already best: a second run keeps the order.
  Graph again = g;
  CHECK(schedule_for_memory(again).order == "model order");
}

TEST_CASE("scheduled fixture models keep a valid order, never a bigger arena, and the same results",
          "[memory][models]") {
  for (const std::string &base : fixture_models()) {
    INFO(base);
    std::vector<std::vector<Value>> batch;
    Graph g = quantized(base, batch), before = g;
    ScheduleResult r = schedule_for_memory(g);
    CHECK_NOTHROW(verify_graph(g));
    CHECK(r.arena_after <= r.arena_before);
    CHECK(plan_memory(g).arena_size == r.arena_after);
    CHECK(evaluate_graph(g, batch[0]).at(0).bytes == evaluate_graph(before, batch[0]).at(0).bytes);
  }
}
