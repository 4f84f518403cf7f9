/* mtc_panel_raw_any: a panel pass's outputs in any requantization mode (contract in mtc_qnn.h). */
#include "mtc_qnn.h"

void mtc_panel_raw_any(const mtc_panel_pair *pr) { mtc_panel_raw_pairs(pr, mtc_requant_any); }
