"""Query plans of the DSM/TC reads on the export's path (DESIGN §7: an export's cost follows the volumes it
reads, not the size of the catalog). Checked with EXPLAIN QUERY PLAN, not with a clock."""

from __future__ import annotations

import sqlite_utils

from emulator import dsmtc_tables as tables


def plan_of(call) -> list[str]:
    db = sqlite_utils.Database(memory=True)
    for stmt in tables._DDL:
        db.execute(stmt)
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    call(db)
    db.conn.set_trace_callback(None)
    sql = next(s for s in seen if s.lstrip().upper().startswith("SELECT") and "dsm_tftov" in s)
    return [row[3] for row in db.conn.execute("EXPLAIN QUERY PLAN " + sql)]


def test_files_on_a_volume_start_from_the_volumes_tftov_rows():
    plan = plan_of(lambda db: tables.files_on_volume(db, "\\INSIDX", "\\INSIDX.QCVOLCAT", "EW1008"))
    assert plan[0].startswith("SEARCH t USING INDEX dsm_tftov_volser"), plan
    assert plan[1].startswith("SEARCH f USING PRIMARY KEY"), plan
    assert not any(step.startswith("SCAN") for step in plan), plan
