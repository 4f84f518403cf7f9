/* microtc runtime: conv kernels (declarations filled in by the kernel family's author). */
#ifndef MTC_CONV_H
#define MTC_CONV_H

#include <stdint.h>

#include "mtc_activation.h"

#endif
