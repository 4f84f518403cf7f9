/* mtc_qadd_s8: int8 Add over broadcast operands (contract in mtc_elementwise.h). Residual adds of
 * same-shape tensors take a straight loop with the arithmetic inlined (the one-rounding Add four
 * elements per turn, mtc_qadd_sum); other layouts and the float mode share one out-of-line element
 * function to keep the code small. */
#include "mtc_binary_impl.h"
#include "mtc_qnn.h"

static int8_t qadd_element(const mtc_qbinary_params *q, const mtc_requant_channel *out, int32_t a, int32_t b) {
  return mtc_qadd_one(q, out, a, b);
}

void mtc_qadd_s8(MTC_BINARY_PARAMS(int8_t), const mtc_qbinary_params *q) {
  const mtc_qbinary_params qq = *q;
  const mtc_requant_channel out = mtc_requant_for(&q->out, 0);
  if (outer_rank == 0 && a_step == 1 && b_step == 1) {
    mtc_qadd_prepared pr;
    int32_t i;
    if (q->sum_shift > 0) {
      mtc_qadd_sum_params sp;
      mtc_qadd_prepare_sum(&sp, q);
      mtc_qadd_sum(&sp, a, b, y, n);
      return;
    }
    mtc_qadd_prepare(&pr, q);
    if (pr.quick) {
      for (i = 0; i < n; ++i) y[i] = mtc_qadd_quick(&pr, a[i], b[i]);
      return;
    }
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
