/* mtc_matmul_integer_u8_u8: MatMulInteger with uint8_t A and uint8_t B (contract in mtc_qops.h). */
#include "mtc_qops.h"
#include "mtc_qops_impl.h"

void mtc_matmul_integer_u8_u8(MTC_MATMUL_INTEGER_PARAMS(uint8_t, uint8_t)) {
  MTC_MATMUL_INTEGER_LOOPS(uint8_t, uint8_t)
}
