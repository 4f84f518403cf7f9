// .npz archives as numpy.savez / numpy.savez_compressed write them, and the "array file" the
// command line accepts: FILE.npy, FILE.npz (array "x") or FILE.npz:KEY.
#pragma once
#include <map>
#include <string>
#include <utility>

#include "ir/value.h"

namespace mtc {

// Every array in the archive, keyed by its name without ".npy" (as numpy.load exposes them).
std::map<std::string, Value> read_npz(const std::string &path);
std::map<std::string, Value> parse_npz(const std::string &bytes, const std::string &source);

// One array from `path`: a .npy file (key ignored) or the array `key` of a .npz archive (an error
// lists the keys present when `key` is missing). Only the requested array is inflated.
Value read_array_file(const std::string &path, const std::string &key);

// Splits a command-line array spec: "a.npz:k" -> {"a.npz", "k"}, "a.npz" -> {"a.npz", "x"},
// anything else -> {spec, ""}.
std::pair<std::string, std::string> split_array_spec(const std::string &spec);

}  // namespace mtc
