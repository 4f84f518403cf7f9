/* Minimal ARM semihosting (bkpt 0xAB) for the QEMU boards: console output and exit with a code.
 * Own implementation so images need no rdimon library and no host file I/O. */
#ifndef MTC_SEMIHOST_H
#define MTC_SEMIHOST_H

/* Writes a NUL-terminated string to the host console (SYS_WRITE0). */
void semihost_write(const char *s);

/* Ends the emulation; QEMU exits with `code` (SYS_EXIT_EXTENDED, falling back to SYS_EXIT). */
void semihost_exit(int code) __attribute__((noreturn));

#endif
