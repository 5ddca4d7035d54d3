/* Runs the seqc-compiled lstm2 model on the inputs written by make_model.py
 * and compares its outputs with the onnxruntime outputs stored next to them.
 *
 *   python examples/lstm2/make_model.py out/lstm2.onnx --data out/lstm2_data
 *   seqc out/lstm2.onnx -o out/lstm2     # out/lstm2.h, out/liblstm2.a, ...
 *   cc -std=c11 -O2 -Iout examples/lstm2/main.c out/liblstm2.a -lm -lpthread -o out/lstm2_main
 *   out/lstm2_main out/lstm2_data        # [TOLERANCE], default 1e-4
 *
 * DATA_DIR/shapes.txt has one line per tensor (see make_model.py):
 *   <in|out> <name> <file> <rank> <d0> ... <d(rank-1)>
 * and each <file> is raw little-endian float32 in C order.
 *
 * Prints the first few values of each output and the max abs difference per
 * output; exits 0 when every difference is <= TOLERANCE, 1 otherwise (also on
 * any error). Works for the unidirectional and the bidirectional model: the
 * output sizes come from lstm2_output_shapes(). */
#include "lstm2.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TENSORS 16
#define MAX_RANK 8
#define SHOW 5

typedef struct tensor {
  char kind[4];
  char name[64];
  char file[256];
  int rank;
  int64_t dims[MAX_RANK];
  size_t count;
  float *data;
} tensor;

static tensor tensors[MAX_TENSORS];
static int num_tensors;

static int host_is_little_endian(void) {
  const uint16_t one = 1;
  return *(const uint8_t *)&one == 1;
}

static float *read_f32(const char *dir, const char *file, size_t count) {
  char path[600];
  snprintf(path, sizeof path, "%s/%s", dir, file);
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return NULL;
  }
  float *buf = malloc(count ? count * sizeof(float) : 1);
  size_t got = buf ? fread(buf, sizeof(float), count, f) : 0;
  int extra = fgetc(f) != EOF;
  fclose(f);
  if (!buf || got != count || extra) {
    fprintf(stderr, "%s: expected exactly %zu float32 values\n", path, count);
    free(buf);
    return NULL;
  }
  if (!host_is_little_endian()) {
    for (size_t i = 0; i < count; ++i) {
      uint8_t *b = (uint8_t *)&buf[i], t;
      t = b[0], b[0] = b[3], b[3] = t;
      t = b[1], b[1] = b[2], b[2] = t;
    }
  }
  return buf;
}

static int load(const char *dir) {
  char path[600];
  snprintf(path, sizeof path, "%s/shapes.txt", dir);
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    return -1;
  }
  tensor t;
  while (fscanf(f, "%3s %63s %255s %d", t.kind, t.name, t.file, &t.rank) == 4) {
    if (num_tensors == MAX_TENSORS || t.rank < 0 || t.rank > MAX_RANK) {
      fprintf(stderr, "%s: too many tensors or bad rank\n", path);
      fclose(f);
      return -1;
    }
    t.count = 1;
    for (int i = 0; i < t.rank; ++i) {
      long long d;
      if (fscanf(f, "%lld", &d) != 1 || d < 0) {
        fprintf(stderr, "%s: bad dims for %s\n", path, t.name);
        fclose(f);
        return -1;
      }
      t.dims[i] = d;
      t.count *= (size_t)d;
    }
    t.data = read_f32(dir, t.file, t.count);
    if (!t.data) {
      fclose(f);
      return -1;
    }
    tensors[num_tensors++] = t;
  }
  fclose(f);
  return 0;
}

static tensor *find(const char *kind, const char *name) {
  for (int i = 0; i < num_tensors; ++i)
    if (!strcmp(tensors[i].kind, kind) && !strcmp(tensors[i].name, name))
      return &tensors[i];
  fprintf(stderr, "shapes.txt has no %s tensor '%s'\n", kind, name);
  return NULL;
}

/* Copies a reference shape into the generated struct's shape slots. */
static int set_shape(int64_t *dst, int dst_rank, const tensor *t) {
  if (t->rank != dst_rank) {
    fprintf(stderr, "%s: rank %d in the data, %d in the model\n", t->name,
            t->rank, dst_rank);
    return -1;
  }
  memcpy(dst, t->dims, sizeof(int64_t) * (size_t)dst_rank);
  return 0;
}

static void print_shape(const int64_t *dims, int rank) {
  printf("[");
  for (int i = 0; i < rank; ++i) printf(i ? ", %lld" : "%lld", (long long)dims[i]);
  printf("]");
}

/* Checks the shape seqc computed against the reference, allocates the
 * output buffer. Returns the element count, or -1. */
static long long prepare_output(float **buf, const int64_t *shape, int rank,
                                const tensor *ref) {
  size_t count = 1;
  for (int i = 0; i < rank; ++i) count *= (size_t)shape[i];
  if (rank != ref->rank || memcmp(shape, ref->dims, sizeof(int64_t) * (size_t)rank)) {
    printf("%s: lstm2_output_shapes gives ", ref->name);
    print_shape(shape, rank);
    printf(", onnxruntime gave ");
    print_shape(ref->dims, ref->rank);
    printf("\n");
    return -1;
  }
  *buf = calloc(count ? count : 1, sizeof(float));
  return *buf ? (long long)count : -1;
}

/* Prints the first values and returns the max abs difference (INFINITY when
 * a value is NaN/inf). */
static double compare(const char *name, const float *got, const tensor *ref) {
  double max_diff = 0.0;
  for (size_t i = 0; i < ref->count; ++i) {
    double d = fabs((double)got[i] - (double)ref->data[i]);
    if (!isfinite(got[i]) || !isfinite(d)) d = INFINITY;
    if (d > max_diff) max_diff = d;
  }
  printf("%s ", name);
  print_shape(ref->dims, ref->rank);
  printf("\n  seqc:        ");
  for (size_t i = 0; i < ref->count && i < SHOW; ++i) printf(" % .6f", got[i]);
  printf("\n  onnxruntime: ");
  for (size_t i = 0; i < ref->count && i < SHOW; ++i) printf(" % .6f", ref->data[i]);
  printf("\n  max abs diff %.3g\n", max_diff);
  return max_diff;
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "data";
  double tol = argc > 2 ? strtod(argv[2], NULL) : 1e-4;
  if (argc > 3 || (argc > 1 && argv[1][0] == '-')) {
    fprintf(stderr, "usage: %s [DATA_DIR] [TOLERANCE]\n", argv[0]);
    return 1;
  }
  if (load(dir)) return 1;

  tensor *x = find("in", "input"), *h0 = find("in", "h0"), *c0 = find("in", "c0");
  tensor *ref_y = find("out", "output"), *ref_hn = find("out", "hn");
  tensor *ref_cn = find("out", "cn");
  if (!x || !h0 || !c0 || !ref_y || !ref_hn || !ref_cn) return 1;

  lstm2_inputs in;
  memset(&in, 0, sizeof in);
  in.input = x->data;
  in.h0 = h0->data;
  in.c0 = c0->data;
  if (set_shape(in.input_shape, 3, x) || set_shape(in.h0_shape, 3, h0) ||
      set_shape(in.c0_shape, 3, c0))
    return 1;

  lstm2_context *ctx = lstm2_context_create(NULL);
  if (!ctx) {
    fprintf(stderr, "lstm2_context_create failed\n");
    return 1;
  }
  int status = 1;
  lstm2_outputs out;
  memset(&out, 0, sizeof out);
  int err = lstm2_output_shapes(ctx, &in, &out);
  if (err != SEQC_OK) {
    fprintf(stderr, "lstm2_output_shapes: %d: %s\n", err, lstm2_last_error(ctx));
    goto done;
  }
  if (prepare_output(&out.output, out.output_shape, 3, ref_y) < 0 ||
      prepare_output(&out.hn, out.hn_shape, 3, ref_hn) < 0 ||
      prepare_output(&out.cn, out.cn_shape, 3, ref_cn) < 0)
    goto done;
  err = lstm2_run(ctx, &in, &out);
  if (err != SEQC_OK) {
    fprintf(stderr, "lstm2_run: %d: %s\n", err, lstm2_last_error(ctx));
    goto done;
  }

  printf("input ");
  print_shape(x->dims, 3);
  printf(", tolerance %g\n", tol);
  double d0 = compare("output", out.output, ref_y);
  double d1 = compare("hn", out.hn, ref_hn);
  double d2 = compare("cn", out.cn, ref_cn);
  status = (d0 <= tol && d1 <= tol && d2 <= tol) ? 0 : 1;
  printf("%s\n", status ? "FAIL" : "OK");

done:
  free(out.output);
  free(out.hn);
  free(out.cn);
  lstm2_context_destroy(ctx);
  for (int i = 0; i < num_tensors; ++i) free(tensors[i].data);
  return status;
}
