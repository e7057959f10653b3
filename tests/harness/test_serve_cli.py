"""`catsync-sim serve` in a real process, driven by `catsync-sim mediacom` in another, as a user would."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest


def _serve(topology: str, state_dir, launcher: str = "subprocess") -> tuple[subprocess.Popen, str, str]:
    """`catsync-sim serve` in its own process: (the process, its control address, the banner up to it)."""
    proc = subprocess.Popen([sys.executable, "-m", "harness.cli", "serve", topology, "--state-dir", str(state_dir),
                             "--launcher", launcher], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    for line in proc.stdout:  # type: ignore[union-attr]
        lines.append(line)
        if line.startswith("export CATSYNC_SIM_CONTROL="):
            return proc, line.strip().split("=", 1)[1], "".join(lines)
    proc.kill()
    raise AssertionError("".join(lines) + proc.stderr.read())  # type: ignore[union-attr]


def _stop(proc: subprocess.Popen) -> None:
    """Ctrl-C, as a user stops it; killed if it does not end."""
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(params=["inprocess", "subprocess"])
def served(request, tmp_path):
    proc, control, banner = _serve("two-node", tmp_path, request.param)
    try:
        yield control, banner
    finally:
        _stop(proc)
    assert proc.returncode == 0


def _mediacom(control, node, command):
    env = {**os.environ, "CATSYNC_SIM_CONTROL": control}
    return subprocess.run([sys.executable, "-m", "harness.cli", "mediacom", "--node", node, command],
                          capture_output=True, text=True, env=env, timeout=60)


def test_serve_prints_every_endpoint_and_mediacom_talks_to_it(served, request):
    control, banner = served
    assert "emulator.v1.Guardian" in banner and "\\ETINIUM" in banner and "emulator.v1.Control" in banner
    assert f"launcher {request.node.callspec.params['served']}" in banner
    added = _mediacom(control, "\\INSIDX", "ADD TAPEVOLUME EW1008, POOL E501_WIN1, VOLCAT QCVOLCAT")
    assert added.returncode == 0, added.stdout + added.stderr
    info = _mediacom(control, "\\INSIDX", "INFO TAPEVOLUME EW1008")
    assert info.returncode == 0 and "EW1008" in info.stdout


def test_mediacom_error_exits_1_with_the_error_line(served):
    control, _ = served
    result = _mediacom(control, "\\ETINIUM", "INFO DISKFILE \\NODEP.$*.*.*")
    assert result.returncode == 1
    assert "**ERROR-5048**" in result.stdout


def test_mediacom_for_an_unknown_node_names_the_known_ones(served):
    control, _ = served
    result = _mediacom(control, "\\NOWHERE", "INFO MEDIADEFS")
    assert result.returncode == 2
    assert "\\INSIDX" in result.stderr and "\\ETINIUM" in result.stderr


def test_the_swarm_runs_against_a_served_topology_with_run_launcher_remote(tmp_path):
    """The random fault schedule (node crashes included) under the third launcher: `serve` in one process,
    `run --launcher remote` in another, as a user running a drill against a long-lived topology would."""
    proc, control, _ = _serve("minimal", tmp_path / "state")
    try:
        env = {**os.environ, "CATSYNC_SIM_CONTROL": control}
        run = subprocess.run([sys.executable, "-m", "harness.cli", "run", "swarm", "--launcher", "remote", "--seed",
                              "3", "--out", str(tmp_path / "run"), "--quiet"],
                             capture_output=True, text=True, env=env, timeout=600)
        assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
        assert '"verdict": "valid"' in run.stdout and "--launcher remote" in run.stdout
        history = (tmp_path / "run" / "history.jsonl").read_text()
        assert '"f":"fail"' in history.replace(" ", ""), "the swarm injected faults"
        wrong = subprocess.run([sys.executable, "-m", "harness.cli", "run", "smoke", "--control", control],
                               capture_output=True, text=True, timeout=60)
        assert wrong.returncode == 2 and "--control is the address of a running topology" in wrong.stderr
    finally:
        _stop(proc)
