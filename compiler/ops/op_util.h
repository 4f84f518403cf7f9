// Shape helpers shared by operator files: broadcasting, axis normalisation, strides.
#pragma once
#include "ops/op.h"

namespace mtc {

// Numpy-style multidirectional broadcast of two shapes; nullopt if incompatible.
bool broadcast_shapes(const Shape &a, const Shape &b, Shape &out);
// Strides (in elements) of `in` seen through the broadcast `out` shape (0 on broadcast axes).
std::vector<int64_t> broadcast_strides(const Shape &in, const Shape &out);
std::vector<int64_t> contiguous_strides(const Shape &s);
// Normalises a possibly negative axis into [0, rank); fails naming the node if out of range.
int64_t normalize_axis(const InferContext &ctx, int64_t axis, int64_t rank);
int64_t normalize_axis(int64_t axis, int64_t rank);
int64_t product(const Shape &s, size_t from, size_t to);

}  // namespace mtc
