// Prints the mtc_requant struct (runtime/include/mtc_quant.h) of a quantized node inside the
// node's block; returns the C expression of its address.
#pragma once
#include "codegen/emitter.h"
#include "quant/requant.h"

namespace mtc {

// The brace initializer of an mtc_requant; declares its arrays at file scope.
inline std::string requant_initializer(EmitContext &ctx, const Requant &r) {
  std::vector<int64_t> mult(r.multiplier.begin(), r.multiplier.end()), shift(r.shift.begin(), r.shift.end());
  std::string m = mult.empty() ? "NULL" : ctx.int_array(mult);
  std::string s = shift.empty() ? "NULL" : ctx.int_array(shift);
  std::string f = r.scale.empty() ? "NULL" : ctx.float_array(r.scale);
  return std::string("{") + (r.mode == RequantMode::Fixed ? "MTC_REQUANT_FIXED" : "MTC_REQUANT_FLOAT") + ", " +
         (r.per_channel() ? "1" : "0") + ", " + m + ", " + s + ", " + f + ", " + std::to_string(r.out_zero_point) +
         ", " + std::to_string(r.act_min) + ", " + std::to_string(r.act_max) + "}";
}

inline std::string emit_requant(EmitContext &ctx, const Requant &r, const char *var = "rq") {
  std::string init = requant_initializer(ctx, r);
  ctx.line(std::string("  static const mtc_requant ") + var + " = " + init + ";");
  return std::string("&") + var;
}

}  // namespace mtc
