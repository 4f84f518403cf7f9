// Opset-specific import rewrites, one entry per operator that changed form across opsets 1-17.
#include "frontends/onnx/op_table.h"

#include <functional>
#include <map>

#include "frontends/onnx/onnx_tensor.h"

namespace mtc {

namespace {

using Rewrite = std::function<bool(OnnxImportContext &, std::string &)>;

// Turns attribute `attr` (older opsets) into constant input `index` (newer opsets).
void attr_to_input(OnnxImportContext &c, const std::string &attr, size_t index, DType t) {
  Node &n = c.node;
  if (!n.attrs.has(attr)) return;
  Value v;
  if (t == DType::I64) {
    std::vector<int64_t> xs = n.attrs.get_ints(attr);
    v = Value::from_i64(xs, {int64_t(xs.size())});
  } else {
    v = Value::scalar_f32(n.attrs.get_float(attr, 0.f));
  }
  n.attrs.erase(attr);
  if (n.inputs.size() <= index) n.inputs.resize(index + 1, kNoTensor);
  n.inputs[index] = c.graph.add_constant(n.name + "/" + attr, std::move(v));
}

const std::map<std::string, Rewrite> &rewrites() {
  static const std::map<std::string, Rewrite> table = {
      {"Clip",
       [](OnnxImportContext &c, std::string &) {
         if (c.opset < 11) {  // min/max were attributes, with +-FLT_MAX defaults
           bool has_min = c.node.attrs.has("min"), has_max = c.node.attrs.has("max");
           if (has_min) attr_to_input(c, "min", 1, DType::F32);
           if (has_max) attr_to_input(c, "max", 2, DType::F32);
         }
         return true;
       }},
      {"Softmax",
       [](OnnxImportContext &c, std::string &) {
         // Before opset 13, Softmax flattened the input to 2-D at `axis` (default 1).
         if (c.opset < 13) {
           c.node.attrs.set("coerce_2d", int64_t(1));
           if (!c.node.attrs.has("axis")) c.node.attrs.set("axis", int64_t(1));
         }
         return true;
       }},
      {"LogSoftmax",
       [](OnnxImportContext &c, std::string &) {
         if (c.opset < 13) {
           c.node.attrs.set("coerce_2d", int64_t(1));
           if (!c.node.attrs.has("axis")) c.node.attrs.set("axis", int64_t(1));
         }
         return true;
       }},
      {"Squeeze",
       [](OnnxImportContext &c, std::string &) {
         attr_to_input(c, "axes", 1, DType::I64);
         return true;
       }},
      {"Unsqueeze",
       [](OnnxImportContext &c, std::string &) {
         attr_to_input(c, "axes", 1, DType::I64);
         return true;
       }},
      {"Pad",
       [](OnnxImportContext &c, std::string &) {
         if (c.opset < 11) {
           attr_to_input(c, "pads", 1, DType::I64);
           if (c.node.attrs.has("value")) attr_to_input(c, "value", 2, DType::F32);
         }
         return true;
       }},
      {"Slice",
       [](OnnxImportContext &c, std::string &) {
         if (c.opset < 10) {
           attr_to_input(c, "starts", 1, DType::I64);
           attr_to_input(c, "ends", 2, DType::I64);
           attr_to_input(c, "axes", 3, DType::I64);
         }
         return true;
       }},
      {"Reshape",
       [](OnnxImportContext &c, std::string &) {
         attr_to_input(c, "shape", 1, DType::I64);  // opset < 5
         return true;
       }},
      {"Dropout",
       [](OnnxImportContext &c, std::string &why) {
         // Inference: Dropout is the identity and its mask is all true. The mask becomes
         // ConstantOfShape(Shape(x)), which constant folding turns into a constant.
         if (c.node.outputs.size() > 1 && c.node.outputs[1] != kNoTensor) {
           Node shape, fill;
           shape.op = "Shape";
           shape.name = c.node.name + "/mask_shape";
           shape.inputs = {c.node.inputs[0]};
           shape.outputs = {c.graph.add_tensor(shape.name)};
           fill.op = "ConstantOfShape";
           fill.name = c.node.name + "/mask";
           fill.inputs = shape.outputs;
           fill.outputs = {c.node.outputs[1]};
           Value one(DType::Bool, {1});
           one.data<uint8_t>()[0] = 1;
           fill.attrs.set("value", one);
           c.extra_nodes.push_back(std::move(shape));
           c.extra_nodes.push_back(std::move(fill));
           c.node.outputs.resize(1);
         }
         if (c.node.inputs.size() > 2 && c.node.inputs[2] != kNoTensor) {
           const Tensor &t = c.graph.tensor(c.node.inputs[2]);
           if (!t.constant || t.constant->get_i64(0) != 0) {
             why = "training_mode is not a constant false; only inference-mode Dropout is supported";
             return false;
           }
         }
         c.node.inputs.resize(1);
         return true;
       }},
      {"Cast",
       [](OnnxImportContext &c, std::string &why) {
         DType t = dtype_from_onnx(int(c.node.attrs.get_int("to", 0)));
         if (t == DType::Undefined) {
           why = "casts to an element type microtc does not support";
           return false;
         }
         c.node.attrs.set("to", int64_t(t));
         return true;
       }},
      {"BatchNormalization",
       [](OnnxImportContext &c, std::string &why) {
         if (c.node.attrs.get_int("training_mode", 0) != 0) {
           why = "training_mode=1 is not supported (inference only)";
           return false;
         }
         c.node.attrs.erase("spatial");
         c.node.attrs.erase("is_test");
         c.node.attrs.erase("consumed_inputs");
         c.node.outputs.resize(1);  // running-stat outputs exist only in training
         return true;
       }},
  };
  return table;
}

}  // namespace

bool normalize_onnx_node(OnnxImportContext &ctx, std::string &why) {
  auto it = rewrites().find(ctx.node.op);
  if (it == rewrites().end()) return true;
  return it->second(ctx, why);
}

}  // namespace mtc
