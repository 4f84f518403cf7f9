// Node attributes: a small typed map. Getters throw a CompileError naming the attribute when the
// stored kind does not match.
#pragma once
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "ir/value.h"

namespace mtc {

using AttrValue =
    std::variant<int64_t, float, std::string, std::vector<int64_t>, std::vector<float>, Value>;

class Attributes {
public:
  bool has(const std::string &k) const { return map_.count(k) != 0; }
  void set(const std::string &k, AttrValue v) { map_[k] = std::move(v); }
  void erase(const std::string &k) { map_.erase(k); }

  int64_t get_int(const std::string &k, int64_t def) const;
  int64_t get_int(const std::string &k) const;
  float get_float(const std::string &k, float def) const;
  std::string get_string(const std::string &k, const std::string &def) const;
  std::vector<int64_t> get_ints(const std::string &k, const std::vector<int64_t> &def = {}) const;
  std::vector<float> get_floats(const std::string &k, const std::vector<float> &def = {}) const;
  const Value &get_tensor(const std::string &k) const;

  const std::map<std::string, AttrValue> &all() const { return map_; }

private:
  const AttrValue *find(const std::string &k) const;
  std::map<std::string, AttrValue> map_;
};

std::string attr_to_string(const AttrValue &v);

}  // namespace mtc
