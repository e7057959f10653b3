"""timeline.html: parses, shows every operation and fault where the history puts them, escapes what scenarios
write, stays small and readable for a 30-day run, and gives the same bytes for the same input."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from harness.history import FAIL, INFO, NEMESIS, OK, Event, History, read_history
from harness.timeline import render_timeline, write_timeline

HISTORIES = Path(__file__).parent / "histories"
START = datetime(2025, 9, 23, 20, 5, tzinfo=timezone.utc)
EVIL = '<script>alert("x")</script>&"\'E501NEW'


class Run:
    """A history written by hand: a virtual clock the test moves, and the verbs' event shapes (rundir.md)."""

    def __init__(self) -> None:
        self.t = START
        self.history = History(now=lambda: self.t.isoformat())

    @property
    def events(self) -> list[Event]:
        return self.history.events

    def replayed(self) -> list[Event]:
        """The events as a replay with the same seed gives them: equal but for wall time, set here to a fixed one."""
        return [replace(e, wall=e.index * 0.25) for e in self.events]

    def op(self, f: str, args: dict | None, outcome: str = OK, value: dict | None = None, error: str = "",
           *, takes: timedelta = timedelta(0), node: str = "\\INSIDX") -> Event:
        inv = self.history.invoke(f, args, node=node)
        self.t += takes
        return self.history.complete(inv, outcome, value, error)

    def advance(self, **by: float) -> None:
        delta = timedelta(**by)
        self.op("advance", {"by_seconds": delta.total_seconds()}, takes=delta,
                value={"by_seconds": delta.total_seconds(), "utc": (self.t + delta).isoformat(), "fired": 2})

    def fail(self, fid: str, kind: str, outcome: str = OK) -> None:
        inv = self.history.invoke("fail", {"fault": kind, "id": fid, "params": {}}, process=NEMESIS)
        self.history.complete(inv, outcome, {"fault": kind, "id": fid, "target": {"between": ["A", "B"]},
                                             "params": {}}, "UNAVAILABLE: no answer" if outcome == INFO else "")

    def heal(self, fid: str, kind: str) -> None:
        inv = self.history.invoke("heal", {"fault": kind, "id": fid}, process=NEMESIS)
        self.history.complete(inv, OK, {"fault": kind, "id": fid, "target": {}, "params": {}})

    def auto_export(self, minutes: int = 4, ok: bool = True) -> None:
        started = self.t - timedelta(minutes=minutes)
        self.history.add(OK if ok else FAIL, "auto-export", process="$X0A1", node="\\INSIDX",
                         value={"program": "BBCSEXP", "started": started.isoformat(), "ended": self.t.isoformat(),
                                "completion_code": 0 if ok else 2},
                         error="" if ok else "completion code 2 ABENDED")


def short_run() -> Run:
    run = Run()
    run.op("backup", {"count": 1}, value={"file_id": EVIL, "generation": 1, "labels": ["EW1008"]})
    run.fail("F1", "link-down")
    run.op("export", {"domain": "YINE500", "data_store": "DS_WIN1", "type": "UPDATE", "trigger": "MANUAL"},
           FAIL, {"outcome": "FAILED"}, "FAILED: Guardian error 250")
    run.advance(minutes=30)
    run.heal("F1", "link-down")
    run.auto_export()
    run.op("import", {"domain": "E501", "data_store": "DS_SND", "type": "UPDATE"}, INFO, None,
           "DEADLINE_EXCEEDED: no answer", takes=timedelta(minutes=3))
    run.op("expect", {"report": "E501_WIN1_SND", "contains": "I3342"})
    run.op("expect", {"report": "E501_WIN1_SND", "contains": EVIL}, FAIL, {"report": "…"},
           f"{EVIL} not in the report")
    run.history.invoke("restore_check", {"file_id": "E501NEW-OBK11-WIN1"})   # the run ended before it completed
    return run


def thirty_days() -> Run:
    run = Run()
    run.fail("F1", "ems-extractor-stopped")
    for day in range(30):
        if day == 3:
            run.heal("F1", "ems-extractor-stopped")
        if day == 8:
            run.fail("F2", "link-down")          # never healed
        run.op("backup", {"count": 2}, value={"file_id": f"DAY{day}", "labels": [f"EW{day:04d}"]})
        run.op("export", {"type": "UPDATE"}, value={"outcome": "COMPLETED", "volumes": day})
        if day == 10:
            run.advance(days=15)                 # a long idle stretch
        else:
            run.advance(days=1)
    return run


class Page(HTMLParser):
    """The page's elements with their attributes, texts, and every SVG item linked to an event row."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self.ticks: list[tuple[float, str]] = []      # (x, label) of the axis labels
        self._in_script = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        (self.scripts if self._in_script else self.text).append(data)
        if self.tags and self.tags[-1][0] == "text" and self.tags[-1][1].get("class") == "tick":
            self.ticks.append((float(self.tags[-1][1]["x"]), data))

    def all(self, tag: str, **attrs: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]

    def items(self) -> dict[int, tuple[str, dict]]:
        """Event index → the shape drawn for its operation: a marker (`use`) or a bar (`rect`)."""
        out, current = {}, None
        for tag, a in self.tags:
            if tag == "a" and a.get("href", "").startswith("#e"):
                current = int(a["href"][2:])
            elif current is not None and tag in ("use", "rect"):
                out[current] = (tag, a)
                current = None
        return out

    def item_x(self) -> dict[int, float]:
        """Event index → x where its operation starts (its marker, or the left end of its bar)."""
        return {i: float(a["x"]) + (4 if tag == "rect" else 0) for i, (tag, a) in self.items().items()}


def test_timeline_parses_and_shows_every_operation_and_fault_when_run_is_short():
    run = short_run()
    results = {"scenario": "link-down-during-export", "topology": "e501-sample", "seed": 42, "launcher": "inprocess",
               "verdict": "invalid", "replay": "catsync-sim run link-down-during-export --seed 42",
               "checks": [{"checker": "catalog-consistency", "verdict": "invalid", "summary": "1 volume missing",
                           "evidence": ["missing EW1008 at \\ETINIUM"]},
                          {"checker": "rpo", "verdict": "valid", "summary": "newest backup restorable",
                           "evidence": []},
                          {"checker": "recoverability", "verdict": "unknown", "summary": "storage unreachable",
                           "evidence": {"storage": "STO_SEC"}}]}
    text = render_timeline(run.events, results)
    page = Page(text)
    body = "".join(page.text)
    # every event has its row, every operation its linked item, failures highlighted
    rows = {a["id"]: a for a in page.all("tr") if a.get("id", "").startswith("e")}
    assert set(rows) == {f"e{e.index}" for e in run.events}
    assert {rows[f"e{e.index}"].get("class") for e in run.events if e.type == FAIL} == {"fail"}
    assert {rows[f"e{e.index}"].get("class") for e in run.events if e.type == INFO} == {"info"}
    invokes = [e.index for e in run.events if e.type == "invoke"] + [e.index for e in run.events
                                                                      if e.f == "auto-export"]
    assert sorted(page.item_x()) == sorted(invokes)
    for f in ("backup", "export", "advance", "import", "expect", "restore_check", "auto-export"):
        assert f in body
    # instant operations are markers, operations that took virtual time bars, coloured by outcome
    shapes = page.items()
    kinds = {e.f: shapes[e.index] for e in run.events if e.index in shapes}
    assert kinds["backup"] == ("use", kinds["backup"][1]) and kinds["backup"][1]["href"] == "#m-ok"
    assert kinds["export"][1]["href"] == "#m-fail"
    assert kinds["advance"][0] == "rect" and "ok" in kinds["advance"][1]["class"]
    assert kinds["import"][0] == "rect" and "info" in kinds["import"][1]["class"]
    assert kinds["restore_check"][0] == "rect" and "open" in kinds["restore_check"][1]["class"]   # never completed
    assert kinds["auto-export"][0] == "rect"             # an observed run: from its start to its end
    # the axis labels read left to right in time order
    labels = [text for _, text in sorted(page.ticks)]
    assert labels[0] == "20:05:00" and labels == sorted(labels) and len(labels) >= 4
    # header: every checker with its verdict colour, the replay command, the seed
    for checker, verdict in (("catalog-consistency", "invalid"), ("rpo", "valid"), ("recoverability", "unknown")):
        assert checker in body
    assert len(page.all("span", **{"class": "v v-invalid"})) == 2       # the run's verdict and one checker
    assert page.all("span", **{"class": "v v-unknown"}) and page.all("span", **{"class": "v v-valid"})
    assert "catsync-sim run link-down-during-export --seed 42" in body and "missing EW1008 at \\ETINIUM" in body
    # the fault band: from the fail event to the heal event, labelled with its name
    (band,) = page.all("g", **{"data-fault": "F1"})
    assert "healed" in band["class"].split()
    x = page.item_x()
    fail_inv = next(e.index for e in run.events if e.f == "fail" and e.type == "invoke")
    heal_inv = next(e.index for e in run.events if e.f == "heal" and e.type == "invoke")
    assert float(band["data-x0"]) == x[fail_inv] and float(band["data-x1"]) == x[heal_inv]
    assert "F1 link-down" in body


def test_positions_are_ordered_like_the_times_when_run_is_short():
    run = short_run()
    x = Page(render_timeline(run.events)).item_x()
    by_index = {e.index: e for e in run.events}

    def start(i: int) -> tuple[datetime, int]:
        e = by_index[i]     # an observed run starts at its `started` time, before the event recording its end
        return datetime.fromisoformat((e.value or {}).get("started") or e.time), i
    # later virtual times further right; one instant's operations spread in history order
    assert sorted(x, key=start) == sorted(x, key=lambda i: x[i])
    assert len(set(x.values())) == len(x)
    auto = next(e for e in run.events if e.f == "auto-export")
    advance_end = next(e for e in run.events if e.f == "advance" and e.type == OK)
    assert start(auto.index) < (datetime.fromisoformat(advance_end.time), 0)


def test_an_unhealed_fault_runs_to_the_end_and_says_so_when_run_lasts_30_days(tmp_path):
    run = thirty_days()
    path = tmp_path / "timeline.html"
    write_timeline(path, run.events, {"scenario": "month", "verdict": "valid", "checks": []})
    page = Page(path.read_text(encoding="utf-8"))
    body = "".join(page.text)
    (svg,) = page.all("svg", id="tl-svg")
    width = float(svg["width"])
    f1, f2 = page.all("g", **{"data-fault": "F1"}), page.all("g", **{"data-fault": "F2"})
    assert "healed" in f1[0]["class"].split() and "unhealed" in f2[0]["class"].split()
    assert float(f2[0]["data-x1"]) >= width - 10 > float(f1[0]["data-x1"])
    assert "F2 link-down" in body and "never healed" in body
    # F2 starts after F1 ended, as the events say
    assert float(f1[0]["data-x0"]) < float(f1[0]["data-x1"]) < float(f2[0]["data-x0"])
    # the 15-day idle stretch is compressed and labelled; the axis speaks in days
    gaps = page.all("g", **{"class": "gap"})
    assert [g["data-hidden"] for g in gaps] == ["15 d"]
    assert "+29d 00:00" in body or "+30d 00:00" in body
    # a month stays a few screens wide, not one pixel per second
    assert width < 6000


@pytest.mark.parametrize("fault_outcome", [OK, INFO])
def test_a_fault_whose_injection_was_indefinite_is_drawn_as_uncertain(fault_outcome):
    run = Run()
    run.fail("F7", "node-crash", fault_outcome)
    run.advance(hours=2)
    page = Page(render_timeline(run.events))
    (band,) = page.all("g", **{"data-fault": "F7"})
    assert ("may not have started" in "".join(page.text)) == (fault_outcome == INFO)


def test_values_from_scenarios_are_escaped_when_they_hold_markup():
    run = short_run()
    run.op("macro", {"a": "x\x00\x07y\ud800", "evil": EVIL}, FAIL, None, "bell\x07 and \ud800")
    text = render_timeline(run.events, {"scenario": EVIL, "replay": EVIL, "checks": [
        {"checker": EVIL, "verdict": EVIL, "summary": EVIL, "evidence": [EVIL]}]}, title=EVIL)
    assert "<script>alert" not in text
    assert text.count("<script>") == 1                      # only the page's own toggle
    page = Page(text)
    assert "".join(page.scripts).count("alert") == 0
    assert EVIL in "".join(page.text)                       # shown, as text
    assert "\x00" not in text and "\x07" not in text and "bell\\x07" in text and "a=x\\x00\\x07y" in text
    text.encode("utf-8")                                    # no lone surrogate left


def test_page_fetches_nothing_when_opened():
    text = render_timeline(thirty_days().events, {"scenario": "s", "checks": []})
    assert "http:" not in text and "https:" not in text and "@import" not in text
    assert re.findall(r"url\(([^)]*)\)", text) and all(u.startswith("#") for u in re.findall(r"url\(([^)]*)\)", text))
    page = Page(text)
    assert not [a for t, a in page.tags if "src" in a]
    assert all(a["href"].startswith("#") for t, a in page.tags if "href" in a)
    assert not page.all("link") and not page.all("iframe") and not page.all("img")
    assert [a for t, a in page.tags if t == "script"] == [{}]       # one inline script, nothing loaded


def test_same_events_give_the_same_bytes_when_wall_times_match():
    assert render_timeline(short_run().replayed()) == render_timeline(short_run().replayed())
    one, two = thirty_days(), thirty_days()
    assert render_timeline(one.replayed(), {"scenario": "x"}) == render_timeline(two.replayed(), {"scenario": "x"})
    # and the wall time is part of the page (hover and header), so a different one shows
    assert render_timeline(one.replayed()) != render_timeline([replace(e, wall=e.wall + 1) for e in one.replayed()])


def busy_run(rounds: int) -> Run:
    """Backups and exports with realistic values, an advance each round, a fault every 50 rounds."""
    run = Run()
    for i in range(rounds):
        run.op("backup", {"count": 1, "group": "VG_WIN1_BRCOM", "data_store": "DS_WIN1_DES"},
               value={"domain": "YINE500", "data_store": "DS_WIN1_DES", "group": "VG_WIN1_BRCOM",
                      "node": "\\INSIDX", "file_id": f"E501NEW-OBK{i}-WIN1", "generation": i,
                      "labels": [f"EW{i:04d}"], "encrypted": True, "disk_files": 12, "checksum": "9f" * 16,
                      "expiration": ""})
        run.op("export", {"domain": "YINE500", "data_store": "DS_WIN1_DES", "type": "UPDATE", "trigger": "MANUAL"},
               value={"domain": "YINE500", "data_store": "DS_WIN1_DES", "type": "UPDATE", "trigger": "MANUAL",
                      "export_id": f"2025092320{i:04d}", "outcome": "COMPLETED", "volumes": 1,
                      "dump": f"export-{i}"})
        if i % 50 == 0:
            run.fail(f"F{i}", "link-latency")
        if i % 50 == 25:
            run.heal(f"F{i - 25}", "link-latency")
        run.advance(hours=1)
    return run


def test_page_stays_small_when_history_has_2000_events():
    run = busy_run(330)
    assert 2000 <= len(run.events) < 2100
    size = len(render_timeline(run.replayed(), {"scenario": "big"}).encode())
    assert size < 480_000, size


@pytest.mark.parametrize("name", sorted(p.name for p in HISTORIES.glob("*") if (p / "history.jsonl").exists()))
def test_recorded_histories_render_with_every_event_when_read_from_disk(name):
    events = read_history(HISTORIES / name / "history.jsonl")
    page = Page(render_timeline(events, {"scenario": name}))
    assert {a["id"] for a in page.all("tr") if a.get("id", "").startswith("e")} == {f"e{e.index}" for e in events}
    linked = set(page.items())
    assert all(e.index in linked for e in events if e.type == "invoke")


def test_bad_input_is_refused_with_a_fix():
    with pytest.raises(TypeError, match="read_history"):
        render_timeline([{"index": 0}])
    with pytest.raises(TypeError, match="results.json"):
        render_timeline([], results=["valid"])


def test_an_empty_history_still_gives_a_page():
    page = Page(render_timeline([], None))
    assert "The history is empty" in "".join(page.text)
