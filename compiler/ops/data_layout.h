// Layout plans of the data-movement ops (Transpose, Slice, Pad, Expand, Concat): computed once from
// the node and its constant inputs, then used by shape inference, the reference evaluator and the
// emitters so the three cannot disagree.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

// dst[dst_offset + sum i_d * dst_strides[d]] = src[src_offset + sum i_d * src_strides[d]] for every
// index i in `shape`. Strides are in elements; source strides may be 0 (broadcast) or negative.
struct StridedCopy {
  Shape shape;
  std::vector<int64_t> src_strides, dst_strides;
  int64_t src_offset = 0, dst_offset = 0;
};

// The reference loop over a StridedCopy (any element type: it moves dtype_size bytes per element).
void run_strided_copy(const Value &src, Value &dst, const StridedCopy &c);
// Drops size-1 axes and merges axes that are contiguous in both source and destination, so kernels
// see the lowest rank (rank 0 = one element; a 0-sized axis is kept so nothing is copied).
StridedCopy simplify_copy(StridedCopy c);

// The constant integer values of input i (empty when the input is omitted); nullopt-free because
// inference has already required them to be constant.
std::vector<int64_t> const_ints(const Graph &g, const Node &n, size_t i);

// Transpose: the permutation (attribute "perm", default reversed); "" or an error message.
std::string transpose_perm(const Node &n, size_t rank, std::vector<int64_t> &perm);
StridedCopy transpose_copy(const Shape &in, const std::vector<int64_t> &perm);

// Slice (opset >= 10): starts/ends/axes/steps from the constant inputs, clamped per ONNX. The copy
// reads the sliced elements of the input into a contiguous output.
std::string slice_plan(const Graph &g, const Node &n, StridedCopy &copy);

// Pad (opset >= 11): per-axis begin pads (negative = crop) and the output shape.
struct PadPlan {
  std::string mode;  // "constant", "reflect" or "edge"
  std::vector<int64_t> begin, end;
  Shape out;
};
std::string pad_plan(const Graph &g, const Node &n, PadPlan &plan);
// The interior of a constant-mode pad: the input elements that land in the output.
StridedCopy pad_interior(const Shape &in, const PadPlan &plan);
// The input index each output index of axis `axis` reads (-1 = the fill value, constant mode only).
// Negative pads crop first; reflect and edge then work on the cropped extent, as ONNX Runtime does.
std::vector<int64_t> pad_axis_map(int64_t in_dim, int64_t begin, int64_t end, const std::string &mode);

// Concat: the copy of input k into the output (axis already normalised).
StridedCopy concat_copy(const Shape &in, const Shape &out, size_t axis, int64_t axis_offset);

}  // namespace mtc
