/* mtc_sub_i8: y = a - b over broadcast int8_t operands (contract in mtc_elementwise.h). Computed on
 * uint32_t and truncated to 8 bits, so the difference wraps modulo 256 without signed overflow. */
#include "mtc_binary_impl.h"
#include "mtc_elementwise.h"

#define MTC_BIN(x, z) (int8_t)(uint8_t)((uint32_t)(x) - (uint32_t)(z))

void mtc_sub_i8(MTC_BINARY_PARAMS(int8_t)) { MTC_BINARY_LOOPS(int8_t) }
