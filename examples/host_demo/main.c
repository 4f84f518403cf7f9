/* Example application: runs the compiled keyword-spotting model on a synthetic input and prints
 * the class scores. On an MCU the input would come from the audio front end. */
#include <stdio.h>

#include "kws.h"

int main(void) {
  static float input[kws_INPUT_SIZE];
  static float scores[kws_OUTPUT_SIZE];
  int i, best = 0;
  for (i = 0; i < kws_INPUT_SIZE; ++i) input[i] = (float)((i * 7919) % 200 - 100) / 100.0f;
  if (kws_run(input, scores) != 0) return 1;
  for (i = 0; i < kws_OUTPUT_SIZE; ++i) {
    printf("class %2d: %+.4f\n", i, (double)scores[i]);
    if (scores[i] > scores[best]) best = i;
  }
  printf("predicted class %d (arena %d bytes)\n", best, kws_ARENA_SIZE);
  return 0;
}
