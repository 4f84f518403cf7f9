/* Startup for the Cortex-M QEMU images (mps2-an386 / mps2-an500): vector table, reset handler
 * (copy .data, zero .bss, enable the FPU, call main) and fault handlers that report through
 * semihosting and exit with an error code, so a fault ends the run instead of hanging QEMU. */
#include <stdint.h>

#include "semihost.h"

extern uint32_t __data_load[], __data_start[], __data_end[], __bss_start__[], __bss_end__[];
extern uint32_t __stack_top[];
int main(void);

/* Exit codes of the fault handlers (main returns small codes; these stay clear of them). */
enum { kExitNmi = 120, kExitHardFault, kExitMemManage, kExitBusFault, kExitUsageFault, kExitOther };

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2Cu)

static void write_hex(const char *label, uint32_t v) {
  static const char digits[] = "0123456789abcdef";
  char buf[32];
  int i = 0, k;
  while (*label && i < 18) buf[i++] = *label++;
  for (k = 7; k >= 0; --k) buf[i++] = digits[(v >> (4 * k)) & 0xFu];
  buf[i++] = '\n';
  buf[i] = '\0';
  semihost_write(buf);
}

static void fault(const char *what, int code) {
  semihost_write("mtc: fault: ");
  semihost_write(what);
  semihost_write("\n");
  write_hex("mtc: CFSR 0x", SCB_CFSR);
  write_hex("mtc: HFSR 0x", SCB_HFSR);
  semihost_exit(code);
}

void Reset_Handler(void) {
  uint32_t *src = __data_load, *dst = __data_start;
  /* The FPU first: hard-float code (main, libm) traps with a UsageFault while it is off. */
  SCB_CPACR |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
  while (dst < __data_end) *dst++ = *src++;
  for (dst = __bss_start__; dst < __bss_end__;) *dst++ = 0;
  semihost_exit(main());
}

static void nmi_handler(void) { fault("NMI", kExitNmi); }
static void hard_fault_handler(void) { fault("HardFault", kExitHardFault); }
static void mem_manage_handler(void) { fault("MemManage", kExitMemManage); }
static void bus_fault_handler(void) { fault("BusFault", kExitBusFault); }
static void usage_fault_handler(void) { fault("UsageFault", kExitUsageFault); }
static void default_handler(void) { fault("unexpected exception", kExitOther); }

typedef void (*vector_fn)(void);

/* Initial SP and the 15 system exceptions; the images enable no interrupts. */
__attribute__((section(".isr_vector"), used)) static const vector_fn vector_table[16] = {
    (vector_fn)(uintptr_t)__stack_top,
    Reset_Handler,
    nmi_handler,
    hard_fault_handler,
    mem_manage_handler,
    bus_fault_handler,
    usage_fault_handler,
    default_handler, default_handler, default_handler, default_handler, /* reserved */
    default_handler,                                                   /* SVCall */
    default_handler,                                                   /* DebugMon */
    default_handler,                                                   /* reserved */
    default_handler,                                                   /* PendSV */
    default_handler,                                                   /* SysTick */
};

/* Referenced by newlib when linked with -nostartfiles; the images have no constructors. */
void _init(void) {}
void _fini(void) {}
