"""Ctrl-C during a long run: KeyboardInterrupt between blocks, nothing returned or written; the
GIL is released while the library runs."""

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import inspectsim

LONG = textwrap.dedent(
    """
    replicates = 400000000
    [[cell]]
    force = "A"
    category = "rape"
    true_rate = { beta = [3, 7] }
    sample = 40
    clusters = { count = 4, icc = 0.1 }
    """
)


def interrupt_at(monkeypatch, call):
    """Replaces the progress bar by a hook that raises KeyboardInterrupt at its `call`-th report, as
    Python does when SIGINT arrives; returns the list of (done, total) reports, then "closed"."""
    calls = []

    class Interrupting:
        def __init__(self, what):
            pass

        def __call__(self, done, total):
            calls.append((done, total))
            if len(calls) == call:
                raise KeyboardInterrupt

        def close(self):
            calls.append("closed")

    monkeypatch.setattr(inspectsim, "_Progress", Interrupting)
    return calls


def test_sigint_stops_a_long_simulate_and_writes_nothing(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys, inspectsim
        print("started", flush=True)
        try:
            s = inspectsim.simulate({LONG!r}, threads=1)
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            sys.exit(130)
        inspectsim.report(s, {str(tmp_path / "report.html")!r})
        print("finished", flush=True)
        """
    )
    p = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "started"
    time.sleep(1.5)  # well inside the run (minutes of work at 400 million replicates)
    started = time.monotonic()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    assert time.monotonic() - started < 10, "the run did not stop between blocks"
    assert p.returncode == 130, (out, err)
    assert out.strip() == "interrupted"
    assert not (tmp_path / "report.html").exists()
    assert os.listdir(tmp_path) == []


def test_the_gil_is_released_during_a_run():
    # While simulate runs in one thread, another Python thread keeps running.
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    t = threading.Thread(target=tick)
    t.start()
    try:
        inspectsim.simulate(LONG, replicates=3_000_000, threads=1)
    finally:
        done.set()
        t.join()
    assert len(ticks) > 20


def test_interrupt_from_the_progress_hook_raises_keyboard_interrupt(monkeypatch):
    # The progress hook is where a KeyboardInterrupt arrives (Python runs its SIGINT handler when the
    # library reports progress): raised there, the library stops between blocks and nothing comes back.
    calls = interrupt_at(monkeypatch, 3)
    result = None
    try:
        result = inspectsim.simulate(LONG, threads=1)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("no KeyboardInterrupt")
    assert result is None
    assert calls[-1] == "closed" and len(calls) == 4
    done, total = calls[2]
    assert done < total


def test_plain_progress_bar_on_a_terminal(capsys):
    # Without tqdm, a plain bar on standard error, once the run has taken a second; cleared at the end.
    import builtins

    real_import = builtins.__import__

    def no_tqdm(name, *args, **kwargs):
        if name == "tqdm":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    bar = inspectsim._Progress("simulating")
    bar.enabled = True  # as on a terminal
    bar(10, 100)
    assert capsys.readouterr().err == ""  # not within the first second
    bar.start -= 2
    builtins.__import__ = no_tqdm
    try:
        bar(25, 100)
    finally:
        builtins.__import__ = real_import
    bar.close()
    err = capsys.readouterr().err
    assert err.startswith("\rsimulating [#######.......................] 25%  ETA ")
    assert err.endswith("\r" + " " * 60 + "\r")


def test_no_progress_bar_when_not_interactive(capsys):
    bar = inspectsim._Progress("simulating")
    assert not bar.enabled  # pytest captures standard error: not a terminal
    bar.start -= 2
    bar(25, 100)
    bar.close()
    assert capsys.readouterr().err == ""


def test_interrupt_stops_compare_between_blocks(monkeypatch, in_repository):
    # compare's draws report progress as simulate's replicates do; a KeyboardInterrupt raised in the
    # hook stops them between blocks and nothing comes back.
    calls = interrupt_at(monkeypatch, 2)
    started = time.monotonic()
    try:
        inspectsim.compare("scenarios/data/hmicfrs-cancelled-crimes.csv", shrinkage="empirical",
                           draws=5_000_000, threads=1, max_work=1e18)
    except KeyboardInterrupt:
        pass
    else:
        raise AssertionError("no KeyboardInterrupt")
    assert time.monotonic() - started < 30, "the draws did not stop between blocks"
    assert calls[-1] == "closed"
    done, total = calls[1]
    assert done < total


def test_a_run_interrupted_with_a_checkpoint_resumes_to_the_same_result(monkeypatch, tmp_path):
    # Interrupted twice from the progress hook (as Ctrl-C arrives), the run keeps its progress in the
    # checkpoint; the same call then resumes and returns what an uninterrupted run returns.
    scenario = LONG.replace("replicates = 400000000", "replicates = 3000000")
    whole = inspectsim.simulate(scenario, threads=2).to_dict()
    checkpoint = tmp_path / "run.checkpoint"
    for stop_at in (2, 3):
        calls = interrupt_at(monkeypatch, stop_at)
        try:
            inspectsim.simulate(scenario, threads=1, checkpoint=checkpoint, checkpoint_interval=0)
        except KeyboardInterrupt:
            pass
        else:
            raise AssertionError("no KeyboardInterrupt")
        assert checkpoint.exists()
        done, total = calls[stop_at - 1]
        assert 0 < done < total
    monkeypatch.undo()
    resumed = inspectsim.simulate(scenario, threads=2, checkpoint=str(checkpoint))
    assert resumed.to_dict() == whole
    assert not checkpoint.exists()  # removed once the result is returned
    assert os.listdir(tmp_path) == []


def test_a_checkpoint_of_another_run_is_refused(monkeypatch, tmp_path):
    scenario = LONG.replace("replicates = 400000000", "replicates = 3000000")
    checkpoint = tmp_path / "run.checkpoint"
    interrupt_at(monkeypatch, 2)
    try:
        inspectsim.simulate(scenario, threads=1, checkpoint=checkpoint)
    except KeyboardInterrupt:
        pass
    monkeypatch.undo()
    try:
        inspectsim.simulate(scenario, seed=5, checkpoint=checkpoint)
    except inspectsim.InputError as e:
        assert str(e) == (
            f"checkpoint '{checkpoint}' is of a run with seed 20180419, but this run's seed is 5: remove it "
            "(or give another checkpoint path) to start the run afresh")
    else:
        raise AssertionError("a stale checkpoint was used")
    assert checkpoint.exists()  # refused, not removed
    try:
        inspectsim.simulate(scenario, checkpoint=checkpoint, checkpoint_interval=-1)
    except inspectsim.InputError as e:
        assert e.field == "checkpoint_interval"
    else:
        raise AssertionError("a negative interval was taken")
