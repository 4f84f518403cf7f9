/* Whether the int8 kernels use the Arm DSP extension (SMLAD, SXTB16, ...: Cortex-M4/M7/M33).
 * Kernels test MTC_HAVE_SIMD32 and keep a plain C path that gives the same integers. Defining
 * MTC_PORTABLE_KERNELS forces the plain C paths everywhere: the benchmarks build that way to
 * measure what the DSP paths gain. */
#ifndef MTC_SIMD_H
#define MTC_SIMD_H

#include <stdint.h>

/* Keeps rarely run code out of hot functions (smaller code; no effect on results). */
#if defined(__GNUC__)
#define MTC_NOINLINE __attribute__((noinline))
#else
#define MTC_NOINLINE
#endif

/* A state the compiler rules out (a kernel called without what its layer needs): stop rather than
 * compute wrong numbers. */
#if defined(__GNUC__)
#define MTC_UNREACHABLE() __builtin_trap()
#else
#define MTC_UNREACHABLE() \
  for (;;) {            \
  }
#endif

/* Keeps GCC from turning short copy and fill loops into calls of memcpy/memset, which cost more
 * than the loops for the few bytes kernels copy (no effect on results). */
#if defined(__GNUC__) && !defined(__clang__)
#define MTC_NO_LOOP_LIBCALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define MTC_NO_LOOP_LIBCALLS
#endif

/* Kernels that run once an inference over a few values (a classifier's softmax, the input's
 * quantization, a global pool): compiled for size, where their instructions barely count (no
 * effect on results: the same operations in the same order). */
#if defined(__GNUC__) && !defined(__clang__)
#define MTC_OPTIMIZE_SIZE __attribute__((optimize("Os")))
#else
#define MTC_OPTIMIZE_SIZE
#endif

#if defined(__ARM_FEATURE_SIMD32) && __ARM_FEATURE_SIMD32 && !defined(MTC_PORTABLE_KERNELS)
#include <arm_acle.h>
#define MTC_HAVE_SIMD32 1

/* floor((a * b + 2^31) / 2^32), one SMMULR; the same in C on other cores (below). */
static inline int32_t mtc_smmulr(int32_t a, int32_t b) {
#if defined(__GNUC__)
  int32_t r;
  __asm__("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
#else
  return (int32_t)(((int64_t)a * b + ((int64_t)1 << 31)) >> 32);
#endif
}

/* floor((a * b + 2^31) / 2^32) + c, one SMMLAR (exact: a 64-bit accumulate of c * 2^32). */
static inline int32_t mtc_smmlar(int32_t a, int32_t b, int32_t c) {
#if defined(__GNUC__)
  int32_t r;
  __asm__("smmlar %0, %1, %2, %3" : "=r"(r) : "r"(a), "r"(b), "r"(c));
  return r;
#else
  return (int32_t)((((int64_t)c << 32) + (int64_t)a * b + ((int64_t)1 << 31)) >> 32);
#endif
}

/* Bytes 1 and 3 of v as two sign-extended halfwords: SXTB16 with its rotate operand, which GCC 12
 * does not fold from a C rotate. */
static inline int32_t mtc_sxtb16_ror8(uint32_t v) {
#if defined(__GNUC__)
  int32_t r;
  __asm__("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  return r;
#else
  return __sxtb16((int32_t)((v >> 8) | (v << 24)));
#endif
}

/* The low halfword of lo and the low halfword of hi as (lo, hi): PKHBT, which GCC 12 builds from the
 * C form with two instructions. */
static inline uint32_t mtc_pkhbt16(uint32_t lo, uint32_t hi) {
#if defined(__GNUC__)
  uint32_t r;
  __asm__("pkhbt %0, %1, %2, lsl #16" : "=r"(r) : "r"(lo), "r"(hi));
  return r;
#else
  return (lo & 0xffffu) | (hi << 16);
#endif
}

/* The high halfword of lo and the high halfword of hi as (lo, hi): PKHTB. */
static inline uint32_t mtc_pkhtb16(uint32_t hi, uint32_t lo) {
#if defined(__GNUC__)
  uint32_t r;
  __asm__("pkhtb %0, %1, %2, asr #16" : "=r"(r) : "r"(hi), "r"(lo));
  return r;
#else
  return (hi & 0xffff0000u) | (lo >> 16);
#endif
}
#else
static inline int32_t mtc_smmulr(int32_t a, int32_t b) { return (int32_t)(((int64_t)a * b + ((int64_t)1 << 31)) >> 32); }
#endif

#endif
