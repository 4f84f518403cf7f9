// How Softmax/LogSoftmax see their input, shared by the op and its emitter.
#pragma once
#include "ir/graph.h"

namespace mtc {

// The input seen as [outer, len, inner], normalised over `len`.
struct SoftmaxLayout {
  int64_t outer, len, inner;
};

// The normalised axis in [0, rank], or -1 when out of range for the node's attributes.
int64_t softmax_axis(const Attributes &attrs, int64_t rank);
// The layout of a node whose axis softmax_axis accepted.
SoftmaxLayout softmax_layout(const Attributes &attrs, const Shape &s);
// The evaluator's Softmax (log: LogSoftmax) of px into py, in double.
void softmax_eval(const float *px, float *py, const SoftmaxLayout &l, bool log);

}  // namespace mtc
