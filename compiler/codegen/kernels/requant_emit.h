// Prints the mtc_requant struct (runtime/include/mtc_quant.h) of a quantized node inside the
// node's block; returns the C expression of its address.
#pragma once
#include "codegen/emitter.h"
#include "quant/requant.h"
#include "support/error.h"

namespace mtc {

// The brace initializer of an mtc_requant; declares its arrays at file scope.
inline std::string requant_initializer(EmitContext &ctx, const Requant &r) {
  std::vector<int64_t> mult(r.multiplier.begin(), r.multiplier.end());
  std::vector<int8_t> shift;  // in [-31, 30]: int8 keeps the per-channel tables small in flash
  for (int32_t v : r.shift) {
    if (v < -31 || v > 30) throw CompileError("internal: requantization shift " + std::to_string(v) + " out of range");
    shift.push_back(int8_t(v));
  }
  std::string m = mult.empty() ? "NULL" : ctx.int_array(mult);
  std::string s = shift.empty() ? "NULL" : ctx.int8_array(shift);
  std::string f = r.scale.empty() ? "NULL" : ctx.float_array(r.scale);
  const char *mode = r.mode == RequantMode::Fixed     ? "MTC_REQUANT_FIXED"
                     : r.mode == RequantMode::MulHigh ? "MTC_REQUANT_MULHI"
                                                      : "MTC_REQUANT_FLOAT";
  for (int32_t v : {r.out_zero_point, r.act_min, r.act_max})
    if (v < -32768 || v > 32767)
      throw CompileError("internal: requantization zero point or clamp " + std::to_string(v) + " out of int16");
  // the field order of mtc_requant
  return "{" + m + ", " + s + ", " + f + ", " + std::to_string(r.out_zero_point) + ", " + std::to_string(r.act_min) +
         ", " + std::to_string(r.act_max) + ", " + mode + ", " + (r.per_channel() ? "1" : "0") + "}";
}

inline std::string emit_requant(EmitContext &ctx, const Requant &r, const char *var = "rq") {
  std::string init = requant_initializer(ctx, r);
  ctx.line(std::string("  static const mtc_requant ") + var + " = " + init + ";");
  return std::string("&") + var;
}

}  // namespace mtc
