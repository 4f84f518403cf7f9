// Building int8 ops from quantization parameters a model gives (QLinear* operators, QDQ pairs),
// as opposed to calibrated ones: reading constant scales / zero points, and moving uint8 tensors
// to int8 (the int8 ops' only type) with U8ToI8 / I8ToU8 nodes or, for constants, at compile time.
#pragma once
#include <string>
#include <vector>

#include "ir/graph.h"

namespace mtc {

// Quantization parameters from constant `scale` and `zero_point` tensors (zero_point may be
// kNoTensor: zero). A single element is per tensor; a 1-D vector with more elements is per axis
// `axis` (which must then be >= 0). `type` receives the quantized type (the zero point's, else
// the data tensor's if already known, else Undefined). False with `why` set when they are not
// constants or do not fit.
struct GivenQuant {
  QuantParams q;
  DType type = DType::Undefined;
};
bool read_given_quant(const Graph &g, TensorId data, TensorId scale, TensorId zero_point, int axis, GivenQuant &out,
                      std::string &why);

// An int8 tensor holding `x` (of type gq.type, int8 or uint8) with parameters gq.q: `x` itself
// (parameters set) when it is int8, else the output of a U8ToI8 node appended to `nodes`.
TensorId int8_input(Graph &g, TensorId x, const GivenQuant &gq, const std::string &name, std::vector<Node> &nodes);

// A new int8 constant for constant `w` (int8 or uint8) with parameters gq.q, uint8 values and
// zero points moved by -128.
TensorId int8_constant(Graph &g, TensorId w, const GivenQuant &gq, const std::string &name);

// The tensor an int8 op should write so that `y` (of type gq.type) ends up holding its result:
// `y` itself when int8, else a new int8 tensor followed by an I8ToU8 node (appended to `after`)
// writing `y`.
TensorId int8_output(Graph &g, TensorId y, const GivenQuant &gq, const std::string &name, std::vector<Node> &after);

// The parameters with the uint8 -> int8 shift applied when gq.type is uint8.
QuantParams as_int8_params(const GivenQuant &gq);

}  // namespace mtc
