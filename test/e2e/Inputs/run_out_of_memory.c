/* Runs an LSTM (header lstm.h, prefix "lstm", X [T, N, 3]) with T = 0 and a
 * batch so large that the kernel's state buffers cannot be allocated: the
 * call must return SEQC_ERROR_OUT_OF_MEMORY, not crash. With T = 0, X holds
 * no element, and the outputs are never written when the first allocation
 * fails, so small buffers stand in for them. Prints "status <n> <message>",
 * then runs a normal-sized call on the same context to show it still works. */
#include <stdio.h>

#include "lstm.h"

int main(void) {
  lstm_context *ctx = lstm_context_create(NULL);
  if (!ctx)
    return 2;
  static float x[2 * 1 * 3], y[2 * 1 * 1 * 2], h[2], c[2];
  const int64_t huge = (int64_t)1 << 40; /* 8 TiB of floats per state */
  lstm_inputs in = {x, {0, huge, 3}};
  lstm_outputs out = {y, {0, 1, huge, 2}, h, {1, huge, 2}, c, {1, huge, 2}};
  int status = lstm_run(ctx, &in, &out);
  printf("status %d %s\n", status, status ? lstm_last_error(ctx) : "");

  lstm_inputs small = {x, {2, 1, 3}};
  lstm_outputs smallOut = {y, {2, 1, 1, 2}, h, {1, 1, 2}, c, {1, 1, 2}};
  printf("after %d\n", lstm_run(ctx, &small, &smallOut));
  lstm_context_destroy(ctx);
  return 0;
}
