/* mtc_max_i64: y = maximum(a, b) over broadcast operands (contract in mtc_elementwise.h). */
#include "mtc_binary_impl.h"
#include "mtc_math.h"

#define MTC_BIN(x, z) ((x) > (z) ? (x) : (z))

void mtc_max_i64(MTC_BINARY_PARAMS(int64_t)) { MTC_BINARY_LOOPS(int64_t) }
