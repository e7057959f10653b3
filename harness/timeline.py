"""`timeline.html`: a run's operations and fault spans on a virtual-time axis, one self-contained page for a trainer.

The page has a header (scenario, topology, seed, replay command, every checker's verdict), a legend, the picture
(inline SVG) and the event table. Nothing is fetched: CSS, SVG and the few lines of script are inline.

How the picture is laid out, and why:
- In virtual mode the clock only moves when the scenario advances it, so most operations share an instant with
  others. Each distinct virtual time is a *cluster*, as wide as the operations that start or end there, spread in
  history order; the axis shows a cluster as a dark bar ("frozen time").
- Between clusters time is linear. A gap much longer than the typical gap (idle days of a 30-day run) is
  *compressed* to a fixed width, hatched and labelled with the time it hides, so a month stays one screen wide.
- One lane per actor: each harness operation kind (`harness: export`, `harness: advance`), the nemesis, and each
  observed or other process (observed automatic runs are grouped by their operation, e.g. `auto-export`).
- Operations are bars from invoke to completion, or markers when both happened at the same virtual instant; the
  outcome is a colour *and* a shape (ok ●, fail ◆, info ▲, never completed ○), readable in black and white.
- A fault is a band across all lanes from its `fail` ok event to the `heal` ok event with the same fault id; a
  fault never healed runs to the right edge and says so.

Everything from the history is escaped (values come from user scenarios). The output depends only on the events
and results given: the same input gives the same bytes.
"""

from __future__ import annotations

import html
import json
import re
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable

from harness.history import FAIL, HARNESS, INFO, INVOKE, NEMESIS, OK, Event, digest, pairs

__all__ = ["render_timeline", "write_timeline"]

STEP = 14            # px per operation slot inside a cluster
GAP_MIN = 8          # px between two clusters, however close in time
GAP_BREAK = 92       # px of a compressed gap
TARGET = 1400.0      # px that the uncompressed gaps share
S_MAX = 2.0          # px per virtual second at most (a run of a few seconds is not blown up)
LANE_H = 28
FAULT_ROW = 20
AXIS_H = 44
LABEL_W = 190
RIGHT_PAD = 60
TITLE_CHARS = 110    # a fault's target in its hover text
CELL_CHARS = 72      # value / error in the event table and the hover (the file must stay small)
TICK_UNITS = (1, 5, 15, 30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400,
              7 * 86400, 14 * 86400, 30 * 86400)
FAULT_COLOURS = ("#8e24aa", "#1565c0", "#00838f", "#6d4c41", "#ad1457", "#283593", "#2e7d32", "#ef6c00")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ODD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


# -- text ----------------------------------------------------------------------------------------------------------

def _clean(text: str) -> str:
    """Control characters and lone surrogates as visible escapes (they would break the page or its encoding)."""
    return _ODD.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _esc(value: Any) -> str:
    """Text for an attribute value or element content (quotes escaped too: safe in both)."""
    return html.escape(_clean(str(value)), quote=True)


def _txt(value: Any) -> str:
    """Text for element content only: quotes stay as they are (JSON is full of them; `&quot;` would triple it)."""
    return html.escape(_clean(str(value)), quote=False)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _short(value: Any, limit: int) -> str:
    """A value for people, cut to `limit` characters with an ellipsis: a string as itself, a dict as
    `key=value, ...` (keys sorted, string values unquoted: shorter and easier to read than JSON), else JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, dict):
        text = ", ".join(f"{k}={v if isinstance(v, str) else _json(v)}" for k, v in sorted(value.items()))
    else:
        text = _json(value)
    text = _clean(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _utc(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S") + "Z"


def _span_text(seconds: float) -> str:
    """A duration for humans: `45 s`, `12 min`, `3 h 20 min`, `6 d 4 h`."""
    s = int(round(seconds))
    d, rest = divmod(s, 86400)
    h, rest = divmod(rest, 3600)
    m, sec = divmod(rest, 60)
    if d:
        return f"{d} d {h} h" if h else f"{d} d"
    if h:
        return f"{h} h {m} min" if m else f"{h} h"
    if m:
        return f"{m} min {sec} s" if sec else f"{m} min"
    return f"{sec} s"


def _elapsed(seconds: float) -> str:
    s = int(round(seconds))
    d, rest = divmod(s, 86400)
    h, rest = divmod(rest, 3600)
    m, sec = divmod(rest, 60)
    clock = f"{h:02d}:{m:02d}" + (f":{sec:02d}" if sec else "")
    return f"+{d}d {clock}" if d else f"+{clock}"


def _parse_time(text: str) -> datetime | None:
    try:
        t = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return (t if t.tzinfo else t.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


# -- model ---------------------------------------------------------------------------------------------------------

@dataclass
class _Item:
    """One operation (invoke + completion) or one single event, placed in a lane."""

    first: Event            # the invoke, or the single event
    last: Event | None      # the completion (the event itself for a single event); None: never completed
    lane: str
    t0: datetime
    t1: datetime
    outcome: str            # ok | fail | info | open

    @property
    def instant(self) -> bool:
        return self.last is not None and self.t0 == self.t1


@dataclass
class _Fault:
    id: str
    kind: str
    target: Any
    start: _Item
    end: _Item | None       # the heal operation; None: never healed
    uncertain: bool         # the fail completed `info`: it may or may not have been injected


def _times(events: list[Event]) -> dict[int, datetime]:
    """Each event's virtual time; an event without a readable one takes the time of the event before it."""
    parsed = [_parse_time(e.time) for e in events]
    current = next((t for t in parsed if t is not None), EPOCH)
    out = {}
    for e, t in zip(events, parsed):
        current = t or current
        out[id(e)] = current
    return out


def _lane(e: Event, single: bool) -> str:
    if e.process == HARNESS:
        return f"harness: {e.f}"
    if e.process == NEMESIS:
        return "nemesis"
    # observed runs (a process name per run: $X0A1, $X0B7 ...) share one lane per operation
    return f"{e.f} (observed)" if single else e.process


def _items(events: list[Event], when: dict[int, datetime]) -> list[_Item]:
    items = []
    paired: set[int] = set()
    for inv, comp in pairs(events):
        paired.add(id(inv))
        if comp is not None:
            paired.add(id(comp))
        t0 = when[id(inv)]
        t1 = when[id(comp)] if comp is not None else t0
        items.append(_Item(inv, comp, _lane(inv, False), t0, max(t0, t1), comp.type if comp else "open"))
    for e in events:
        if id(e) in paired:
            continue
        t1 = when[id(e)]
        started = _parse_time(e.value.get("started", "")) if isinstance(e.value, dict) else None
        t0 = started if started is not None and started <= t1 else t1
        items.append(_Item(e, e, _lane(e, True), t0, t1, e.type if e.type != INVOKE else "open"))
    position = {id(e): n for n, e in enumerate(events)}
    items.sort(key=lambda it: position[id(it.first)])
    return items


def _faults(items: list[_Item]) -> list[_Fault]:
    faults: list[_Fault] = []
    active: dict[str, _Fault] = {}
    for it in items:
        if it.first.process != NEMESIS or it.last is None:
            continue
        value = {**(it.first.value if isinstance(it.first.value, dict) else {}),
                 **(it.last.value if isinstance(it.last.value, dict) else {})}
        fid = str(value.get("id", ""))
        if it.first.f == "fail" and it.last.type in (OK, INFO):
            fault = _Fault(fid, str(value.get("fault", "?")), value.get("target"), it, None, it.last.type == INFO)
            faults.append(fault)
            active[fid] = fault
        elif it.first.f == "heal" and it.last.type == OK and fid in active:
            active.pop(fid).end = it
    return faults


# -- layout --------------------------------------------------------------------------------------------------------

class _Axis:
    """Virtual time → x: clusters of equal times spread by slots, linear or compressed gaps between them."""

    def __init__(self, items: list[_Item]) -> None:
        slots: dict[datetime, list[tuple[int, int, str]]] = {}
        for n, it in enumerate(items):
            slots.setdefault(it.t0, []).append((it.first.index, n, "a"))
            if it.last is not None and not it.instant:
                slots.setdefault(it.t1, []).append((it.last.index, n, "b"))
        self.anchors = sorted(slots) or [EPOCH]
        gaps = [(b - a).total_seconds() for a, b in zip(self.anchors, self.anchors[1:])]
        self.compressed = self._compress(gaps)
        linear = sum(g for i, g in enumerate(gaps) if i not in self.compressed)
        self.scale = min(S_MAX, TARGET / linear) if linear else S_MAX
        self.x: dict[tuple[int, str], int] = {}
        self.cluster: list[tuple[int, int]] = []
        self.gap: list[tuple[int, int]] = []
        x = LABEL_W + 16
        for i, t in enumerate(self.anchors):
            ordered = sorted(slots.get(t, []))
            start = x
            for k, (_, n, end) in enumerate(ordered):
                self.x[(n, end)] = start + k * STEP + STEP // 2
            x = start + max(1, len(ordered)) * STEP
            self.cluster.append((start, x))
            if i < len(gaps):
                # whole pixels: every x is an integer and the file stays short
                width = GAP_BREAK if i in self.compressed else max(GAP_MIN, round(gaps[i] * self.scale))
                self.gap.append((x, x + width))
                x += width
        self.end = x + RIGHT_PAD
        self.span = (self.anchors[-1] - self.anchors[0]).total_seconds()

    @staticmethod
    def _compress(gaps: list[float]) -> set[int]:
        """Gaps far longer than the typical one (8× the median) that would still be wide are compressed."""
        if len(gaps) < 2:
            return set()
        typical = statistics.median(gaps)
        chosen: set[int] = set()
        for i in sorted(range(len(gaps)), key=lambda i: (-gaps[i], i)):
            rest = sum(g for j, g in enumerate(gaps) if j not in chosen)
            if gaps[i] <= 8 * typical or rest <= 0 or gaps[i] * TARGET / rest <= 300 or len(chosen) + 1 == len(gaps):
                break
            chosen.add(i)
        return chosen

    def at(self, n: int, end: str) -> float:
        return self.x[(n, end)]

    def ticks(self) -> list[tuple[float, datetime]]:
        """Round times inside the linear gaps, at least ~90 px apart."""
        unit = next((u for u in TICK_UNITS if u * self.scale >= 90), TICK_UNITS[-1])
        out = []
        for i, (x0, x1) in enumerate(self.gap):
            if i in self.compressed:
                continue
            a, b = self.anchors[i], self.anchors[i + 1]
            secs = (b - a).total_seconds()
            k = int((a - EPOCH).total_seconds() // unit) + 1
            while True:
                t = EPOCH + timedelta(seconds=k * unit)
                if t >= b:
                    break
                out.append((x0 + (t - a).total_seconds() / secs * (x1 - x0), t))
                k += 1
        return out


# -- drawing -------------------------------------------------------------------------------------------------------

def _marker(outcome: str, x: float, y: float) -> str:
    return f'<use href="#m-{outcome}" x="{x:.0f}" y="{y:.0f}"/>'


def _svg(items: list[_Item], faults: list[_Fault], lanes: list[str], axis: _Axis) -> str:
    # fault label rows: greedy interval packing so overlapping faults get their own row
    num = {id(it): n for n, it in enumerate(items)}
    rows_end: list[float] = []
    placed = []
    for k, fault in enumerate(faults):
        x0 = axis.at(num[id(fault.start)], "a" if fault.start.instant else "b")
        x1 = axis.at(num[id(fault.end)], "a" if fault.end.instant else "b") if fault.end else axis.end - 8
        label = f"{fault.id} {fault.kind}" + (f" {_short(fault.target, 40)}" if fault.target else "") + \
            (" (may not have started)" if fault.uncertain else "") + ("" if fault.end else " — never healed →")
        reach = max(x1, x0 + 7 * len(label) + 12)
        row = next((r for r, e in enumerate(rows_end) if e < x0), len(rows_end))
        if row == len(rows_end):
            rows_end.append(0.0)
        rows_end[row] = reach
        placed.append((k, fault, x0, x1, row, label))
    top = len(rows_end) * FAULT_ROW + AXIS_H
    bottom = top + len(lanes) * LANE_H
    height = bottom + (24 if axis.compressed else 8)      # a footer row names the compressed gaps
    width = axis.end
    out = [f'<svg id="tl-svg" viewBox="0 0 {width:.0f} {height}" width="{width:.0f}" height="{height}" '
           'role="img" aria-label="operations and faults on the virtual-time axis">',
           '<defs><path id="m-ok" fill="#2e7d32" d="M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0z"/>'
           '<path id="m-fail" fill="#c62828" d="M0,-7L7,0L0,7L-7,0z"/>'
           '<path id="m-info" fill="#ef6c00" d="M0,-7L7,5H-7z"/>'
           '<path id="m-open" fill="#fff" stroke="#616161" stroke-width="2" '
           'd="M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0z"/>'
           '<pattern id="hatch" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
           '<rect width="8" height="8" fill="#f5f5f5"/><line y2="8" stroke="#cfcfcf" stroke-width="3"/></pattern>'
           '</defs>']
    for n, lane in enumerate(lanes):
        y = top + n * LANE_H
        out.append(f'<rect class="lane{n % 2}" x="0" y="{y}" width="{width:.0f}" height="{LANE_H}"/>')
    # compressed gaps, hatched across the lanes
    for i in sorted(axis.compressed):
        x0, x1 = axis.gap[i]
        hidden = _span_text((axis.anchors[i + 1] - axis.anchors[i]).total_seconds())
        out.append(f'<g class="gap" data-hidden="{_esc(hidden)}"><title>{_esc(hidden)} without events, not drawn '
                   f'to scale</title><rect x="{x0 + 4:.0f}" y="{top - 14}" width="{x1 - x0 - 8:.0f}" '
                   f'height="{bottom - top + 14}" fill="url(#hatch)"/><text x="{(x0 + x1) / 2:.0f}" '
                   f'y="{bottom + 17}" class="gapt">{_esc(hidden)} skipped</text></g>')
    # the axis: clusters as dark bars, linear ticks as grid lines, labels where they do not overlap
    base = top - 6
    out.append(f'<line class="axis" x1="{LABEL_W}" y1="{base}" x2="{width:.0f}" y2="{base}"/>')
    candidates = []
    for (x0, x1), t in zip(axis.cluster, axis.anchors):
        out.append(f'<rect class="clu" x="{x0:.0f}" y="{base - 3}" width="{x1 - x0:.0f}" height="6"/>')
        candidates.append((x0, 0, t))
    for x, t in axis.ticks():
        out.append(f'<line class="grid" x1="{x:.0f}" y1="{base - 4}" x2="{x:.0f}" y2="{height}"/>')
        candidates.append((x, 1, t))
    long_run = axis.span >= 86400 or axis.anchors[0].date() != axis.anchors[-1].date()
    fmt = "%m-%d %H:%M" if long_run else "%H:%M:%S"
    last_end = -1.0
    for x, _, t in sorted(candidates, key=lambda c: (c[0], c[1])):
        text = t.strftime(fmt)
        if x < last_end:
            continue
        since = (t - axis.anchors[0]).total_seconds()
        out.append(f'<text class="tick" x="{x:.0f}" y="{base - 22}">{text}</text>'
                   f'<text class="since" x="{x:.0f}" y="{base - 9}">{_elapsed(since)}</text>')
        last_end = x + 8 * max(len(text), len(_elapsed(since))) + 10
    # fault bands under the operations
    for k, fault, x0, x1, row, label in placed:
        colour = FAULT_COLOURS[k % len(FAULT_COLOURS)]
        y = row * FAULT_ROW
        healed = "healed" if fault.end else "unhealed"
        dash = ' stroke-dasharray="5,4"' if fault.uncertain else ""
        out.append(f'<g class="fault {healed}" data-fault="{_esc(fault.id)}" data-x0="{x0:.0f}" '
                   f'data-x1="{x1:.0f}"><title>{_esc(_fault_hover(fault))}</title>'
                   f'<rect x="{x0:.0f}" y="{y + 2}" width="{max(2.0, x1 - x0):.0f}" height="{height - y - 2}" '
                   f'fill="{colour}" fill-opacity="0.10" stroke="{colour}"{dash}/>'
                   f'<text x="{x0 + 4:.0f}" y="{y + 15}" fill="{colour}" class="fl">{_esc(label)}</text></g>')
    # the operations
    lane_of = {lane: n for n, lane in enumerate(lanes)}
    for n, it in enumerate(items):
        y = top + lane_of[it.lane] * LANE_H + LANE_H / 2
        x0 = axis.at(n, "a")
        # the hover text is built by the page's script from the event table rows this item links to, so a long
        # history does not carry every value twice
        done = f' data-c="{it.last.index}"' if it.last is not None and it.last is not it.first else ""
        parts = [f'<a href="#e{it.first.index}"{done}>']
        if it.instant:
            parts.append(_marker(it.outcome, x0, y))
        else:
            x1 = axis.at(n, "b") if it.last is not None else axis.end - 8
            parts.append(f'<rect class="{it.outcome} bar" x="{x0 - 4:.0f}" y="{y - 6:.0f}" '
                         f'width="{x1 - x0 + 8:.0f}" height="12" rx="3"/>')
            if it.outcome != OK:
                parts.append(_marker(it.outcome, x1, y))
        parts.append("</a>")
        out.append("".join(parts))
    # lane names at the left, repeated every ~1500 px so a wide picture stays legible while scrolled
    for n, lane in enumerate(lanes):
        y = top + n * LANE_H + LANE_H / 2 + 5
        out.append(f'<rect class="lname" x="0" y="{top + n * LANE_H}" width="{LABEL_W}" height="{LANE_H}"/>'
                   f'<text class="ln" x="8" y="{y:.0f}">{_esc(lane)}</text>')
        for x in range(LABEL_W + 1500, int(width) - 200, 1500):
            out.append(f'<text class="lnr" x="{x}" y="{y:.0f}">{_esc(lane)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def _fault_hover(fault: _Fault) -> str:
    start = fault.start.last or fault.start.first
    lines = [f"fault {fault.id}: {fault.kind}", f"target: {_short(fault.target, TITLE_CHARS)}",
             f"from #{start.index} {_utc(fault.start.t1)} (wall {start.wall:.3f} s)"]
    if fault.end is not None and fault.end.last is not None:
        lines.append(f"healed #{fault.end.last.index} {_utc(fault.end.t1)} (wall {fault.end.last.wall:.3f} s), "
                     f"lasted {_span_text((fault.end.t1 - fault.start.t1).total_seconds())}")
    else:
        lines.append("never healed: still active when the history ends")
    if fault.uncertain:
        lines.append("the injection ended indefinite (info): it may not have happened")
    return "\n".join(lines)


# -- the page ------------------------------------------------------------------------------------------------------

CSS = """
body{font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:16px;color:#212121}
h1{font-size:24px;margin:0 0 8px}h2{font-size:19px;margin:20px 0 6px}
table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #e0e0e0;text-align:left;
vertical-align:top}th{background:#eeeeee}code{font:14px ui-monospace,Menlo,Consolas,monospace}
.meta td:first-child{font-weight:600;white-space:nowrap}
.v{font-weight:700;padding:1px 8px;border-radius:4px;color:#fff}.v-valid{background:#2e7d32}
.v-invalid{background:#c62828}.v-unknown{background:#ef6c00}.v-none{background:#757575}
.legend span{margin-right:18px;white-space:nowrap}.legend svg{vertical-align:middle}
#tl{overflow-x:auto;border:1px solid #bdbdbd;margin-top:8px}#tl.fit svg{width:100%;height:auto}
.ok{fill:#2e7d32}.fail{fill:#c62828}.info{fill:#ef6c00}.open{fill:#fff;stroke:#616161;stroke-width:2}
.bar.open{stroke-dasharray:4,3}.lane0{fill:#fafafa}.lane1{fill:#f0f0f0}
.lname{fill:#fff;fill-opacity:.92}.ln{font:600 14px system-ui,sans-serif;fill:#212121}
.lnr{font:13px system-ui,sans-serif;fill:#9e9e9e}.axis{stroke:#616161}.clu{fill:#424242}
.grid{stroke:#bdbdbd;stroke-dasharray:2,4}.tick{font:600 13px system-ui,sans-serif;fill:#212121}
.since{font:12px system-ui,sans-serif;fill:#616161}.fl{font:600 13px system-ui,sans-serif}
.gapt{font:italic 12px system-ui,sans-serif;fill:#616161;text-anchor:middle}
#events td{font:13px ui-monospace,Menlo,Consolas,monospace;white-space:nowrap}
#events td:last-child{white-space:pre-wrap;word-break:break-all}
#tip{position:absolute;display:none;z-index:9;pointer-events:none;background:#263238;color:#fff;
font:15px/1.4 ui-monospace,Menlo,Consolas,monospace;padding:8px 12px;border-radius:6px;white-space:pre-wrap;
max-width:760px}
tr.fail td{background:#ffcdd2}tr.info td{background:#ffe0b2}tr:target td{outline:2px solid #1565c0}
"""

JS = """(function(){
var tl=document.getElementById('tl'),tip=document.getElementById('tip'),svg=document.getElementById('tl-svg');
document.getElementById('fit').onclick=function(){tl.classList.toggle('fit');
this.textContent=tl.classList.contains('fit')?'actual size':'fit to window';};
if(!svg)return;
function row(i){var r=document.getElementById('e'+i);
return r?Array.prototype.map.call(r.cells,function(c){return c.textContent.trim();}):null;}
svg.addEventListener('mousemove',function(ev){
var a=ev.target.closest('a');if(!a){tip.style.display='none';return;}
var i=a.getAttribute('href').slice(2),c=a.getAttribute('data-c'),r=row(i),s=c?row(c):null;if(!r)return;
var L=['#'+i+(s?' \u2192 #'+c:'')+'  '+r[6]+'  '+(s?s[5]:(r[5]=='invoke'?'never completed':r[5]))+
'  '+r[3]+' '+r[4],(s||r[5]=='invoke'?'args: ':'value: ')+r[7]];
if(s)L.push('result: '+s[7]);
L.push('virtual '+r[1]+'Z'+(s&&s[1]!=r[1]?' \u2192 '+s[1]+'Z':'')+'  wall '+r[2]+(s?' \u2192 '+s[2]:'')+' s');
tip.textContent=L.join('\\n');tip.style.display='block';
tip.style.left=Math.min(ev.pageX+16,window.scrollX+window.innerWidth-tip.offsetWidth-8)+'px';
tip.style.top=(ev.pageY+18)+'px';});
svg.addEventListener('mouseleave',function(){tip.style.display='none';});})();"""


def _verdict(v: Any) -> str:
    name = str(v) if v in ("valid", "invalid", "unknown") else "none"
    return f'<span class="v v-{name}">{_esc(v if v not in (None, "") else "no verdict")}</span>'


def _evidence_lines(evidence: Any) -> list[str]:
    if evidence in (None, "", [], {}):
        return []
    if isinstance(evidence, str):
        return evidence.splitlines()
    if isinstance(evidence, dict):
        return [f"{k}: {_short(v, 200)}" for k, v in sorted(evidence.items())]
    if isinstance(evidence, (list, tuple)):
        return [_short(x, 200) for x in evidence]
    return [_short(evidence, 200)]


def _header(results: dict | None, events: list[Event], faults: list[_Fault]) -> str:
    out = []
    r = results or {}
    rows = [("scenario", r.get("scenario")), ("topology", r.get("topology")), ("seed", r.get("seed")),
            ("launcher", r.get("launcher")),
            ("virtual time", f"{r.get('virtual_start', '')} → {r.get('virtual_end', '')}"
             if r.get("virtual_start") else None),
            ("wall seconds", r.get("wall_seconds")), ("events", len(events)),
            ("history digest", r.get("history_digest") or digest(events))]
    out.append('<table class="meta">')
    out.append(f"<tr><td>verdict</td><td>{_verdict(r.get('verdict'))}</td></tr>")
    for name, value in rows:
        if value not in (None, ""):
            out.append(f"<tr><td>{name}</td><td>{_esc(value)}</td></tr>")
    if r.get("replay"):
        out.append(f"<tr><td>replay</td><td><code>{_esc(r['replay'])}</code></td></tr>")
    out.append("</table>")
    checks = r.get("checks") or []
    if checks:
        out.append("<h2>Checkers</h2><table><tr><th>checker</th><th>verdict</th><th>summary</th>"
                   "<th>evidence</th></tr>")
        for c in checks:
            c = c if isinstance(c, dict) else {"checker": str(c)}
            lines = _evidence_lines(c.get("evidence"))
            shown = "<br>".join(_esc(x) for x in lines[:8]) + (f"<br>… {len(lines) - 8} more" if len(lines) > 8
                                                                  else "")
            out.append(f"<tr><td>{_esc(c.get('checker', '?'))}</td><td>{_verdict(c.get('verdict'))}</td>"
                       f"<td>{_esc(c.get('summary', ''))}</td><td><code>{shown}</code></td></tr>")
        out.append("</table>")
    elif results is None:
        out.append("<p>No results.json: the run has no checker verdicts yet.</p>")
    if faults:
        out.append("<h2>Faults</h2><table><tr><th>id</th><th>fault</th><th>target</th><th>from</th>"
                   "<th>healed</th></tr>")
        for f in faults:
            healed = (f"{_utc(f.end.t1)} (after {_span_text((f.end.t1 - f.start.t1).total_seconds())})"
                      if f.end else "<b>never healed</b>")
            out.append(f"<tr><td>{_esc(f.id)}</td><td>{_esc(f.kind)}</td><td>{_esc(_short(f.target, 120))}</td>"
                       f"<td>{_utc(f.start.t1)}</td><td>{healed}</td></tr>")
        out.append("</table>")
    return "\n".join(out)


def _swatch(shape: str) -> str:
    return f'<svg width="18" height="18" viewBox="-9 -9 18 18">{shape}</svg>'


def _legend() -> str:
    circle = "M-5,0a5,5 0 1,0 10,0a5,5 0 1,0 -10,0z"
    entries = [
        (_swatch(f'<path class="ok" d="{circle}"/>'), "ok"),
        (_swatch('<path class="fail" d="M0,-7L7,0L0,7L-7,0z"/>'), "fail (definite error)"),
        (_swatch('<path class="info" d="M0,-7L7,5H-7z"/>'), "info (indefinite: may have happened)"),
        (_swatch(f'<path class="open" d="{circle}"/>'), "never completed"),
        (_swatch('<rect x="-8" y="-4" width="16" height="8" class="ok"/>'), "operation from invoke to completion"),
        ('<svg width="22" height="16"><rect width="22" height="16" fill="#8e24aa" fill-opacity=".15" '
         'stroke="#8e24aa"/></svg>', "fault, from injection to heal"),
        ('<svg width="22" height="16"><rect width="22" height="16" fill="url(#hatch)" stroke="#bdbdbd"/></svg>',
         "idle time compressed (not to scale)"),
        ('<svg width="22" height="10"><rect y="2" width="22" height="6" class="clu"/></svg>',
         "one virtual instant: its operations spread in history order"),
    ]
    return '<p class="legend">' + "".join(f"<span>{icon} {text}</span>" for icon, text in entries) + "</p>"


def _event_table(events: list[Event], when: dict[int, datetime]) -> str:
    out = ['<table id="events"><tr><th>#</th><th>virtual time (UTC)</th><th>wall s</th><th>process</th>'
           '<th>node</th><th>type</th><th>f</th><th>value / error</th></tr>']
    for e in events:
        text = _short(e.value, CELL_CHARS)
        if e.error:
            text = f"ERROR {_short(e.error, CELL_CHARS)}" + (f" | {text}" if text else "")
        cls = f' class="{e.type}"' if e.type in (FAIL, INFO) else ""
        # closing tags of cells and rows are implied in HTML; leaving them out keeps a long history small
        out.append(f'<tr id="e{e.index}"{cls}><td>{e.index}<td>{when[id(e)].strftime("%Y-%m-%d %H:%M:%S")}<td>{e.wall:.3f}'
                   f"<td>{_txt(e.process)}<td>{_txt(e.node)}<td>{_txt(e.type)}<td>{_txt(e.f)}<td>{_txt(text)}")
    out.append("</table>")
    return "\n".join(out)


def render_timeline(events: Iterable[Event], results: dict | None = None, title: str = "") -> str:
    """The timeline page of a run as HTML text: deterministic for the same events and results."""
    events = list(events)
    if results is not None and not isinstance(results, dict):
        raise TypeError(f"results must be the dict of results.json, not {type(results).__name__}")
    bad = next((e for e in events if not isinstance(e, Event)), None)
    if bad is not None:
        raise TypeError(f"events must be harness.history.Event objects (read them with read_history), got {bad!r}"[
            :300])
    when = _times(events)
    items = _items(events, when)
    faults = _faults(items)
    lanes = _lane_order(items)
    axis = _Axis(items)
    title = title or f"catsync-sim run: {(results or {}).get('scenario') or 'timeline'}"
    body = [f"<h1>{_esc(title)}</h1>", _header(results, events, faults),
            "<h2>Timeline</h2>", _legend(),
            '<p><button id="fit" type="button">fit to window</button> Hover an operation for its arguments, result,'
            " virtual (UTC) and wall time; click it to jump to its rows in the event table.</p>",
            f'<div id="tl">{_svg(items, faults, lanes, axis) if events else "<p>The history is empty.</p>"}</div>',
            '<div id="tip"></div>',
            f"<h2>Events ({len(events)})</h2>", _event_table(events, when)]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{_esc(title)}</title>"
            f"<style>{CSS}</style></head><body>\n" + "\n".join(body) + f"\n<script>{JS}</script>\n</body></html>\n")


def _lane_order(items: list[_Item]) -> list[str]:
    """Harness lanes first, then the nemesis, then other processes, each group in order of first appearance."""
    seen: dict[str, int] = {}
    for it in items:
        seen.setdefault(it.lane, len(seen))

    def group(lane: str) -> int:
        return 0 if lane.startswith("harness: ") else 1 if lane == "nemesis" else 2
    return sorted(seen, key=lambda lane: (group(lane), seen[lane]))


def write_timeline(path: Path, events: list[Event], results: dict | None = None, *, title: str = "") -> None:
    """Write `timeline.html` (UTF-8) for the events of a run and, when known, its results."""
    Path(path).write_text(render_timeline(events, results, title), encoding="utf-8", errors="backslashreplace")
