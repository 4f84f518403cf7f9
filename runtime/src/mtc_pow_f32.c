/* mtc_pow_f32: y = powf(a, b) over broadcast float operands (contract in mtc_elementwise.h). */
#include <math.h>

#include "mtc_binary_impl.h"
#include "mtc_math.h"

#define MTC_BIN(x, z) powf((x), (z))

void mtc_pow_f32(MTC_BINARY_PARAMS(float)) { MTC_BINARY_LOOPS(float) }
