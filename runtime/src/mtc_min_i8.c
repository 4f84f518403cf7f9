/* mtc_min_i8: y = minimum(a, b) over broadcast operands (contract in mtc_elementwise.h). */
#include "mtc_binary_impl.h"
#include "mtc_math.h"

#define MTC_BIN(x, z) ((x) < (z) ? (x) : (z))

void mtc_min_i8(MTC_BINARY_PARAMS(int8_t)) { MTC_BINARY_LOOPS(int8_t) }
