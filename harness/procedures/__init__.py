"""DR procedures as scenario steps (issue 7): each a numbered sequence of checked steps, recorded in the history
with its RPO and RTO (`harness.procedures.base`).

`PROCEDURES` names each procedure's module and class; a module is imported when its procedure is first used, so
the scenario parser can know the verbs without loading the gRPC stubs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any, Callable

from harness.errors import ScenarioError

if TYPE_CHECKING:
    from harness.procedures.base import Procedure
    from harness.sim import Sim

PROCEDURES: dict[str, str] = {
    "role_swap": "role_swap:RoleSwap",                                  # R55
    "unplanned_failover": "failover:UnplannedFailover",
    "failback": "failover:Failback",
    "transfer_without_expand": "transfer_without_expand:TransferWithoutExpand",   # R56
    "qorestor_dr": "qorestor_dr:QorestorDr",                            # R57
    "stop_exports": "configuration:StopExports",                        # R52
    "stop_imports": "configuration:StopImports",                        # R52
    "abandon_secondary": "configuration:AbandonSecondary",              # R53
    "abandon_primary": "configuration:AbandonPrimary",                  # R54
    "migrate_datastore": "configuration:MigrateDatastore",              # R58
}


def procedure_class(name: str) -> type["Procedure"]:
    module, cls = PROCEDURES[name].split(":")
    return getattr(importlib.import_module(f"harness.procedures.{module}"), cls)


def procedures() -> dict[str, type["Procedure"]]:
    return {name: procedure_class(name) for name in PROCEDURES}


def validate_procedure(verb: str, args: Any, err: Callable[[tuple, str], ScenarioError]) -> None:
    procedure_class(verb).validate(args, err)


def run_procedure(sim: "Sim", verb: str, args: dict[str, Any] | None) -> dict[str, Any] | None:
    cls = procedure_class(verb)
    cls.validate(args, lambda path, msg: ScenarioError(f"{verb}: {msg}"))
    return cls(sim, args or {}).run()
