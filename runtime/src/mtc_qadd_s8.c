/* mtc_qadd_s8: int8 Add over broadcast operands (contract in mtc_elementwise.h). Residual adds of
 * same-shape tensors take a straight loop with the fixed-point arithmetic inlined; other layouts
 * and the float mode share one out-of-line element function to keep the code small. */
#include "mtc_binary_impl.h"
#include "mtc_qnn.h"

static int8_t qadd_element(const mtc_qbinary_params *q, const mtc_requant_channel *out, int32_t a, int32_t b) {
  return mtc_qadd_one(q, out, a, b);
}

void mtc_qadd_s8(MTC_BINARY_PARAMS(int8_t), const mtc_qbinary_params *q) {
  const mtc_qbinary_params qq = *q;
  const mtc_requant_channel out = mtc_requant_for(&q->out, 0);
  /* Shorter forms of the three rescalings (mtc_requant_quick*) when their conditions hold: the
   * shifted operands are below 2^28 in magnitude for left_shift <= 20 (int8 differences < 2^8), and
   * their rescaled sum below 2^29 for multipliers <= 1/2 (shifts <= 0). */
  if (outer_rank == 0 && a_step == 1 && b_step == 1 && out.mode == MTC_REQUANT_FIXED && qq.left_shift <= 20 && qq.a_mult > 0 &&
      qq.b_mult > 0 && qq.a_shift <= 0 && qq.b_shift <= 0 && qq.a_shift >= -23 && qq.b_shift >= -23 &&
      out.multiplier > 0 && out.shift <= -1 && out.shift >= -23 && out.zero_point >= -128 && out.zero_point <= 127) {
    const int32_t a_zp = qq.a_zp, b_zp = qq.b_zp, ls = qq.left_shift, lo = out.lo, hi = out.hi;
    const int32_t am = qq.a_mult, ae = -qq.a_shift, bm = qq.b_mult, be = -qq.b_shift, om = out.multiplier;
    /* a shift of 0 (the larger scale's operand, multiplier 1/2) leaves srdhm's result as it is */
    const int32_t ar = ae ? (int32_t)1 << (ae - 1) : 0, br = be ? (int32_t)1 << (be - 1) : 0, oe = -out.shift;
    const int32_t orz = ((int32_t)1 << (oe - 1)) + out.zero_point * ((int32_t)1 << oe);
    int32_t i;
    for (i = 0; i < n; ++i) {
      const int32_t xa = (a[i] - a_zp) * (1 << ls), xb = (b[i] - b_zp) * (1 << ls);
      const int32_t va = ae ? mtc_requant_quick(xa, am, ar, ae) : mtc_smmulr(xa * 2, am);
      const int32_t vb = be ? mtc_requant_quick(xb, bm, br, be) : mtc_smmulr(xb * 2, bm);
      y[i] = (int8_t)mtc_clamp_i32(mtc_requant_quick_s8(va + vb, om, orz, oe), lo, hi);
    }
    return;
  }
  if (outer_rank == 0 && a_step == 1 && b_step == 1 && out.mode == MTC_REQUANT_FIXED) {
    const int32_t a_zp = qq.a_zp, b_zp = qq.b_zp, ls = qq.left_shift;
    const int32_t am = qq.a_mult, as = qq.a_shift, bm = qq.b_mult, bs = qq.b_shift;
    int32_t i;
    for (i = 0; i < n; ++i) {
      const int32_t va = mtc_requantize_fixed((a[i] - a_zp) * (1 << ls), am, as);
      const int32_t vb = mtc_requantize_fixed((b[i] - b_zp) * (1 << ls), bm, bs);
      y[i] = (int8_t)mtc_requant_channel_apply(&out, va + vb);
    }
    return;
  }
  {
#define MTC_BIN(x, z) qadd_element(&qq, &out, (x), (z))
    MTC_BINARY_LOOPS(int8_t)
#undef MTC_BIN
  }
}
