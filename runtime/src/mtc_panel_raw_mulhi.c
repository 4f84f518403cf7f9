/* mtc_panel_raw_mulhi: a panel pass's outputs outside the block loop in the high-multiply mode
 * (contract in mtc_qnn.h); its own file, so that models whose passes all end in whole blocks do
 * not link it. */
#include "mtc_qnn.h"

void mtc_panel_raw_mulhi(const mtc_panel_pair *pr) { mtc_panel_raw_pairs(pr, NULL); }
