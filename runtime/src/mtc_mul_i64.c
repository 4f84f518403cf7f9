/* mtc_mul_i64: y = a * b over broadcast int64_t operands (contract in mtc_elementwise.h). Computed on
 * uint64_t so overflow wraps instead of being undefined. */
#include "mtc_binary_impl.h"
#include "mtc_elementwise.h"

#define MTC_BIN(x, z) (int64_t)((uint64_t)(x) * (uint64_t)(z))

void mtc_mul_i64(MTC_BINARY_PARAMS(int64_t)) { MTC_BINARY_LOOPS(int64_t) }
