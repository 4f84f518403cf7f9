// Integer parameters of the int8 Add and Mul (QAdd, QMul) computed from the operands' and the
// output's quantization parameters; the evaluator applies them, the emitter prints them.
#pragma once
#include "quant/requant.h"

namespace mtc {

struct QBinaryParams {
  int32_t a_zero_point = 0, b_zero_point = 0;
  // Fixed-point Add (TFLite): operands shifted left by left_shift, rescaled to a common scale by
  // (a_multiplier, a_shift) and (b_multiplier, b_shift), summed, then `out` rescales.
  int32_t left_shift = 0, a_multiplier = 0, a_shift = 0, b_multiplier = 0, b_shift = 0;
  // Float Add (ONNX contrib QLinearAdd): a_ratio = a_scale / y_scale, b_ratio likewise.
  float a_ratio = 0.f, b_ratio = 0.f;
  // One-rounding Add (sum_shift > 0; microtc's own Adds, attribute "requant" 2 where it fits, see
  // make_qadd_params): y = (a_m16 * a + b_m16 * b + sum_bias) >> sum_shift on the raw operands
  // (arithmetic shift: floor), clamped to [out.act_min, out.act_max]. a_m16 = round(a_scale /
  // y_scale * 2^S) and b_m16 likewise fit int16 (one SMLAD); sum_bias = 2^(S-1) - a_m16 * a_zp -
  // b_m16 * b_zp + y_zp * 2^S folds the rounding and the zero points. `out` still holds the
  // fixed-point values (only its clamp and zero point are used).
  int32_t a_m16 = 0, b_m16 = 0, sum_bias = 0, sum_shift = 0;
  Requant out;  // Add: final rescale; Mul: a_scale * b_scale / y_scale on the product
};

QBinaryParams make_qadd_params(const Graph &g, const Node &n);
// The Add of operands a and b into y under `mode`, clamped to [act_min, act_max] (output integers).
// RequantMode::MulHigh asks for the one-rounding Add and gets the fixed-point one where its
// precision conditions fail (one_rounding_add).
QBinaryParams make_qadd_params(const QuantParams &a, const QuantParams &b, const QuantParams &y, RequantMode mode,
                               int32_t act_min, int32_t act_max);
QBinaryParams make_qmul_params(const Graph &g, const Node &n);
// A QConv with a residual Add fused into it (pass fuse-residual-add): input 3 is the other operand
// of the Add, the node's output is the Add's. Attributes keep what the two nodes had apart:
// "conv_out_scale" / "conv_out_zero_point" (the convolution's own int8 result, never stored),
// "add_requant", "add_min" / "add_max" (the Add's "requant" value and clamp). Fills the convolution
// result's parameters and the Add's (operand a: the convolution result, b: input 3); false for a
// node without a residual.
bool fused_residual(const Graph &g, const Node &n, QuantParams &conv_out, QBinaryParams &add);

// The one-rounding Add's constants for real ratios a_scale / y_scale and b_scale / y_scale into p
// (a_m16, b_m16, sum_bias, sum_shift); false, leaving p alone, where it would be less precise than
// an output step allows (quant/qbinary_params.cpp).
bool one_rounding_add(double a_ratio, double b_ratio, int32_t a_zp, int32_t b_zp, int32_t y_zp, QBinaryParams &p);

// One element: the stored int8 result for operands a, b.
int32_t apply_qadd(const QBinaryParams &p, int32_t a, int32_t b);
int32_t apply_qmul(const QBinaryParams &p, int32_t a, int32_t b);

}  // namespace mtc
