"""The GIL is released while compiled code runs: another Python thread makes
progress during a long call (no wall-clock threshold is involved)."""
import sys
import threading

import numpy as np
import pytest

import rnn_models

seqc = pytest.importorskip("seqc")


def test_other_threads_progress_during_a_compiled_call():
    model, feeds = rnn_models.make_rnn_model(
        "LSTM", direction="bidirectional", layout=0, hidden=32, input_size=16,
        with_bias=True, with_seq_lens=False, with_initial_h=False, with_initial_c=False,
        dynamic_dims=True, batch=4, seq_len=2, seed=0)
    compiled = seqc.compile(model)
    x = np.random.default_rng(0).standard_normal((20000, 4, 16)).astype(np.float32)

    counter = 0
    stop = threading.Event()

    def count():
        nonlocal counter
        while not stop.is_set():
            counter += 1

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-4)
    worker = threading.Thread(target=count)
    worker.start()
    try:
        # Wait until the counting thread is demonstrably running.
        while counter == 0:
            pass
        before = counter
        compiled(x)  # a long call into compiled code
        after = counter
    finally:
        stop.set()
        worker.join()
        sys.setswitchinterval(old)
    # With the GIL held for the whole call the counter could not move.
    assert after > before


def test_two_models_in_two_threads_match_sequential_runs():
    results = {}
    models = []
    for seed in (1, 2):
        model, feeds = rnn_models.make_rnn_model(
            "GRU", direction="forward", layout=0, hidden=8, input_size=4, with_bias=True,
            with_seq_lens=False, with_initial_h=False, with_initial_c=False,
            dynamic_dims=True, batch=3, seq_len=50, seed=seed)
        models.append((seqc.compile(model), feeds))
    expected = [cm.run(feeds) for cm, feeds in models]

    def work(i):
        cm, feeds = models[i]
        results[i] = [cm.run(feeds) for _ in range(20)]

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for i in range(2):
        for run in results[i]:
            for got, want in zip(run, expected[i]):
                np.testing.assert_array_equal(got, want)


def test_compiling_in_two_threads_at_once():
    models = [rnn_models.make_rnn_model(
        op, direction="forward", layout=0, hidden=3, input_size=2, with_bias=True,
        with_seq_lens=False, with_initial_h=False, with_initial_c=False,
        dynamic_dims=True, batch=2, seq_len=3, seed=0) for op in ("LSTM", "GRU")]
    compiled = [None, None]

    def work(i):
        compiled[i] = seqc.compile(models[i][0])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for cm, (model, feeds) in zip(compiled, models):
        want = rnn_models.run_ort(model, feeds)
        for got, w in zip(cm.run(feeds), want):
            assert np.abs(got - w).max() <= 1e-4


def test_threads_setting_runs_the_same_bits_on_the_worker_pool():
    # A batch-40 LSTM step is split across the context's threads; the model
    # keeps its context (and its workers) from call to call.
    model, feeds = rnn_models.make_rnn_model(
        "LSTM", direction="forward", hidden=64, input_size=32, dynamic_dims=True,
        batch=40, seq_len=4, seed=3)
    compiled = seqc.compile(model)
    assert compiled.threads == 1
    one = compiled.run(feeds)
    compiled.threads = 2
    assert compiled.threads == 2
    for _ in range(3):
        for a, b in zip(one, compiled.run(feeds)):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("bad", [0, -1, 1.5, "2", True])
def test_threads_must_be_a_positive_int(bad):
    model, _ = rnn_models.make_rnn_model("GRU", hidden=4, input_size=2)
    compiled = seqc.compile(model)
    with pytest.raises(ValueError, match="threads must be a positive int"):
        compiled.threads = bad
    assert compiled.threads == 1
