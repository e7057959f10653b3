r"""What a SECONDARY store should hold, derived from the rules (never from the product's code): the pairing of a
secondary store with its primary store at the reference export, and each primary volume's expected image at the
secondary.

- primary store ↔ secondary store by the secondary's primary_data_store_id, or the same id (R10);
- primary group → the secondary group whose primary_volume_group_id names it, or of the same id (R10); volumes of
  a group with no mapped group are not expected (W3332, R39);
- the BackBox record is the primary's (R22) with the secondary store and group, WRITE access `.` (SECONDARY), and
  for a DSM/TC group the secondary group's VOLCAT / POOL / FILECAT (R14) and media type (R44); for a group
  without DSM/TC catalog no catalog at all (TMF / NONE groups carry no DSM/TC entries, R43);
- DSM/TC TAPEVOLUME / TAPEFILE re-qualified the same way; DISKFILE node names replaced by the store's
  import_config.node_replacements (R15).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.checkers.dumps import DSMTC, Domain, Dump, NodeCatalogs, is_dsmtc, mapped_groups, qualify, split_node
from harness.checkers.syncs import Reference, primary_domain

# Bookkeeping of when and where, not of what: a load for input at the secondary changes the unload time, the
# import stamps its own export id and time, the lock fields come and go.
RECORD_BOOKKEEPING = frozenset({
    "change_sequence", "imported_time", "imported_export_id", "pending_export", "unload_time", "current_operation",
    "operation_id", "operation_started", "operation_vtc_id", "operation_drive_id", "automatic_mount",
    "last_index_path", "last_data_path"})
RECORD_CATALOG_FIELDS = ("catalog_type", "volcat", "pool", "filecat", "tmf_node")
TAPEVOLUME_BOOKKEEPING = frozenset({"last_changed_us"})
ASSIGNED = ("ASSIGNED", "FULL")
NONE = "TAPE_CATALOG_TYPE_NONE"


@dataclass(frozen=True)
class Target:
    r"""Where a secondary DSM/TC group's entries live: `\NODE` and bare names."""

    volcat_node: str
    volcat: str
    pool: str
    filecat_node: str
    filecat: str
    media_type: str

    def volcat_text(self) -> str:
        return f"{self.volcat_node}.{self.volcat}"

    def filecat_text(self) -> str:
        return f"{self.filecat_node}.{self.filecat}"


@dataclass
class Pairing:
    """A SECONDARY store and its primary store at the reference, ready to compare."""

    ref: Reference
    final: Dump
    primary: Domain                     # at the reference dump
    secondary: Domain                   # at the final dump
    mapping: dict[str, dict]            # primary group id -> secondary group
    primary_groups: dict[str, dict]
    primary_records: dict[str, dict]
    secondary_records: dict[str, dict]
    pending: set[str]
    replacements: dict[str, str]
    notes: list[str] = field(default_factory=list)

    @property
    def store(self) -> str:
        return self.ref.secondary_store

    def target(self, group: dict) -> Target:
        vnode, vc = qualify(group.get("volcat", ""), self.secondary.node)
        fnode, fc = qualify(group.get("filecat", ""), self.secondary.node)
        return Target(vnode, vc, group.get("pool", "").upper(), fnode, fc, group.get("media_type", ""))

    def expected_volumes(self) -> list[tuple[dict, dict, dict]]:
        """(primary record, primary group, secondary group) of every volume the secondary should hold, pending ones
        left out; the counts of what was left out go to `notes`."""
        out, unmapped, pending = [], 0, 0
        for label in sorted(self.primary_records):
            rec = self.primary_records[label]
            group = self.primary_groups.get(rec.get("volume_group_id", "").upper())
            target = self.mapping.get(rec.get("volume_group_id", "").upper())
            if group is None or target is None:
                unmapped += 1
            elif label in self.pending:
                pending += 1
            else:
                out.append((rec, group, target))
        if unmapped:
            self.notes.append(f"{unmapped} in groups with no secondary group (R39)")
        if pending:
            self.notes.append(f"{pending} pending export at the reference not compared")
        return out

    def expected_record(self, rec: dict, target: dict) -> dict:
        want = {k: v for k, v in rec.items() if k not in RECORD_BOOKKEEPING}
        want["data_store_id"], want["volume_group_id"], want["write_access"] = self.store, target["id"], "."
        for name in RECORD_CATALOG_FIELDS:
            want.pop(name, None)
        if is_dsmtc(target):                                                 # R14, R44
            t = self.target(target)
            want.update(catalog_type=DSMTC, volcat=t.volcat_text(), pool=t.pool, filecat=t.filecat_text())
            if t.media_type:
                want["media_type"] = t.media_type
        else:                                                                # no DSM/TC catalog at all
            want.pop("catalog_status", None)
            want.pop("first_non_expired_tape_file", None)
            want["catalog_type"] = NONE     # a SECONDARY group is NONE or DSM/TC (R43)
        return want

    def disk_name(self, name: str) -> str:
        node, rest = split_node(name)
        new = self.replacements.get(node)                                   # R15
        return f"{new}.{rest}" if new else name.upper()


def pairing(ref: Reference, final: Dump) -> Pairing:
    """The pairing of a usable reference (ref.unknown == "")."""
    pri = primary_domain(ref)
    sec = final.domain(ref.secondary_domain)
    assert sec is not None and ref.dump is not None
    sec_store = sec.store(ref.secondary_store) or {}
    repl = {qualify_node(r.get("old_node", "")): qualify_node(r.get("new_node", ""))
            for r in sec_store.get("import_config", {}).get("node_replacements", [])}
    return Pairing(ref, final, pri, sec, mapped_groups(sec, ref.secondary_store),
                   {g.upper(): v for g, v in pri.groups(ref.primary_store).items()},
                   pri.records(ref.primary_store), sec.records(ref.secondary_store),
                   pri.pending_labels(ref.primary_store), repl)


def qualify_node(name: str) -> str:
    text = name.strip().upper()
    return text if text.startswith("\\") else "\\" + text


def primary_entries(dump: Dump, pri: Domain, rec: dict, group: dict) -> tuple[NodeCatalogs | None, dict | None,
                                                                              list[dict]]:
    """The primary's catalogs node, TAPEVOLUME row (or None) and TAPEFILE rows of one volume of a DSM/TC group."""
    node, volcat = qualify(rec.get("volcat") or group.get("volcat", ""), pri.node)
    cats = dump.catalogs(node)
    if cats is None:
        return None, None, []
    label = rec["label"]
    tv = next((r for r in cats.volumes(label) if r["volcat"] == volcat), None)
    files = [f for f in cats.tape_files_of(label) if f.get("volcat") == volcat]
    return cats, tv, files


def valid_files(files: list[dict], now_us: int | None = None) -> list[dict]:
    """The TAPEFILEs a restore can use: VALID and not past their expiration (when `now_us` is given)."""
    out = []
    for f in files:
        if f.get("status", "VALID") != "VALID":
            continue
        exp = int(f.get("expiration_us") or 0)
        if now_us is not None and exp and not f.get("permanent") and exp <= now_us:
            continue
        out.append(f)
    return out
