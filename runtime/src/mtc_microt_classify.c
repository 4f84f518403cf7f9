/* mtc_microt_classify: an exit head's label and confidence (contract in mtc_microt.h): the
 * decision with a gate that always computes the confidence. */
#include "mtc_microt.h"

#include <math.h>

int32_t mtc_microt_classify(const mtc_microt_head *h, const float *features, float *logits, float *confidence) {
  static const mtc_microt_gate always = {-INFINITY, -INFINITY};
  int32_t label;
  (void)mtc_microt_decide(h, features, logits, &always, &label, confidence);
  return label;
}
