// C for the data-movement ops: strided copies (mtc_copy_nd), fills, gathers and casts. The layout
// plans come from ops/data_layout.h, the same ones the reference evaluator uses.
#include <cmath>
#include <cstdio>

#include "codegen/emitter.h"
#include "ops/data_layout.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

std::string str(int64_t v) { return std::to_string(v); }
std::string esize(const Tensor &t) { return str(int64_t(dtype_size(t.dtype))); }
int64_t nbytes(const Tensor &t) { return shape_elements(t.shape) * int64_t(dtype_size(t.dtype)); }
std::string offset_ptr(const std::string &p, int64_t off) {
  return off ? "(" + p + " + " + str(off) + ")" : p;
}

// An empty output needs no code, but its buffer parameter must still count as used (-Wunused-parameter).
bool empty_output(EmitContext &ctx) {
  if (shape_elements(ctx.out(0).shape) != 0) return false;
  ctx.line("(void)" + ctx.out_ptr(0) + ";");
  return true;
}

// Prints one strided copy from input `in` to output 0 at the lowest rank that describes it.
void emit_copy(EmitContext &ctx, size_t in, const StridedCopy &copy) {
  StridedCopy c = simplify_copy(copy);
  if (shape_elements(c.shape) == 0) return;
  const Tensor &t = ctx.in(in);
  std::string src = offset_ptr(ctx.in_ptr(in), c.src_offset), dst = offset_ptr(ctx.out_ptr(0), c.dst_offset);
  if (c.shape.empty() || (c.shape.size() == 1 && c.src_strides[0] == 1 && c.dst_strides[0] == 1)) {
    ctx.line("memcpy(" + dst + ", " + src + ", " +
             str(shape_elements(c.shape) * int64_t(dtype_size(t.dtype))) + ");");
    return;
  }
  ctx.use_kernel("mtc_copy_nd");
  // tables declared in argument order (operands of + are evaluated in unspecified order)
  std::string shape = ctx.int_array(c.shape), ss = ctx.int_array(c.src_strides),
              ds = ctx.int_array(c.dst_strides);
  ctx.line("mtc_copy_nd(" + src + ", " + dst + ", " + esize(t) + ", " + str(int64_t(c.shape.size())) + ", " +
           shape + ", " + ss + ", " + ds + ");");
}

// Views normally print nothing (the planner aliases them); a view that is a graph output gets its
// own buffer, filled here.
void emit_view(EmitContext &ctx) {
  if (empty_output(ctx)) return;
  ctx.line("memcpy(" + ctx.out_ptr(0) + ", " + ctx.in_ptr(0) + ", " + str(nbytes(ctx.out(0))) + ");");
}

void emit_transpose(EmitContext &ctx) {
  if (empty_output(ctx)) return;
  std::vector<int64_t> perm;
  std::string err = transpose_perm(ctx.node(), ctx.in(0).shape.size(), perm);
  if (!err.empty()) ctx.fail(err);
  emit_copy(ctx, 0, transpose_copy(ctx.in(0).shape, perm));
}

void emit_slice(EmitContext &ctx) {
  if (empty_output(ctx)) return;
  StridedCopy c;
  std::string err = slice_plan(ctx.graph(), ctx.node(), c);
  if (!err.empty()) ctx.fail(err);
  emit_copy(ctx, 0, c);
}

void emit_concat(EmitContext &ctx) {
  if (empty_output(ctx)) return;
  const Shape &out = ctx.out(0).shape;
  size_t axis = size_t(normalize_axis(ctx.attrs().get_int("axis"), int64_t(out.size())));
  int64_t offset = 0;
  for (size_t i = 0; i < ctx.node().inputs.size(); ++i) {
    emit_copy(ctx, i, concat_copy(ctx.in(i).shape, out, axis, offset));
    offset += ctx.in(i).shape[axis];
  }
}

void emit_expand(EmitContext &ctx) {
  if (empty_output(ctx)) return;
  StridedCopy c;
  c.shape = ctx.out(0).shape;
  c.src_strides = broadcast_strides(ctx.in(0).shape, c.shape);
  c.dst_strides = contiguous_strides(c.shape);
  emit_copy(ctx, 0, c);
}

void emit_pad(EmitContext &ctx) {
  PadPlan plan;
  std::string err = pad_plan(ctx.graph(), ctx.node(), plan);
  if (!err.empty()) ctx.fail(err);
  const Tensor &in = ctx.in(0), &out = ctx.out(0);
  int64_t n = shape_elements(out.shape);
  if (empty_output(ctx)) return;
  if (plan.mode != "constant") {
    std::vector<int64_t> maps;
    for (size_t a = 0; a < in.shape.size(); ++a) {
      std::vector<int64_t> m = pad_axis_map(in.shape[a], plan.begin[a], plan.end[a], plan.mode);
      maps.insert(maps.end(), m.begin(), m.end());
    }
    ctx.use_kernel("mtc_remap_nd");
    std::string shape = ctx.int_array(plan.out), strides = ctx.int_array(contiguous_strides(in.shape));
    std::string map_table = ctx.int_array(maps);
    ctx.line("mtc_remap_nd(" + ctx.in_ptr(0) + ", " + ctx.out_ptr(0) + ", " + esize(in) + ", " +
             str(int64_t(in.shape.size())) + ", " + shape + ", " + strides + ", " + map_table + ");");
    return;
  }
  StridedCopy interior = pad_interior(in.shape, plan);
  if (shape_elements(interior.shape) != n) {  // some output is padding: fill it all, then copy
    if (ctx.has_input(2)) {
      ctx.use_kernel("mtc_fill");
      ctx.line("mtc_fill(" + ctx.out_ptr(0) + ", " + ctx.in_ptr(2) + ", " + esize(out) + ", " + str(n) +
               ");");
    } else {
      ctx.line("memset(" + ctx.out_ptr(0) + ", 0, " + str(nbytes(out)) + ");");
    }
  }
  emit_copy(ctx, 0, interior);
}

void emit_gather(EmitContext &ctx) {
  if (empty_output(ctx)) return;
  const Tensor &data = ctx.in(0), &idx = ctx.in(1);
  size_t axis = size_t(normalize_axis(ctx.attrs().get_int("axis", 0), int64_t(data.shape.size())));
  std::string indices, index_size = "4";
  if (idx.is_constant()) {
    indices = ctx.int_array(idx.constant->to_i64());
  } else {
    indices = ctx.in_ptr(1);
    index_size = esize(idx);
  }
  ctx.use_kernel("mtc_gather");
  ctx.line("mtc_gather(" + ctx.in_ptr(0) + ", " + indices + ", " + index_size + ", " + ctx.out_ptr(0) + ", " +
           esize(data) + ", " + str(product(data.shape, 0, axis)) + ", " + str(data.shape[axis]) + ", " +
           str(shape_elements(idx.shape)) + ", " + str(product(data.shape, axis + 1, data.shape.size())) +
           ");");
}

const char *dtype_code(DType t) {
  switch (t) {
  case DType::F32: return "MTC_DTYPE_F32";
  case DType::F64: return "MTC_DTYPE_F64";
  case DType::I8: return "MTC_DTYPE_I8";
  case DType::U8: return "MTC_DTYPE_U8";
  case DType::I16: return "MTC_DTYPE_I16";
  case DType::I32: return "MTC_DTYPE_I32";
  case DType::I64: return "MTC_DTYPE_I64";
  case DType::Bool: return "MTC_DTYPE_BOOL";
  case DType::Undefined: break;
  }
  return nullptr;
}

void emit_cast(EmitContext &ctx) {
  const Tensor &in = ctx.in(0), &out = ctx.out(0);
  int64_t n = shape_elements(out.shape);
  if (empty_output(ctx)) return;
  if (in.dtype == out.dtype) return emit_view(ctx);
  if (!dtype_code(in.dtype) || !dtype_code(out.dtype)) ctx.fail("cannot cast between these element types");
  ctx.use_kernel("mtc_cast");
  ctx.line("mtc_cast(" + ctx.in_ptr(0) + ", " + dtype_code(in.dtype) + ", " + ctx.out_ptr(0) + ", " +
           dtype_code(out.dtype) + ", " + str(n) + ");");
}

// A C99 compound literal holding element 0 of v, e.g. "(const int64_t[1]){INT64_C(7)}".
std::string element_literal(const Value &v) {
  std::string lit;
  switch (v.dtype) {
  case DType::F32: lit = c_float(v.data<float>()[0]); break;
  case DType::F64: {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v.data<double>()[0]);
    lit = std::isfinite(v.data<double>()[0]) ? buf : c_float(float(v.data<double>()[0]));
    break;
  }
  case DType::I64: {
    int64_t x = v.data<int64_t>()[0];
    lit = x == INT64_MIN ? "INT64_MIN" : "INT64_C(" + str(x) + ")";
    break;
  }
  default: {
    int64_t x = v.get_i64(0);
    lit = x == INT32_MIN ? "INT32_MIN" : str(x);
    break;
  }
  }
  return std::string("(const ") + dtype_c_type(v.dtype) + "[1]){" + lit + "}";
}

void emit_constant_of_shape(EmitContext &ctx) {
  const Tensor &out = ctx.out(0);
  int64_t n = shape_elements(out.shape);
  if (empty_output(ctx)) return;
  Value v = ctx.attrs().has("value") ? ctx.attrs().get_tensor("value") : Value::scalar_f32(0.f);
  bool zero = true;
  for (uint8_t b : v.bytes) zero &= b == 0;
  if (zero) {
    ctx.line("memset(" + ctx.out_ptr(0) + ", 0, " + str(nbytes(out)) + ");");
    return;
  }
  ctx.use_kernel("mtc_fill");
  ctx.line("mtc_fill(" + ctx.out_ptr(0) + ", " + element_literal(v) + ", " + esize(out) + ", " + str(n) +
           ");");
}

}  // namespace

MTC_REGISTER_EMITTER("Reshape", emit_view)
MTC_REGISTER_EMITTER("Flatten", emit_view)
MTC_REGISTER_EMITTER("Squeeze", emit_view)
MTC_REGISTER_EMITTER("Unsqueeze", emit_view)
MTC_REGISTER_EMITTER("Identity", emit_view)
MTC_REGISTER_EMITTER("Dropout", emit_view)
MTC_REGISTER_EMITTER("Transpose", emit_transpose)
MTC_REGISTER_EMITTER("Slice", emit_slice)
MTC_REGISTER_EMITTER("Concat", emit_concat)
MTC_REGISTER_EMITTER("Expand", emit_expand)
MTC_REGISTER_EMITTER("Pad", emit_pad)
MTC_REGISTER_EMITTER("Gather", emit_gather)
MTC_REGISTER_EMITTER("Cast", emit_cast)
MTC_REGISTER_EMITTER("ConstantOfShape", emit_constant_of_shape)

}  // namespace mtc
