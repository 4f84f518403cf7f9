/* microtc runtime: norm kernels (declarations filled in by the kernel family's author). */
#ifndef MTC_NORM_H
#define MTC_NORM_H

#include <stdint.h>

#include "mtc_activation.h"

#endif
