// Instruction cost model of a Cortex-M target: executed instructions of one layer estimated from
// its kernel and its size, fitted to instruction counts measured under QEMU (tools/fit_cost_model.py
// writes targets/cost_tables.cpp). MicroT's split search ranks splits by it before anything runs;
// energy follows from instructions through the board's energy profile (targets/target.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

// What a layer's cost is fitted on.
struct LayerShape {
  int64_t macs = 0;
  int64_t input_elements = 0;   // of its non-constant inputs
  int64_t output_elements = 0;  // of its outputs
  int64_t patch_elements = 0;   // MACs per output channel: what one output's window reads
  std::string variant;          // the window and stride ("3x3", "3x3/s2"), "" for other layers
};
LayerShape layer_shape(const Graph &g, const Node &n);

// The kernel name that stands for a MicroT exit head (global pool of the int8 activation, linear
// layer, softmax): input elements = the pooled tensor's, MACs = features x classes, outputs = classes.
constexpr const char *kMicrotHeadKernel = "mtc_microt_head";
LayerShape microt_head_shape(int64_t pooled_elements, int64_t features, int64_t classes);

// instructions ~ fixed + per_mac * MACs + per_input * input elements + per_output * output
// elements + per_patch * patch elements
struct KernelCost {
  const char *kernel;  // runtime function a layer calls ("" for inline code, kMicrotHeadKernel),
                       // or "function:variant" for one window and stride of it
  double fixed, per_mac, per_input, per_output, per_patch;
  int layers;          // measured layers the fit used
  double max_error;    // largest relative error of the fit on them
};

struct CostModel {
  const char *target;
  const char *fitted_on;  // the models and the microtc revision of the measurements
  std::vector<KernelCost> kernels;
  KernelCost other;       // kernels the fit has not seen: fitted on every layer together

  // the variant's fit, else the kernel's, else `other`
  const KernelCost &for_kernel(const std::string &kernel, const std::string &variant) const;
  double instructions(const std::string &kernel, const LayerShape &s) const;
};

// The model of a Cortex-M target, nullptr for the host (or a target without a fit).
const CostModel *find_cost_model(const std::string &target);

// Estimated instructions of each step of g run on `model` (0 for views and steps without code),
// from the kernels the C emitter picks for them.
std::vector<double> step_instructions(const Graph &g, const CostModel &model);

}  // namespace mtc
