/* mtc_sub_u8: y = a - b over broadcast uint8_t operands (contract in mtc_elementwise.h). Computed on
 * uint32_t and truncated, so the difference wraps modulo 256. */
#include "mtc_binary_impl.h"
#include "mtc_elementwise.h"

#define MTC_BIN(x, z) (uint8_t)((uint32_t)(x) - (uint32_t)(z))

void mtc_sub_u8(MTC_BINARY_PARAMS(uint8_t)) { MTC_BINARY_LOOPS(uint8_t) }
