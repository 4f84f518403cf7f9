/* mtc_div_u8: y = a / b over broadcast uint8_t operands (contract in mtc_elementwise.h). Division
 * truncates; x / 0 = 0 instead of trapping. */
#include "mtc_binary_impl.h"
#include "mtc_elementwise.h"

#define MTC_BIN(x, z) ((z) == 0 ? (uint8_t)0 : (uint8_t)((x) / (z)))

void mtc_div_u8(MTC_BINARY_PARAMS(uint8_t)) { MTC_BINARY_LOOPS(uint8_t) }
