// Running external tools (the C compiler, the compiled harness) without a shell.
#pragma once
#include <string>
#include <vector>

namespace mtc {

struct ProcessResult {
  int exit_code = -1;     // -1 if it did not exit normally
  bool timed_out = false;
  std::string output;     // stdout and stderr together
};

ProcessResult run_process(const std::vector<std::string> &argv, int timeout_seconds);

// Whether an executable named `tool` is in a directory of $PATH.
bool on_path(const std::string &tool);

// A fresh private directory under $TMPDIR (or /tmp), removed by the destructor unless kept.
class TempDir {
public:
  explicit TempDir(const std::string &prefix = "microtc");
  ~TempDir();
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const std::string &path() const { return path_; }
  void keep() { keep_ = true; }

private:
  std::string path_;
  bool keep_ = false;
};

}  // namespace mtc
