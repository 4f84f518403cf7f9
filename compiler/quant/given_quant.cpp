#include "quant/given_quant.h"

#include <cmath>

#include "support/error.h"

namespace mtc {

bool read_given_quant(const Graph &g, TensorId data, TensorId scale, TensorId zero_point, int axis, GivenQuant &out,
                      std::string &why) {
  if (scale == kNoTensor || !g.tensor(scale).is_constant())
    return why = "scale " + (scale == kNoTensor ? std::string("is missing") : quote_name(g.tensor(scale).name) +
                                                                                   " is not a constant (" + kNeedsConstant + ")"),
           false;
  bool has_zp = zero_point != kNoTensor;
  if (has_zp && !g.tensor(zero_point).is_constant())
    return why = "zero point " + quote_name(g.tensor(zero_point).name) + " is not a constant (" + kNeedsConstant + ")", false;
  const Value &s = *g.tensor(scale).constant;
  if (s.dtype != DType::F32 || s.shape.size() > 1 || s.elements() < 1)
    return why = "scale " + quote_name(g.tensor(scale).name) + " must be a float scalar or 1-D vector", false;
  size_t count = size_t(s.elements());
  out.q = QuantParams{};
  out.q.scale = s.to_f32();
  out.q.zero_point.assign(count, 0);
  out.type = data != kNoTensor ? g.tensor(data).dtype : DType::Undefined;
  if (has_zp) {
    const Value &z = *g.tensor(zero_point).constant;
    if (z.elements() != int64_t(count))
      return why = "zero point " + quote_name(g.tensor(zero_point).name) + " does not match its scale's size", false;
    out.type = z.dtype;
    for (size_t i = 0; i < count; ++i) out.q.zero_point[i] = int32_t(z.get_i64(int64_t(i)));
  }
  for (float v : out.q.scale)
    if (!(v > 0.f) || !std::isfinite(v))
      return why = "scale " + quote_name(g.tensor(scale).name) + " has a value that is not positive and finite", false;
  if (count > 1) {
    if (axis < 0) return why = "scale " + quote_name(g.tensor(scale).name) + " must be a single value here", false;
    out.q.axis = axis;
  } else if (s.shape.size() == 1) {
    out.q.scale.resize(1);  // [1]: per tensor
  }
  if (out.type != DType::I8 && out.type != DType::U8)
    return why = std::string("quantized type is ") + dtype_name(out.type) + ", not int8 or uint8", false;
  return true;
}

QuantParams as_int8_params(const GivenQuant &gq) {
  QuantParams q = gq.q;
  if (gq.type == DType::U8)
    for (int32_t &zp : q.zero_point) zp -= 128;
  return q;
}

TensorId int8_input(Graph &g, TensorId x, const GivenQuant &gq, const std::string &name, std::vector<Node> &nodes) {
  if (gq.type == DType::I8) {
    if (g.tensor(x).quant && *g.tensor(x).quant != gq.q)
      throw CompileError(g.describe_tensor(x) + " is read with two different sets of quantization parameters (" +
                         quant_str(*g.tensor(x).quant) + ", " + quant_str(gq.q) + ")");
    g.tensor(x).quant = gq.q;
    return x;
  }
  g.tensor(x).quant = gq.q;
  TensorId t = g.add_tensor(name, DType::I8);
  g.tensor(t).quant = as_int8_params(gq);
  Node n;
  n.op = "U8ToI8";
  n.name = name;
  n.inputs = {x};
  n.outputs = {t};
  nodes.push_back(std::move(n));
  return t;
}

TensorId int8_constant(Graph &g, TensorId w, const GivenQuant &gq, const std::string &name) {
  Value v = *g.tensor(w).constant;
  if (v.dtype != gq.type)
    throw CompileError(g.describe_tensor(w) + " is " + dtype_name(v.dtype) + " but its zero point is " +
                       dtype_name(gq.type));
  if (gq.type == DType::U8) {
    for (uint8_t &b : v.bytes) b ^= 0x80u;
    v.dtype = DType::I8;
  }
  TensorId id = g.add_constant(name, std::move(v));
  g.tensor(id).quant = as_int8_params(gq);
  return id;
}

TensorId int8_output(Graph &g, TensorId y, const GivenQuant &gq, const std::string &name, std::vector<Node> &after) {
  g.tensor(y).quant = gq.q;
  if (gq.type == DType::I8) return y;
  TensorId t = g.add_tensor(name, DType::I8);
  g.tensor(t).quant = as_int8_params(gq);
  Node n;
  n.op = "I8ToU8";
  n.name = name + "/to_uint8";
  n.inputs = {t};
  n.outputs = {y};
  after.push_back(std::move(n));
  return t;
}

}  // namespace mtc
