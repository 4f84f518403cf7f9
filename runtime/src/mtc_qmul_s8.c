/* mtc_qmul_s8: int8 Mul over broadcast operands (contract in mtc_elementwise.h). */
#include "mtc_binary_impl.h"
#include "mtc_qnn.h"

void mtc_qmul_s8(MTC_BINARY_PARAMS(int8_t), const mtc_qbinary_params *q) {
  const int32_t a_zp = q->a_zp, b_zp = q->b_zp;
  const mtc_requant_channel out = mtc_requant_for(&q->out, 0);
#define MTC_BIN(x, z) mtc_qmul_one(&out, a_zp, b_zp, (x), (z))
  MTC_BINARY_LOOPS(int8_t)
#undef MTC_BIN
}
