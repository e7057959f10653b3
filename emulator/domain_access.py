"""The Domain Access matrix (R17) and data store de-activation (R18): which operation a data store allows, for
whom. Every BackBoxDomain operation subject to the matrix asks `decide`, so the CheckAccess RPC and the real
operations can never disagree.

| Access     | Volume creation            | Export | Import | Load input | Load output | OBB017   |
|------------|----------------------------|--------|--------|------------|-------------|----------|
| PRIMARY    | tape + BackBox / DSM/TC    | OK     | No     | OK         | OK          | Executed |
| SECONDARY  | Rejected                   | No     | OK     | OK         | Rejected    | Skipped  |
| RESTRICTED | BackBox catalog only       | No     | No     | OK         | Rejected    | Skipped  |

An INACTIVE store (R18) refuses loads, volume creation and every automatic action (OBB017 skipped, automatic
exports left pending); an export or import started from the UI still runs on it. A macro (BB026 / BB027 from a
NetBatch job) counts as automatic here: only the UI is "started from the UI" (domain-facts §9 q7).
Exports and imports also need the Catalog Sync license option (R1).
"""

from __future__ import annotations

from emulator.v1 import backbox_domain_pb2 as bb

PRIMARY, SECONDARY, RESTRICTED = bb.DOMAIN_ACCESS_PRIMARY, bb.DOMAIN_ACCESS_SECONDARY, bb.DOMAIN_ACCESS_RESTRICTED
OPERATION_WORDS = {
    bb.DATA_STORE_OPERATION_VOLUME_CREATION: "volume creation",
    bb.DATA_STORE_OPERATION_EXPORT: "catalog export",
    bb.DATA_STORE_OPERATION_IMPORT: "catalog import",
    bb.DATA_STORE_OPERATION_LOAD_INPUT: "load for input",
    bb.DATA_STORE_OPERATION_LOAD_OUTPUT: "load for output",
    bb.DATA_STORE_OPERATION_OBB017: "OBB017 daily cleanup",
}
ACCESS_WORDS = {PRIMARY: "PRIMARY", SECONDARY: "SECONDARY", RESTRICTED: "RESTRICTED"}

# R17: (access, operation) -> allowed / catalog-only / skipped; anything absent is rejected.
_ALLOWED = {
    (PRIMARY, bb.DATA_STORE_OPERATION_VOLUME_CREATION), (PRIMARY, bb.DATA_STORE_OPERATION_EXPORT),
    (PRIMARY, bb.DATA_STORE_OPERATION_LOAD_INPUT), (PRIMARY, bb.DATA_STORE_OPERATION_LOAD_OUTPUT),
    (PRIMARY, bb.DATA_STORE_OPERATION_OBB017),
    (SECONDARY, bb.DATA_STORE_OPERATION_IMPORT), (SECONDARY, bb.DATA_STORE_OPERATION_LOAD_INPUT),
    (RESTRICTED, bb.DATA_STORE_OPERATION_VOLUME_CREATION), (RESTRICTED, bb.DATA_STORE_OPERATION_LOAD_INPUT),
}
_CATALOG_ONLY = {(RESTRICTED, bb.DATA_STORE_OPERATION_VOLUME_CREATION)}
_FIX = {
    bb.DATA_STORE_OPERATION_VOLUME_CREATION: "create the volumes in the PRIMARY data store; on the secondary side"
                                             " they arrive by Catalog Sync import",
    bb.DATA_STORE_OPERATION_EXPORT: "export from the PRIMARY data store (set its domain access to PRIMARY to"
                                    " export from this one)",
    bb.DATA_STORE_OPERATION_IMPORT: "import into a SECONDARY data store (set its domain access to SECONDARY to"
                                    " import into this one)",
    bb.DATA_STORE_OPERATION_LOAD_OUTPUT: "write backups on the PRIMARY data store; a SECONDARY or RESTRICTED"
                                         " store is read-only until it is promoted to PRIMARY",
}


def decide(ds: bb.DataStore, operation: int, origin: int = bb.OPERATION_ORIGIN_UNSPECIFIED, *,
           catalog_sync_licensed: bool = True) -> bb.AccessDecision:
    """The R17 / R18 / R1 decision for one operation on one data store."""
    access, status = ds.domain_access, ds.status or bb.DATA_STORE_STATUS_ACTIVE
    what = OPERATION_WORDS.get(operation, "this operation")
    base = {"domain_access": access, "status": status}
    if operation not in OPERATION_WORDS:  # UNSPECIFIED, or a value this build does not know
        given = "no operation given" if not operation else f"operation {operation} is not a column of the matrix"
        return bb.AccessDecision(allowed=False, rule="R17", reason=f"{given}: name one of the R17 matrix"
                                 " columns (VOLUME_CREATION, EXPORT, IMPORT, LOAD_INPUT, LOAD_OUTPUT, OBB017)", **base)
    if operation in (bb.DATA_STORE_OPERATION_EXPORT, bb.DATA_STORE_OPERATION_IMPORT) and not catalog_sync_licensed:
        return bb.AccessDecision(allowed=False, rule="R1", reason=(
            f"{what} of data store {ds.id} needs the Catalog Sync option of the domain license: install a license"
            " key with the CATALOG_SYNC option (SetLicense)"), **base)
    if (access, operation) not in _ALLOWED:
        skipped = operation == bb.DATA_STORE_OPERATION_OBB017
        verb = "skipped" if skipped else "rejected"
        reason = (f"{what} is {verb} on data store {ds.id}: its domain access is "
                  f"{ACCESS_WORDS.get(access, 'not set')}")
        if not skipped:
            reason += f"; {_FIX.get(operation, 'change the domain access of the data store')}"
        return bb.AccessDecision(allowed=False, skipped=skipped, rule="R17", reason=reason, **base)
    if status == bb.DATA_STORE_STATUS_INACTIVE:
        from_ui = origin == bb.OPERATION_ORIGIN_UI
        if operation in (bb.DATA_STORE_OPERATION_EXPORT, bb.DATA_STORE_OPERATION_IMPORT) and from_ui:
            return bb.AccessDecision(allowed=True, rule="R18", reason=(
                f"data store {ds.id} is INACTIVE: a {what} started from the UI still runs"), **base)
        skipped = operation == bb.DATA_STORE_OPERATION_OBB017
        reason = (f"{what} is {'skipped' if skipped else 'rejected'}: data store {ds.id} is INACTIVE")
        if operation in (bb.DATA_STORE_OPERATION_EXPORT, bb.DATA_STORE_OPERATION_IMPORT):
            reason += "; start it from the UI (Export / Import buttons), or activate the data store"
        else:
            reason += "; activate it (SetDataStoreStatus ACTIVE) first"
        return bb.AccessDecision(allowed=False, skipped=skipped, rule="R18", reason=reason, **base)
    return bb.AccessDecision(allowed=True, catalog_only=(access, operation) in _CATALOG_ONLY, rule="R17", **base)
