/* mtc_matmul_integer_i8_u8: MatMulInteger with int8_t A and uint8_t B (contract in mtc_qops.h). */
#include "mtc_qops.h"
#include "mtc_qops_impl.h"

void mtc_matmul_integer_i8_u8(MTC_MATMUL_INTEGER_PARAMS(int8_t, uint8_t)) {
  MTC_MATMUL_INTEGER_LOOPS(int8_t, uint8_t)
}
