/* mtc_sub_f32: y = act(a - b) over broadcast float operands (contract in mtc_elementwise.h). */
#include "mtc_binary_impl.h"
#include "mtc_elementwise.h"

#define MTC_BIN(x, z) mtc_act_apply((x) - (z), act)

void mtc_sub_f32(MTC_BINARY_PARAMS(float), mtc_act act) { MTC_BINARY_LOOPS(float) }
