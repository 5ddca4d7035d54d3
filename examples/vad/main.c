/* Voice activity detection with a seqc-compiled silero-vad.
 *
 *   python examples/vad/make_wav.py out/speech.wav     # or any 16 kHz mono WAV
 *   seqc silero_vad.onnx --bind sr=16000 --input-shape input=1x576 \
 *        -o out/silero_vad                            # out/silero_vad.h, ...
 *   cc -std=c11 -O2 -Iout examples/vad/main.c out/libsilero_vad.a -lm -lpthread \
 *      -o out/vad
 *   out/vad out/speech.wav                            # [--threshold T]
 *
 * Reads a 16-bit PCM mono 16 kHz WAV file and runs the model the way
 * silero-vad's reference wrapper (OnnxWrapper) does: 512 new samples per
 * call, prefixed with the last 64 samples of the previous call (zeros before
 * the first), 576 in all, the last partial chunk zero-padded; the recurrent
 * state [2, 1, 128] starts as zeros and is carried from each call's stateN to
 * the next. The per-chunk speech probabilities then go through silero's
 * get_speech_timestamps logic (without its max_speech_duration splitting):
 * threshold 0.5, neg_threshold = threshold - 0.15, min_speech_duration
 * 250 ms, min_silence_duration 100 ms, speech_pad 30 ms.
 *
 * Prints one line `start_s end_s` per speech segment on stdout, and on
 * stderr the number of chunks and the mean model time per chunk.
 * --probs FILE writes the probability of every chunk, one per line.
 * Exits 0 on success, 1 on any error.
 *
 * The model's symbols start with the base name of seqc's -o: silero_vad
 * here. For another name, build with -DVAD_MODEL=name -DVAD_HEADER='"name.h"'.
 */
#define _POSIX_C_SOURCE 199309L /* clock_gettime */

#ifndef VAD_MODEL
#define VAD_MODEL silero_vad
#endif
#ifndef VAD_HEADER
#define VAD_HEADER "silero_vad.h"
#endif
#define VAD_CAT2(prefix, name) prefix##_##name
#define VAD_CAT(prefix, name) VAD_CAT2(prefix, name)
#define VAD(name) VAD_CAT(VAD_MODEL, name) /* VAD(run) -> silero_vad_run */

#include VAD_HEADER

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SAMPLE_RATE 16000
#define CHUNK 512  /* new samples per call at 16 kHz */
#define CONTEXT 64 /* samples of the previous call kept in front */
#define WINDOW (CONTEXT + CHUNK)
#define STATE_SIZE (2 * 1 * 128)

/* ------------------------------------------------------------------ WAV */

static uint32_t le32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}
static uint16_t le16(const unsigned char *p) {
  return (uint16_t)(p[0] | p[1] << 8);
}

/* Reads a RIFF/WAVE file of 16-bit PCM mono samples at SAMPLE_RATE into
 * *samples (floats, int16 / 32768). Walks the chunks, skipping those it does
 * not need (LIST, fact, ...); refuses anything else with a message. Returns
 * the number of samples, or -1. */
static long read_wav(const char *path, float **samples) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "%s: %s\n", path, strerror(errno));
    return -1;
  }
  long result = -1;
  int16_t *pcm = NULL;
  unsigned char head[12], fmt[40];
  int have_fmt = 0;
  if (fread(head, 1, 12, f) != 12 || memcmp(head, "RIFF", 4) ||
      memcmp(head + 8, "WAVE", 4)) {
    fprintf(stderr, "%s: not a WAV file (no RIFF/WAVE header)\n", path);
    goto done;
  }
  for (;;) {
    unsigned char ch[8];
    if (fread(ch, 1, 8, f) != 8) {
      fprintf(stderr, "%s: no %s chunk\n", path, have_fmt ? "data" : "fmt ");
      goto done;
    }
    uint32_t size = le32(ch + 4);
    if (!memcmp(ch, "fmt ", 4)) {
      if (size < 16) {
        fprintf(stderr, "%s: fmt chunk of %lu bytes\n", path,
                (unsigned long)size);
        goto done;
      }
      uint32_t keep = size < sizeof fmt ? size : (uint32_t)sizeof fmt;
      memset(fmt, 0, sizeof fmt);
      if (fread(fmt, 1, keep, f) != keep ||
          fseek(f, (long)(size - keep) + (long)(size & 1), SEEK_CUR)) {
        fprintf(stderr, "%s: truncated fmt chunk\n", path);
        goto done;
      }
      unsigned format = le16(fmt), channels = le16(fmt + 2);
      unsigned long rate = le32(fmt + 4);
      unsigned align = le16(fmt + 12), bits = le16(fmt + 14);
      /* WAVE_FORMAT_EXTENSIBLE: the real format is the sub-format GUID's
       * first two bytes. */
      if (format == 0xFFFE && size >= 40)
        format = le16(fmt + 24);
      if (format != 1 || bits != 16) {
        fprintf(stderr,
                "%s: format %u, %u bits per sample: only 16-bit PCM "
                "(format 1) is supported\n",
                path, format, bits);
        goto done;
      }
      if (channels != 1) {
        fprintf(stderr, "%s: %u channels: only mono is supported\n", path,
                channels);
        goto done;
      }
      if (align != 2) {
        fprintf(stderr, "%s: block align %u for 16-bit mono\n", path, align);
        goto done;
      }
      if (rate != SAMPLE_RATE) {
        fprintf(stderr,
                "%s: %lu Hz: the model is compiled for %d Hz "
                "(resample the file)\n",
                path, rate, SAMPLE_RATE);
        goto done;
      }
      have_fmt = 1;
    } else if (!memcmp(ch, "data", 4)) {
      if (!have_fmt) {
        fprintf(stderr, "%s: data chunk before the fmt chunk\n", path);
        goto done;
      }
      /* Writers that stream leave a size of 0 or 0xFFFFFFFF: "to the end". */
      int unsized = size == 0 || size == 0xFFFFFFFFu;
      size_t count = unsized ? SIZE_MAX : size / 2;
      long here = ftell(f), end = -1;
      if (here >= 0 && !fseek(f, 0, SEEK_END))
        end = ftell(f);
      if (end < here || fseek(f, here, SEEK_SET)) {
        fprintf(stderr, "%s: cannot seek in the file\n", path);
        goto done;
      }
      size_t left = (size_t)(end - here) / 2;
      if (left < count) {
        if (!unsized)
          fprintf(stderr,
                  "%s: warning: truncated: the data chunk claims %zu "
                  "samples, the file holds %zu\n",
                  path, count, left);
        count = left;
      }
      pcm = malloc(count ? count * sizeof *pcm : 1);
      *samples = malloc(count ? count * sizeof **samples : 1);
      if (!pcm || !*samples) {
        fprintf(stderr, "%s: out of memory\n", path);
        goto done;
      }
      size_t got = fread(pcm, sizeof *pcm, count, f);
      if (got != count) {
        fprintf(stderr, "%s: read error in the data chunk\n", path);
        goto done;
      }
      const unsigned char *b = (const unsigned char *)pcm;
      for (size_t i = 0; i < got; ++i) {
        long v = le16(b + 2 * i);
        (*samples)[i] = (float)(v >= 32768 ? v - 65536 : v) / 32768.0f;
      }
      result = (long)got;
      goto done;
    } else if (fseek(f, (long)size + (long)(size & 1), SEEK_CUR)) {
      fprintf(stderr, "%s: truncated '%.4s' chunk\n", path, (const char *)ch);
      goto done;
    }
  }
done:
  if (result < 0) {
    free(*samples);
    *samples = NULL;
  }
  free(pcm);
  fclose(f);
  return result;
}

/* ------------------------------------------------------- speech segments */

typedef struct segment {
  long start, end; /* samples */
} segment;

typedef struct vad_params {
  double threshold, neg_threshold;
  long min_speech, min_silence, pad; /* samples */
} vad_params;

/* silero's get_speech_timestamps_from_probs with max_speech_duration_s =
 * inf: a segment starts at the first chunk >= threshold and ends where the
 * probability stayed below neg_threshold for min_silence samples; segments
 * not longer than min_speech are dropped; then each is padded by `pad`
 * samples (half the gap when two are closer than 2 * pad). Returns the
 * number of segments written to seg (room for at most n_probs). */
static size_t speech_segments(const float *probs, size_t n_probs,
                              long n_samples, const vad_params *p,
                              segment *seg) {
  size_t n = 0;
  int triggered = 0;
  long start = 0, temp_end = 0;
  for (size_t i = 0; i < n_probs; ++i) {
    long cur = (long)i * CHUNK;
    double prob = probs[i];
    if (prob >= p->threshold && temp_end)
      temp_end = 0;
    if (prob >= p->threshold && !triggered) {
      triggered = 1;
      start = cur;
      continue;
    }
    if (prob < p->neg_threshold && triggered) {
      if (!temp_end)
        temp_end = cur;
      if (cur - temp_end < p->min_silence)
        continue;
      if (temp_end - start > p->min_speech)
        seg[n++] = (segment){start, temp_end};
      triggered = 0;
      temp_end = 0;
    }
  }
  if (triggered && n_samples - start > p->min_speech)
    seg[n++] = (segment){start, n_samples};

  for (size_t i = 0; i < n; ++i) {
    if (i == 0)
      seg[i].start = seg[i].start > p->pad ? seg[i].start - p->pad : 0;
    if (i + 1 < n) {
      long gap = seg[i + 1].start - seg[i].end;
      long shift = gap < 2 * p->pad ? gap / 2 : p->pad;
      seg[i].end += shift;
      seg[i + 1].start =
          seg[i + 1].start > shift ? seg[i + 1].start - shift : 0;
    } else {
      seg[i].end =
          seg[i].end + p->pad < n_samples ? seg[i].end + p->pad : n_samples;
    }
  }
  return n;
}

/* ----------------------------------------------------------------- model */

/* The model must be silero_vad.onnx compiled with --bind sr=16000: inputs
 * `input` [1 or ?, 576] and `state` [2, ?, 128]. Checked through the
 * model's info table, so that another compilation gets a clear message
 * rather than a failing run. */
static int check_model(void) {
  const seqc_model_info *info = VAD(info)();
  if (info->abi_version != SEQC_ABI_VERSION || info->num_inputs != 2 ||
      info->num_outputs != 2 || strcmp(info->inputs[0].name, "input") ||
      strcmp(info->inputs[1].name, "state") || info->inputs[0].rank != 2 ||
      (info->inputs[0].dims[1] != WINDOW && info->inputs[0].dims[1] != -1)) {
    fprintf(stderr,
            "the linked model is not silero_vad.onnx compiled with "
            "--bind sr=16000 --input-shape input=1x%d (it takes %d "
            "inputs)\n",
            WINDOW, (int)info->num_inputs);
    return -1;
  }
  return 0;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int usage(const char *argv0) {
  fprintf(stderr,
          "usage: %s [--threshold T] [--probs FILE] AUDIO.wav\n"
          "  AUDIO.wav: 16-bit PCM, mono, %d Hz\n",
          argv0, SAMPLE_RATE);
  return 1;
}

int main(int argc, char **argv) {
  const char *wav = NULL, *probs_path = NULL;
  vad_params params = {.threshold = 0.5,
                       .min_speech = SAMPLE_RATE * 250 / 1000,
                       .min_silence = SAMPLE_RATE * 100 / 1000,
                       .pad = SAMPLE_RATE * 30 / 1000};
  for (int i = 1; i < argc; ++i) {
    if (!strcmp(argv[i], "--threshold") && i + 1 < argc) {
      char *end;
      params.threshold = strtod(argv[++i], &end);
      if (*end || !(params.threshold > 0 && params.threshold < 1))
        return usage(argv[0]);
    } else if (!strcmp(argv[i], "--probs") && i + 1 < argc) {
      probs_path = argv[++i];
    } else if (argv[i][0] == '-' || wav) {
      return usage(argv[0]);
    } else {
      wav = argv[i];
    }
  }
  if (!wav)
    return usage(argv[0]);
  params.neg_threshold =
      params.threshold - 0.15 > 0.01 ? params.threshold - 0.15 : 0.01;
  if (check_model())
    return 1;

  float *audio = NULL;
  long n_samples = read_wav(wav, &audio);
  if (n_samples < 0)
    return 1;
  size_t n_chunks = ((size_t)n_samples + CHUNK - 1) / CHUNK;

  int status = 1;
  float window[WINDOW] = {0}; /* context (zeros at first), then the chunk */
  float state_a[STATE_SIZE] = {0}, state_b[STATE_SIZE], prob[1];
  float *probs = malloc((n_chunks ? n_chunks : 1) * sizeof *probs);
  segment *segments = malloc((n_chunks ? n_chunks : 1) * sizeof *segments);
  VAD(context) *ctx = VAD(context_create)(NULL);
  if (!probs || !segments || !ctx) {
    fprintf(stderr, "out of memory\n");
    goto done;
  }

  VAD(inputs) in;
  VAD(outputs) out;
  memset(&in, 0, sizeof in);
  memset(&out, 0, sizeof out);
  in.input = window;
  in.input_shape[0] = 1;
  in.input_shape[1] = WINDOW;
  in.state = state_a;
  in.state_shape[0] = 2;
  in.state_shape[1] = 1;
  in.state_shape[2] = 128;
  /* The output shapes depend on the input shapes only: computed once. */
  int err = VAD(output_shapes)(ctx, &in, &out);
  if (err != SEQC_OK) {
    fprintf(stderr, "output_shapes: status %d: %s\n", err,
            VAD(last_error)(ctx));
    goto done;
  }
  if (out.output_shape[0] * out.output_shape[1] != 1 ||
      out.stateN_shape[0] * out.stateN_shape[1] * out.stateN_shape[2] !=
          STATE_SIZE) {
    fprintf(stderr,
            "unexpected output shapes: output [%lld, %lld], stateN "
            "[%lld, %lld, %lld]\n",
            (long long)out.output_shape[0], (long long)out.output_shape[1],
            (long long)out.stateN_shape[0], (long long)out.stateN_shape[1],
            (long long)out.stateN_shape[2]);
    goto done;
  }
  out.output = prob;
  out.stateN = state_b;

  double model_s = 0;
  for (size_t c = 0; c < n_chunks; ++c) {
    /* The last CONTEXT samples of the previous window, then CHUNK new ones. */
    memmove(window, window + CHUNK, CONTEXT * sizeof *window);
    long first = (long)c * CHUNK;
    long have = n_samples - first < CHUNK ? n_samples - first : CHUNK;
    memcpy(window + CONTEXT, audio + first, (size_t)have * sizeof *window);
    memset(window + CONTEXT + have, 0, (size_t)(CHUNK - have) * sizeof *window);

    double t0 = now_s();
    err = VAD(run)(ctx, &in, &out);
    model_s += now_s() - t0;
    if (err != SEQC_OK) {
      fprintf(stderr, "chunk %zu: run: status %d: %s\n", c, err,
              VAD(last_error)(ctx));
      goto done;
    }
    probs[c] = prob[0];
    /* The new state is the next call's input: swap the two buffers. */
    float *next = out.stateN;
    out.stateN = (float *)in.state;
    in.state = next;
  }

  if (probs_path) {
    FILE *pf = fopen(probs_path, "w");
    if (!pf) {
      fprintf(stderr, "%s: %s\n", probs_path, strerror(errno));
      goto done;
    }
    for (size_t c = 0; c < n_chunks; ++c)
      fprintf(pf, "%.6f\n", probs[c]);
    if (fclose(pf)) {
      fprintf(stderr, "%s: write failed\n", probs_path);
      goto done;
    }
  }
  size_t n = speech_segments(probs, n_chunks, n_samples, &params, segments);
  for (size_t i = 0; i < n; ++i)
    printf("%.3f %.3f\n", (double)segments[i].start / SAMPLE_RATE,
           (double)segments[i].end / SAMPLE_RATE);
  fprintf(stderr,
          "%s: %.3f s, %zu chunks, %zu speech segments, %.1f us/chunk "
          "(model run only)\n",
          wav, (double)n_samples / SAMPLE_RATE, n_chunks, n,
          n_chunks ? 1e6 * model_s / (double)n_chunks : 0.0);
  status = 0;

done:
  VAD(context_destroy)(ctx);
  free(segments);
  free(probs);
  free(audio);
  return status;
}
