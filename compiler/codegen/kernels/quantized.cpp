// C for the int8 operators: one runtime call each, with the requantization computed by the
// compiler (quant/requant.h) printed as constant arrays.
#include <cstdint>
#include <cstdlib>

#include "codegen/emitter.h"
#include "codegen/kernels/requant_emit.h"
#include "codegen/kernels/window_params.h"
#include "codegen/kernels/broadcast_call.h"
#include "codegen/kernels/kernel_select.h"
#include "ops/conv_geometry.h"
#include "quant/qbinary_params.h"

namespace mtc {

namespace {

// Per-output-channel weight zero points, or NULL when they are all zero (the common case).
std::string weight_zero_points(EmitContext &ctx, const QuantParams &w, size_t channels) {
  std::vector<int64_t> zp;
  bool any = false;
  for (size_t c = 0; c < channels; ++c) {
    zp.push_back(w.zero_point_at(c));
    any = any || zp.back() != 0;
  }
  return any ? ctx.int_array(zp) : "NULL";
}

// The requant_other argument of the fully connected kernel: NULL where its high-multiply fast path
// covers the layer, so that such models do not link the other forms.
std::string requant_other(EmitContext &ctx, const Requant &rq) {
  if (requant_is_mulhi_int8(rq)) return "NULL";
  ctx.use_kernel("mtc_requant_any");
  return "mtc_requant_any";
}

// The raw_other field of the panel convolution: mtc_panel_raw_any for layers outside the
// high-multiply int8 mode; for the others mtc_panel_raw_mulhi where a pass leaves outputs beyond the
// kernel's blocks of four (panel_run's rule: a last pass of 1-3 extra positions is moved back to
// end in a whole block, except with a residual or when it is the only pass), else NULL, so that
// most models link neither. Builds without the DSP block loop call mtc_panel_raw_mulhi for every
// output of the high-multiply layers: its file comes with the kernel.
std::string panel_raw_other(EmitContext &ctx, const Requant &rq, const WindowGeometry &g, const QConvPanel &panel,
                            bool residual) {
  ctx.use_kernel("mtc_panel_raw_mulhi");
  if (!requant_is_mulhi_int8(rq)) {
    ctx.use_kernel("mtc_requant_any");  // what mtc_panel_raw_any calls
    ctx.use_kernel("mtc_panel_raw_any");
    return "mtc_panel_raw_any";
  }
  const int64_t plane_out = g.out[0] * g.out[1], span = int64_t(panel.tile) * panel.tiles;
  const bool tails = plane_out % 4 != 0 && (residual || plane_out <= span);
  return tails ? "mtc_panel_raw_mulhi" : "NULL";
}

// The fill_whole field of the panel convolution: mtc_panel_fill_pointwise for a pointwise layer
// (1x1, unit strides, no padding: the emitter made its plane one row) with an even number of input
// channels, the geometry it covers; NULL otherwise, so that other models do not link it.
std::string panel_fill_whole(EmitContext &ctx, const Shape &x, const WindowGeometry &g) {
  bool pointwise = x[1] % 2 == 0 && g.in[0] == 1 && g.out[0] == 1 && g.in[1] == g.out[1];
  for (size_t d = 0; d < 2; ++d)
    pointwise = pointwise && g.kernel[d] == 1 && g.stride[d] == 1 && g.dilation[d] == 1 && g.pad_begin[d] == 0 &&
                g.pad_end[d] == 0;
  if (!pointwise) return "NULL";
  ctx.use_kernel("mtc_panel_fill_pointwise");
  return "mtc_panel_fill_pointwise";
}

// The fill_other field of the panel convolution: NULL where the kernel's own fill covers every
// row the layer reads, so that the model does not link mtc_panel_fill_row_any: without padding
// every row run lies inside the input; with an output width that is a multiple of the tile every
// segment is a whole tile, padded by the kernel when its run is at most kPanelRunMax values at unit
// dilation.
std::string panel_fill_other(EmitContext &ctx, const WindowGeometry &g, const QConvPanel &panel) {
  bool no_pad = true;
  for (size_t d = 0; d < 2; ++d) no_pad = no_pad && g.pad_begin[d] == 0 && g.pad_end[d] == 0;
  const bool whole_tiles = g.out[1] % panel.tile == 0 && g.dilation[1] == 1 &&
                           (panel.tile - 1) * g.stride[1] + g.kernel[1] <= kPanelRunMax;
  if (no_pad || whole_tiles) return "NULL";
  ctx.use_kernel("mtc_panel_fill_row_any");
  return "mtc_panel_fill_row_any";
}

// The brace initializer of an mtc_qbinary_params (runtime/include/mtc_qnn.h).
std::string qbinary_initializer(EmitContext &ctx, const QBinaryParams &p) {
  std::string out = requant_initializer(ctx, p.out);
  return "{" + std::to_string(p.a_zero_point) + ", " + std::to_string(p.b_zero_point) + ", " +
         std::to_string(p.left_shift) + ", " + std::to_string(p.a_multiplier) + ", " + std::to_string(p.a_shift) + ", " +
         std::to_string(p.b_multiplier) + ", " + std::to_string(p.b_shift) + ", " + c_float(p.a_ratio) + ", " +
         c_float(p.b_ratio) + ", " + std::to_string(p.a_m16) + ", " + std::to_string(p.b_m16) + ", " +
         std::to_string(p.sum_bias) + ", " + std::to_string(p.sum_shift) + ", " + out + "}";
}

// The brace initializer of an mtc_qadd_sum_params (runtime/include/mtc_qnn.h) for a one-rounding
// Add (p.sum_shift > 0): the values mtc_qadd_prepare_sum computes, once, at compile time.
std::string qadd_sum_initializer(EmitContext &ctx, const QBinaryParams &p) {
  const int64_t lo = p.out.act_min, range = int64_t(p.out.act_max) - lo;
  const int64_t sc = int64_t(p.sum_bias) - lo * (int64_t(1) << p.sum_shift);
  if (sc < INT32_MIN || sc > INT32_MAX || range < 0 || range > 255)
    ctx.fail("internal: the one-rounding Add's constants leave int32");
  const uint32_t pair = (uint32_t(p.a_m16) & 0xffffu) | (uint32_t(p.b_m16) << 16);
  const uint32_t lo4 = (uint32_t(lo) & 0xffu) * 0x01010101u, range4 = (uint32_t(range) & 0xffu) * 0x01010101u;
  auto i32 = [](int64_t v) { return v == INT32_MIN ? std::string("(-2147483647 - 1)") : std::to_string(v); };
  return "{" + i32(sc) + ", " + i32(p.sum_shift) + ", " + std::to_string(pair) + "u, " + std::to_string(lo4) + "u, " +
         std::to_string(range4) + "u}";
}

void emit_qconv(EmitContext &ctx) {
  const Graph &gr = ctx.graph();
  const Node &n = ctx.node();
  const Shape &x = ctx.in(0).shape, &w = ctx.in(1).shape;
  WindowGeometry g0;
  std::string why;
  if (!conv_window(ctx.attrs(), x, w, g0, why)) ctx.fail(why);
  WindowGeometry g = as_2d(g0);
  const QuantParams &xq = require_quant(gr, n, n.inputs[0], "input"), &wq = require_quant(gr, n, n.inputs[1], "weights");
  // a fused residual Add: the convolution's result has its own parameters (quant/qbinary_params.h)
  QuantParams conv_out;
  QBinaryParams add;
  const bool residual = fused_residual(gr, n, conv_out, add);
  const QuantParams &yq = residual ? conv_out : require_quant(gr, n, n.outputs[0], "output");
  Requant rq = make_requant(gr, n, xq, wq, yq, DType::I8, size_t(w[0]));
  QConvPanel panel;
  bool column = qconv_uses_panel(gr, n, panel);
  if (residual && !column) ctx.fail("internal: a residual Add fused into a convolution the panel kernel does not run");
  const int64_t k4 = panel.k4;
  bool depthwise = !column && qconv_is_depthwise(gr, n);
  if (column) {
    // A 1x1 convolution with unit strides and no padding reads each position on its own: the plane
    // as one long row fills whole panel tiles whatever the width.
    bool pointwise = true;
    for (size_t d = 0; d < 2; ++d)
      pointwise = pointwise && g.kernel[d] == 1 && g.stride[d] == 1 && g.pad_begin[d] == 0 && g.pad_end[d] == 0;
    if (pointwise) {
      g.in = {1, g.in[0] * g.in[1]};
      g.out = {1, g.out[0] * g.out[1]};
    }
  }
  ctx.use_kernel(column ? "mtc_qconv2d_s8_panel" : depthwise ? "mtc_qdwconv2d_s8" : "mtc_qconv2d_s8");
  ctx.line("{");
  std::string w_ptr;
  if (!column) w_ptr = ctx.in_ptr(1);  // referencing the constant is what emits it
  std::string wsum_sym;
  if (depthwise) {
    const int8_t *wv = ctx.in(1).constant->data<int8_t>();
    int64_t taps = shape_elements(w) / w[0];
    std::vector<int64_t> wsum(static_cast<size_t>(w[0]), 0);
    const int32_t *bv = ctx.has_input(2) ? ctx.in(2).constant->data<int32_t>() : nullptr;
    for (int64_t c = 0; c < w[0]; ++c) {
      for (int64_t t = 0; t < taps; ++t) wsum[size_t(c)] += wv[c * taps + t];
      // The kernel folds the zero point into the bias in int32 at run time: it must fit.
      const int64_t folded = (bv ? bv[c] : 0) - int64_t(xq.zero_point[0]) * wsum[size_t(c)];
      if (folded < INT32_MIN || folded > INT32_MAX) ctx.fail("folded bias overflows int32");
    }
    wsum_sym = ctx.int_array(wsum);
  }
  std::string folded_bias;
  if (column) {
    // Weights of channel pairs (2i, 2i + 1) interleaved by tap pairs, a_k b_k a_k+1 b_k+1, so that
    // SXTB16 with and without rotate gives each channel's pair for SMLAD; k4 taps per channel (zero
    // taps beyond k), a last odd channel paired with zeros. The input zero point is folded into
    // the bias: b - x_zp * sum w.
    const int8_t *wv = ctx.in(1).constant->data<int8_t>();
    const int32_t *bv = ctx.has_input(2) ? ctx.in(2).constant->data<int32_t>() : nullptr;
    int64_t k = shape_elements(w) / w[0];
    std::vector<int8_t> packed(static_cast<size_t>((w[0] + 1) / 2 * 2 * k4), 0);
    std::vector<int64_t> bias(static_cast<size_t>(w[0]));
    for (int64_t oc = 0; oc < w[0]; ++oc) {
      int64_t sum = 0;
      for (int64_t i = 0; i < k; ++i) sum += wv[oc * k + i];
      for (int64_t i = 0; i < k; ++i)
        packed[size_t((oc & ~int64_t(1)) * k4 + (i / 2) * 4 + (i % 2) * 2 + (oc & 1))] = wv[oc * k + i];
      int64_t b = (bv ? bv[oc] : 0) - int64_t(xq.zero_point[0]) * sum;
      if (b < INT32_MIN || b > INT32_MAX) ctx.fail("folded bias overflows int32");
      bias[size_t(oc)] = b;
    }
    w_ptr = ctx.int8_array(packed);
    folded_bias = ctx.int_array(bias);
  }
  if (column) {
    const bool one_rounding = residual && add.sum_shift > 0;
    if (one_rounding)
      ctx.line("  static const mtc_qadd_sum_params add = " + qadd_sum_initializer(ctx, add) + ";");
    else if (residual)
      ctx.line("  static const mtc_qbinary_params add = " + qbinary_initializer(ctx, add) + ";");
    // The helpers' files first, so that the layer's kernel (the last used) is the convolution's.
    const std::string other_raw = panel_raw_other(ctx, rq, g, panel, residual);
    const std::string other_fill = panel_fill_other(ctx, g, panel);
    const std::string whole_fill = panel_fill_whole(ctx, x, g);
    ctx.use_kernel("mtc_qconv2d_s8_panel");
    const bool helpers = other_raw != "NULL" || other_fill != "NULL" || whole_fill != "NULL";
    if (helpers)
      emit_struct(ctx, "mtc_panel_helpers", "helpers",
                  {{"raw_other", other_raw}, {"fill_other", other_fill}, {"fill_whole", whole_fill}});
    if (panel.tiles > 65535) ctx.fail("internal: panel tiles beyond 16 bits");
    emit_struct(ctx, "mtc_qconv_panel_params", "pp",
                {{"p", conv_params_initializer(ctx, x, w[0], g, ctx.attrs().get_int("group", 1))},
                 {"rq", requant_initializer(ctx, rq)},
                 {"w", w_ptr},
                 {"bias", folded_bias},
                 {"k4", std::to_string(k4)},
                 {"x_zp", std::to_string(xq.zero_point[0])},
                 {"tiles", std::to_string(panel.tiles)},
                 {"helpers", helpers ? "&helpers" : "NULL"},
                 {"add", residual ? "&add" : "NULL"}});
    ctx.line(std::string("  ") +
             (!residual       ? "mtc_qconv2d_s8_panel"
              : one_rounding ? "mtc_qconv2d_s8_panel_residual_sum"
                             : "mtc_qconv2d_s8_panel_residual") +
             "(&pp, " + ctx.in_ptr(0) + ", " + ctx.out_ptr(0) + ", " + ctx.scratch_ptr("int16_t") +
             (residual ? ", " + ctx.in_ptr(3) : std::string()) + ");");
    ctx.line("}");
    return;
  }
  std::string wzp = weight_zero_points(ctx, wq, size_t(w[0]));
  std::string rq_ptr = emit_requant(ctx, rq);
  emit_conv2d_params(ctx, x, w, g);
  std::string bias = ctx.has_input(2) ? ctx.in_ptr(2) : std::string("NULL");
  if (depthwise)
    ctx.line("  " + std::string(g.kernel[0] == 5 && g.kernel[1] == 5   ? "mtc_qdwconv2d_s8_5x5"
                                : g.kernel[0] == 7 && g.kernel[1] == 7 ? "mtc_qdwconv2d_s8_7x7"
                                                                       : "mtc_qdwconv2d_s8") +
             "(&p, " + ctx.in_ptr(0) + ", " + std::to_string(xq.zero_point[0]) + ", " + w_ptr + ", " +
             wsum_sym + ", " + bias + ", " + ctx.out_ptr(0) + ", " + rq_ptr + ", " +
             (qconv_depthwise_scratch_bytes(gr, n) > 0 ? ctx.scratch_ptr("int16_t") : std::string("NULL")) + ", " +
             std::to_string(qconv_depthwise_scratch_bytes(gr, n) / 2) + ");");
  else
    ctx.line("  mtc_qconv2d_s8(&p, " + ctx.in_ptr(0) + ", " + std::to_string(xq.zero_point[0]) + ", " + w_ptr + ", " +
             wzp + ", " + bias + ", " + ctx.out_ptr(0) + ", " + rq_ptr + ");");
  ctx.line("}");
}

void emit_qgemm(EmitContext &ctx) {
  const Graph &gr = ctx.graph();
  const Node &n = ctx.node();
  const Shape &x = ctx.in(0).shape, &w = ctx.in(1).shape;
  const QuantParams &xq = require_quant(gr, n, n.inputs[0], "input"), &wq = require_quant(gr, n, n.inputs[1], "weights"),
                    &yq = require_quant(gr, n, n.outputs[0], "output");
  Requant rq = make_requant(gr, n, xq, wq, yq, DType::I8, size_t(w[1]));
  int64_t rows = shape_elements(x) / w[0], k = w[0], cols = w[1];
  bool symmetric = ctx.in(1).constant && (!ctx.has_input(2) || ctx.in(2).constant);
  for (int32_t z : wq.zero_point) symmetric = symmetric && z == 0;
  ctx.line("{");
  if (symmetric) {
    // Weights transposed to one row per output (contiguous dot products) and the input zero point
    // folded into the bias: sum (x - x_zp) * w + b = sum x * w + (b - x_zp * sum w).
    const int8_t *wv = ctx.in(1).constant->data<int8_t>();
    const int32_t *bv = ctx.has_input(2) ? ctx.in(2).constant->data<int32_t>() : nullptr;
    std::vector<int8_t> wt(static_cast<size_t>(k * cols));
    std::vector<int64_t> bias(static_cast<size_t>(cols));
    for (int64_t c = 0; c < cols; ++c) {
      int64_t sum = 0;
      for (int64_t i = 0; i < k; ++i) {
        wt[size_t(c * k + i)] = wv[i * cols + c];
        sum += wv[i * cols + c];
      }
      int64_t b = (bv ? bv[c] : 0) - int64_t(xq.zero_point[0]) * sum;
      if (b < INT32_MIN || b > INT32_MAX) ctx.fail("folded bias overflows int32");
      bias[size_t(c)] = b;
    }
    const std::string other_rq = requant_other(ctx, rq);
    ctx.use_kernel("mtc_qfc_s8");  // after the helper's: the layer's kernel is the last used
    std::string w_sym = ctx.int8_array(wt), b_sym = ctx.int_array(bias);
    std::string rq_ptr = emit_requant(ctx, rq);
    ctx.line("  mtc_qfc_s8(" + std::to_string(rows) + ", " + std::to_string(k) + ", " + std::to_string(cols) + ", " +
             ctx.in_ptr(0) + ", " + w_sym + ", " + b_sym + ", " + ctx.out_ptr(0) + ", " + rq_ptr + ", " +
             other_rq + ");");
    ctx.line("}");
    return;
  }
  ctx.use_kernel("mtc_qgemm_s8");
  std::string wzp = weight_zero_points(ctx, wq, size_t(w[1]));
  std::string rq_ptr = emit_requant(ctx, rq);
  ctx.line("  mtc_qgemm_s8(" + std::to_string(rows) + ", " + std::to_string(w[0]) + ", " + std::to_string(w[1]) + ", " +
           ctx.in_ptr(0) + ", " + std::to_string(xq.zero_point[0]) + ", " + ctx.in_ptr(1) + ", " + wzp + ", " +
           (ctx.has_input(2) ? ctx.in_ptr(2) : std::string("NULL")) + ", " + ctx.out_ptr(0) + ", " + rq_ptr + ");");
  ctx.line("}");
}

void emit_qbinary(EmitContext &ctx) {
  bool add = ctx.node().op == "QAdd";
  QBinaryParams p = add ? make_qadd_params(ctx.graph(), ctx.node()) : make_qmul_params(ctx.graph(), ctx.node());
  ctx.line("{");
  ctx.line("  static const mtc_qbinary_params q = " + qbinary_initializer(ctx, p) + ";");
  emit_broadcast_call(ctx, add ? "mtc_qadd_s8" : "mtc_qmul_s8", ctx.in_ptr(0), ctx.in(0).shape, ctx.in_ptr(1),
                      ctx.in(1).shape, ", &q");
  ctx.line("}");
}

// A 2-D window that covers the whole input plane once, without padding or dilation.
bool is_whole_plane_window(const WindowGeometry &g) {
  for (size_t a = 0; a < 2; ++a)
    if (g.kernel[a] != g.in[a] || g.dilation[a] != 1 || g.pad_begin[a] != 0 || g.pad_end[a] != 0 || g.out[a] != 1)
      return false;
  return true;
}

void emit_qavgpool(EmitContext &ctx) {
  const Shape &x = ctx.in(0).shape;
  WindowGeometry g0;
  std::string why;
  if (!pool_window(ctx.attrs(), x, g0, why)) ctx.fail(why);
  WindowGeometry g = as_2d(g0);
  const QuantParams &xq = require_quant(ctx.graph(), ctx.node(), ctx.node().inputs[0], "input");
  // the kernels sum a window's (x - zp), each within +-255, in int32
  if (g.kernel[0] * g.kernel[1] > (int64_t(1) << 23))
    ctx.fail("its window of " + std::to_string(g.kernel[0] * g.kernel[1]) +
             " values is too large for the int8 kernel's 32-bit sum (at most 2^23)");
  if (is_whole_plane_window(g)) {
    // the window is each plane, as at the end of most image networks: a kernel of a few
    // instructions instead of the 2-D one's window logic (flash)
    const int64_t planes = x[0] * x[1], count = g.in[0] * g.in[1];
    ctx.use_kernel("mtc_qavgpool_global_s8");
    ctx.line("mtc_qavgpool_global_s8(" + ctx.in_ptr(0) + ", " + std::to_string(xq.zero_point[0]) + ", " +
             ctx.out_ptr(0) + ", " + std::to_string(planes) + ", " + std::to_string(count) + ");");
    return;
  }
  ctx.use_kernel("mtc_qavgpool2d_s8");
  ctx.line("{");
  emit_pool2d_params(ctx, x, g, ctx.attrs().get_int("count_include_pad", 0));
  ctx.line("  mtc_qavgpool2d_s8(&p, " + ctx.in_ptr(0) + ", " + std::to_string(xq.zero_point[0]) + ", " +
           ctx.out_ptr(0) + ");");
  ctx.line("}");
}

void emit_qglobal(EmitContext &ctx) {
  const Node &n = ctx.node();
  const QuantParams &xq = require_quant(ctx.graph(), n, n.inputs[0], "input"),
                    &yq = require_quant(ctx.graph(), n, n.outputs[0], "output");
  const Shape &x = ctx.in(0).shape;
  int64_t planes = x[0] * x[1], spatial = shape_elements(x) / planes;
  ctx.use_kernel("mtc_qglobal_avgpool_s8");
  ctx.line("{");
  std::string rq = emit_requant(ctx, global_pool_requant(n, xq, yq, spatial));
  ctx.line("  mtc_qglobal_avgpool_s8(" + ctx.in_ptr(0) + ", " + ctx.out_ptr(0) + ", " + std::to_string(planes) + ", " +
           std::to_string(spatial) + ", " + std::to_string(xq.zero_point[0]) + ", " + rq + ");");
  ctx.line("}");
}

void emit_qlookup(EmitContext &ctx) {
  ctx.use_kernel("mtc_qlookup_s8");
  ctx.line("mtc_qlookup_s8(" + ctx.in_ptr(0) + ", " + ctx.in_ptr(1) + ", " + ctx.out_ptr(0) + ", " +
           std::to_string(shape_elements(ctx.in(0).shape)) + ");");
}

}  // namespace

MTC_REGISTER_EMITTER("QAdd", emit_qbinary)
MTC_REGISTER_EMITTER("QMul", emit_qbinary)
MTC_REGISTER_EMITTER("QAveragePool", emit_qavgpool)
MTC_REGISTER_EMITTER("QGlobalAveragePool", emit_qglobal)
MTC_REGISTER_EMITTER("QLookup", emit_qlookup)
MTC_REGISTER_EMITTER("QConv", emit_qconv)
MTC_REGISTER_EMITTER("QGemm", emit_qgemm)

}  // namespace mtc
