/* mtc_qadd_s8: int8 Add over broadcast operands (contract in mtc_elementwise.h). */
#include "mtc_binary_impl.h"
#include "mtc_qnn.h"

#define MTC_BIN(x, z) mtc_qadd_one(q, (x), (z))

void mtc_qadd_s8(MTC_BINARY_PARAMS(int8_t), const mtc_qbinary_params *q) { MTC_BINARY_LOOPS(int8_t) }
