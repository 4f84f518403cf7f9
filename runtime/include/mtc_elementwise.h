/* microtc runtime: elementwise kernels (declarations filled in by the kernel family's author). */
#ifndef MTC_ELEMENTWISE_H
#define MTC_ELEMENTWISE_H

#include <stdint.h>

#include "mtc_activation.h"

#endif
