/* ARM semihosting calls used by the Cortex-M images: SYS_WRITE0 and SYS_EXIT(_EXTENDED). */
#include "semihost.h"

#include <stdint.h>

enum {
  kSysWrite0 = 0x04,
  kSysExit = 0x18,
  kSysExitExtended = 0x20,
  kAdpStoppedApplicationExit = 0x20026,
  kAdpStoppedRunTimeErrorUnknown = 0x20023
};

static int semihost_call(int op, const void *arg) {
  register int r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xAB" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void semihost_write(const char *s) { semihost_call(kSysWrite0, s); }

void semihost_exit(int code) {
  /* SYS_EXIT on 32-bit ARM carries only a reason, so a non-zero code needs the extended call. */
  uint32_t block[2];
  block[0] = kAdpStoppedApplicationExit;
  block[1] = (uint32_t)code;
  semihost_call(kSysExitExtended, block);
  semihost_call(kSysExit, (const void *)(uintptr_t)(code == 0 ? kAdpStoppedApplicationExit
                                                               : kAdpStoppedRunTimeErrorUnknown));
  for (;;) {
  }
}
