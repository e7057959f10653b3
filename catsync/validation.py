r"""CONFIGURATION VALIDATION: the secondary store's configuration against the primary's, as the latest summary file
carries it (R10, R14, R16, R38, R39, R41, R42, R43, R45). The import runs it before changing anything, and the
"Check Against Primary Configuration" button shows its table alone.

A row per volume group: each secondary group mapped to a primary group of the summary (its own id, or its
Primary Volume Group ID, R10), then each primary group no secondary group takes (W3332: its volumes are rejected,
R39). A fatal problem — in a row or of the store — aborts the whole import before any change.

Our choices where the manuals are silent (domain-facts §9 q5, q6):
- a secondary DSM/TC group fed by a primary group without DSM/TC is inconsistent (R43, fatal); a secondary group
  without a tape catalog may take any primary group (TMF -> NONE is the manual's example; DSM/TC -> NONE drops
  the DSM/TC entries, said in the row);
- "the catalog registering local backups" (R42) is the MEDIADEFS default VOLCAT / FILECAT of the domain's nodes
  and the VOLCAT of every PRIMARY DSM/TC group of this domain;
- the code of a fatal row is E3333 (ours; the manuals give none).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import grpc

from catsync import report as rpt
from catsync.platform import Platform, failure, node_of
from catsync.v1 import catalog_sync_pb2 as cs, staging_pb2
from emulator.v1 import backbox_domain_pb2 as bb, media_catalog_pb2 as mc

MISSING_GROUP = "W3332"
CONFIG_ERROR = "E3333"
DSMTC, NONE = bb.TAPE_CATALOG_TYPE_DSMTC, bb.TAPE_CATALOG_TYPE_NONE
ERROR, WARNING = bb.PROBLEM_SEVERITY_ERROR, bb.PROBLEM_SEVERITY_WARNING


@dataclass
class Validation:
    """The outcome: the table, the problems in the domain's format, and what the import may do."""

    domain_id: str
    primary_data_store_id: str
    rows: list[cs.ValidationRow] = field(default_factory=list)
    problems: list[bb.ConfigurationProblem] = field(default_factory=list)
    # primary group id -> the secondary group receiving its volumes (groups of fatal or rejected rows excluded)
    targets: dict[str, bb.VolumeGroup] = field(default_factory=dict)
    rejected_groups: set[str] = field(default_factory=set)     # primary groups whose volumes are rejected (R39)
    store_messages: list[str] = field(default_factory=list)     # fatal problems of the store, coded lines

    @property
    def fatal(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)

    def fatal_message(self) -> str:
        first = next((p for p in self.problems if p.severity == ERROR), None)
        if first is None:
            return ""
        count = sum(1 for p in self.problems if p.severity == ERROR)
        more = f" (and {count - 1} more configuration error(s) above)" if count > 1 else ""
        return (f"{self.domain_id}-{CONFIG_ERROR} Import aborted before any change: {first.message} ({first.code}):"
                f" {first.fix}{more}")

    def lines(self) -> list[str]:
        return rpt.validation_lines(self.rows) + self.store_messages


def qualify(name: str, node: str) -> str:
    """`QCVOLCAT` on `\\INSIDX` -> `\\INSIDX.QCVOLCAT`; qualified names unchanged; upper case."""
    text = (name or "").strip().upper()
    if not text or text.startswith("\\"):
        return text
    return f"{node.upper()}.{text}"


def expected_primary(store: bb.DataStore) -> str:
    """The primary data store id the staging files must carry (R10)."""
    return (store.primary_data_store_id.strip() or store.id).upper()


def validate(platform: Platform, domain_id: str, manager: str, store: bb.DataStore,
             groups: list[bb.VolumeGroup], summary: staging_pb2.ExportSummary) -> Validation:
    """Compare the configuration with the summary; reach the catalogs named (R14) through `platform`."""
    v = Validation(domain_id, expected_primary(store))
    checker = _Checker(platform, domain_id, manager, store, v)
    checker.primary_node = summary.exporting_node
    checker.primary_catalogs = {c.upper() for c in summary.primary_catalogs}
    if summary.data_store_id.upper() != v.primary_data_store_id:                    # R10
        checker.store_error("R10", "primary_data_store_id",
                            f"the import source holds the exports of data store {summary.data_store_id}, not of"
                            f" {v.primary_data_store_id}",
                            f"set Primary Data Store Id of {store.id} to {summary.data_store_id} if that is its"
                            " primary (R10), or point the Import Source at the staging subvolume of"
                            f" {v.primary_data_store_id} (R48)")
    checker.check_node_replacements(groups)                                         # R16
    by_primary: dict[str, list[bb.VolumeGroup]] = {}
    for g in groups:
        by_primary.setdefault((g.primary_volume_group_id.strip() or g.id).upper(), []).append(g)
    primaries = {g.id.upper(): g for g in summary.volume_groups}
    for pid in sorted(by_primary):
        mine = by_primary[pid]
        if pid not in primaries:
            continue  # a secondary group the primary does not have: it receives nothing
        for sg in sorted(mine, key=lambda g: g.id):
            checker.mapped_row(sg, primaries[pid], duplicate=len(mine) > 1)
    v.rows.sort(key=lambda r: r.secondary_volume_group_id)
    for pg in sorted(summary.volume_groups, key=lambda g: g.id):
        if pg.id.upper() not in by_primary:
            checker.missing_row(pg, summary.data_store_id)                         # R39
    return v


class _Checker:
    def __init__(self, platform: Platform, domain_id: str, manager: str, store: bb.DataStore, v: Validation):
        self.platform, self.domain_id, self.manager, self.store, self.v = platform, domain_id, manager, store, v
        self.cfg = store.import_config
        self._catalogs: dict[str, set[str] | str] = {}   # node -> qualified catalog names, or why unreachable
        self._local: set[str] | None = None
        self.primary_node = ""
        self.primary_catalogs: set[str] = set()

    # -- problems ---------------------------------------------------------------------------------------------
    def store_error(self, code: str, fld: str, message: str, fix: str) -> None:
        self.v.problems.append(bb.ConfigurationProblem(severity=ERROR, code=code, object_kind="data_store",
                                                       object_id=self.store.id, field=fld, message=message, fix=fix))
        self.v.store_messages.append(f"{self.domain_id}-{CONFIG_ERROR} {message} ({code}): {fix}")

    def _row_error(self, row: cs.ValidationRow, group: bb.VolumeGroup, code: str, fld: str, message: str,
                   fix: str) -> None:
        self.v.problems.append(bb.ConfigurationProblem(severity=ERROR, code=code, object_kind="volume_group",
                                                       object_id=group.id, field=fld, message=message, fix=fix))
        line = cs.ReportMessage(code=CONFIG_ERROR, severity=ERROR, volume_group_id=group.id,
                                text=f"{self.domain_id}-{CONFIG_ERROR} {message} ({code}): {fix}")
        if not row.fatal:
            row.fatal = True
            if row.warning.severity != ERROR and row.warning.text:
                row.more_errors.append(row.warning)   # an earlier warning of the row makes way
            row.warning.CopyFrom(line)
        else:
            row.more_errors.append(line)

    # -- rows -------------------------------------------------------------------------------------------------
    def missing_row(self, pg: bb.VolumeGroup, primary_store: str) -> None:
        text = (f"{self.domain_id}-{MISSING_GROUP} Primary volume group {pg.id} is not configured in the local"
                f" secondary domain {self.domain_id} for data store {primary_store}. For this group, volumes to"
                " import will be rejected.")
        row = cs.ValidationRow(primary_volume_group_id=pg.id, primary=rpt.catalog_description(pg),
                               secondary=rpt.catalog_description(None), volumes_rejected=True,
                               warning=cs.ReportMessage(code=MISSING_GROUP, severity=WARNING, text=text,
                                                        volume_group_id=pg.id))
        self.v.rows.append(row)
        self.v.rejected_groups.add(pg.id.upper())
        self.v.problems.append(bb.ConfigurationProblem(
            severity=WARNING, code=MISSING_GROUP, object_kind="volume_group", object_id=pg.id,
            field="primary_volume_group_id", message=text.split(" ", 1)[1],
            fix=f"create a volume group for {pg.id} in {self.store.id} (or set the Primary Volume Group ID of an"
                " existing one) if its volumes are to be imported, then run a FULL import (R10, R39)"))

    def mapped_row(self, sg: bb.VolumeGroup, pg: bb.VolumeGroup, *, duplicate: bool) -> None:
        row = cs.ValidationRow(secondary_volume_group_id=sg.id, primary_volume_group_id=pg.id,
                               primary=rpt.catalog_description(pg), secondary=rpt.catalog_description(sg))
        self.v.rows.append(row)
        if duplicate:                                                                 # R10
            self._row_error(row, sg, "R10", "primary_volume_group_id",
                            f"several volume groups of {self.store.id} take primary volume group {pg.id}",
                            "give each primary group exactly one secondary group (Primary Volume Group ID)")
        kind, pkind = sg.tape_catalog or NONE, pg.tape_catalog or NONE
        if kind not in (NONE, DSMTC):                                                 # R43
            self._row_error(row, sg, "R43", "tape_catalog",
                            f"volume group {sg.id} has tape catalog {_kind(kind)}; a SECONDARY data store supports"
                            " only NONE and DSM/TC", "set its Tape Catalog to DSM/TC or NONE")
        elif kind == DSMTC and pkind != DSMTC:                                        # R43
            self._row_error(row, sg, "R43", "tape_catalog",
                            f"volume group {sg.id} has a DSM/TC catalog but its primary group {pg.id} has"
                            f" {_kind(pkind)}: there are no DSM/TC entries to import",
                            "set its Tape Catalog to NONE (catalog types must be consistent)")
        elif kind == NONE and pkind == DSMTC:
            row.warning.CopyFrom(cs.ReportMessage(
                code="R43", severity=WARNING, volume_group_id=sg.id,
                text=f"{self.domain_id}-R43 Volume group {sg.id} has no tape catalog: the DSM/TC entries of"
                     f" {pg.id} are not imported, only its BackBox records."))
        if kind == DSMTC:
            self._check_dsmtc(row, sg, pg)
        if not row.fatal:
            self.v.targets[pg.id.upper()] = sg

    def _check_dsmtc(self, row: cs.ValidationRow, sg: bb.VolumeGroup, pg: bb.VolumeGroup) -> None:
        missing = [f for f in ("volcat", "pool", "filecat") if not getattr(sg, f).strip()]
        for fld in missing:                                                           # R38
            self._row_error(row, sg, "R38", fld, f"DSM/TC volume group {sg.id} has no {fld.upper()}",
                            f"enter its {fld.upper()}: a SECONDARY DSM/TC group needs VOLCAT, POOL and FILECAT")
        if missing:
            return
        volcat, filecat = qualify(sg.volcat, self.manager), qualify(sg.filecat, self.manager)
        primary = {qualify(pg.volcat, self.primary_node): f"the VOLCAT of primary group {pg.id}"}
        for name in self.primary_catalogs:
            primary.setdefault(name, "a catalog of the primary's backups")
        if not self.cfg.secondary_shares_node_name:                                    # R41, R45
            for fld, name in (("volcat", volcat), ("filecat", filecat)):
                if name in primary:
                    self._row_error(row, sg, "R45" if fld == "filecat" else "R41", fld,
                                    f"{fld.upper()} {name} of {sg.id} is {primary[name]}: a catalog would be"
                                    " replicated onto itself",
                                    "name a catalog of the secondary node, or check \"Import to a secondary system"
                                    " that shares the same node name\" when both systems have that name and no"
                                    " Expand link joins them")
        if node_of(volcat) != node_of(filecat):                                       # R14
            self._row_error(row, sg, "R14", "filecat", f"FILECAT {filecat} of {sg.id} is not on the node of its"
                            f" VOLCAT {volcat}", "name a VOLCAT and a FILECAT of the same node")
        if not self.cfg.non_dedicated_catalog:                                         # R42
            local = self._local_catalogs()
            for fld, name in (("volcat", volcat), ("filecat", filecat)):
                if name in local:
                    self._row_error(row, sg, "R42", fld,
                                    f"{fld.upper()} {name} of {sg.id} also registers local backups ({local[name]})",
                                    "give the replicated entries a dedicated DSM/TC catalog (R11), or check"
                                    " \"Allow to store replicated DSM/TC entries in a local catalog\" (FILEID"
                                    " collisions may corrupt it)")
        for fld, name, kind in (("volcat", volcat, mc.CATALOG_KIND_VOLCAT), ("filecat", filecat,
                                                                            mc.CATALOG_KIND_FILECAT)):
            known = self._catalogs_of(node_of(name) or self.manager)                 # R14
            if isinstance(known, str):
                self._row_error(row, sg, "R14", fld, f"{fld.upper()} {name} of {sg.id} cannot be reached: {known}",
                                "restore the Expand path to its node, or name a catalog the domain manager reaches")
            elif (kind, name) not in known:
                self._row_error(row, sg, "R14", fld, f"{fld.upper()} {name} of {sg.id} does not exist",
                                f"create it on {node_of(name) or self.manager} (MEDIACOM ADD CATALOG) or correct the"
                                " volume group")
        if not row.fatal:
            pools = self._pools(volcat)
            if isinstance(pools, set) and sg.pool.strip().upper() not in pools:
                self._row_error(row, sg, "R14", "pool", f"POOL {sg.pool} does not exist in VOLCAT {volcat}",
                                f"add it (MEDIACOM ADD POOL {sg.pool}, VOLCAT ...) or correct the volume group")

    def check_node_replacements(self, groups: list[bb.VolumeGroup]) -> None:
        """R16: with Nodes Replacement, no DSM/TC group may write DISKFILEs into the MEDIADEFS default FILECAT."""
        if not self.cfg.node_replacements:
            return
        default = self._media_defs(self.manager)
        if default is None:
            self.v.problems.append(bb.ConfigurationProblem(
                severity=WARNING, code="R16", object_kind="data_store", object_id=self.store.id,
                field="node_replacements", message=f"the MEDIADEFS of {self.manager} could not be read: R16 was not"
                " checked", fix="check that the domain manager node is up and runs DSM/TC"))
            return
        default_fc = qualify(default.default_filecat, self.manager)
        for g in groups:
            if (g.tape_catalog or NONE) == DSMTC and qualify(g.filecat, self.manager) == default_fc:
                self.store_error("R16", "node_replacements",
                                 f"Nodes Replacement is set but volume group {g.id} writes its DISKFILEs into the"
                                 f" MEDIADEFS default FILECAT {default_fc}",
                                 f"give {g.id} a dedicated FILECAT, or remove the Nodes Replacement pairs")

    # -- lookups ----------------------------------------------------------------------------------------------
    def _catalogs_of(self, node: str) -> set[tuple[int, str]] | str:
        if node not in self._catalogs:
            try:
                listed = self.platform.media_catalog(node).ListCatalogs(mc.ListCatalogsRequest()).catalogs
                self._catalogs[node] = {(c.kind, f"{c.node.upper()}.{c.name.upper()}") for c in listed}  # type: ignore[assignment]
            except grpc.RpcError as exc:
                self._catalogs[node] = str(failure(exc, f"catalogs of {node}"))
            except Exception as exc:  # noqa: BLE001 - no endpoint for that node: say so in the row
                self._catalogs[node] = str(exc)
        return self._catalogs[node]  # type: ignore[return-value]

    def _pools(self, volcat: str) -> set[str] | None:
        try:
            listed = self.platform.media_catalog(node_of(volcat) or self.manager).ListPools(
                mc.ListPoolsRequest(volcat=volcat)).pools
        except grpc.RpcError:
            return None
        return {p.name.upper() for p in listed}

    def _media_defs(self, node: str) -> Any:
        try:
            return self.platform.media_catalog(node).GetMediaDefs(mc.GetMediaDefsRequest()).media_defs
        except grpc.RpcError:
            return None

    def _local_catalogs(self) -> dict[str, str]:
        """Qualified catalog name -> what registers local backups in it (R42)."""
        if self._local is not None:
            return self._local  # type: ignore[return-value]
        local: dict[str, str] = {}
        domain = self.platform.domain(self.manager)
        for node in domain.ListNskNodes(bb.ListNskNodesRequest()).nodes:
            defs = self._media_defs(node.name)
            if defs is None:
                continue
            for name in (defs.default_volcat, defs.default_filecat):
                if name.strip():
                    local.setdefault(qualify(name, node.name), f"the MEDIADEFS default of {node.name.upper()}")
        stores = domain.ListDataStores(bb.ListDataStoresRequest(domain_access=bb.DOMAIN_ACCESS_PRIMARY)).data_stores
        for s in stores:
            for g in domain.ListVolumeGroups(bb.ListVolumeGroupsRequest(data_store_id=s.id)).volume_groups:
                if (g.tape_catalog or NONE) == DSMTC and g.volcat.strip():
                    local.setdefault(qualify(g.volcat, self.manager), f"PRIMARY volume group {g.id} of {s.id}")
        self._local = local  # type: ignore[assignment]
        return local


def _kind(kind: int) -> str:
    return {bb.TAPE_CATALOG_TYPE_DSMTC: "DSM/TC", bb.TAPE_CATALOG_TYPE_TMF: "TMF",
            bb.TAPE_CATALOG_TYPE_NONE: "no tape catalog"}.get(kind, bb.TapeCatalogType.Name(kind))
