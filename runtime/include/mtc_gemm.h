/* microtc runtime: gemm kernels (declarations filled in by the kernel family's author). */
#ifndef MTC_GEMM_H
#define MTC_GEMM_H

#include <stdint.h>

#include "mtc_activation.h"

#endif
