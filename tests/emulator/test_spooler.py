"""The spooler: every report written to a `$S.#LOC.NAME` location is kept, with its job number."""

from __future__ import annotations

from datetime import timedelta

import pytest

from emulator.errors import InvalidArgument, InvalidName, NotFound


def _count(node):
    with node.store.read() as db:
        return db["spooler_reports"].count


def test_job_numbers_increase_when_reports_are_written(node, clock):
    first = node.spooler.write("$S.#INS.EXP", ["line 1"], process="$X66X")
    clock.advance(by=timedelta(minutes=3))
    second = node.spooler.write("$s.#ins.exp", ["line 2"], process="\\INSIDX.$X66X", job_name="CATSYNC")
    assert second.report_id > first.report_id
    assert first.location == second.location == "$S.#INS.EXP"
    assert first.process == second.process == "\\INSIDX.$X66X"
    assert first.job_name == "EXP" and second.job_name == "CATSYNC"
    assert second.written == clock.now()


def test_read_returns_the_newest_report_when_no_id_is_given(node):
    node.spooler.write("$S.#INS.EXP", ["old"])
    newest = node.spooler.write("$S.#INS.EXP", ["new", "", "  indented"])
    node.spooler.write("$S.#INS.IMP", ["other location"])
    report = node.spooler.read("$S.#INS.EXP")
    assert report.report_id == newest.report_id
    assert report.lines == ("new", "", "  indented")


def test_read_returns_that_job_when_an_id_is_given(node):
    first = node.spooler.write("$S.#INS.EXP", ["first"])
    node.spooler.write("$S.#INS.EXP", ["second"])
    assert node.spooler.read("$S.#INS.EXP", first.report_id).lines == ("first",)
    assert node.spooler.read("", first.report_id).lines == ("first",)


def test_list_matches_reports_under_a_location_prefix_when_the_report_name_is_omitted(node):
    exp = node.spooler.write("$S.#INS.EXP", ["a"])
    imp = node.spooler.write("$S.#INS.IMP", ["b"])
    node.spooler.write("$S.#INSX.EXP", ["c"])
    node.spooler.write("$S.#SLABA.EXPDAYL", ["d"])
    assert [r.report_id for r in node.spooler.list("$S.#INS")] == [exp.report_id, imp.report_id]
    assert [r.report_id for r in node.spooler.list("$S.#INS.IMP")] == [imp.report_id]
    assert len(node.spooler.list()) == 4
    assert all(r.lines == () for r in node.spooler.list())


def test_read_fails_with_not_found_when_the_location_has_no_report(node):
    node.spooler.write("$S.#INS.EXP", ["a"])
    with pytest.raises(NotFound) as err:
        node.spooler.read("$S.#INS.IMP")
    assert "ListReports" in err.value.message
    with pytest.raises(NotFound):
        node.spooler.read("$S.#INS.IMP", 1)  # job 1 exists, but elsewhere


@pytest.mark.parametrize("bad", ["$S", "$S.INS.EXP", "$S.#INS.EXP.MORE", "S.#INS.EXP", "$S.#TOOLONGLOC.EXP",
                                 "$S.#INS.1EXP", "$S.#INS. EXP"])
def test_malformed_locations_are_refused_and_nothing_is_spooled_when_written(node, bad):
    with pytest.raises(InvalidName) as err:
        node.spooler.write(bad, ["x"])
    assert "$S.#" in err.value.message or "letters" in err.value.message
    assert _count(node) == 0


def test_writes_are_refused_when_a_line_holds_a_newline_or_the_process_is_malformed(node):
    with pytest.raises(InvalidArgument):
        node.spooler.write("$S.#INS.EXP", ["two\nlines"])
    with pytest.raises(InvalidName):
        node.spooler.write("$S.#INS.EXP", ["x"], process="X66X")
    assert _count(node) == 0


def test_read_is_refused_when_neither_location_nor_id_is_given(node):
    with pytest.raises(InvalidArgument):
        node.spooler.read()


def test_reports_survive_a_crash_and_restart_when_spooled(node):
    written = node.spooler.write("$S.#INS.EXP", ["kept"])
    node.crash()
    node.restart()
    assert node.spooler.read("$S.#INS.EXP") == written
    assert node.spooler.write("$S.#INS.EXP", ["next"]).report_id > written.report_id
