"""`say` and `show`: the narration and the operator's views a demo prints, recorded in the history."""

from __future__ import annotations

import pytest

from harness.history import OK
from tests.harness.conftest import assert_step_rejected, last_op, settled_backup


def test_show_returns_the_lines_an_operator_sees_and_records_them(dr_pair):
    sim = dr_pair
    settled_backup(sim, 1)
    page = sim.show(export_status="DS_WIN1_DES")
    assert any("DS_WIN1_DES" in line for line in page), page
    done = last_op(sim, "show")
    assert done.type == OK and done.value["lines"] == page and done.value["subject"] == "export_status"
    ems = sim.show(ems="\\INSIDX", last=3)
    assert 0 < len(ems) <= 3
    assert sim.show(mediacom="INFO MEDIADEFS", node="\\ETINIUM")


def test_say_is_an_event_of_the_story(dr_pair):
    dr_pair.say("The primary site writes its nightly backups.")
    assert last_op(dr_pair, "say").value == {"text": "The primary site writes its nightly backups."}


@pytest.mark.parametrize("step, message", [
    ("say: ''", "say is the narration as text"),
    ("show: {export_status: DS, import_status: DS}", "show names exactly one of"),
    ("show: {ems: '\\\\INSIDX', lines: 3}", "unknown key 'lines'"),
    ("show: EMS", "show is a mapping"),
])
def test_malformed_narration_steps_name_the_line(step, message):
    assert_step_rejected(step, message)
