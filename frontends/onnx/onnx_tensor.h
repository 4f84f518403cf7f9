// Conversion of ONNX TensorProto / element types to IR Values.
#pragma once
#include <onnx/onnx_pb.h>

#include "ir/value.h"

namespace mtc {

// Maps an ONNX TensorProto data type to an IR DType; DType::Undefined if microtc has no such type.
DType dtype_from_onnx(int onnx_type);
// `what` names the tensor in error messages (e.g. "initializer 'w'").
Value value_from_onnx(const onnx::TensorProto &t, const std::string &what);

}  // namespace mtc
