// Output sizes and padding of ConvTranspose per ONNX (strides, dilations, pads, output_padding,
// output_shape, auto_pad), shared by the operator and its kernel emitter.
#pragma once
#include <string>

#include "ops/conv_geometry.h"

namespace mtc {

// X [N, C_in, spatial...], W [C_in, C_out/group, kernel...]; 1-D and 2-D only. Fills `g` with
// g.in = input spatial sizes, g.out = output sizes and the begin/end padding removed from the full
// transposed output. Pads can be negative when output_shape or SAME padding asks for a larger output
// than the full one: the extra positions receive no taps (bias only). Returns false with a reason.
bool conv_transpose_window(const Attributes &a, const Shape &x, const Shape &w, WindowGeometry &g,
                           std::string &why);

}  // namespace mtc
