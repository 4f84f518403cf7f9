#include "support/file_io.h"

#include <fstream>
#include <sstream>

#include "support/error.h"

namespace mtc {

std::string read_file(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw CompileError("cannot open " + quote_name(path));
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace mtc
