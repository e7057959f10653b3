"""junit.xml: parses, counts tests / failures / errors right, carries the run's properties, and stays valid XML
whatever the scenario wrote into its values."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pytest

from harness.errors import RunDirError
from harness.history import FAIL, INFO, OK, Event, History, digest
from harness.junit import build_junit, write_junit

ODD = '<script>&"\'\x00\x07\x1b\ud800 ]]> é'


def history() -> list[Event]:
    t = [datetime(2025, 9, 23, 20, 5, tzinfo=timezone.utc)]
    h = History(now=lambda: t[0].isoformat())

    def op(f: str, args: dict, outcome: str | None, value: dict | None = None, error: str = "") -> None:
        inv = h.invoke(f, args)
        t[0] += timedelta(minutes=1)
        if outcome is not None:
            h.complete(inv, outcome, value, error)

    op("backup", {"count": 1}, OK, {"file_id": "E501NEW-OBK11-WIN1"})
    op("expect", {"report": "E501_WIN1_SND", "contains": "I3342"}, OK, {"found": True})
    op("expect", {"report": "E501_WIN1_SND", "contains": ODD}, FAIL, {"report": ODD}, f"{ODD} not in the report")
    op("restore_check", {"file_id": "E501NEW-OBK11-WIN1", "generation": 1}, INFO, None,
       "DEADLINE_EXCEEDED: no answer")
    op("check", {"checkers": "all"}, OK, {"dump": "check-9", "checks": []})
    op("export", {"type": "UPDATE"}, FAIL, {"outcome": "FAILED"}, "FAILED: Guardian error 250")  # not a testcase
    op("restore_check", {"file_id": "E501NEW-OBK11-WIN1"}, None)                                # never completed
    return h.events


def results(**extra) -> dict:
    return {"scenario": "link-down-during-export", "topology": "e501-sample", "seed": 42, "launcher": "inprocess",
            "verdict": "invalid", "replay": "catsync-sim run link-down-during-export --seed 42",
            "history_digest": "abc123", "virtual_start": "2025-09-23T20:05:00+00:00",
            "virtual_end": "2025-09-23T20:12:00+00:00", "wall_seconds": 3.5,
            "checks": [{"checker": "catalog-consistency", "verdict": "invalid", "summary": "1 volume missing",
                        "evidence": ["missing EW1008 at \\ETINIUM", {"label": "EW1009", "kind": "stale"}]},
                       {"checker": "rpo", "verdict": "valid", "summary": "newest backup restorable", "evidence": []},
                       {"checker": "recoverability", "verdict": "unknown", "summary": "STO_SEC unreachable",
                        "evidence": {"storage": "STO_SEC"}}], **extra}


def parse(tmp_path, res: dict, events: list[Event]) -> ET.Element:
    path = tmp_path / "junit.xml"
    write_junit(path, res, events)
    return ET.parse(path).getroot()


def test_counts_and_properties_when_run_has_checkers_and_checking_operations(tmp_path):
    root = parse(tmp_path, results(), history())
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "link-down-during-export"
    cases = suite.findall("testcase")
    # 3 checkers + 2 expect + 2 restore_check + 1 check; the failed export is not a test
    assert len(cases) == 8 == int(suite.get("tests")) == int(root.get("tests"))
    assert int(suite.get("failures")) == 2 == len(suite.findall("testcase/failure"))   # invalid checker, expect
    assert int(suite.get("errors")) == 3 == len(suite.findall("testcase/error"))       # unknown, info, incomplete
    assert int(suite.get("skipped")) == 0 == len(suite.findall("testcase/skipped"))
    assert suite.get("time") == "3.500" and suite.get("timestamp") == "2025-09-23T20:05:00"
    props = {p.get("name"): p.get("value") for p in suite.findall("properties/property")}
    assert props["seed"] == "42" and props["topology"] == "e501-sample" and props["launcher"] == "inprocess"
    assert props["replay"] == "catsync-sim run link-down-during-export --seed 42"
    assert props["history_digest"] == "abc123" and props["verdict"] == "invalid"
    assert suite[0].tag == "properties"       # Jenkins' schema wants the properties before the test cases


def test_checker_verdicts_map_to_failure_error_and_pass():
    suite = build_junit(results(), [])[0]
    by_name = {c.get("name"): c for c in suite.findall("testcase")}
    failure = by_name["catalog-consistency"].find("failure")
    assert failure.get("message") == "1 volume missing" and failure.get("type") == "invalid"
    assert failure.text.splitlines() == ["1 volume missing", "missing EW1008 at \\ETINIUM",
                                         "kind=stale label=EW1009"]
    error = by_name["recoverability"].find("error")
    assert error.get("type") == "unknown" and "storage: STO_SEC" in error.text
    assert by_name["rpo"].find("failure") is None and by_name["rpo"].find("error") is None
    assert {c.get("classname") for c in by_name.values()} == {"link-down-during-export.checkers"}


def test_history_operations_become_testcases_when_expect_restore_check_or_check():
    suite = build_junit(results(checks=[]), history())[0]
    cases = suite.findall("testcase")
    assert [c.get("classname").rsplit(".", 1)[1] for c in cases] == ["expect", "expect", "restore_check", "check",
                                                                       "restore_check"]
    assert cases[0].get("name") == "expect contains=I3342 report=E501_WIN1_SND (#2)"
    assert cases[0].find("failure") is None
    assert "not in the report" in cases[1].find("failure").get("message")
    assert cases[2].find("error").get("type") == "info"
    assert cases[4].find("error").get("type") == "incomplete"
    assert all(float(c.get("time")) >= 0 for c in cases)


def test_odd_characters_in_values_still_give_valid_xml(tmp_path):
    res = results(scenario=ODD, replay=ODD, checks=[{"checker": ODD, "verdict": "invalid", "summary": ODD,
                                                     "evidence": [ODD]}])
    root = parse(tmp_path, res, history())
    raw = (tmp_path / "junit.xml").read_bytes()
    assert raw.startswith(b"<?xml") and b"\x00" not in raw and b"\x07" not in raw
    suite = root[0]
    assert suite.get("name") == '<script>&"\'\\x00\\x07\\x1b\\xd800 ]]> é'
    assert "<script>" in suite.find("testcase/failure").get("message")      # kept as text, escaped in the file
    assert b"<script>" not in raw


def test_digest_is_computed_when_results_lack_it():
    events = history()
    res = results()
    del res["history_digest"]
    props = {p.get("name"): p.get("value") for p in build_junit(res, events)[0].findall("properties/property")}
    assert props["history_digest"] == digest(events)


def test_an_unheard_of_verdict_is_an_error_naming_the_allowed_ones():
    res = results(checks=[{"checker": "rpo", "verdict": "maybe", "summary": "?"}])
    error = build_junit(res, [])[0].find("testcase/error")
    assert error.get("type") == "bad-verdict" and "valid, invalid, unknown" in error.get("message")


@pytest.mark.parametrize("bad", [{"checks": "valid"}, {"checks": [{"verdict": "valid"}]}])
def test_malformed_results_are_refused_with_a_fix(bad):
    with pytest.raises(RunDirError, match="checker, verdict, summary, evidence"):
        build_junit(results(**bad), [])
    with pytest.raises(RunDirError, match="results.json"):
        build_junit(["valid"], [])  # type: ignore[arg-type]


def test_same_input_gives_the_same_bytes(tmp_path):
    events = history()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_junit(tmp_path / "a" / "junit.xml", results(), events)
    write_junit(tmp_path / "b" / "junit.xml", results(), events)
    assert (tmp_path / "a" / "junit.xml").read_bytes() == (tmp_path / "b" / "junit.xml").read_bytes()
