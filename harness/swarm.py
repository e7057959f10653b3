"""Swarm mode: a random schedule of operations and faults drawn from the seed, written out as ordinary steps.

A scenario with a `swarm:` section gets its steps from `swarm_steps(seed, spec, options)`: days of backups, the
automatic exports they trigger, nightly UPDATE imports, a monthly FULL, and faults of kinds chosen per seed
(Swarm testing: each seed enables a different subset of fault types at its own rate, so a 100-seed sweep
covers combinations a fixed mix would not). Every fault gets a `heal` step after a drawn duration. The steps are
concrete, so a failing schedule can be shrunk (harness.shrink) and replayed as a plain scenario.

`role_swap_every_days: N` adds a planned role switch (R55) after every N-th night's import: whatever the days
before did, once their faults are healed the switch must complete and leave both sites consistent; the days
after it back up on the new primary and import on the new secondary, and the next switch goes back.

```yaml
swarm: {days: 30, backups_per_day: [1, 3], faults: auto, fault_rate: 0.3, role_swap_every_days: 10}
```
"""

from __future__ import annotations

import random
from typing import Any

from harness.errors import ScenarioError
from harness.scenario import Step

# Faults a swarm may choose; the ones that destroy data on purpose (a dropped or corrupted replica image) are
# left out: their loss is real and expected, so they belong to scenarios that say so.
SWARM_FAULTS = ("link-down", "link-one-way", "link-latency", "link-loss", "node-crash", "process-kill",
                "storage-replication-pause", "storage-replication-lag", "key-replication-pause", "staging-corrupt",
                "staging-truncate", "staging-delete", "staging-foreign", "staging-disk-full",
                "ems-extractor-stopped", "clock-skew")
KILL_POINTS = ("export.after_volume_file", "export.before_summary", "export.after_summary",
               "import.after_validation", "import.before_volumes", "import.after_volumes", "import.before_state",
               "media_catalog.before_commit", "media_catalog.after_commit")
DEFAULTS: dict[str, Any] = {"days": 7, "backups_per_day": [1, 3], "faults": "auto", "fault_rate": 0.3,
                            "full_every_days": 30, "import_hour": 2, "role_swap_every_days": 0}


def validate_swarm(raw: Any) -> dict[str, Any]:
    """The swarm options with defaults; a ScenarioError names a bad key or value."""
    if raw is True or raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ScenarioError("swarm is a mapping: {days: 30, backups_per_day: [1, 3], faults: auto, fault_rate: 0.3}")
    unknown = sorted(set(raw) - set(DEFAULTS))
    if unknown:
        raise ScenarioError(f"swarm: unknown key {unknown[0]!r}: allowed are {', '.join(DEFAULTS)}")
    opts = {**DEFAULTS, **raw}
    days = opts["days"]
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 366:
        raise ScenarioError(f"swarm: days {days!r} must be a whole number from 1 to 366")
    per_day = opts["backups_per_day"]
    if isinstance(per_day, int) and not isinstance(per_day, bool):
        per_day = [per_day, per_day]
    if not (isinstance(per_day, list) and len(per_day) == 2 and all(isinstance(n, int) and 0 <= n <= 50
                                                                     for n in per_day) and per_day[0] <= per_day[1]):
        raise ScenarioError("swarm: backups_per_day is a number or [min, max] from 0 to 50")
    opts["backups_per_day"] = per_day
    faults = opts["faults"]
    if faults != "auto":
        if not isinstance(faults, list) or not all(f in SWARM_FAULTS or f in ("storage-drop-object",
                                                                             "storage-corrupt-object")
                                                    for f in faults):
            raise ScenarioError(f"swarm: faults is auto or a list of {', '.join(SWARM_FAULTS)}")
    rate = opts["fault_rate"]
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
        raise ScenarioError(f"swarm: fault_rate {rate!r} must be a number from 0 to 1 (faults per day)")
    every = opts["role_swap_every_days"]
    if isinstance(every, bool) or not isinstance(every, int) or not 0 <= every <= 366:
        raise ScenarioError(f"swarm: role_swap_every_days {every!r} must be a whole number of days (0: no role swap)")
    return opts


def swarm_steps(seed: int, spec: Any, options: dict[str, Any], origin: str = "<swarm>") -> tuple[Step, ...]:
    """The concrete steps of a swarm run for this seed and topology."""
    from harness.sim import Roles  # noqa: PLC0415

    opts = validate_swarm(options)
    rng = random.Random(f"swarm:{seed}")
    roles = Roles.of(spec)
    if not roles.pairs:
        raise ScenarioError(f"swarm: topology {spec.name} has no PRIMARY / SECONDARY data store pair to exercise")
    kinds = _chosen_kinds(rng, spec, roles, opts)
    rates = {k: opts["fault_rate"] * rng.uniform(0.3, 1.7) / max(1, len(kinds)) * 2 for k in kinds}
    steps: list[Step] = []
    count = 0

    def add(verb: str, args: Any) -> None:
        steps.append(Step(verb, args, 0, origin))
    for day in range(opts["days"]):
        # the day: a fault may start in the morning, backups through the day, the import at night
        started = []
        for kind in kinds:
            if rng.random() < rates[kind]:
                count += 1
                fid = f"S{count}"
                add("fail", {"fault": kind, "id": fid, **_params(rng, kind, spec, roles)})
                started.append((fid, rng.choice((1, 2, 4, 8, 20))))
        low, high = opts["backups_per_day"]
        hours_left = 20
        for _ in range(rng.randint(low, high)):
            gap = rng.randint(1, 4)
            add("advance", f"{gap}h")
            hours_left -= gap
            add("backup", 1)
            for fid, heal_after in list(started):
                if heal_after <= 20 - hours_left:
                    add("heal", fid)
                    started.remove((fid, heal_after))
        add("advance", f"{max(hours_left, 1)}h")
        for fid, _ in started:
            add("heal", fid)
        full = opts["full_every_days"] and (day + 1) % opts["full_every_days"] == 0
        if full:
            add("export", "FULL")
        add("import", "FULL" if full else "UPDATE")
        if opts["role_swap_every_days"] and (day + 1) % opts["role_swap_every_days"] == 0 \
                and day + 1 < opts["days"]:
            add("role_swap", {})        # R55, every fault of the day healed: it must complete
        add("advance", "4h")
    return tuple(steps)


def _chosen_kinds(rng: random.Random, spec: Any, roles: Any, opts: dict[str, Any]) -> list[str]:
    if opts["faults"] != "auto":
        return list(opts["faults"])
    usable = [k for k in SWARM_FAULTS if _usable(k, spec, roles)]
    n = rng.randint(1, max(1, min(5, len(usable))))
    return sorted(rng.sample(usable, n))


def _usable(kind: str, spec: Any, roles: Any) -> bool:
    bbx = spec.backbox
    if kind.startswith("link-"):
        return bool(spec.links)
    if kind.startswith("storage-"):
        return any(r.kind == "storage" for r in bbx.replications) and bool(roles.primary_storage)
    if kind == "key-replication-pause":
        return any(r.kind == "keys" for r in bbx.replications) and bool(roles.primary_key_manager)
    return True


def _params(rng: random.Random, kind: str, spec: Any, roles: Any) -> dict[str, Any]:
    if kind == "link-latency":
        return {"ms": rng.choice((5, 20, 50))}
    if kind == "link-loss":
        return {"probability": rng.choice((0.05, 0.2, 0.5))}
    if kind == "link-one-way":
        return {"from": rng.choice((roles.primary_node, roles.secondary_node))}
    if kind == "node-crash":
        return {"node": rng.choice((roles.primary_node, roles.secondary_node))}
    if kind == "process-kill":
        return {"point": rng.choice(KILL_POINTS), "on_hit": rng.randint(1, 3)}
    if kind == "storage-replication-lag":
        return {"lag": rng.choice(("30m", "2h", "6h"))}
    if kind == "clock-skew":
        return {"node": rng.choice((roles.primary_node, roles.secondary_node)),
                "seconds": rng.choice((-3600, -300, 300, 3600, 6 * 3600))}
    if kind == "ems-extractor-stopped":
        return {"node": roles.primary_node}
    return {}
