/* mtc_min_f32: y = minimum(a, b) over broadcast operands (contract in
 * mtc_elementwise.h). NaN in either operand gives NaN. */
#include "mtc_binary_impl.h"
#include "mtc_math.h"

#define MTC_BIN(x, z) (((x) < (z) || (x) != (x)) ? (x) : (z))

void mtc_min_f32(MTC_BINARY_PARAMS(float)) { MTC_BINARY_LOOPS(float) }
