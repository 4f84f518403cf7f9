// Hostile and broken model files: each must give a one-paragraph error naming the file, node or
// tensor and exit code 1 — never a crash, hang or abort. Model names never reach C unescaped.
#include <catch2/catch.hpp>

#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_util.h"

using namespace mtc;

namespace {

onnx::ModelProto base_model(int opset = 13) { return test::empty_onnx_model("g", opset); }

void add_value(google::protobuf::RepeatedPtrField<onnx::ValueInfoProto> *list, const std::string &name,
               std::vector<int64_t> dims, int elem = onnx::TensorProto::FLOAT) {
  auto *vi = list->Add();
  vi->set_name(name);
  auto *tt = vi->mutable_type()->mutable_tensor_type();
  tt->set_elem_type(elem);
  auto *shape = tt->mutable_shape();
  for (int64_t d : dims) {
    if (d < 0) shape->add_dim()->set_dim_param("N");
    else shape->add_dim()->set_dim_value(d);
  }
}

// A graph output with a type but no shape: microtc infers it.
void add_output(onnx::ModelProto &m, const std::string &name) {
  auto *vi = m.mutable_graph()->add_output();
  vi->set_name(name);
  vi->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
}

onnx::NodeProto *add_node(onnx::ModelProto &m, const std::string &op, std::vector<std::string> in,
                          std::vector<std::string> out, const std::string &name = "") {
  auto *n = m.mutable_graph()->add_node();
  n->set_op_type(op);
  n->set_name(name.empty() ? op : name);
  for (auto &s : in) n->add_input(s);
  for (auto &s : out) n->add_output(s);
  return n;
}

struct Run {
  int exit_code;
  std::string output;
};

Run compile_bytes(const std::string &bytes, const std::string &file = "model.onnx") {
  TempDir tmp;
  std::string path = tmp.path() + "/" + file;
  std::ofstream(path, std::ios::binary) << bytes;
  ProcessResult r = test::run_microtc({"compile", path, "-o", tmp.path() + "/out"}, 60);
  return {r.timed_out ? -2 : r.exit_code, r.output};
}

Run compile_model(const onnx::ModelProto &m) { return compile_bytes(m.SerializeAsString()); }

void expect_error(const Run &r, const std::vector<std::string> &mentions) {
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("microtc: error:") != std::string::npos);
  for (const std::string &m : mentions) CHECK(r.output.find(m) != std::string::npos);
}

}  // namespace

TEST_CASE("an empty file is rejected", "[bad-input]") {
  expect_error(compile_bytes(""), {"model.onnx", "empty"});
}

TEST_CASE("a missing file is rejected", "[bad-input]") {
  ProcessResult r = test::run_microtc({"compile", "/nonexistent/m.onnx", "-o", "/tmp/x"});
  expect_error({r.exit_code, r.output}, {"/nonexistent/m.onnx"});
}

TEST_CASE("a truncated model is rejected", "[bad-input]") {
  std::ifstream f(test::source_path("tests/fixtures/models/kws_dscnn.onnx"), std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string bytes = ss.str();
  for (size_t cut : {bytes.size() / 2, bytes.size() - 7, size_t(100)}) {
    INFO("cut at " << cut);
    Run r = compile_bytes(bytes.substr(0, cut));
    CHECK(r.exit_code == 1);
    CHECK(r.output.find("model.onnx") != std::string::npos);
  }
}

TEST_CASE("a file that is not ONNX is rejected", "[bad-input]") {
  expect_error(compile_bytes("this is a text file, not a model\n"), {"model.onnx"});
  std::string noise;
  for (int i = 0; i < 4096; ++i) noise += char((i * 2654435761u) >> 24);
  Run r = compile_bytes(noise);
  INFO(r.output);
  CHECK(r.exit_code == 1);
}

TEST_CASE("every unsupported operator is named at once", "[bad-input]") {
  onnx::ModelProto m = base_model();
  add_value(m.mutable_graph()->mutable_input(), "x", {1, 4});
  add_node(m, "Relu", {"x"}, {"a"}, "ok_relu");
  add_node(m, "Det", {"a"}, {"b"}, "first_bad");
  add_node(m, "Unique", {"b"}, {"y"}, "second_bad");
  add_output(m, "y");
  expect_error(compile_model(m), {"first_bad", "Det", "second_bad", "Unique", "2 node(s)"});
}

TEST_CASE("a shape that cannot be resolved statically is rejected", "[bad-input]") {
  onnx::ModelProto m = base_model();
  add_value(m.mutable_graph()->mutable_input(), "x", {1, 4});
  add_value(m.mutable_graph()->mutable_input(), "target", {2}, onnx::TensorProto::INT64);
  add_node(m, "Reshape", {"x", "target"}, {"y"}, "dyn_reshape");
  add_output(m, "y");
  expect_error(compile_model(m), {"dyn_reshape", "run time"});
}

TEST_CASE("symbolic non-batch dims need --input-shape", "[bad-input]") {
  onnx::ModelProto m = base_model();
  auto *in = m.mutable_graph()->mutable_input();
  add_value(in, "x", {1, -1});
  add_node(m, "Relu", {"x"}, {"y"});
  add_output(m, "y");
  expect_error(compile_model(m), {"'x'", "--input-shape"});
}

TEST_CASE("dims whose product overflows are rejected", "[bad-input]") {
  onnx::ModelProto m = base_model();
  add_value(m.mutable_graph()->mutable_input(), "x", {1 << 20, 1 << 20, 1 << 20});
  add_node(m, "Relu", {"x"}, {"y"});
  add_output(m, "y");
  expect_error(compile_model(m), {"'x'", "overflow"});

  onnx::ModelProto w = base_model();
  add_value(w.mutable_graph()->mutable_input(), "x", {1, 4});
  auto *init = w.mutable_graph()->add_initializer();
  init->set_name("huge");
  init->set_data_type(onnx::TensorProto::FLOAT);
  for (int i = 0; i < 4; ++i) init->add_dims(int64_t(1) << 40);
  add_node(w, "Add", {"x", "huge"}, {"y"});
  add_output(w, "y");
  expect_error(compile_model(w), {"'huge'", "overflow"});
}

TEST_CASE("a cycle is rejected naming a node on it", "[bad-input]") {
  onnx::ModelProto m = base_model();
  add_value(m.mutable_graph()->mutable_input(), "x", {1, 4});
  add_node(m, "Add", {"x", "b"}, {"a"}, "loop_a");
  add_node(m, "Relu", {"a"}, {"b"}, "loop_b");
  add_node(m, "Relu", {"b"}, {"y"}, "after");
  add_output(m, "y");
  expect_error(compile_model(m), {"cycle", "loop_"});
}

TEST_CASE("weights shorter than their declared shape are rejected", "[bad-input]") {
  for (bool raw : {true, false}) {
    INFO("raw_data " << raw);
    onnx::ModelProto m = base_model();
    add_value(m.mutable_graph()->mutable_input(), "x", {1, 4});
    auto *init = m.mutable_graph()->add_initializer();
    init->set_name("short_w");
    init->set_data_type(onnx::TensorProto::FLOAT);
    init->add_dims(1);
    init->add_dims(4);
    if (raw) init->set_raw_data(std::string(8, '\0'));
    else {
      init->add_float_data(1.f);
      init->add_float_data(2.f);
    }
    add_node(m, "Add", {"x", "short_w"}, {"y"});
    add_output(m, "y");
    expect_error(compile_model(m), {"'short_w'", "4 elements"});
  }
}

TEST_CASE("a tensor read but never produced is rejected", "[bad-input]") {
  onnx::ModelProto m = base_model();
  add_value(m.mutable_graph()->mutable_input(), "x", {1, 4});
  add_node(m, "Add", {"x", "ghost"}, {"y"}, "reader");
  add_output(m, "y");
  expect_error(compile_model(m), {"reader", "'ghost'"});
}

TEST_CASE("hostile names never reach the generated C unescaped", "[bad-input][codegen]") {
  const std::string evil = "x*/ int evil; /*\n#include <stdio.h>\\";
  onnx::ModelProto m = base_model();
  m.mutable_graph()->set_name(evil + "graph");
  add_value(m.mutable_graph()->mutable_input(), evil + "in", {1, 4});
  add_node(m, "Relu", {evil + "in"}, {evil + "mid"}, evil + "node");
  add_node(m, "Sigmoid", {evil + "mid"}, {evil + "out"}, "?" "?=define");
  add_output(m, evil + "out");
  TempDir tmp;
  std::string path = tmp.path() + "/ev*il name.onnx";
  std::ofstream(path, std::ios::binary) << m.SerializeAsString();
  ProcessResult r = test::run_microtc({"compile", path, "-o", tmp.path() + "/out", "--name", "safe"});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  std::ifstream src(tmp.path() + "/out/safe.c"), hdr(tmp.path() + "/out/safe.h");
  std::stringstream text;
  text << src.rdbuf() << hdr.rdbuf();
  CHECK(text.str().find("??") == std::string::npos);  // no trigraphs, even inside comments
  CHECK(text.str().find("\n#include <stdio.h>") == std::string::npos);
  // With comments stripped by the preprocessor, nothing of the names is left in the code.
  ProcessResult pre = run_process({"cc", "-std=c99", "-E", "-P", "-I" + tmp.path() + "/out", tmp.path() + "/out/safe.c"}, 60);
  REQUIRE(pre.exit_code == 0);
  CHECK(pre.output.find("evil") == std::string::npos);
  ProcessResult built = run_process({"cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-pedantic", "-fsyntax-only",
                                     "-I" + tmp.path() + "/out", tmp.path() + "/out/safe.c"},
                                    60);
  INFO(built.output);
  CHECK(built.exit_code == 0);
}

TEST_CASE("an invalid --name is rejected", "[bad-input][cli]") {
  TempDir tmp;
  ProcessResult r = test::run_microtc({"compile", test::source_path("tests/fixtures/models/kws_dscnn.onnx"), "-o",
                                       tmp.path(), "--name", "bad name;"});
  expect_error({r.exit_code, r.output}, {"--name"});
}

TEST_CASE("bad .npy inputs are rejected with the file named", "[bad-input][cli]") {
  TempDir tmp;
  std::string model = test::source_path("tests/fixtures/models/kws_dscnn.onnx");
  std::string bad = tmp.path() + "/bad.npy";
  std::string header = "{'descr': '>f8', 'fortran_order': False, 'shape': (1, 1, 1, 49, 10), }";
  header += std::string(63 - (10 + header.size()) % 64, ' ') + "\n";
  std::ofstream(bad, std::ios::binary) << "\x93NUMPY\x01" << '\0' << char(header.size() & 0xff)
                                       << char(header.size() >> 8) << header << std::string(490 * 8, '\0');
  ProcessResult r = test::run_microtc({"run", model, "--input", bad, "--output", tmp.path() + "/y.npy"});
  expect_error({r.exit_code, r.output}, {"bad.npy", ">f8"});
  std::string wrong = tmp.path() + "/wrong_shape.npy";
  ProcessResult r2 = test::run_microtc({"run", model, "--input", test::source_path("tests/fixtures/models/resnet_small.input.npy"),
                                        "--output", tmp.path() + "/y.npy"});
  expect_error({r2.exit_code, r2.output}, {"resnet_small.input.npy", "shape"});
}

TEST_CASE("attributes that crash ONNX's own shape inference give an error, not a crash", "[bad-input]") {
  onnx::ModelProto m = base_model();
  add_value(m.mutable_graph()->mutable_input(), "x", {1, 1, 8, 8});
  auto *w = m.mutable_graph()->add_initializer();
  w->set_name("w");
  w->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : {1, 1, 3, 3}) w->add_dims(d);
  for (int i = 0; i < 9; ++i) w->add_float_data(1.f);
  auto *conv = add_node(m, "Conv", {"x", "w"}, {"y"}, "zero_stride");
  auto *a = conv->add_attribute();
  a->set_name("strides");
  a->set_type(onnx::AttributeProto::INTS);
  a->add_ints(0);
  a->add_ints(0);
  add_output(m, "y");
  Run r = compile_model(m);
  INFO(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("microtc: error:") != std::string::npos);
}

TEST_CASE("a convolution beyond the kernels' 16-bit fields is rejected naming the node", "[bad-input]") {
  // a batch of 70000 (mtc_conv2d_params keeps batch and channels in 16 bits)
  onnx::ModelProto m = base_model();
  add_value(m.mutable_graph()->mutable_input(), "x", {70000, 1, 1, 1});
  auto *init = m.mutable_graph()->add_initializer();
  init->set_name("w");
  init->set_data_type(onnx::TensorProto::FLOAT);
  for (int i = 0; i < 4; ++i) init->add_dims(1);
  init->add_float_data(0.5f);
  add_node(m, "Conv", {"x", "w"}, {"y"}, "big_batch");
  add_output(m, "y");
  expect_error(compile_model(m), {"'big_batch'", "n of 70000"});
}
