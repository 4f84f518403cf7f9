// C for Split: one strided copy (mtc_copy_nd, or memcpy when contiguous) per output. Each piece's
// place on the axis follows from the inferred output shapes.
#include "codegen/emitter.h"
#include "ops/data_layout.h"
#include "ops/op_util.h"

namespace mtc {

namespace {

std::string str(int64_t v) { return std::to_string(v); }
std::string offset_ptr(const std::string &p, int64_t off) { return off ? "(" + p + " + " + str(off) + ")" : p; }

void emit_split(EmitContext &ctx) {
  const Tensor &in = ctx.in(0);
  const size_t axis = size_t(normalize_axis(ctx.attrs().get_int("axis", 0), int64_t(in.shape.size())));
  const std::vector<int64_t> src_strides = contiguous_strides(in.shape);
  const int64_t es = int64_t(dtype_size(in.dtype));
  int64_t offset = 0;
  for (size_t i = 0; i < ctx.node().outputs.size(); ++i) {
    StridedCopy copy;
    copy.shape = ctx.out(i).shape;
    copy.src_strides = src_strides;
    copy.dst_strides = contiguous_strides(copy.shape);
    copy.src_offset = offset * src_strides[axis];
    offset += copy.shape[axis];
    StridedCopy c = simplify_copy(copy);
    if (shape_elements(c.shape) == 0) {
      ctx.line("(void)" + ctx.out_ptr(i) + ";");  // keeps an empty output parameter used
      continue;
    }
    std::string src = offset_ptr(ctx.in_ptr(0), c.src_offset), dst = offset_ptr(ctx.out_ptr(i), c.dst_offset);
    if (c.shape.empty() || (c.shape.size() == 1 && c.src_strides[0] == 1 && c.dst_strides[0] == 1)) {
      ctx.line("memcpy(" + dst + ", " + src + ", " + str(shape_elements(c.shape) * es) + ");");
      continue;
    }
    ctx.use_kernel("mtc_copy_nd");
    // tables declared in argument order (operands of + are evaluated in unspecified order)
    std::string shape = ctx.int_array(c.shape), ss = ctx.int_array(c.src_strides), ds = ctx.int_array(c.dst_strides);
    ctx.line("mtc_copy_nd(" + src + ", " + dst + ", " + str(es) + ", " + str(int64_t(c.shape.size())) + ", " + shape +
             ", " + ss + ", " + ds + ");");
  }
}

}  // namespace

MTC_REGISTER_EMITTER("Split", emit_split)

}  // namespace mtc
