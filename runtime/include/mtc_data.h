/* microtc runtime: data kernels (declarations filled in by the kernel family's author). */
#ifndef MTC_DATA_H
#define MTC_DATA_H

#include <stdint.h>

#include "mtc_activation.h"

#endif
