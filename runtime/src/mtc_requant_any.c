/* mtc_requant_any: one output in any requantization mode (contract in mtc_quant.h). */
#include "mtc_quant.h"

int8_t mtc_requant_any(const mtc_requant *rq, int32_t channel, int32_t acc) {
  return (int8_t)mtc_requant_apply(rq, acc, channel);
}
