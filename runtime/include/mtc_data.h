/* microtc runtime: data-movement kernels (Transpose, Slice, Concat, Pad, Expand, Gather, Cast, ...).
 * They move elements of any type: sizes are given in bytes per element, shapes and strides in
 * elements. */
#ifndef MTC_DATA_H
#define MTC_DATA_H

#include <stdint.h>

#include "mtc_activation.h"

/* Element type codes of mtc_cast (the compiler's DType numbering). bool is one byte, 0 or 1. */
enum mtc_dtype {
  MTC_DTYPE_F32 = 1,
  MTC_DTYPE_F64 = 2,
  MTC_DTYPE_I8 = 3,
  MTC_DTYPE_U8 = 4,
  MTC_DTYPE_I16 = 5,
  MTC_DTYPE_I32 = 6,
  MTC_DTYPE_I64 = 7,
  MTC_DTYPE_BOOL = 8
};

/* For every index i of `shape` (rank >= 0; rank 0 copies one element):
 * dst[sum i_d * dst_strides[d]] = src[sum i_d * src_strides[d]]. Source strides may be 0 or negative
 * (src then points at the first element read). src and dst must not overlap. */
void mtc_copy_nd(const void *src, void *dst, int32_t elem_size, int32_t rank, const int32_t *shape,
                 const int32_t *src_strides, const int32_t *dst_strides);

/* Writes n copies of the elem_size-byte element at `value` to dst. */
void mtc_fill(void *dst, const void *value, int32_t elem_size, int32_t n);

/* Like mtc_copy_nd with a contiguous destination, but axis d reads source index maps[off_d + i_d]
 * (off_d = shape[0] + ... + shape[d-1]) instead of i_d: reflect/edge padding. Every map entry must be
 * a valid source index. */
void mtc_remap_nd(const void *src, void *dst, int32_t elem_size, int32_t rank, const int32_t *shape,
                  const int32_t *src_strides, const int32_t *maps);

/* Gather along one axis of data viewed as [outer, axis_dim, inner]:
 * dst[o, j, :] = data[o, indices[j], :] for j < n_indices. Indices are int32 (index_size 4) or int64
 * (index_size 8); negative ones count from the end. Out-of-range indices (an error in ONNX) write zeros. */
void mtc_gather(const void *data, const void *indices, int32_t index_size, void *dst, int32_t elem_size,
                int32_t outer, int32_t axis_dim, int32_t n_indices, int32_t inner);

/* Converts n elements between mtc_dtype types. Float to integer truncates toward zero; NaN gives 0
 * and out-of-range values saturate. Integer narrowing wraps. Any value != 0 becomes bool 1. */
void mtc_cast(const void *src, int32_t src_type, void *dst, int32_t dst_type, int32_t n);

#endif
