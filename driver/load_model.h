// The front half of every command: import a model and run the pass pipeline.
#pragma once
#include <iosfwd>
#include <string>
#include <vector>

#include "frontends/onnx/onnx_importer.h"
#include "ir/graph.h"

namespace mtc {

struct LoadOptions {
  ImportOptions import;
  std::vector<std::string> passes;  // empty: the default pipeline
  bool verify_each = false;
  bool print_after_each = false;
  std::ostream *log = nullptr;
};

Graph load_model(const std::string &path, const LoadOptions &opts);

}  // namespace mtc
