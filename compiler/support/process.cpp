// fork/exec with a time limit; output collected through a temporary file.
#include "support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/error.h"

namespace mtc {

ProcessResult run_process(const std::vector<std::string> &argv, int timeout_seconds) {
  ProcessResult r;
  char log_template[] = "/tmp/microtc-log-XXXXXX";
  int log_fd = mkstemp(log_template);
  if (log_fd < 0) throw CompileError("cannot create a temporary file");
  pid_t pid = fork();
  if (pid < 0) {
    close(log_fd);
    throw CompileError("fork failed");
  }
  if (pid == 0) {
    setpgid(0, 0);
    dup2(log_fd, 1);
    dup2(log_fd, 2);
    std::vector<char *> args;
    for (const std::string &a : argv) args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(log_fd);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  int status = 0;
  for (;;) {
    pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      r.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  if (!r.timed_out && WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  std::ifstream f(log_template);
  std::stringstream ss;
  ss << f.rdbuf();
  r.output = ss.str();
  unlink(log_template);
  return r;
}

TempDir::TempDir(const std::string &prefix) {
  const char *base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (!mkdtemp(buf.data())) throw CompileError("cannot create a temporary directory under " + tmpl);
  path_ = buf.data();
}

TempDir::~TempDir() {
  if (keep_) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

bool on_path(const std::string &tool) {
  const char *path = std::getenv("PATH");
  std::stringstream ss(path ? path : "");
  for (std::string dir; std::getline(ss, dir, ':');)
    if (!dir.empty() && access((dir + "/" + tool).c_str(), X_OK) == 0) return true;
  return false;
}

}  // namespace mtc
