/* mtc_qconv2d_s8_panel: int8 convolution (group 1, weight zero points 0) as a matrix product of the
 * weights [oc][k4] with an im2col panel built for MTC_QCONV_PANEL_TILE output positions of one output
 * row at a time (a constant, so panel offsets are immediates in the inner loop).
 *
 * The panel holds, for each pair of taps (k, k + 1) and each position t, the two input values as
 * one int16 pair: panel[(k / 2 * TILE + t) * 2 + (k & 1)]. Filling it copies along an input row (the
 * positions of one tap are a strided run of the row), so the cost per value is a few instructions
 * shared by every output channel. Padding reads x_zp and the input zero point is folded into the
 * bias by the compiler: sum (x - x_zp) * w + b = sum x * w + (b - x_zp * sum w).
 *
 * Weights are k4 per output channel (k4 = c * kh * kw rounded up to four with zero taps) and
 * channels 2i, 2i + 1 are interleaved by tap pairs: a_k, b_k, a_k+1, b_k+1. SXTB16 of one 32-bit
 * load gives channel a's pair (a_k, a_k+1), SXTB16 of it rotated by 8 channel b's, matching the
 * panel's pairs for SMLAD; a last odd channel is paired with zero weights. The inner loop computes
 * 2 output channels x 4 positions, 16 multiply-adds per tap pair from one weight load, two SXTB16
 * and two LDRD of panel values. The plain C path (no DSP extension) reads the same layout and
 * gives the same integers. */
#include <string.h>

#include "mtc_qnn.h"
#include "mtc_simd.h"

#define TILE MTC_QCONV_PANEL_TILE

/* Longest run of one input row that a segment's windows read through a padded copy (pad_run8);
 * this run is the panel_fill_row_any contract's (mtc_qnn.h). */
#define SEG_MAX MTC_QCONV_PANEL_RUN_MAX

#ifdef MTC_HAVE_SIMD32
static inline uint32_t load_u32(const void *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}
#endif

/* Three taps (a 3-wide window at stride 1) of one row for positions 0..TILE-1, from its run of ten
 * values `first`, mid[0..7], `last`: at a left or right border of a window padded by one, first or
 * last is x_zp and the row is read in place all the same. */
static void row3_taps(const int8_t *mid, int32_t first, int32_t last, int16_t *d0, int16_t *d1, int16_t *d2) {
  /* in two halves, so the values stay in registers */
  {
    const int16_t v0 = (int16_t)first, v1 = mid[0], v2 = mid[1], v3 = mid[2], v4 = mid[3], v5 = mid[4];
    d0[0] = v0, d0[2] = v1, d0[4] = v2, d0[6] = v3;
    d1[0] = v1, d1[2] = v2, d1[4] = v3, d1[6] = v4;
    d2[0] = v2, d2[2] = v3, d2[4] = v4, d2[6] = v5;
  }
  {
    const int16_t v4 = mid[3], v5 = mid[4], v6 = mid[5], v7 = mid[6], v8 = mid[7], v9 = (int16_t)last;
    d0[8] = v4, d0[10] = v5, d0[12] = v6, d0[14] = v7;
    d1[8] = v5, d1[10] = v6, d1[12] = v7, d1[14] = v8;
    d2[8] = v6, d2[10] = v7, d2[12] = v8, d2[14] = v9;
  }
}

/* Values ix_first .. ix_first + len - 1 of an input row as int8, x_zp where they fall outside it
 * (everywhere when `row` is NULL): a border row of a whole tile then fills like an inside one. */
MTC_NO_LOOP_LIBCALLS static void pad_run8(const int8_t *row, int32_t width, int32_t ix_first, int32_t len, int32_t x_zp,
                                          int8_t *run) {
  int32_t i, lo = row ? -ix_first : len, hi = row ? width - ix_first : len;
  if (lo < 0) lo = 0;
  if (lo > len) lo = len;
  if (hi > len) hi = len;
  if (hi < lo) hi = lo;
  for (i = 0; i < lo; ++i) run[i] = (int8_t)x_zp;
  for (; i + 4 <= hi; i += 4) memcpy(run + i, row + ix_first + i, 4);
  for (; i < hi; ++i) run[i] = row[ix_first + i];
  for (; i < len; ++i) run[i] = (int8_t)x_zp;
}


/* A row the kernel's own fill does not cover, through the generated code's general fill. */
MTC_NOINLINE static int32_t fill_row_other(const mtc_qconv_panel_params *pp, const int8_t *row, int32_t ix_first,
                                          int32_t n, int16_t *panel, int32_t k) {
  const mtc_conv2d_params *p = &pp->p;
  if (!pp->helpers || !pp->helpers->fill_other) MTC_UNREACHABLE();
  return pp->helpers->fill_other(row, p->w, ix_first, p->kw, p->stride_w, p->dilation_w, pp->x_zp, n, panel, k);
}

/* Positions 0..n-1 of the panel from output row oy, columns ox0.. (n <= TILE); `panel` points at
 * the segment's first position. Border rows of a whole tile read a padded int8 copy of their run
 * (pad_run8) like inside rows; rows of partial tiles at a border, long or dilated runs go to the
 * generated code's general fill (fill_row_other). */
MTC_NOINLINE static void fill_segment(const mtc_qconv_panel_params *pp, const int8_t *xn, int32_t oy, int32_t ox0,
                                      int32_t n, int16_t *panel) {
  const mtc_conv2d_params *p = &pp->p;
  const int32_t x_zp = pp->x_zp;
  const int32_t plane = p->h * p->w, sw = p->stride_w, dw = p->dilation_w;
  const int32_t iy0 = oy * p->stride_h - p->pad_top, ix_first = ox0 * sw - p->pad_left;
  /* the run of a row the segment's windows read, and whether it lies wholly inside the row */
  const int32_t len = (n - 1) * sw + (p->kw - 1) * dw + 1;
  const int inside = ix_first >= 0 && ix_first + len <= p->w;
  const int row3 = n == TILE && sw == 1 && p->kw == 3 && dw == 1;
  const int whole_tile = n == TILE && dw == 1 && len <= SEG_MAX;
  /* row3 at a border: the run starts at most one column left of the row and ends at most one right */
  const int edge3 = row3 && ix_first >= -1 && ix_first + TILE + 2 <= p->w + 1 && p->w >= TILE;
  int8_t run[SEG_MAX];
  int32_t k = 0, ic, ky, kx, t;
  for (ic = 0; ic < p->c; ++ic) {
    for (ky = 0; ky < p->kh; ++ky) {
      const int32_t iy = iy0 + ky * p->dilation_h;
      const int8_t *row = iy >= 0 && iy < p->h ? xn + ic * plane + iy * p->w : NULL;
      if (row3) {
        /* a 3-wide window: ten values, read in place inside the row or padded by at most one
         * column (the first or last then x_zp), otherwise from a padded copy */
        const int8_t *mid;
        int32_t first, last;
        if (row && inside) {
          mid = row + ix_first + 1, first = mid[-1], last = mid[TILE];
        } else if (row && edge3) {
          mid = row + ix_first + 1;
          first = ix_first >= 0 ? mid[-1] : x_zp;
          last = ix_first + TILE + 2 <= p->w ? mid[TILE] : x_zp;
        } else {
          pad_run8(row, p->w, ix_first, len, x_zp, run);
          mid = run + 1, first = run[0], last = run[TILE + 1];
        }
        row3_taps(mid, first, last, panel + (k >> 1) * TILE * 2 + (k & 1),
                  panel + ((k + 1) >> 1) * TILE * 2 + ((k + 1) & 1), panel + ((k + 2) >> 1) * TILE * 2 + (k & 1));
        k += 3;
        continue;
      }
      if ((row && inside) || whole_tile) {
        const int8_t *s = row && inside ? row + ix_first : run;
        if (!(row && inside)) pad_run8(row, p->w, ix_first, len, x_zp, run);
        for (kx = 0; kx < p->kw; ++kx, ++k, s += dw) {
          int16_t *dst = panel + (k >> 1) * TILE * 2 + (k & 1);
          if (n == TILE) {
            dst[0] = s[0], dst[2] = s[sw], dst[4] = s[2 * sw], dst[6] = s[3 * sw];
            dst[8] = s[4 * sw], dst[10] = s[5 * sw], dst[12] = s[6 * sw], dst[14] = s[7 * sw];
          } else {
            for (t = 0; t < n; ++t) dst[2 * t] = s[t * sw];
          }
        }
      } else {
        k = fill_row_other(pp, row, ix_first, n, panel, k);
      }
    }
  }
}

/* The panel of output positions pos0..pos0+nt-1 of the flattened output plane: a tile may span
 * several output rows, so narrow outputs still fill whole tiles. */
static void fill_panel(const mtc_qconv_panel_params *pp, const int8_t *xn, int32_t pos0, int32_t nt, int16_t *panel) {
  const mtc_conv2d_params *p = &pp->p;
  const int32_t k_real = p->c * p->kh * p->kw;
  int32_t t0 = 0, k, t;
  if (nt == TILE && pp->helpers && pp->helpers->fill_whole) {
    pp->helpers->fill_whole(xn + pos0, p->h * p->w, p->c, panel);
    t0 = nt;
  }
  while (t0 < nt) {
    const int32_t oy = (pos0 + t0) / p->ow, ox0 = (pos0 + t0) - oy * p->ow;
    const int32_t n = nt - t0 < p->ow - ox0 ? nt - t0 : p->ow - ox0;
    fill_segment(pp, xn, oy, ox0, n, panel + 2 * t0);
    t0 += n;
  }
  /* zero taps (k >= c * kh * kw) have zero weights: any value will do */
  for (k = k_real; k < pp->k4; ++k)
    for (t = 0; t < nt; ++t) panel[(k >> 1) * TILE * 2 + (k & 1) + 2 * t] = (int16_t)pp->x_zp;
}

#ifdef MTC_HAVE_SIMD32
static inline int32_t load_pair(const int16_t *p) {
  int32_t v;
  memcpy(&v, p, 4);
  return v;
}
#endif

/* acc_a/acc_b += taps . weights of the channel pair at one position (panel column `col`, tap
 * pairs 2 * TILE int16 apart): the rare positions that do not fill a block of four. */
MTC_NOINLINE static void mac_2x1(const int16_t *col, const int8_t *w, int32_t k4, int32_t acc[2]) {
  int32_t j;
  for (j = 0; j < k4; j += 2, col += 2 * TILE, w += 4) {
#ifdef MTC_HAVE_SIMD32
    uint32_t raw;
    const int32_t x = load_pair(col);
    memcpy(&raw, w, 4);
    acc[0] = __smlad(x, __sxtb16((int32_t)raw), acc[0]);
    acc[1] = __smlad(x, mtc_sxtb16_ror8(raw), acc[1]);
#else
    acc[0] += col[0] * w[0] + col[1] * w[2];
    acc[1] += col[0] * w[1] + col[1] * w[3];
#endif
  }
}

#if defined(MTC_HAVE_SIMD32) && defined(__GNUC__) && TILE == 8
/* One tap pair of two channels x four positions: the pair's four weight bytes (a_k, b_k, a_k+1,
 * b_k+1) give both channels' int16 pairs by SXTB16 with and without rotate (r3, r2); two LDRD
 * bring the four positions' input pairs (r12, lr). Accumulators: channel a in r4-r7, b in r8-r11.
 * OFF is the tap pair's byte offset in the panel (2 * TILE int16 = 32 bytes per pair). 13
 * instructions per 16 multiply-adds. */
#define MTC_PANEL_PAIR(OFF)                                                                                \
  "ldr    r2, [r1], #4\n\t"                                                                          \
  "ldrd   r12, lr, [r0, #" #OFF "]\n\t"                                                               \
  "sxtb16 r3, r2\n\t"                                                                                \
  "sxtb16 r2, r2, ror #8\n\t"                                                                        \
  "smlad  r4, r12, r3, r4\n\t"                                                                       \
  "smlad  r5, lr, r3, r5\n\t"                                                                        \
  "smlad  r8, r12, r2, r8\n\t"                                                                       \
  "smlad  r9, lr, r2, r9\n\t"                                                                        \
  "ldrd   r12, lr, [r0, #" #OFF " + 8]\n\t"                                                           \
  "smlad  r6, r12, r3, r6\n\t"                                                                       \
  "smlad  r7, lr, r3, r7\n\t"                                                                        \
  "smlad  r10, r12, r2, r10\n\t"                                                                     \
  "smlad  r11, lr, r2, r11\n\t"

/* The k4 taps of one block of two channels x four positions into r4-r11 (the accumulators, already
 * holding the biases): r0 the block's first panel column, r1 the pair's weights, r2 k4; the loop
 * bound (w + 2 * k4) waits at [sp, #4]. 32 taps per loop turn; the first turn enters the loop body
 * where the tap pairs left over beyond whole turns begin (a table branch, r0 moved back by the
 * pairs skipped), so one copy of the body serves every k4. */
#define MTC_PANEL_KLOOP                                                                                 \
  "lsrs   r12, r2, #1\n\t"                                                                           \
  "and    r12, r12, #15\n\t"                                                                         \
  "rsb    r12, r12, #16\n\t"                                                                         \
  "and    r12, r12, #15\n\t"                                                                         \
  "sub    r0, r0, r12, lsl #5\n\t"                                                                   \
  "lsrs   r12, r12, #1\n\t"                                                                          \
  "tbh    [pc, r12, lsl #1]\n\t"                                                                     \
  "9:\n\t"                                                                                          \
  ".hword (30f - 9b) / 2, (32f - 9b) / 2, (34f - 9b) / 2, (36f - 9b) / 2\n\t"                         \
  ".hword (38f - 9b) / 2, (40f - 9b) / 2, (42f - 9b) / 2, (44f - 9b) / 2\n\t"                         \
  "3:\n\t"                                                                                          \
  "30:\n\t" MTC_PANEL_PAIR(0) MTC_PANEL_PAIR(32) "32:\n\t" MTC_PANEL_PAIR(64) MTC_PANEL_PAIR(96)      \
  "34:\n\t" MTC_PANEL_PAIR(128) MTC_PANEL_PAIR(160) "36:\n\t" MTC_PANEL_PAIR(192) MTC_PANEL_PAIR(224) \
  "38:\n\t" MTC_PANEL_PAIR(256) MTC_PANEL_PAIR(288) "40:\n\t" MTC_PANEL_PAIR(320) MTC_PANEL_PAIR(352) \
  "42:\n\t" MTC_PANEL_PAIR(384) MTC_PANEL_PAIR(416) "44:\n\t" MTC_PANEL_PAIR(448) MTC_PANEL_PAIR(480) \
  "adds   r0, r0, #512\n\t"                                                                          \
  "ldr    r12, [sp, #4]\n\t"                                                                         \
  "cmp    r1, r12\n\t"                                                                               \
  "bne    3b\n\t"

/* Every block of four positions of a pass for one channel pair, requantized in the high-multiply
 * mode with the whole int8 range as clamp (one SMMLAR and one SSAT per output) and stored: the
 * per-block work that a call per block and a requantization in C cost about 80 instructions for
 * is 50 here. With `acc` set, one block's raw accumulators go there instead (the other modes).
 * The eight accumulators need all 14 allocatable registers, r7 included, which inline assembly
 * operands cannot have when r7 is the frame pointer (-O0, -fno-omit-frame-pointer): a naked
 * function saves and restores them itself and builds the same at every option. The job's fields
 * are read by offset in the assembly: keep the layout. */
typedef struct {
  const int16_t *col;      /*  0: the next block's first panel column */
  int32_t step, step_next; /*  4,  8: bytes to the next block's column (alternating: a tile holds two) */
  const int8_t *w;         /* 12: the pair's weights */
  int32_t k4;              /* 16 */
  const int8_t *w_end;     /* 20: w + 2 * k4 */
  int32_t bias_a, bias_b;  /* 24, 28 */
  int32_t m_a, m_b;        /* 32, 36: high-multiply multipliers */
  int32_t zp;              /* 40: output zero point */
  int8_t *ya, *yb;         /* 44, 48: the next block's outputs of channels a and b */
  int32_t blocks;          /* 52: at least 1 */
  int32_t *acc;            /* 56: NULL, or where one block's accumulators go unrequantized */
  /* with acc NULL, the pairs that follow this one (w_end is the next pair's weights) */
  int32_t pairs;           /* 60: pairs left after this one */
  const int32_t *bias;     /* 64: the next pair's biases */
  const int32_t *mult;     /* 68: the next pair's multipliers */
  int8_t *y_next;          /* 72: the next pair's channel a outputs */
  int32_t y_step;          /* 76: from channel a's outputs to b's (half a pair's) */
  const int16_t *col0;     /* 80: the first block's column, and the steps at its start */
  int32_t blocks0;         /* 84 */
  int32_t step0, step_next0; /* 88, 92 */
} panel_job;

#define MTC_ASM_ARG __attribute__((unused)) /* read by the assembly in r0 */
__attribute__((naked)) static void run_blocks(MTC_ASM_ARG panel_job *job) {
  __asm__ volatile(
      "push   {r4-r11, lr}\n\t"
      "ldr    r12, [r0, #20]\n\t"
      "push   {r0, r12}\n\t"
      "1:\n\t"
      "ldr    r12, [sp]\n\t"
      "ldr    r0, [r12, #0]\n\t"
      "ldrd   r1, r2, [r12, #12]\n\t"
      "ldrd   r4, r8, [r12, #24]\n\t"
      "mov    r5, r4\n\t"
      "mov    r6, r4\n\t"
      "mov    r7, r4\n\t"
      "mov    r9, r8\n\t"
      "mov    r10, r8\n\t"
      "mov    r11, r8\n\t" MTC_PANEL_KLOOP
      "ldr    r12, [sp]\n\t"
      "ldr    r0, [r12, #56]\n\t"
      "cmp    r0, #0\n\t"
      "bne    6f\n\t"
      "ldrd   r0, r1, [r12, #32]\n\t"
      "ldr    r2, [r12, #40]\n\t"
      "smmlar r4, r4, r0, r2\n\t"
      "smmlar r5, r5, r0, r2\n\t"
      "smmlar r6, r6, r0, r2\n\t"
      "smmlar r7, r7, r0, r2\n\t"
      "smmlar r8, r8, r1, r2\n\t"
      "smmlar r9, r9, r1, r2\n\t"
      "smmlar r10, r10, r1, r2\n\t"
      "smmlar r11, r11, r1, r2\n\t"
      "ldrd   r0, r1, [r12, #44]\n\t"
      "ssat   r4, #8, r4\n\t"
      "ssat   r5, #8, r5\n\t"
      "ssat   r6, #8, r6\n\t"
      "ssat   r7, #8, r7\n\t"
      "ssat   r8, #8, r8\n\t"
      "ssat   r9, #8, r9\n\t"
      "ssat   r10, #8, r10\n\t"
      "ssat   r11, #8, r11\n\t"
      "strb   r4, [r0]\n\t"
      "strb   r5, [r0, #1]\n\t"
      "strb   r6, [r0, #2]\n\t"
      "strb   r7, [r0, #3]\n\t"
      "strb   r8, [r1]\n\t"
      "strb   r9, [r1, #1]\n\t"
      "strb   r10, [r1, #2]\n\t"
      "strb   r11, [r1, #3]\n\t"
      "adds   r0, r0, #4\n\t"
      "adds   r1, r1, #4\n\t"
      "strd   r0, r1, [r12, #44]\n\t"
      "ldm    r12, {r0, r1, r2}\n\t"
      "add    r0, r0, r1\n\t"
      "str    r0, [r12, #0]\n\t"
      "strd   r2, r1, [r12, #4]\n\t"
      "ldr    r0, [r12, #52]\n\t"
      "subs   r0, r0, #1\n\t"
      "str    r0, [r12, #52]\n\t"
      "bne    1b\n\t"
      /* the next pair: weights, biases, multipliers, outputs, and the pass's blocks again */
      "ldr    r0, [r12, #60]\n\t"
      "subs   r0, r0, #1\n\t"
      "bmi    7f\n\t"
      "str    r0, [r12, #60]\n\t"
      "ldrd   r1, r2, [r12, #16]\n\t"
      "str    r2, [r12, #12]\n\t"
      "add    r2, r2, r1, lsl #1\n\t"
      "str    r2, [r12, #20]\n\t"
      "str    r2, [sp, #4]\n\t"
      "ldr    r0, [r12, #64]\n\t"
      "ldrd   r1, r2, [r0], #8\n\t"
      "strd   r1, r2, [r12, #24]\n\t"
      "str    r0, [r12, #64]\n\t"
      "ldr    r0, [r12, #68]\n\t"
      "ldrd   r1, r2, [r0], #8\n\t"
      "strd   r1, r2, [r12, #32]\n\t"
      "str    r0, [r12, #68]\n\t"
      "ldrd   r0, r1, [r12, #72]\n\t"
      "add    r2, r0, r1\n\t"
      "strd   r0, r2, [r12, #44]\n\t"
      "add    r0, r2, r1\n\t"
      "str    r0, [r12, #72]\n\t"
      "ldrd   r0, r1, [r12, #80]\n\t"
      "str    r0, [r12, #0]\n\t"
      "str    r1, [r12, #52]\n\t"
      "ldrd   r0, r1, [r12, #88]\n\t"
      "strd   r0, r1, [r12, #4]\n\t"
      "b      1b\n\t"
      "7:\n\t"
      "pop    {r0, r12}\n\t"
      "pop    {r4-r11, pc}\n\t"
      "6:\n\t"
      "stm    r0, {r4-r11}\n\t"
      "b      7b\n\t");
}
#define MTC_PANEL_RUN_BLOCKS 1

/* A job for the blocks of one pass of np positions (np >= 4), starting at the pair whose weights
 * are w, with its biases, multipliers and outputs; pairs = 0 (the caller sets the next pairs'). */
static void blocks_job(panel_job *job, const int16_t *panel, int32_t tile_size, const int8_t *w, int32_t k4,
                       int32_t bias_a, int32_t bias_b, int32_t m_a, int32_t m_b, int32_t zp, int8_t *ya, int8_t *yb,
                       int32_t np) {
  job->col = job->col0 = panel, job->step = job->step0 = 4 * 4;
  job->step_next = job->step_next0 = 2 * tile_size - 4 * 4;
  job->w = w, job->k4 = k4, job->w_end = w + 2 * k4;
  job->bias_a = bias_a, job->bias_b = bias_b, job->m_a = m_a, job->m_b = m_b, job->zp = zp;
  job->ya = ya, job->yb = yb, job->blocks = job->blocks0 = np >> 2, job->acc = NULL, job->pairs = 0;
}

/* acc[0..3] (channel a, positions 0..3, all holding its bias) and acc[4..7] (channel b) += the k4
 * taps (col: the first position's column, w: the pair's interleaved weights). */
static void mac_2x4(const int16_t *col, const int8_t *w, int32_t k4, int32_t acc[8]) {
  panel_job job;
  job.col = col, job.step = job.step_next = 0;
  job.w = w, job.k4 = k4, job.w_end = w + 2 * k4;
  job.bias_a = acc[0], job.bias_b = acc[4];
  job.blocks = 1, job.acc = acc, job.pairs = 0;
  run_blocks(&job);
}
#else
static void mac_2x4(const int16_t *col, const int8_t *w, int32_t k4, int32_t acc[8]) {
  int32_t t, pair[2];
  for (t = 0; t < 4; ++t) {
    pair[0] = acc[t], pair[1] = acc[4 + t];
    mac_2x1(col + 2 * t, w, k4, pair);
    acc[t] = pair[0], acc[4 + t] = pair[1];
  }
}
#endif

void mtc_panel_pair_acc(const mtc_panel_pair *pr, int32_t t, int32_t acc[8]) {
  const int32_t nb = pr->np - t < 4 ? pr->np - t : 4;
  const int16_t *col = pr->panel + (t / TILE) * pr->tile_size + 2 * (t % TILE);
  int32_t u;
  acc[0] = acc[1] = acc[2] = acc[3] = pr->bias_a;
  acc[4] = acc[5] = acc[6] = acc[7] = pr->bias_b;
  if (nb == 4) {
    mac_2x4(col, pr->w, pr->k4, acc);
    return;
  }
  for (u = 0; u < nb; ++u) {
    int32_t pair[2];
    pair[0] = pr->bias_a, pair[1] = pr->bias_b;
    mac_2x1(col + 2 * u, pr->w, pr->k4, pair);
    acc[u] = pair[0], acc[4 + u] = pair[1];
  }
}

/* The Add of a residual over one channel's n results of a pass (y[t] = add(r[t], res[t]); res
 * may be y, r is the kernel's own buffer), with its constants: the residual entries pass both to
 * panel_run (an mtc_qadd_prepared for add_residual, mtc_qadd_sum_params for add_residual_sum). */
typedef void (*panel_residual_fn)(const int8_t *r, const int8_t *res, int8_t *y, int32_t n, const void *add);

MTC_NOINLINE MTC_OPTIMIZE_SIZE static void panel_run(const mtc_qconv_panel_params *pp, const int8_t *x, int8_t *y, int16_t *panel,
                                   const int8_t *res, const void *add, panel_residual_fn add_residual) {
  const mtc_conv2d_params *p = &pp->p;
  const int8_t *w = pp->w;
  const int32_t *bias = pp->bias;
  const mtc_requant *rq = &pp->rq;
  const mtc_panel_raw_fn raw_other = pp->helpers ? pp->helpers->raw_other : NULL;
  const int32_t k4 = pp->k4, plane_in = p->h * p->w, plane_out = p->oh * p->ow, span = TILE * pp->tiles;
  const int32_t tile_size = k4 * TILE;
  /* with a residual, a pass's results go to conv8 first (y may be the residual itself) */
  int8_t conv8[2][TILE * 8];
  int32_t n, pos;
  /* the whole layer in the high-multiply mode with the whole int8 range as clamp: one SMMLAR and
   * one SSAT an output (with the DSP extension, blocks of four positions run, requantize and store
   * in one assembly loop per channel pair; `sink` takes a last odd channel's zero-weight twin) */
  const int fast = mtc_requant_is_mulhi_int8(rq);
#ifdef MTC_PANEL_RUN_BLOCKS
  int8_t sink[TILE * 8];
#endif
  mtc_panel_pair pr;
  if (!fast && !raw_other) MTC_UNREACHABLE();
  pr.tile_size = tile_size, pr.k4 = k4, pr.rq = rq;
  for (n = 0; n < p->n; ++n) {
    const int8_t *xn = x + n * p->c * plane_in;
    int8_t *yn = y + n * p->oc * plane_out;
    const int8_t *rn = res ? res + n * p->oc * plane_out : NULL;
    /* `tiles` panels of TILE positions each: a channel's set-up is shared by all of them */
    for (pos = 0; pos < plane_out; pos += span) {
      int32_t np = plane_out - pos < span ? plane_out - pos : span, pos0 = pos;
      int32_t oc, t, j;
      /* A last pass whose blocks of four end in a tail of 1-3 positions starts as many positions
       * earlier instead and computes them again (the same bytes), which costs less than the tail's
       * one-position loop; not with a residual, which may be the output itself. */
      if ((np & 3) && !rn && pos + np >= ((np + 3) & ~3)) {
        pos0 = pos + np - ((np + 3) & ~3);
        np = (np + 3) & ~3;
      }
#ifdef MTC_PANEL_RUN_BLOCKS
      int32_t oc_done = 0;
#endif
      for (j = 0; j * TILE < np; ++j)
        fill_panel(pp, xn, pos0 + j * TILE, np - j * TILE < TILE ? np - j * TILE : TILE, panel + j * tile_size);
#ifdef MTC_PANEL_RUN_BLOCKS
      /* the blocks of every whole pair in one call when nothing follows them per pair */
      if (fast && np >= 4 && !rn && rq->per_channel && p->oc >= 2) {
        panel_job job;
        blocks_job(&job, panel, tile_size, w, k4, bias[0], bias[1], rq->multiplier[0], rq->multiplier[1],
                   rq->out_zero_point, yn + pos0, yn + plane_out + pos0, np);
        job.bias = bias + 2, job.mult = rq->multiplier + 2;
        job.y_next = yn + 2 * plane_out + pos0, job.y_step = plane_out, job.pairs = p->oc / 2 - 1;
        run_blocks(&job);
        oc_done = p->oc & ~1;
        if ((np & 3) == 0 && oc_done == p->oc) continue;
      }
#endif
      /* channel pairs; a last odd channel is paired with zero weights and its twin not stored */
      for (oc = 0; oc < p->oc; oc += 2) {
        const int8_t *wp = w + oc * k4; /* the pair's weights, interleaved by tap pairs */
        const int has_b = oc + 1 < p->oc;
        const int32_t at = oc * plane_out + pos0; /* the pair's first output */
        int8_t *ya = rn ? conv8[0] : yn + at, *yb = rn ? conv8[1] : yn + at + plane_out;
        const int32_t bias_a = bias[oc], bias_b = has_b ? bias[oc + 1] : 0;
        t = 0;
#ifdef MTC_PANEL_RUN_BLOCKS
        if (oc < oc_done) {
          t = np & ~3;
          if (t == np) goto pair_done;
        } else if (fast && np >= 4) {
          panel_job job;
          blocks_job(&job, panel, tile_size, wp, k4, bias_a, bias_b, rq->multiplier[rq->per_channel ? oc : 0],
                     has_b ? rq->multiplier[rq->per_channel ? oc + 1 : 0] : 0, rq->out_zero_point, ya,
                     has_b ? yb : sink, np);
          run_blocks(&job);
          t = np & ~3;
          if (t == np) goto pair_done;
        }
#endif
        /* the other requantizations, and tails: raw accumulators (the generated code passes the
         * function for layers that have them) */
        pr.panel = panel, pr.np = np, pr.t0 = t;
        pr.w = wp, pr.oc = oc, pr.bias_a = bias_a, pr.bias_b = bias_b, pr.ya = ya, pr.yb = has_b ? yb : NULL;
#ifdef MTC_PANEL_RUN_BLOCKS
        if (!raw_other) MTC_UNREACHABLE();
        raw_other(&pr);
#else
        if (raw_other)
          raw_other(&pr);
        else
          mtc_panel_raw_mulhi(&pr); /* without the block loop, every output of a high-multiply layer */
#endif
#ifdef MTC_PANEL_RUN_BLOCKS
      pair_done:
#endif
        if (rn) {
          add_residual(conv8[0], rn + at, yn + at, np, add);
          if (has_b) add_residual(conv8[1], rn + at + plane_out, yn + at + plane_out, np, add);
        }
      }
    }
  }
}

void mtc_qconv2d_s8_panel(const mtc_qconv_panel_params *pp, const int8_t *x, int8_t *y, int16_t *panel) {
  panel_run(pp, x, y, panel, NULL, NULL, NULL);
}

/* y[t] = add(r[t], res[t]) with the Add's constants in locals. */
static void add_residual(const int8_t *r, const int8_t *res, int8_t *y, int32_t n, const void *add_prepared) {
  const mtc_qadd_prepared *add = (const mtc_qadd_prepared *)add_prepared;
  int32_t t;
  if (add->quick) {
    const mtc_qadd_prepared a = *add;
    for (t = 0; t < n; ++t) y[t] = mtc_qadd_quick(&a, r[t], res[t]);
  } else {
    const mtc_requant_channel out = mtc_requant_for(&add->q->out, 0);
    for (t = 0; t < n; ++t) y[t] = mtc_qadd_one(add->q, &out, r[t], res[t]);
  }
}

/* The one-rounding Add on its own: a short entry for the many short calls (one per channel and
 * pass). */
static void add_residual_sum(const int8_t *r, const int8_t *res, int8_t *y, int32_t n, const void *add_sum) {
  mtc_qadd_sum((const mtc_qadd_sum_params *)add_sum, r, res, y, n);
}

void mtc_qconv2d_s8_panel_residual(const mtc_qconv_panel_params *pp, const int8_t *x, int8_t *y, int16_t *panel,
                                   const int8_t *res) {
  mtc_qadd_prepared prepared;
  mtc_qadd_prepare(&prepared, (const mtc_qbinary_params *)pp->add);
  if (prepared.sum)
    panel_run(pp, x, y, panel, res, &prepared.s, add_residual_sum);
  else
    panel_run(pp, x, y, panel, res, &prepared, add_residual);
}

void mtc_qconv2d_s8_panel_residual_sum(const mtc_qconv_panel_params *pp, const int8_t *x, int8_t *y, int16_t *panel,
                                       const int8_t *res) {
  panel_run(pp, x, y, panel, res, pp->add, add_residual_sum);
}
