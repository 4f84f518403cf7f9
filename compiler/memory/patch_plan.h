// Patch-based inference (MCUNetV2, Lin et al. 2021): the first, largest-activation layers run
// depth first on an n x n grid of patches of their last output T, so only T, the patch-sized
// buffers and the stage input are live instead of whole intermediate tensors. This file holds the
// region arithmetic (what each earlier tensor must provide for one patch of T) and the stage: the
// chain of local-receptive-field nodes from a graph input that may be tiled.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"
#include "ops/conv_geometry.h"

namespace mtc {

// A half-open range of rows or columns.
struct Span {
  int64_t begin = 0, end = 0;
  int64_t size() const { return end - begin; }
  bool operator==(const Span &o) const { return begin == o.begin && end == o.end; }
};

// What the outputs `out` of a sliding window (2-D geometry g) need from its input on one axis: the
// input rows clipped to the tensor, and the padding the patch's windows read before and after them
// (non-zero only where the rows touch the true border; interior halos are real data).
struct SpanNeed {
  Span in;
  int64_t pad_begin = 0, pad_end = 0;
};
SpanNeed window_input_span(const WindowGeometry &g, size_t axis, Span out);

// `n` nearly equal consecutive spans covering [0, size): span i is [i*size/n, (i+1)*size/n).
std::vector<Span> split_axis(int64_t size, int n);

// One node of the stage: a sliding window (conv/pool) with its 2-D geometry, an elementwise op of
// one tensor, or a same-shape Add of two stage tensors (the join of a residual block), or an int8
// convolution with the residual Add fused into it (input 3, read at the output's positions).
struct StageLayer {
  int node = -1;  // index into g.nodes
  bool window = false;
  WindowGeometry geom;         // 2-D, for windows
  std::vector<TensorId> reads;  // its activation inputs (input 0, and input 1 of an Add)
  std::vector<size_t> slots;    // the node's input index of each read
  std::vector<char> at_output;  // per read: read over the output's region (residuals, joins)
};

// The stage: nodes in execution order from the one reading `input` (a graph input), each reading
// only the stage input and earlier stage tensors. A prefix of `depth` layers can be tiled when its
// tensors other than the last layer's output T are read only inside the prefix (`ends` lists those
// depths: every depth for a chain, the joins and the layers between blocks in a residual network).
struct PatchStage {
  TensorId input = kNoTensor;
  std::vector<StageLayer> layers;
  std::vector<int> ends;
  std::string stop;  // why the stage does not go further (or why it is empty), naming the node
};
PatchStage find_patch_stage(const Graph &g);

// One layer's part in one patch: rows/columns of its output and of what it reads of its inputs,
// and the patch's padding. The output region is what all its readers need (their bounding box):
// a reader needing less reads a crop of it.
struct LayerPatch {
  Span out[2], in[2];
  int64_t pad_begin[2] = {0, 0}, pad_end[2] = {0, 0};
};

// For every patch (row-major over the n x n grid of T = the output of layers[depth - 1]) and every
// layer 0..depth-1: the regions, back-propagated from the patch of T. False with `why` when depth
// is not one of s.ends or some patch would be empty at some layer (grid finer than a tensor,
// windows reading only padding).
bool patch_regions(const Graph &g, const PatchStage &s, int depth, int n,
                   std::vector<std::vector<LayerPatch>> &out, std::string &why);

}  // namespace mtc
