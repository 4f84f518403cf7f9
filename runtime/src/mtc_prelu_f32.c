/* mtc_prelu_f32: y = a < 0 ? slope * a : a with the slope b broadcast (contract in mtc_elementwise.h). */
#include "mtc_binary_impl.h"
#include "mtc_math.h"

#define MTC_BIN(x, z) ((x) < 0.0f ? (z) * (x) : (x))

void mtc_prelu_f32(MTC_BINARY_PARAMS(float)) { MTC_BINARY_LOOPS(float) }
