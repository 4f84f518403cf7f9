/* mtc_div_i32: y = a / b over broadcast int32_t operands (contract in mtc_elementwise.h). Division
 * truncates toward zero; x / 0 = 0 and MIN / -1 wraps instead of trapping. */
#include "mtc_binary_impl.h"
#include "mtc_elementwise.h"

#define MTC_BIN(x, z) \
  ((z) == 0 ? (int32_t)0 : (z) == -1 ? (int32_t)((uint32_t)0 - (uint32_t)(x)) : (int32_t)((x) / (z)))

void mtc_div_i32(MTC_BINARY_PARAMS(int32_t)) { MTC_BINARY_LOOPS(int32_t) }
