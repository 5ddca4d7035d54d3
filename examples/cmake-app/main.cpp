// Runs gru.onnx, compiled by seqc_add_model(), on input read from stdin:
// "T B" and then T * B * 8 values of X [T, B, 8]; prints the T * B * 16
// values of Y [T, 1, B, 16] and then the B * 16 of Y_h, one per line.
#include "gru.h"

#include <cstdio>
#include <vector>

int main() {
  long steps, batch;
  if (std::scanf("%ld %ld", &steps, &batch) != 2 || steps < 0 || batch < 0) {
    std::fprintf(stderr, "expected T and B, then T*B*8 values\n");
    return 2;
  }
  std::vector<float> x(steps * batch * 8);
  for (float &value : x)
    if (std::scanf("%f", &value) != 1) {
      std::fprintf(stderr, "expected %zu input values\n", x.size());
      return 2;
    }

  gru_context *ctx = gru_context_create(nullptr);
  if (!ctx)
    return 1;
  gru_inputs in = {};
  in.X = x.data();
  in.X_shape[0] = steps;
  in.X_shape[1] = batch;
  in.X_shape[2] = 8;
  gru_outputs out = {};
  std::vector<float> y, yh;
  int status = gru_output_shapes(ctx, &in, &out);
  if (status == SEQC_OK) {
    y.resize(out.Y_shape[0] * out.Y_shape[1] * out.Y_shape[2] * out.Y_shape[3]);
    yh.resize(out.Y_h_shape[0] * out.Y_h_shape[1] * out.Y_h_shape[2]);
    out.Y = y.data();
    out.Y_h = yh.data();
    status = gru_run(ctx, &in, &out);
  }
  if (status != SEQC_OK) {
    std::fprintf(stderr, "gru: %s\n", gru_last_error(ctx));
    gru_context_destroy(ctx);
    return 1;
  }
  for (float value : y)
    std::printf("%.9g\n", value);
  for (float value : yh)
    std::printf("%.9g\n", value);
  gru_context_destroy(ctx);
  return 0;
}
