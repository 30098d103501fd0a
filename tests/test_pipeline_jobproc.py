"""The job process's wait (:func:`cio_analytics.pipeline.jobproc._wait`): it ends with the
process, with a time limit or with a cancellation, with or without a pidfd to wait on."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cio_analytics.pipeline import jobproc

SLEEPER = [sys.executable, "-c", "import sys, time; time.sleep(float(sys.argv[1]))"]


@pytest.fixture(params=["pidfd", "polling"])
def handles(request, monkeypatch):
    """Both ways of waiting: a pidfd where the system has one, and the 0.2 s checks."""
    if request.param == "polling":
        monkeypatch.setattr(jobproc, "_exit_handle", lambda pid: None)
    return request.param


def test_wait_returns_when_the_process_ends(handles):
    proc = subprocess.Popen([*SLEEPER, "0.3"])
    jobproc._wait(proc, 60.0, lambda: False)
    assert proc.returncode == 0


def test_wait_returns_for_a_forked_job_that_is_gone(handles):
    proc = subprocess.Popen([*SLEEPER, "0"])
    proc.wait()
    forked = jobproc._Forked(proc.pid)
    jobproc._wait(forked, 60.0, None)
    assert forked.returncode == 0


def test_wait_raises_past_the_time_limit(handles):
    proc = subprocess.Popen([*SLEEPER, "60"])
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            jobproc._wait(proc, 0.3, None)
        assert proc.poll() is None  # the caller kills it, not the wait
    finally:
        proc.kill()
        proc.wait()


def test_wait_raises_when_the_run_cancels(handles):
    proc = subprocess.Popen([*SLEEPER, "60"])
    try:
        with pytest.raises(jobproc.JobCancelled):
            jobproc._wait(proc, None, lambda: True)
    finally:
        proc.kill()
        proc.wait()


def test_no_exit_handle_for_a_process_that_is_gone():
    proc = subprocess.Popen([*SLEEPER, "0"])
    proc.wait()
    assert jobproc._exit_handle(proc.pid) is None


def test_warm_up_leaves_a_ready_exporter_and_no_files(tmp_path, monkeypatch):
    """The job server's warm-up renders its report in a temporary folder it removes, and
    leaves this thread's HTML exporter built (what every forked job then reuses)."""
    import tempfile

    from cio_analytics.pipeline import export

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.delattr(export._local, "exporter", raising=False)
    jobproc._warm_up()
    assert getattr(export._local, "exporter", None) is not None
    assert list(tmp_path.iterdir()) == []
