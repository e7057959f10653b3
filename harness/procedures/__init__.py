"""DR procedures as scenario steps (issue 7): each a numbered sequence of checked steps, recorded in the history
with its RPO and RTO (`harness.procedures.base`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from harness.errors import ScenarioError

if TYPE_CHECKING:
    from harness.procedures.base import Procedure
    from harness.sim import Sim


def procedures() -> dict[str, type["Procedure"]]:
    from harness.procedures.role_swap import RoleSwap  # noqa: PLC0415

    return {p.name: p for p in (RoleSwap,)}


def validate_procedure(verb: str, args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
    procedures()[verb].validate(args, err)


def run_procedure(sim: "Sim", verb: str, args: dict[str, Any] | None) -> dict[str, Any] | None:
    cls = procedures()[verb]
    cls.validate(args, lambda path, msg: ScenarioError(f"{verb}: {msg}"))
    return cls(sim, args or {}).run()
