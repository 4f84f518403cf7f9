/* mtc_sub_i32: y = a - b over broadcast int32_t operands (contract in mtc_elementwise.h). Computed on
 * uint32_t so overflow wraps instead of being undefined. */
#include "mtc_binary_impl.h"
#include "mtc_elementwise.h"

#define MTC_BIN(x, z) (int32_t)((uint32_t)(x) - (uint32_t)(z))

void mtc_sub_i32(MTC_BINARY_PARAMS(int32_t)) { MTC_BINARY_LOOPS(int32_t) }
