"""What a checker returns: a verdict (valid / invalid / unknown), one line for a person, and typed evidence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

VALID, INVALID, UNKNOWN = "valid", "invalid", "unknown"
VERDICTS = (VALID, INVALID, UNKNOWN)
MAX_EVIDENCE = 200          # findings kept per result; the summary still counts them all


@dataclass(frozen=True)
class CheckResult:
    """One checker's verdict on a history and its state dumps."""

    checker: str              # "consistency", "recoverability", "rpo", "label-uniqueness", "fileid-collisions"
    verdict: str              # "valid" | "invalid" | "unknown"
    summary: str              # one line a person reads
    evidence: tuple[dict, ...] = ()   # typed findings, e.g. {"kind": "missing", "label": "EW1008", ...}

    def __post_init__(self) -> None:
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r} must be one of {', '.join(VERDICTS)}")

    def to_dict(self) -> dict[str, Any]:
        return {"checker": self.checker, "verdict": self.verdict, "summary": self.summary,
                "evidence": [dict(e) for e in self.evidence]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "CheckResult":
        missing = {"checker", "verdict", "summary"} - set(d)
        if missing:
            raise ValueError(f"check result {d!r} lacks {', '.join(sorted(missing))}")
        return cls(d["checker"], d["verdict"], d["summary"], tuple(dict(e) for e in d.get("evidence", ())))


def result(checker: str, verdict: str, summary: str, evidence: Iterable[dict] = ()) -> CheckResult:
    """A result whose evidence is cut at MAX_EVIDENCE findings (the last one says how many were left out)."""
    found = list(evidence)
    if len(found) > MAX_EVIDENCE:
        found = found[:MAX_EVIDENCE] + [{"kind": "truncated", "omitted": len(found) - MAX_EVIDENCE}]
    return CheckResult(checker, verdict, summary, tuple(found))


def combine(verdicts: Iterable[str]) -> str:
    """invalid if any is invalid, else unknown if any is unknown, else valid (also for none at all)."""
    seen = set(verdicts)
    return INVALID if INVALID in seen else UNKNOWN if UNKNOWN in seen else VALID


def count_kinds(evidence: Iterable[dict]) -> str:
    """`3 missing, 1 stale` for a summary line, kinds in first-seen order."""
    counts: dict[str, int] = {}
    for e in evidence:
        counts[e["kind"]] = counts.get(e["kind"], 0) + 1
    return ", ".join(f"{n} {kind}" for kind, n in counts.items())
