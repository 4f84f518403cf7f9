// Typed attribute access.
#include "ir/attributes.h"

#include "support/error.h"

namespace mtc {

const AttrValue *Attributes::find(const std::string &k) const {
  auto it = map_.find(k);
  return it == map_.end() ? nullptr : &it->second;
}

static CompileError kind_error(const std::string &k, const char *want) {
  return CompileError("attribute '" + k + "' is not " + want);
}

int64_t Attributes::get_int(const std::string &k, int64_t def) const {
  const AttrValue *v = find(k);
  if (!v) return def;
  if (auto p = std::get_if<int64_t>(v)) return *p;
  throw kind_error(k, "an integer");
}

int64_t Attributes::get_int(const std::string &k) const {
  if (!find(k)) throw CompileError("required attribute '" + k + "' is missing");
  return get_int(k, 0);
}

float Attributes::get_float(const std::string &k, float def) const {
  const AttrValue *v = find(k);
  if (!v) return def;
  if (auto p = std::get_if<float>(v)) return *p;
  if (auto p = std::get_if<int64_t>(v)) return float(*p);
  throw kind_error(k, "a float");
}

std::string Attributes::get_string(const std::string &k, const std::string &def) const {
  const AttrValue *v = find(k);
  if (!v) return def;
  if (auto p = std::get_if<std::string>(v)) return *p;
  throw kind_error(k, "a string");
}

std::vector<int64_t> Attributes::get_ints(const std::string &k,
                                          const std::vector<int64_t> &def) const {
  const AttrValue *v = find(k);
  if (!v) return def;
  if (auto p = std::get_if<std::vector<int64_t>>(v)) return *p;
  if (auto p = std::get_if<int64_t>(v)) return {*p};
  throw kind_error(k, "a list of integers");
}

std::vector<float> Attributes::get_floats(const std::string &k,
                                          const std::vector<float> &def) const {
  const AttrValue *v = find(k);
  if (!v) return def;
  if (auto p = std::get_if<std::vector<float>>(v)) return *p;
  throw kind_error(k, "a list of floats");
}

const Value &Attributes::get_tensor(const std::string &k) const {
  const AttrValue *v = find(k);
  if (!v) throw CompileError("required attribute '" + k + "' is missing");
  if (auto p = std::get_if<Value>(v)) return *p;
  throw kind_error(k, "a tensor");
}

std::string attr_to_string(const AttrValue &v) {
  struct Visitor {
    std::string operator()(int64_t x) const { return std::to_string(x); }
    std::string operator()(float x) const { return std::to_string(x); }
    std::string operator()(const std::string &s) const { return quote_name(s); }
    std::string operator()(const std::vector<int64_t> &xs) const { return shape_str(xs); }
    std::string operator()(const std::vector<float> &xs) const {
      std::string out = "[";
      for (size_t i = 0; i < xs.size(); ++i) out += (i ? "," : "") + std::to_string(xs[i]);
      return out + "]";
    }
    std::string operator()(const Value &t) const {
      return std::string("tensor<") + dtype_name(t.dtype) + shape_str(t.shape) + ">";
    }
  };
  return std::visit(Visitor{}, v);
}

}  // namespace mtc
