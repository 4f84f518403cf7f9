/* microtc runtime: the C99 kernels generated code calls. One function per file under src/,
 * named after the function; one header per kernel family, all included here. */
#ifndef MTC_RUNTIME_H
#define MTC_RUNTIME_H

#include "mtc_activation.h"
#include "mtc_conv.h"
#include "mtc_conv_transpose.h"
#include "mtc_data.h"
#include "mtc_elementwise.h"
#include "mtc_gemm.h"
#include "mtc_layernorm.h"
#include "mtc_math.h"
#include "mtc_microt.h"
#include "mtc_norm.h"
#include "mtc_pool.h"
#include "mtc_qops.h"
#include "mtc_qnn.h"
#include "mtc_quant.h"
#include "mtc_reduce.h"
#include "mtc_softmax.h"

#endif
