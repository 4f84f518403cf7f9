// Reads a .onnx file into the IR: initializers become constants, Constant nodes are folded in,
// opset differences are normalised (op_table.cpp), and every unsupported operator is reported at once.
#include "frontends/onnx/onnx_importer.h"

#include <onnx/shape_inference/implementation.h>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <unordered_map>

#include "frontends/onnx/onnx_tensor.h"
#include "frontends/onnx/op_table.h"
#include "frontends/onnx/qlinear_import.h"
#include "ops/op.h"
#include "support/error.h"

namespace mtc {

namespace {

constexpr int kMaxOpset = 17;
// Bigger than any MCU's flash by far; refusing early avoids reading absurd files into memory.
constexpr std::streamoff kMaxModelBytes = std::streamoff(1) << 30;

std::string read_file(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw CompileError("cannot open model file " + quote_name(path));
  f.seekg(0, std::ios::end);
  std::streamoff size = f.tellg();
  if (size < 0) throw CompileError("cannot read model file " + quote_name(path));
  if (size > kMaxModelBytes) throw CompileError("model file " + quote_name(path) + " is larger than 1 GiB");
  f.seekg(0);
  std::string bytes(size_t(size), '\0');
  f.read(bytes.data(), size);
  if (!f) throw CompileError("cannot read model file " + quote_name(path));
  return bytes;
}

Value attr_tensor(const onnx::AttributeProto &a, const std::string &what) {
  return value_from_onnx(a.t(), what);
}

void copy_attributes(const onnx::NodeProto &p, Node &n, const Graph &g) {
  for (const onnx::AttributeProto &a : p.attribute()) {
    const std::string what = "attribute '" + a.name() + "' of " + g.describe(n);
    switch (a.type()) {
    case onnx::AttributeProto::INT: n.attrs.set(a.name(), int64_t(a.i())); break;
    case onnx::AttributeProto::FLOAT: n.attrs.set(a.name(), a.f()); break;
    case onnx::AttributeProto::STRING: n.attrs.set(a.name(), a.s()); break;
    case onnx::AttributeProto::INTS:
      n.attrs.set(a.name(), std::vector<int64_t>(a.ints().begin(), a.ints().end()));
      break;
    case onnx::AttributeProto::FLOATS:
      n.attrs.set(a.name(), std::vector<float>(a.floats().begin(), a.floats().end()));
      break;
    case onnx::AttributeProto::TENSOR: n.attrs.set(a.name(), attr_tensor(a, what)); break;
    default:
      throw CompileError(what + " has an attribute type (" + std::to_string(int(a.type())) +
                         ") microtc does not support (subgraphs, sparse tensors, type protos)");
    }
  }
}

// The value a Constant node holds, whichever of its attribute forms it uses.
Value constant_node_value(const Node &n, const Graph &g) {
  const Attributes &a = n.attrs;
  if (a.has("value")) return a.get_tensor("value");
  if (a.has("value_float")) return Value::scalar_f32(a.get_float("value_float", 0));
  if (a.has("value_floats")) {
    auto xs = a.get_floats("value_floats");
    return Value::from_f32(xs, {int64_t(xs.size())});
  }
  if (a.has("value_int")) return Value::from_i64({a.get_int("value_int")}, {});
  if (a.has("value_ints")) {
    auto xs = a.get_ints("value_ints");
    return Value::from_i64(xs, {int64_t(xs.size())});
  }
  throw CompileError(g.describe(n) + " has no supported value attribute (sparse and string constants are not supported)");
}

struct Importer {
  const std::string &source;
  const ImportOptions &opts;
  Graph g;
  std::unordered_map<std::string, TensorId> by_name;

  TensorId lookup(const std::string &name, const std::string &who) {
    auto it = by_name.find(name);
    if (it != by_name.end()) return it->second;
    // Unknown names are produced later (or never: sort_topologically reports that).
    TensorId id = g.add_tensor(name);
    by_name[name] = id;
    (void)who;
    return id;
  }

  Shape input_shape(const onnx::ValueInfoProto &vi, size_t index, size_t count) {
    const std::string what = "graph input " + quote_name(vi.name()) + " of " + quote_name(source);
    auto given = opts.input_shapes.find(vi.name());
    if (given == opts.input_shapes.end() && count == 1) given = opts.input_shapes.find("");
    if (given == opts.input_shapes.end() && opts.input_shapes.size() == 1 && count == 1)
      given = opts.input_shapes.begin();
    if (!vi.type().has_tensor_type())
      throw CompileError(what + " is not a tensor (sequences and maps are not supported)");
    const auto &tt = vi.type().tensor_type();
    Shape declared;
    bool symbolic = !tt.has_shape();
    if (tt.has_shape())
      for (const auto &d : tt.shape().dim()) {
        if (d.has_dim_value() && d.dim_value() >= 0) declared.push_back(d.dim_value());
        else {
          declared.push_back(-1);
          symbolic = true;
        }
      }
    if (given != opts.input_shapes.end()) {
      const Shape &s = given->second;
      if (tt.has_shape() && s.size() != declared.size())
        throw CompileError(what + " has rank " + std::to_string(declared.size()) +
                           " but --input-shape gives " + shape_str(s));
      for (size_t i = 0; i < declared.size(); ++i)
        if (declared[i] >= 0 && declared[i] != s[i])
          throw CompileError(what + " has static shape " + shape_str(declared) +
                             ", which --input-shape " + shape_str(s) + " contradicts");
      return s;
    }
    (void)index;
    if (!symbolic) return declared;
    // A symbolic leading dim is the batch: microtc runs one item at a time.
    if (!declared.empty() && declared[0] < 0) declared[0] = 1;
    for (int64_t d : declared)
      if (d < 0)
        throw CompileError(what + " has symbolic dimensions " + shape_str(declared) +
                           "; give its static shape with --input-shape (e.g. --input-shape 1,3,32,32)");
    if (!tt.has_shape())
      throw CompileError(what + " has no shape; give it with --input-shape");
    return declared;
  }

  void import_graph(const onnx::ModelProto &m, int opset) {
    const onnx::GraphProto &gp = m.graph();
    g.name = gp.name();
    g.source = source;
    for (const onnx::TensorProto &init : gp.initializer()) {
      if (by_name.count(init.name()))
        throw CompileError("initializer " + quote_name(init.name()) + " in " + quote_name(source) + " is defined twice");
      by_name[init.name()] = g.add_constant(init.name(), value_from_onnx(init, "initializer " + quote_name(init.name())));
    }
    for (const auto &vi : gp.input()) {
      auto frozen = opts.frozen_inputs.find(vi.name());
      if (frozen == opts.frozen_inputs.end() || by_name.count(vi.name())) continue;
      DType t = dtype_from_onnx(vi.type().tensor_type().elem_type());
      if (t != frozen->second.dtype)
        throw CompileError("graph input " + quote_name(vi.name()) + " is " + dtype_name(t) + " but is bound to " +
                           dtype_name(frozen->second.dtype) + " data");
      by_name[vi.name()] = g.add_constant(vi.name(), frozen->second);
    }
    size_t real_inputs = 0;
    for (const auto &vi : gp.input())
      if (!by_name.count(vi.name())) ++real_inputs;
    size_t index = 0;
    for (const auto &vi : gp.input()) {
      if (by_name.count(vi.name())) continue;  // older exporters list initializers as inputs too
      DType t = dtype_from_onnx(vi.type().tensor_type().elem_type());
      if (t == DType::Undefined)
        throw CompileError("graph input " + quote_name(vi.name()) + " has an element type microtc does not support");
      TensorId id = g.add_tensor(vi.name(), t);
      g.tensor(id).shape = input_shape(vi, index++, real_inputs);
      shape_elements(g.tensor(id).shape, "graph input " + quote_name(vi.name()));
      g.tensor(id).shape_known = true;
      by_name[vi.name()] = id;
      g.inputs.push_back(id);
    }
    std::vector<std::string> unsupported;
    std::set<std::string> produced;
    for (int k = 0; k < gp.node_size(); ++k) {
      const onnx::NodeProto &p = gp.node(k);
      Node n;
      n.op = p.op_type();
      n.name = p.name().empty() ? p.op_type() + "_" + std::to_string(k) : p.name();
      bool qlinear = is_qlinear_op(p.domain(), n.op);  // QOperator form: qlinear_import.cpp
      if (!qlinear && !p.domain().empty() && p.domain() != "ai.onnx") {
        unsupported.push_back(g.describe(n) + " in domain " + quote_name(p.domain()));
        continue;
      }
      copy_attributes(p, n, g);
      if (n.op == "Constant") {
        if (p.output_size() != 1) throw CompileError(g.describe(n) + " must have exactly one output");
        if (by_name.count(p.output(0)))
          throw CompileError(g.describe(n) + " writes tensor " + quote_name(p.output(0)) + ", which already exists");
        by_name[p.output(0)] = g.add_constant(p.output(0), constant_node_value(n, g));
        continue;
      }
      for (const std::string &in : p.input())
        n.inputs.push_back(in.empty() ? kNoTensor : lookup(in, n.name));
      for (const std::string &out : p.output()) {
        if (out.empty()) {
          n.outputs.push_back(kNoTensor);
          continue;
        }
        auto it = by_name.find(out);
        if (it != by_name.end() && (produced.count(out) || g.tensor(it->second).is_constant() || g.is_graph_input(it->second)))
          throw CompileError(g.describe(n) + " writes tensor " + quote_name(out) +
                             ", which is already produced elsewhere (an ONNX graph is single-assignment)");
        produced.insert(out);
        n.outputs.push_back(lookup(out, n.name));
      }
      if (qlinear) {
        for (Node &q : lower_qlinear_node(g, n)) g.nodes.push_back(std::move(q));
        continue;
      }
      if (!OpRegistry::instance().find(n.op)) {
        unsupported.push_back(g.describe(n));
        continue;
      }
      OnnxImportContext ctx{g, opset, p, n, {}};
      std::string why;
      if (!normalize_onnx_node(ctx, why)) {
        unsupported.push_back(g.describe(n) + ": " + why);
        continue;
      }
      g.nodes.push_back(std::move(n));
      for (Node &extra : ctx.extra_nodes) g.nodes.push_back(std::move(extra));
    }
    if (!unsupported.empty()) {
      std::string msg = quote_name(source) + " uses " + std::to_string(unsupported.size()) +
                        " node(s) microtc does not support:";
      for (const std::string &u : unsupported) msg += "\n  - " + u;
      std::string ops;
      for (const std::string &o : OpRegistry::instance().names()) ops += (ops.empty() ? "" : ", ") + o;
      msg += "\nSupported operators: " + ops + ", Constant.";
      throw CompileError(msg);
    }
    for (const auto &vi : gp.output()) {
      auto it = by_name.find(vi.name());
      if (it == by_name.end())
        throw CompileError("graph output " + quote_name(vi.name()) + " of " + quote_name(source) +
                           " is not produced by any node");
      g.outputs.push_back(it->second);
    }
    if (g.outputs.empty()) throw CompileError(quote_name(source) + " declares no graph outputs");
    g.sort_topologically();
  }
};

// ONNX's own shape inference validates node signatures the library knows; our passes then infer
// static shapes themselves (they also need constant values, which ONNX's inference ignores).
// The library trusts attributes (a zero stride divides by zero), so it runs in a child process:
// a crash there becomes an error message, not a crash of microtc.
void check_with_onnx_shape_inference(onnx::ModelProto &model, const std::string &source) {
  int fds[2];
  if (pipe(fds) != 0) throw CompileError("cannot create a pipe");
  pid_t pid = fork();
  if (pid < 0) throw CompileError("fork failed");
  if (pid == 0) {
    close(fds[0]);
    std::string msg;
    int code = 0;
    try {
      onnx::ShapeInferenceOptions options{false, 0, false};
      onnx::shape_inference::InferShapes(model, onnx::OpSchemaRegistry::Instance(), options);
    } catch (const std::exception &e) {
      msg = e.what();
      code = 1;
    }
    if (!msg.empty() && write(fds[1], msg.data(), std::min<size_t>(msg.size(), 4000)) < 0) code = 2;
    _exit(code);
  }
  close(fds[1]);
  std::string msg;
  char buf[512];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) msg.append(buf, size_t(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status))
    throw CompileError(quote_name(source) + ": ONNX shape inference crashed (signal " +
                       std::to_string(WTERMSIG(status)) +
                       ") on this model; an attribute is probably invalid (for example a zero stride)");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    throw CompileError(quote_name(source) + " failed ONNX shape inference: " + msg);
}

}  // namespace

Graph import_onnx_bytes(const std::string &bytes, const std::string &source, const ImportOptions &opts) {
  if (bytes.empty()) throw CompileError("model file " + quote_name(source) + " is empty");
  onnx::ModelProto model;
  if (bytes.size() > size_t(std::numeric_limits<int>::max()) ||
      !model.ParseFromArray(bytes.data(), int(bytes.size())))
    throw CompileError("model file " + quote_name(source) +
                       " is not a valid ONNX model (protobuf parsing failed: the file is truncated, "
                       "corrupt, or not ONNX)");
  if (!model.has_graph() || (model.graph().node_size() == 0 && model.graph().output_size() == 0))
    throw CompileError("model file " + quote_name(source) + " contains no graph (is it an ONNX model?)");
  int opset = -1;
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx") opset = int(imp.version());
  if (opset < 0) opset = 1;  // IR version 2 models may omit the default domain
  if (opset > kMaxOpset)
    throw CompileError(quote_name(source) + " uses ONNX opset " + std::to_string(opset) +
                       "; microtc supports opsets up to " + std::to_string(kMaxOpset));
  check_with_onnx_shape_inference(model, source);
  Importer imp{source, opts, {}, {}};
  imp.import_graph(model, opset);
  return std::move(imp.g);
}

Graph import_onnx_file(const std::string &path, const ImportOptions &opts) {
  return import_onnx_bytes(read_file(path), path, opts);
}

Value load_onnx_tensor_file(const std::string &path) {
  std::string bytes = read_file(path);
  onnx::TensorProto t;
  if (!t.ParseFromArray(bytes.data(), int(bytes.size())))
    throw CompileError("tensor file " + quote_name(path) + " is not a serialized ONNX TensorProto");
  return value_from_onnx(t, "tensor file " + quote_name(path));
}

void parse_input_shape_option(const std::string &text, ImportOptions &opts) {
  std::string name, dims = text;
  size_t colon = text.rfind(':');
  if (colon != std::string::npos) {
    name = text.substr(0, colon);
    dims = text.substr(colon + 1);
  }
  Shape s;
  std::stringstream ss(dims);
  std::string item;
  while (std::getline(ss, item, ',')) {
    try {
      size_t used = 0;
      long long v = std::stoll(item, &used);
      if (used != item.size() || v <= 0) throw std::invalid_argument("bad");
      s.push_back(v);
    } catch (const std::exception &) {
      throw CompileError("--input-shape " + quote_name(text) +
                         ": expected positive integers separated by commas, e.g. 1,3,32,32");
    }
  }
  if (s.empty()) throw CompileError("--input-shape " + quote_name(text) + " gives no dimensions");
  opts.input_shapes[name] = s;
}

}  // namespace mtc
