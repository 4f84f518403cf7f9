/* mtc_div_i64: y = a / b over broadcast int64_t operands (contract in mtc_elementwise.h). Division
 * truncates toward zero; x / 0 = 0 and MIN / -1 wraps instead of trapping. */
#include "mtc_binary_impl.h"
#include "mtc_elementwise.h"

#define MTC_BIN(x, z) \
  ((z) == 0 ? (int64_t)0 : (z) == -1 ? (int64_t)((uint64_t)0 - (uint64_t)(x)) : (int64_t)((x) / (z)))

void mtc_div_i64(MTC_BINARY_PARAMS(int64_t)) { MTC_BINARY_LOOPS(int64_t) }
