"""`junit.xml`: a run's verdicts in the JUnit XML that Jenkins, GitLab and pytest's junitxml read.

One `<testsuite>` named after the scenario, inside `<testsuites>`:
- properties: seed, topology, launcher, replay (the command that reruns this history), history_digest, verdict,
  virtual_start, virtual_end;
- one testcase per checker (classname `<scenario>.checkers`): `invalid` is a `<failure>` with the summary as its
  message and the evidence lines as its text;
- one testcase per `expect`, `restore_check` and `check` operation of the history (classname
  `<scenario>.history.<f>`, named `#<invoke index> <f> <arguments>`): a `fail` completion is a `<failure>`.

`unknown` is written as `<error>`, not `<skipped>`: a checker that could not decide (a dump missing, a service
unreachable) has not shown the run to be good, and CI servers count `skipped` as passing, so a run whose checks
could not look would turn green unnoticed. `<error>` keeps the build red-or-unstable while telling it apart from a
proven violation (`<failure>`), as Jepsen keeps `unknown` apart from `invalid`. For the same reason an operation
that ended `info` (indefinite) or never completed is an `<error>`.

XML 1.0 cannot hold most control characters at all; values from user scenarios are cleaned (such a character is
written as `\\xNN`) so the file always parses.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from harness.errors import RunDirError
from harness.history import FAIL, INFO, OK, Event, digest, pairs

__all__ = ["build_junit", "write_junit"]

CHECKED_OPS = ("expect", "restore_check", "check")
VERDICTS = ("valid", "invalid", "unknown")
# characters XML 1.0 forbids (and lone surrogates, which cannot be encoded)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _x(value: Any) -> str:
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", value if isinstance(value, str) else str(value))


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _one_line(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) else _json(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _pairs(value: dict) -> str:
    """`key=value key=value` (keys sorted, strings unquoted): easier to read in a CI's report than JSON."""
    return " ".join(f"{k}={v if isinstance(v, str) else _json(v)}" for k, v in sorted(value.items()))


def _arguments(value: Any) -> str:
    return _one_line(_pairs(value) if isinstance(value, dict) else "" if value is None else _json(value), 100)


def _evidence_lines(evidence: Any) -> list[str]:
    if evidence in (None, "", [], {}):
        return []
    if isinstance(evidence, str):
        return evidence.splitlines()
    if isinstance(evidence, dict):
        return [f"{k}: {v if isinstance(v, str) else _json(v)}" for k, v in sorted(evidence.items())]
    if isinstance(evidence, (list, tuple)):
        # a checker's findings are dicts ({"kind": "missing", "label": "EW1008", ...}): one line each
        return [x if isinstance(x, str) else _pairs(x) if isinstance(x, dict) else _json(x) for x in evidence]
    return [_json(evidence)]


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: Any) -> ET.Element:
    node = ET.SubElement(parent, tag, {k: _x(v) for k, v in attrs.items()})
    if text:
        node.text = _x(text)
    return node


def _checks(results: dict) -> list[dict]:
    checks = results.get("checks", [])
    if not isinstance(checks, list) or not all(isinstance(c, dict) and "checker" in c for c in checks):
        raise RunDirError("results.json: 'checks' must be a list of {checker, verdict, summary, evidence} objects;"
                          " rewrite it with `catsync-sim check RUN_DIR`")
    return checks


def build_junit(results: dict, events: list[Event]) -> ET.Element:
    """The `<testsuites>` element of a run: checker verdicts and the history's checking operations."""
    if not isinstance(results, dict):
        raise RunDirError(f"results must be the dict of results.json, not {type(results).__name__}")
    scenario = str(results.get("scenario") or "scenario")
    suite_name = _x(scenario)
    cases: list[ET.Element] = []
    counts = {"failures": 0, "errors": 0, "skipped": 0}

    for check in _checks(results):
        verdict = check.get("verdict")
        case = ET.Element("testcase", {"classname": f"{suite_name}.checkers", "name": _x(check["checker"]),
                                       "time": "0"})
        summary = str(check.get("summary", ""))
        lines = _evidence_lines(check.get("evidence"))
        body = "\n".join([summary, *lines]) if lines else summary
        if verdict == "invalid":
            _sub(case, "failure", body, message=summary or "invalid", type="invalid")
            counts["failures"] += 1
        elif verdict == "unknown":
            _sub(case, "error", body, message=summary or "the checker could not decide", type="unknown")
            counts["errors"] += 1
        elif verdict != "valid":
            _sub(case, "error", body, message=f"verdict {verdict!r} is none of {', '.join(VERDICTS)}",
                 type="bad-verdict")
            counts["errors"] += 1
        elif summary:
            _sub(case, "system-out", body)
        cases.append(case)

    for inv, comp in pairs(events):
        if inv.f not in CHECKED_OPS:
            continue
        # named by what it asserts (stable from run to run), the invoke index keeps equal ones apart
        case = ET.Element("testcase", {"classname": f"{suite_name}.history.{_x(inv.f)}",
                                       "name": _x(f"{inv.f} {_arguments(inv.value)} (#{inv.index})"),
                                       "time": f"{max(0.0, (comp.wall if comp else inv.wall) - inv.wall):.3f}"})
        detail = [f"invoke #{inv.index} at {inv.time} (virtual UTC), wall {inv.wall:.3f} s",
                  f"arguments: {_json(inv.value)}"]
        if comp is not None:
            detail.append(f"{comp.type} #{comp.index} at {comp.time}, wall {comp.wall:.3f} s")
            if comp.value is not None:
                detail.append(f"result: {_json(comp.value)}")
            if comp.error:
                detail.append(f"error: {comp.error}")
        text = "\n".join(detail)
        if comp is None:
            _sub(case, "error", text, message="the run ended before this operation completed", type="incomplete")
            counts["errors"] += 1
        elif comp.type == FAIL:
            _sub(case, "failure", text, message=_one_line(comp.error or f"{inv.f} failed", 300), type="fail")
            counts["failures"] += 1
        elif comp.type == INFO:
            _sub(case, "error", text, message=_one_line(f"indefinite: {comp.error or 'no answer'}", 300),
                 type="info")
            counts["errors"] += 1
        elif comp.type == OK:
            _sub(case, "system-out", text)
        cases.append(case)

    # the root carries only what Jenkins' schema allows there (no `skipped`)
    root = ET.Element("testsuites", {"name": "catsync-sim", "tests": str(len(cases)),
                                     "failures": str(counts["failures"]), "errors": str(counts["errors"])})
    suite = _sub(root, "testsuite", name=suite_name, tests=len(cases), failures=counts["failures"],
                 errors=counts["errors"], skipped=counts["skipped"],
                 time=f"{float(results.get('wall_seconds') or 0):.3f}",
                 # JUnit's timestamp has no zone; the run's virtual start is UTC and keeps the file deterministic
                 timestamp=str(results.get("virtual_start") or "")[:19])
    props = _sub(suite, "properties")
    history_digest = results.get("history_digest") or digest(events)
    for name, value in (("seed", results.get("seed")), ("topology", results.get("topology")),
                        ("launcher", results.get("launcher")), ("replay", results.get("replay")),
                        ("history_digest", history_digest), ("verdict", results.get("verdict")),
                        ("virtual_start", results.get("virtual_start")),
                        ("virtual_end", results.get("virtual_end"))):
        _sub(props, "property", name=name, value="" if value is None else value)
    suite.extend(cases)
    return root


def write_junit(path: Path, results: dict, events: list[Event]) -> None:
    """Write `junit.xml` (UTF-8, with an XML declaration) for the results and history of a run."""
    root = build_junit(results, events)
    ET.indent(root, space="  ")
    Path(path).write_bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n")
