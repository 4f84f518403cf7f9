// ONNX -> IR import. Reads an untrusted .onnx file with the ONNX C++ library and protobuf.
#pragma once
#include <map>
#include <string>

#include "ir/graph.h"

namespace mtc {

struct ImportOptions {
  // Shapes for graph inputs whose dims are symbolic: by input name, or "" for "the only input".
  std::map<std::string, Shape> input_shapes;
  // Graph inputs to bind to fixed values (they become constants, e.g. shape tensors fed as inputs).
  std::map<std::string, Value> frozen_inputs;
};

// Loads a model; throws CompileError (naming the file, node or tensor) for anything it cannot take.
// The returned graph has static shapes on its inputs; run the pass pipeline next.
Graph import_onnx_file(const std::string &path, const ImportOptions &opts = {});
Graph import_onnx_bytes(const std::string &bytes, const std::string &source, const ImportOptions &opts = {});

// Reads a serialized onnx TensorProto (.pb), as in the ONNX node tests.
Value load_onnx_tensor_file(const std::string &path);

// Parses "1,3,32,32" (or "name:1,3,32,32") for --input-shape.
void parse_input_shape_option(const std::string &text, ImportOptions &opts);

}  // namespace mtc
