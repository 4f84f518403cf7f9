// Assembles NAME.c / NAME.h. Every C symbol is derived from the sanitized model name and indices;
// names from the model appear only inside escaped comments.
#include "codegen/module_writer.h"

#include <sstream>

#include "codegen/emitter.h"
#include "codegen/runtime_sources.h"
#include "memory/planner.h"
#include "ops/activation.h"
#include "support/error.h"

namespace mtc {

namespace {
size_t c_type_size(const std::string &ctype) {
  if (ctype == "int8_t" || ctype == "uint8_t") return 1;
  if (ctype == "int16_t" || ctype == "uint16_t") return 2;
  if (ctype == "int64_t" || ctype == "uint64_t" || ctype == "double") return 8;
  return 4;  // int32_t, uint32_t, float
}
}  // namespace

ModuleWriter::ModuleWriter(const Graph &g, std::string name, EmitOptions opts)
    : g_(g), name_(std::move(name)), opts_(opts) {}

std::string ModuleWriter::io_param(TensorId id, bool input, int index) const {
  (void)id;
  size_t count = input ? g_.inputs.size() : g_.outputs.size();
  std::string base = input ? "input" : "output";
  return count == 1 ? base : base + std::to_string(index);
}

std::string ModuleWriter::declare_array(const char *ctype, const std::string &elements, size_t count) {
  // Identical tables (a patched layer's weights and requantization, once per patch) share one copy.
  std::string key = std::string(ctype) + ":" + elements;
  auto same = array_syms_.find(key);
  if (same != array_syms_.end()) return same->second;
  std::string sym = name_ + "_c" + std::to_string(next_array_++);
  constant_bytes_ += int64_t(std::max<size_t>(count, 1)) * int64_t(c_type_size(ctype));
  decls_ << "static const " << ctype << " " << sym << "[" << std::max<size_t>(count, 1) << "] = {"
         << (count ? elements : "0") << "};\n";
  array_syms_.emplace(std::move(key), sym);
  return sym;
}

std::string ModuleWriter::constant_symbol(TensorId id) {
  auto it = const_syms_.find(id);
  if (it != const_syms_.end()) return it->second;
  const Tensor &t = g_.tensor(id);
  const Value &v = *t.constant;
  std::string sym = name_ + "_w" + std::to_string(const_syms_.size());
  constant_bytes_ += std::max<int64_t>(v.elements(), 1) * int64_t(dtype_size(t.dtype));
  std::ostringstream os;
  int64_t n = v.elements();
  os << "/* " << c_comment(t.name) << ": " << dtype_name(t.dtype) << shape_str(t.shape) << " */\n";
  os << "static const " << dtype_c_type(t.dtype) << " " << sym << "[" << std::max<int64_t>(n, 1) << "] = {";
  for (int64_t i = 0; i < n; ++i) {
    if (i % 8 == 0) os << "\n  ";
    switch (v.dtype) {
    case DType::F32: os << c_float(v.data<float>()[i]); break;
    case DType::F64: os << c_float(float(v.data<double>()[i])); break;  // never used as f64 by kernels
    case DType::I64: {
      int64_t x = v.data<int64_t>()[i];
      if (x == INT64_MIN) os << "INT64_MIN";
      else os << "INT64_C(" << x << ")";
      break;
    }
    default: os << int64_t(v.get_f64(i)); break;
    }
    os << ",";
  }
  if (n == 0) os << "0";
  os << "\n};\n";
  decls_ << os.str();
  const_syms_[id] = sym;
  return sym;
}

std::string ModuleWriter::tensor_ptr(TensorId id, bool writable) {
  const Tensor &t = g_.tensor(id);
  const TensorStorage &s = plan_.storage.at(size_t(id));
  const std::string ctype = dtype_c_type(t.dtype);
  switch (s.kind) {
  case StorageKind::Constant:
    if (writable) throw CompileError("internal: a kernel writes to constant " + g_.describe_tensor(id));
    return constant_symbol(s.root);
  case StorageKind::Input:
    if (writable) throw CompileError("internal: a kernel writes to graph input " + g_.describe_tensor(id));
    return io_param(id, true, s.index);
  case StorageKind::Output: return io_param(id, false, s.index);
  case StorageKind::Arena:
    return "((" + ctype + " *)(" + name_ + "_arena.bytes + " + std::to_string(s.offset) + "))";
  case StorageKind::None: break;
  }
  throw CompileError("internal: " + g_.describe_tensor(id) + " has no storage");
}

void ModuleWriter::emit_node(const Node &n, int step) {
  body_ << "  /* " << step << ": " << n.op << " " << c_comment(n.name) << " */\n";
  if (node_is_alias(g_, n)) {
    body_ << "  /* (view of its input: no code) */\n";
    return;
  }
  const KernelEmitter *e = EmitterRegistry::instance().find(n.op);
  if (!e) throw CompileError(g_.describe(n) + ": no C kernel for this operator");
  current_step_ = step;
  current_kernel_.clear();
  EmitContext ctx(*this, g_, n);
  (*e)(ctx);
  layers_.push_back({step, current_kernel_});
  if (opts_.layer_markers) body_ << "  mtc_marker();\n";
}

// Graph outputs that are not written by their producer directly (a constant, an input, a second
// slot naming the same tensor, or a view) are copied into the user's buffer at the end.
void ModuleWriter::emit_output_copies() {
  for (size_t i = 0; i < g_.outputs.size(); ++i) {
    TensorId id = g_.outputs[i];
    const TensorStorage &s = plan_.storage[size_t(id)];
    if (s.kind == StorageKind::Output && s.index == int(i)) continue;
    const Tensor &t = g_.tensor(id);
    int64_t bytes = shape_elements(t.shape) * int64_t(dtype_size(t.dtype));
    body_ << "  memcpy(" << io_param(id, false, int(i)) << ", " << tensor_ptr(id, false) << ", " << bytes << ");\n";
  }
}

std::string ModuleWriter::make_header() const {
  std::ostringstream h;
  std::string guard = name_ + "_H";
  for (char &c : guard) c = char(std::toupper(static_cast<unsigned char>(c)));
  h << "/* Generated by microtc from " << c_comment(g_.source) << " (graph " << c_comment(g_.name)
    << "). Do not edit. */\n";
  h << "#ifndef " << guard << "\n#define " << guard << "\n\n#include <stdint.h>\n\n";
  h << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  auto macros = [&](const char *what, const std::vector<TensorId> &ids) {
    h << "#define " << name_ << "_NUM_" << what << "S " << ids.size() << "\n";
    for (size_t i = 0; i < ids.size(); ++i) {
      const Tensor &t = g_.tensor(ids[i]);
      std::vector<std::string> prefixes = {name_ + "_" + what + std::to_string(i)};
      if (ids.size() == 1) prefixes.push_back(name_ + "_" + what);
      for (const std::string &p : prefixes) {
        h << "#define " << p << "_SIZE " << shape_elements(t.shape) << " /* elements of " << dtype_name(t.dtype)
          << " */\n";
        h << "#define " << p << "_RANK " << t.shape.size() << "\n";
        h << "#define " << p << "_SHAPE {";
        for (size_t d = 0; d < t.shape.size(); ++d) h << (d ? ", " : "") << t.shape[d];
        h << "}\n";
      }
    }
  };
  macros("INPUT", g_.inputs);
  macros("OUTPUT", g_.outputs);
  h << "#define " << name_ << "_ARENA_SIZE " << plan_.arena_size << " /* bytes, static */\n\n";
  h << "/* Runs the model once. Returns 0 on success. */\n";
  h << "int " << name_ << "_run(";
  for (size_t i = 0; i < g_.inputs.size(); ++i)
    h << (i ? ", " : "") << "const " << dtype_c_type(g_.tensor(g_.inputs[i]).dtype) << " *"
      << io_param(g_.inputs[i], true, int(i));
  for (size_t i = 0; i < g_.outputs.size(); ++i)
    h << (i || !g_.inputs.empty() ? ", " : "") << dtype_c_type(g_.tensor(g_.outputs[i]).dtype) << " *"
      << io_param(g_.outputs[i], false, int(i));
  if (g_.inputs.empty() && g_.outputs.empty()) h << "void";
  h << ");\n\n";
  if (opts_.microt) h << microt_header();
  h << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
  return h.str();
}

CBundle ModuleWriter::emit() {
  plan_ = plan_memory(g_);
  for (size_t step = 0; step < g_.nodes.size(); ++step) {
    emit_node(g_.nodes[step], int(step));
    step_end_.push_back(body_.str().size());
  }
  emit_output_copies();
  std::string sig = make_header();
  size_t a = sig.find("int " + name_ + "_run(");
  size_t b = sig.find(");", a);
  // MicroT's functions first: they declare the heads' arrays
  const std::string microt = opts_.microt ? microt_source(sig.substr(a, b - a + 1)) : std::string();

  std::ostringstream src;
  src << "/* Generated by microtc from " << c_comment(g_.source) << ". Do not edit. */\n";
  src << "#include <math.h>\n#include <stdint.h>\n#include <string.h>\n\n";
  src << "#include \"" << name_ << ".h\"\n#include \"mtc_runtime.h\"\n\n";
  if (opts_.layer_markers) src << "void mtc_marker(void); /* per-layer instruction counts */\n\n";
  src << decls_.str() << "\n";
  src << "/* One static arena; tensor lifetimes planned at compile time. */\n";
  src << "static union {\n  double align;\n  unsigned char bytes[" << std::max<int64_t>(plan_.arena_size, 1)
      << "];\n} " << name_ << "_arena;\n\n";
  if (opts_.microt) {
    src << microt;
  } else {
    src << sig.substr(a, b - a + 1) << " {\n";
    for (size_t i = 0; i < g_.inputs.size(); ++i)
      src << "  (void)" << io_param(g_.inputs[i], true, int(i)) << ";\n";
    src << "  (void)" << name_ << "_arena;\n";
    src << body_.str() << "  return 0;\n}\n";
  }

  CBundle out;
  out.name = name_;
  out.header = make_header();
  out.source = src.str();
  out.plan = plan_;
  out.layers = layers_;
  out.constant_bytes = constant_bytes_;
  out.runtime_files.push_back("include/mtc_runtime.h");
  for (const RuntimeSource &r : runtime_sources())
    if (r.path.rfind("include/", 0) == 0 && r.path != "include/mtc_runtime.h") out.runtime_files.push_back(r.path);
  for (const std::string &k : kernels_) {
    std::string path = "src/" + k + ".c";
    bool found = false;
    for (const RuntimeSource &r : runtime_sources()) found |= r.path == path;
    if (!found) throw CompileError("internal: runtime kernel file " + path + " is missing");
    out.runtime_files.push_back(path);
  }
  return out;
}

// ---- EmitContext ----

std::string EmitContext::in_ptr(size_t i) const { return m_.tensor_ptr(n_.inputs.at(i), false); }
std::string EmitContext::out_ptr(size_t i) const { return m_.tensor_ptr(n_.outputs.at(i), true); }

std::string EmitContext::int_array(const std::vector<int64_t> &values) {
  std::string el;
  for (size_t i = 0; i < values.size(); ++i) el += (i ? ", " : "") + std::to_string(values[i]);
  return m_.declare_array("int32_t", el, values.size());
}

std::string ModuleWriter::scratch_ptr(const std::string &ctype) {
  if (current_step_ < 0 || size_t(current_step_) >= plan_.scratch_offset.size() || plan_.scratch_offset[size_t(current_step_)] < 0)
    throw CompileError("internal: a kernel asks for scratch memory the memory plan did not reserve");
  return "((" + ctype + " *)(" + name_ + "_arena.bytes + " + std::to_string(plan_.scratch_offset[size_t(current_step_)]) +
         "))";
}

std::string EmitContext::scratch_ptr(const std::string &ctype) { return m_.scratch_ptr(ctype); }

std::string EmitContext::int8_array(const std::vector<int8_t> &values) {
  std::string el;
  for (size_t i = 0; i < values.size(); ++i) el += (i ? ", " : "") + std::to_string(int(values[i]));
  return m_.declare_array("int8_t", el, values.size());
}

std::string EmitContext::float_array(const std::vector<float> &values) {
  std::string el;
  for (size_t i = 0; i < values.size(); ++i) el += (i ? ", " : "") + c_float(values[i]);
  return m_.declare_array("float", el, values.size());
}

std::string EmitContext::act_expr() const {
  Activation a = fused_activation(n_.attrs);
  static const std::map<std::string, std::string> kinds = {
      {"", "MTC_ACT_NONE"},           {"Relu", "MTC_ACT_RELU"},
      {"Clip", "MTC_ACT_CLIP"},       {"LeakyRelu", "MTC_ACT_LEAKY_RELU"},
      {"Sigmoid", "MTC_ACT_SIGMOID"}, {"HardSigmoid", "MTC_ACT_HARD_SIGMOID"},
      {"HardSwish", "MTC_ACT_HARD_SWISH"}, {"Tanh", "MTC_ACT_TANH"}};
  auto it = kinds.find(a.kind);
  if (it == kinds.end()) fail("unknown fused activation " + quote_name(a.kind));
  return "(mtc_act){" + it->second + ", " + c_float(a.alpha) + ", " + c_float(a.beta) + "}";
}

void EmitContext::line(const std::string &code) { m_.add_line(code); }
void EmitContext::use_kernel(const std::string &function) { m_.use_kernel(function); }
void EmitContext::fail(const std::string &why) const { throw CompileError(g_.describe(n_) + ": " + why); }

EmitterRegistry &EmitterRegistry::instance() {
  static EmitterRegistry r;
  return r;
}

void EmitterRegistry::add(const std::string &op, KernelEmitter e) { emitters_.emplace_back(op, std::move(e)); }

const KernelEmitter *EmitterRegistry::find(const std::string &op) const {
  for (const auto &[name, e] : emitters_)
    if (name == op) return &e;
  return nullptr;
}

}  // namespace mtc
