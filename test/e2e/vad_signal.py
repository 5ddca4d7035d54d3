"""A deterministic test signal for voice activity detection (numpy only).

`make_signal()` synthesises about 25 s of 16 kHz mono audio made of segments
of known kind:

* "silence": very low white noise (about -70 dBFS);
* "noise": white or pink-ish noise (an FFT-shaped 1/f power spectrum);
* "speech": speech-like voiced bursts: the harmonics below 4 kHz of a
  fundamental of about 100-200 Hz (kept within 90-250 Hz) whose pitch
  glides slowly, with syllable accents, declination, a little jitter and
  shimmer; shaped by vowel formants (F1 270-730 Hz, F2 840-2290 Hz,
  F3 2240-3010 Hz, a vowel per syllable gliding toward the next);
  amplitude-modulated at a syllable rate of 4-6 Hz, with short
  fricative-like noise bursts between some syllables.

It returns the samples (float32 in [-1, 1]) and the ground truth as a list of
(start_s, end_s, kind). `chunks()` cuts a signal exactly as silero-vad's
reference OnnxWrapper does (512 new samples at 16 kHz, 256 at 8 kHz, each
call prefixed with the last 64 / 32 samples of the previous call, zeros
before the first; the last partial chunk zero-padded). `write_wav()` writes
16-bit PCM mono with the standard library's `wave` module.

Used by test/e2e/test_silero_vad.py and examples/vad/make_wav.py.
"""

from __future__ import annotations

import wave
from typing import Iterator

import numpy as np

RATE = 16000
# The default seed. silero-vad detects the bursts as speech with most seeds;
# with this one silero_vad.onnx (6.2.3) gives > 0.5 on nearly every chunk of
# every speech segment and on few others, which makes the signal a clear case.
SEED = 21

# (kind, duration in seconds, noise colour). 25.2 s in all; every kind occurs
# several times, speech both after silence and directly after noise.
LAYOUT = (
    ("silence", 1.0, None),
    ("speech", 2.2, None),
    ("silence", 1.2, None),
    ("noise", 1.8, "white"),
    ("speech", 2.6, None),
    ("silence", 0.9, None),
    ("noise", 2.0, "pink"),
    ("silence", 1.0, None),
    ("speech", 3.0, None),
    ("noise", 1.5, "pink"),
    ("speech", 2.4, None),
    ("silence", 1.4, None),
    ("noise", 1.2, "white"),
    ("speech", 2.0, None),
    ("silence", 1.0, None),
)

# Vowel formants (Hz) and bandwidths, roughly Peterson & Barney's averages.
_VOWELS = (
    ((730, 1090, 2440), (90, 110, 170)),   # a
    ((530, 1840, 2480), (60, 100, 150)),   # e
    ((270, 2290, 3010), (60, 90, 170)),    # i
    ((570, 840, 2410), (70, 80, 160)),     # o
    ((300, 870, 2240), (60, 80, 150)),     # u
    ((660, 1720, 2410), (80, 100, 160)),   # ae
)


def _white(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.standard_normal(n)


def _pink(rng: np.random.Generator, n: int) -> np.ndarray:
    """Noise with a 1/f power spectrum, unit RMS."""
    spec = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1.0 / RATE)
    f[0] = f[1]
    spec /= np.sqrt(f)
    x = np.fft.irfft(spec, n)
    return x / np.sqrt(np.mean(x * x))


def _formant_gain(freq: np.ndarray, formants, bandwidths) -> np.ndarray:
    """A cascade of second-order resonances evaluated at `freq` (Hz), with a
    -12 dB/octave glottal source tilt and +6 dB/octave lip radiation."""
    g = np.ones_like(freq)
    for fc, bw in zip(formants, bandwidths):
        # |H| of a resonator normalised to 1 at DC.
        g *= (fc * fc) / np.sqrt((fc * fc - freq * freq) ** 2 + (bw * freq) ** 2)
    return g * (100.0 / np.maximum(freq, 100.0))  # net -6 dB/octave tilt


def _speech(rng: np.random.Generator, n: int) -> np.ndarray:
    """Speech-like voiced bursts, peak-normalised to 1."""
    t = np.arange(n) / RATE
    dur = n / RATE

    # Syllables at a syllable rate of 4-6 Hz, each with its own vowel,
    # loudness and pitch accent.
    rate = rng.uniform(4.0, 6.0)
    bounds = [0.0]
    while bounds[-1] < dur:
        bounds.append(bounds[-1] + rng.uniform(0.75, 1.25) / rate)
    bounds[-1] = dur
    voiced = np.zeros(n)
    loudness = np.zeros(n)
    frication = np.zeros(n)
    formants = np.zeros((n, 3))
    bandwidths = np.zeros((n, 3))
    accents = []
    for a, b in zip(bounds[:-1], bounds[1:]):
        i, j = int(a * RATE), int(b * RATE)
        m = j - i
        if m <= 0:
            continue
        u = np.arange(m) / m
        # Voiced nucleus: rises over ~25%, falls over ~35%, then a 10-20% gap.
        gap = rng.uniform(0.10, 0.20)
        v = np.clip(np.minimum(u / 0.25, (1.0 - gap - u) / 0.35), 0.0, 1.0)
        voiced[i:j] = np.sin(0.5 * np.pi * v) ** 2
        loudness[i:j] = rng.uniform(0.6, 1.0)
        vowel = _VOWELS[rng.integers(len(_VOWELS))]
        following = _VOWELS[rng.integers(len(_VOWELS))]
        # Formants move from this vowel toward the next one (diphthong-like).
        w = 0.5 * (u ** 2)[:, None]
        formants[i:j] = (1 - w) * np.array(vowel[0]) + w * np.array(following[0])
        bandwidths[i:j] = vowel[1]
        accents.append(((a + b) / 2, rng.uniform(0.88, 1.12)))
        if rng.random() < 0.5:  # a fricative-like burst in the gap
            k = int((1.0 - 0.8 * gap) * m)
            frication[i + k:j] = np.hanning(j - i - k)

    # Pitch: a base of 100-200 Hz, a slow glide, declination over the
    # phrase, the syllables' accents, and a little (low-passed) jitter.
    f_base = rng.uniform(100.0, 200.0)
    glide = 1.0 + 0.12 * np.sin(2 * np.pi * rng.uniform(0.3, 0.7) * t + rng.uniform(0, 6.3))
    declination = 1.0 - 0.12 * t / dur
    centres, factors = zip(*accents)
    accent = np.interp(t, centres, factors)
    jitter = 0.25 * np.convolve(rng.standard_normal(n), np.ones(160) / 160, "same")
    f0 = np.clip(f_base * glide * declination * accent * (1.0 + jitter), 90.0, 250.0)
    phase = 2 * np.pi * np.cumsum(f0) / RATE

    shimmer = 1.0 + 0.1 * np.convolve(rng.standard_normal(n), np.ones(80) / 80, "same")
    amp = voiced * loudness * shimmer
    out = np.zeros(n)
    for k in range(1, 41):  # harmonics below 4 kHz: 16-40 of them
        fk = k * f0
        alive = fk < 4000.0
        if not alive.any():
            break
        gain = np.zeros(n)
        gain[alive] = _formant_gain(fk[alive], formants[alive].T, bandwidths[alive].T)
        out += gain * np.sin(k * phase)
    out *= amp
    # A little aspiration on the voiced parts, and hiss in the fricatives:
    # high-passed noise (a first difference).
    hiss = np.diff(rng.standard_normal(n + 1))
    out += 0.02 * np.max(np.abs(out)) * amp * hiss
    out = out / np.max(np.abs(out))
    out += 0.15 * frication * hiss / np.max(np.abs(hiss))
    return out / np.max(np.abs(out))


def make_signal(seed: int = SEED, rate: int = RATE):
    """(samples float32 [n], segments [(start_s, end_s, kind)]). Only 16 kHz
    is synthesised; other rates are resampled from it by linear
    interpolation (8 kHz for silero's 8 kHz mode)."""
    rng = np.random.default_rng(seed)
    parts, segments, start = [], [], 0.0
    for kind, seconds, colour in LAYOUT:
        n = int(round(seconds * RATE))
        if kind == "silence":
            x = 10 ** (-70 / 20) * _white(rng, n)
        elif kind == "noise":
            x = _white(rng, n) if colour == "white" else _pink(rng, n)
            x *= 10 ** (-26 / 20)  # RMS -26 dBFS
        else:
            x = 0.5 * _speech(rng, n)
            x += 10 ** (-70 / 20) * _white(rng, n)
        # 5 ms fades at the joins, so that no click starts a segment.
        fade = min(80, n // 2)
        ramp = np.sin(0.5 * np.pi * np.arange(fade) / fade) ** 2
        x[:fade] *= ramp
        x[n - fade:] *= ramp[::-1]
        parts.append(x)
        segments.append((round(start, 6), round(start + n / RATE, 6), kind))
        start += n / RATE
    x = np.concatenate(parts)
    x = np.clip(x, -1.0, 1.0)
    if rate != RATE:
        t = np.arange(int(len(x) * rate / RATE)) / rate
        x = np.interp(t, np.arange(len(x)) / RATE, x)
    return x.astype(np.float32), segments


def chunks(signal: np.ndarray, chunk: int = 512, context: int = 64) -> Iterator[np.ndarray]:
    """The model inputs of silero-vad's reference wrapper: float32 arrays of
    context + chunk samples. Each starts with the last `context` samples of
    the previous array (zeros for the first); the last partial chunk is
    zero-padded to `chunk` samples."""
    x = np.asarray(signal, dtype=np.float32).reshape(-1)
    if len(x) % chunk:
        x = np.concatenate([x, np.zeros(chunk - len(x) % chunk, np.float32)])
    ctx = np.zeros(context, np.float32)
    for i in range(0, len(x), chunk):
        window = np.concatenate([ctx, x[i:i + chunk]])
        ctx = window[-context:]
        yield window


def write_wav(path, samples: np.ndarray, rate: int = RATE) -> None:
    """16-bit PCM mono WAV of float samples in [-1, 1): x * 32768, rounded and
    clipped, the inverse of the usual int16 / 32768 reading."""
    pcm = np.clip(np.round(np.asarray(samples, np.float64) * 32768.0), -32768, 32767)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.astype("<i2").tobytes())
