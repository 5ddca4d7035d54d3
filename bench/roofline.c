/* The machine's ceilings for bench/bench_rnn.py's roofline: the f32 FMA
 * peak and the read bandwidth of buffers of growing size (each cache level,
 * then memory), with 1..N threads each running its own copy at once.
 *
 *   clang -O3 -march=native -pthread roofline.c -o roofline
 *   ./roofline THREADS   -> one JSON object on stdout
 *
 * The peak: 16 independent chains of vector FMAs (enough to cover the FMA
 * latency times the units on every x86 core seqc targets). The bandwidth:
 * 8 independent vector sums over the buffer, repeated until ~0.2 s passed;
 * the best of 5 repetitions. Vectors are GCC/Clang vector extensions of the
 * widest width -march=native enables.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__AVX512F__)
#define LANES 16
#elif defined(__AVX__)
#define LANES 8
#else
#define LANES 4
#endif
typedef float vec __attribute__((vector_size(LANES * 4)));

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Multiply-adds per second of one thread (2 FLOPs each). */
static double fma_rate(void) {
  vec acc[16], x, y;
  for (int i = 0; i < LANES; ++i) {
    x[i] = 0.999999f;
    y[i] = 1e-7f;
  }
  for (int c = 0; c < 16; ++c)
    acc[c] = x * (float)c;
  const long iterations = 20 * 1000 * 1000;
  double start = now();
  for (long i = 0; i < iterations; ++i)
    for (int c = 0; c < 16; ++c)
      acc[c] = acc[c] * x + y; /* contracted into one FMA */
  double seconds = now() - start;
  float sink = 0;
  for (int c = 0; c < 16; ++c)
    sink += acc[c][0];
  if (sink == 12345.0f) /* keeps the loop */
    puts("");
  return (double)iterations * 16 * LANES / seconds;
}

/* Bytes read per second from a buffer of `bytes`, reread until ~0.2 s. */
static double read_rate(size_t bytes) {
  size_t count = bytes / sizeof(vec);
  vec *buffer = aligned_alloc(64, count * sizeof(vec));
  memset(buffer, 0, count * sizeof(vec));
  double best = 0;
  for (int rep = 0; rep < 5; ++rep) {
    vec sum[8] = {0};
    long passes = 0;
    double start = now(), seconds;
    do {
      for (size_t i = 0; i + 8 <= count; i += 8)
        for (int s = 0; s < 8; ++s)
          sum[s] += buffer[i + s];
      ++passes;
    } while ((seconds = now() - start) < 0.04);
    float sink = 0;
    for (int s = 0; s < 8; ++s)
      sink += sum[s][0];
    if (sink == 12345.0f)
      puts("");
    double rate = (double)passes * (count / 8 * 8) * sizeof(vec) / seconds;
    if (rate > best)
      best = rate;
  }
  free(buffer);
  return best;
}

/* Around each cache size of the project's machines (L1 32-48 KiB, L2 512
 * KiB or 2 MiB, L3 32-260 MiB): a point takes the smallest that holds its
 * share of the weights. */
static const size_t kSizes[] = {16 << 10, 128 << 10, 256 << 10, 512 << 10,
                                1 << 20,  1536 << 10, 2 << 20,  3 << 20,
                                4 << 20,  16 << 20,   128 << 20};
enum { kNumSizes = sizeof(kSizes) / sizeof(kSizes[0]) };

typedef struct {
  pthread_barrier_t *start;
  double fma;
  double read[kNumSizes];
} result;

static void *measure(void *arg) {
  result *r = arg;
  pthread_barrier_wait(r->start);
  r->fma = fma_rate();
  for (int s = 0; s < kNumSizes; ++s) {
    pthread_barrier_wait(r->start);
    r->read[s] = read_rate(kSizes[s]);
  }
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 256)
    return 2;
  pthread_barrier_t start;
  pthread_barrier_init(&start, NULL, threads);
  result *results = calloc(threads, sizeof(result));
  pthread_t *ids = calloc(threads, sizeof(pthread_t));
  for (int t = 0; t < threads; ++t) {
    results[t].start = &start;
    pthread_create(&ids[t], NULL, measure, &results[t]);
  }
  for (int t = 0; t < threads; ++t)
    pthread_join(ids[t], NULL);
  /* Totals over the threads: what the model's threads share. */
  double fma = 0, read[kNumSizes] = {0};
  for (int t = 0; t < threads; ++t) {
    fma += results[t].fma;
    for (int s = 0; s < kNumSizes; ++s)
      read[s] += results[t].read[s];
  }
  printf("{\"threads\": %d, \"lanes\": %d, \"gflops\": %.2f, \"read_gbs\": {",
         threads, LANES, 2 * fma * 1e-9);
  for (int s = 0; s < kNumSizes; ++s)
    printf("%s\"%zu\": %.2f", s ? ", " : "", kSizes[s], read[s] * 1e-9);
  printf("}}\n");
  return 0;
}
