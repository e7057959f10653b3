"""The demo runs end to end and tells the story it promises."""

from __future__ import annotations

import io

from harness.demo import run_demo


def test_demo_behaves_as_narrated():
    out = io.StringIO()
    assert run_demo(seed=3, out=out) == 0, out.getvalue()
    text = out.getvalue()
    assert "Guardian error 250" in text
    assert "ERROR-5048" in text
    assert "UNEXPECTED" not in text
    assert "replay with: catsync-sim demo --seed 3" in text
