/* microtc runtime: softmax kernels (declarations filled in by the kernel family's author). */
#ifndef MTC_SOFTMAX_H
#define MTC_SOFTMAX_H

#include <stdint.h>

#include "mtc_activation.h"

#endif
