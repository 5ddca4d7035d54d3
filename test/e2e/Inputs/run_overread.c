/* Runs the `add` model (Y = X + 1, X: float32 [N, 4]) on an X of `rows`
 * rows while telling the model it has `claimed` rows: with claimed > rows
 * the generated code reads past the caller's heap buffer, which an
 * artifact built with --sanitize=address reports.
 *   run_overread ROWS CLAIMED */
#include "add.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  if (argc != 3)
    return 2;
  long rows = atol(argv[1]), claimed = atol(argv[2]);
  float *x = malloc(sizeof(float) * 4 * rows);
  float *y = malloc(sizeof(float) * 4 * claimed);
  for (long i = 0; i < 4 * rows; ++i)
    x[i] = (float)i;
  add_context *ctx = add_context_create(NULL);
  add_inputs in = {x, {claimed, 4}};
  add_outputs out = {y, {claimed, 4}};
  int status = add_run(ctx, &in, &out);
  printf("status %d sum %g\n", status, status == 0 ? (double)y[4 * rows - 1] : 0.0);
  if (status != 0)
    fprintf(stderr, "%s\n", add_last_error(ctx));
  add_context_destroy(ctx);
  free(x);
  free(y);
  return status;
}
