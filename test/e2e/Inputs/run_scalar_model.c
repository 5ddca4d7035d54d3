/* Runs interface_models.scalar_model compiled with `seqc -o DIR/scalar`,
 * through the generated header: `run_scalar_model S X0 X1 ...` (3N values of
 * X [N, 3]) prints
 *   Y_shape <N> <3>
 *   Y <values>
 *   Z <value>
 * or "error <status> <message>" and exits 1. */
#include "scalar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int report(scalar_context *ctx, int status) {
  printf("error %d %s\n", status, scalar_last_error(ctx));
  return 1;
}

int main(int argc, char **argv) {
  if (argc < 2 || (argc - 2) % 3 != 0) {
    fprintf(stderr, "usage: %s S X0 X1 ... (3N values)\n", argv[0]);
    return 2;
  }
  float s = strtof(argv[1], NULL);
  int64_t n = (argc - 2) / 3;
  float *x = malloc(sizeof(float) * (size_t)(3 * n + 1));
  for (int64_t i = 0; i < 3 * n; ++i)
    x[i] = strtof(argv[2 + i], NULL);

  scalar_inputs in;
  memset(&in, 0, sizeof in);
  in.s = &s;
  in.X = x;
  in.X_shape[0] = n;
  in.X_shape[1] = 3;
  scalar_outputs out;
  memset(&out, 0, sizeof out);

  seqc_context_options options;
  memset(&options, 0, sizeof options);
  options.num_threads = 1;
  scalar_context *ctx = scalar_context_create(&options);
  if (!ctx)
    return 1;
  int status = scalar_output_shapes(ctx, &in, &out);
  if (status != SEQC_OK)
    return report(ctx, status);
  printf("Y_shape %lld %lld\n", (long long)out.Y_shape[0],
         (long long)out.Y_shape[1]);
  int64_t count = out.Y_shape[0] * out.Y_shape[1];
  float z = -1.0f;
  out.Y = malloc(sizeof(float) * (size_t)(count + 1));
  out.Z = &z;
  status = scalar_run(ctx, &in, &out);
  if (status != SEQC_OK)
    return report(ctx, status);
  printf("Y");
  for (int64_t i = 0; i < count; ++i)
    printf(" %.9g", out.Y[i]);
  printf("\nZ %.9g\n", z);
  scalar_context_destroy(ctx);
  free(out.Y);
  free(x);
  return 0;
}
