/* QEMU TCG plugin: exact count of executed guest instructions, with a snapshot of the running
 * total each time the translation block at a marker address starts.
 *
 *   -plugin microtc-qemu-insn.so,marker=0x1234,out=/path/counts.txt[,profile=/path/blocks.txt]
 *
 * With `profile`, every translation block's start address, instruction count and execution count
 * are written there too (lines "ADDR INSNS EXECS", hex address), for a per-function profile.
 * At exit, `out` receives one line per marker hit (the total before that marker block ran) and a
 * final line "total N". Counting is a per-TB inline add, so it is exact and identical run to run.
 * Debian's QEMU 7.2 loads API version 1 plugins but ships no qemu-plugin.h, so the few API calls
 * used are declared here with the signatures of that version. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;

enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS = 0 };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 = 0 };

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op, void *ptr,
                                              uint64_t imm);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

/* The boards are single-core, so one counter suffices. */
static uint64_t insn_count;
static uint64_t marker_addr;
static int have_marker;
static char *out_path;
static uint64_t *hits;
static size_t n_hits, cap_hits;
static char *profile_path;

/* Per translation block address: a block retranslated at the same address adds to the same entry. */
typedef struct {
  uint64_t vaddr, insns, execs;
} block_entry;
static block_entry *blocks;
static size_t n_blocks, cap_blocks;

static block_entry *block_for(uint64_t vaddr, uint64_t insns) {
  size_t i;
  for (i = n_blocks; i-- > 0;)
    if (blocks[i].vaddr == vaddr && blocks[i].insns == insns) return &blocks[i];
  if (n_blocks == cap_blocks) {
    /* entries must not move: the inline adds hold their addresses */
    return NULL;
  }
  blocks[n_blocks].vaddr = vaddr;
  blocks[n_blocks].insns = insns;
  blocks[n_blocks].execs = 0;
  return &blocks[n_blocks++];
}

/* Whether this runs before or after the marker block's own inline add is the same at every hit, so
 * differences between snapshots are exact either way. */
static void on_marker(unsigned int vcpu_index, void *userdata) {
  (void)vcpu_index;
  (void)userdata;
  if (n_hits == cap_hits) {
    size_t cap = cap_hits ? 2 * cap_hits : 1024;
    uint64_t *grown = realloc(hits, cap * sizeof *hits);
    if (!grown) return;
    hits = grown;
    cap_hits = cap;
  }
  hits[n_hits++] = insn_count;
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  /* Thumb addresses: the low bit of a function pointer is not part of the PC. */
  if (have_marker && qemu_plugin_tb_vaddr(tb) == (marker_addr & ~(uint64_t)1))
    qemu_plugin_register_vcpu_tb_exec_cb(tb, on_marker, QEMU_PLUGIN_CB_NO_REGS, NULL);
  qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &insn_count,
                                           qemu_plugin_tb_n_insns(tb));
  if (profile_path) {
    block_entry *b = block_for(qemu_plugin_tb_vaddr(tb), qemu_plugin_tb_n_insns(tb));
    if (b) qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->execs, 1);
  }
}

static void on_plugin_exit(qemu_plugin_id_t id, void *userdata) {
  FILE *f;
  size_t i;
  (void)id;
  (void)userdata;
  f = out_path ? fopen(out_path, "w") : stderr;
  if (!f) return;
  for (i = 0; i < n_hits; ++i) fprintf(f, "%" PRIu64 "\n", hits[i]);
  fprintf(f, "total %" PRIu64 "\n", insn_count);
  if (f != stderr) fclose(f);
  if (profile_path && (f = fopen(profile_path, "w")) != NULL) {
    for (i = 0; i < n_blocks; ++i)
      if (blocks[i].execs)
        fprintf(f, "%" PRIx64 " %" PRIu64 " %" PRIu64 "\n", blocks[i].vaddr, blocks[i].insns, blocks[i].execs);
    if (n_blocks == cap_blocks) fprintf(f, "overflow\n");
    fclose(f);
  }
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                                               int argc, char **argv) {
  int i;
  (void)info;
  for (i = 0; i < argc; ++i) {
    const char *a = argv[i];
    if (strncmp(a, "marker=", 7) == 0) {
      char *end = NULL;
      marker_addr = strtoull(a + 7, &end, 0);
      if (!end || *end) {
        fprintf(stderr, "insn_count: bad marker address '%s'\n", a + 7);
        return -1;
      }
      have_marker = 1;
    } else if (strncmp(a, "out=", 4) == 0) {
      out_path = strdup(a + 4);
    } else if (strncmp(a, "profile=", 8) == 0) {
      profile_path = strdup(a + 8);
      cap_blocks = 1u << 16;
      blocks = calloc(cap_blocks, sizeof *blocks);
      if (!blocks) return -1;
    } else {
      fprintf(stderr, "insn_count: unknown argument '%s' (expected marker=ADDR, out=FILE, profile=FILE)\n", a);
      return -1;
    }
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
  qemu_plugin_register_atexit_cb(id, on_plugin_exit, NULL);
  return 0;
}
