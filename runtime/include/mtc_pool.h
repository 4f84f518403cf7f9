/* microtc runtime: pool kernels (declarations filled in by the kernel family's author). */
#ifndef MTC_POOL_H
#define MTC_POOL_H

#include <stdint.h>

#include "mtc_activation.h"

#endif
