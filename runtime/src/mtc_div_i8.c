/* mtc_div_i8: y = a / b over broadcast int8_t operands (contract in mtc_elementwise.h). Division
 * truncates toward zero and is done in int32_t, where -128 / -1 = 128 is exact and then wraps to
 * -128; x / 0 = 0 instead of trapping. */
#include "mtc_binary_impl.h"
#include "mtc_elementwise.h"

#define MTC_BIN(x, z) ((z) == 0 ? (int8_t)0 : (int8_t)(uint8_t)((int32_t)(x) / (int32_t)(z)))

void mtc_div_i8(MTC_BINARY_PARAMS(int8_t)) { MTC_BINARY_LOOPS(int8_t) }
