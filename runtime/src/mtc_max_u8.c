/* mtc_max_u8: y = maximum(a, b) over broadcast operands (contract in mtc_elementwise.h). */
#include "mtc_binary_impl.h"
#include "mtc_math.h"

#define MTC_BIN(x, z) ((x) > (z) ? (x) : (z))

void mtc_max_u8(MTC_BINARY_PARAMS(uint8_t)) { MTC_BINARY_LOOPS(uint8_t) }
