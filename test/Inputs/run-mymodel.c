/* Uses the header seqc writes for test/Inputs/lstm-small.onnxtxt compiled
 * with -o DIR/mymodel: prints the model info, asks for the output shapes,
 * runs the model, and checks that a shape error is reported. */
#include "mymodel.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void printInfo(const char *kind, const seqc_tensor_info *t) {
  printf("%s %s %s dims ", kind, t->name,
         t->elem_type == 1 ? "float32" : "other");
  for (int i = 0; i < t->rank; ++i) {
    if (i)
      printf(",");
    if (t->dims[i] >= 0)
      printf("%lld", (long long)t->dims[i]);
    else
      printf("%s", t->dim_names[i][0] ? t->dim_names[i] : "?");
  }
  printf("\n");
}

static void printShape(const char *name, const int64_t *shape, int rank) {
  printf(" %s [", name);
  for (int i = 0; i < rank; ++i)
    printf("%s%lld", i ? "," : "", (long long)shape[i]);
  printf("]");
}

int main(void) {
  const seqc_model_info *info = mymodel_info();
  printf("model %s: %d inputs, %d outputs\n", info->name, info->num_inputs,
         info->num_outputs);
  for (int i = 0; i < info->num_inputs; ++i)
    printInfo("input", &info->inputs[i]);
  for (int i = 0; i < info->num_outputs; ++i)
    printInfo("output", &info->outputs[i]);

  enum { T = 5, N = 4 };
  float x[T * N * 3], h0[N * 2], y[T * N * 2], yh[N * 2];
  for (int i = 0; i < T * N * 3; ++i)
    x[i] = (float)((i % 7) - 3) / 4.0f;
  for (int i = 0; i < N * 2; ++i)
    h0[i] = (float)i / 10.0f;
  mymodel_inputs in = {x, {T, N, 3}, h0, {1, N, 2}};
  mymodel_outputs out;
  memset(&out, 0, sizeof out);
  out.Y = y;
  out.Y_h = yh;

  mymodel_context *ctx = mymodel_context_create(NULL);
  int status = mymodel_output_shapes(ctx, &in, &out);
  printf("output_shapes: %d", status);
  printShape("Y", out.Y_shape, 4);
  printShape("Y_h", out.Y_h_shape, 3);
  printf("\n");

  status = mymodel_run(ctx, &in, &out);
  int finite = 1;
  for (int i = 0; i < T * N * 2; ++i)
    finite &= isfinite(y[i]) && fabsf(y[i]) < 1.0f;
  int same = memcmp(y + (T - 1) * N * 2, yh, sizeof yh) == 0;
  printf("run: %d finite %d last step of Y equals Y_h %d\n", status, finite,
         same);

  /* initial_h's batch no longer matches X's. */
  in.initial_h_shape[1] = N - 1;
  status = mymodel_run(ctx, &in, &out);
  printf("mismatched batch: %d message '%s'\n", status,
         mymodel_last_error(ctx));
  mymodel_context_destroy(ctx);
  return 0;
}
