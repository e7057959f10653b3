r"""Recoverability: every volume the primary could restore at the reference export must be restorable at the
secondary — its catalog (BackBox record; TAPEVOLUME and every usable TAPEFILE in the mapped DSM/TC catalogs when
the group has a DSM/TC tape catalog, R14), its image replicated to the secondary store's storage, and for an
encrypted volume its key in the key manager the secondary domain names under the same Key Manager ID (R2, R50).

"Could restore at the primary": the record shows written data, the image is in the primary store's storage, and
for a DSM/TC group the TAPEVOLUME is ASSIGNED / FULL with at least one VALID tape file. Volumes of groups with no
secondary group (R39) and volumes still pending export at the reference are not expected.

Finding kinds: missing-record, missing-tapevolume, missing-tapefile, missing-image, image-damaged (its bytes no
longer match its checksum), image-differs, missing-key-manager, missing-key, key-differs.
"""

from __future__ import annotations

from typing import Any

from harness.checkers.dumps import Dump, is_dsmtc, micros
from harness.checkers.expected import ASSIGNED, Pairing, pairing, primary_entries, valid_files
from harness.checkers.result import INVALID, UNKNOWN, VALID, CheckResult, count_kinds
from harness.checkers.syncs import Reference, per_secondary_store
from harness.history import Event

NAME = "recoverability"


def check_recoverability(events: list[Event], dumps: dict[str, Dump], **_: Any) -> CheckResult:
    """valid when the secondary can restore every volume the primary could restore at its last export."""
    return per_secondary_store(NAME, events, dumps, _check_store,
                               "no import in the history: no secondary to restore from")


def _check_store(ref: Reference, final: Dump | None) -> tuple[list[dict], str, str]:
    store = ref.secondary_store
    if ref.unknown:
        return [], UNKNOWN, f"{store}: {ref.unknown}"
    assert final is not None
    p = pairing(ref, final)
    found, unknown, checked = _Recover(p).run()
    notes = "".join(f", {n}" for n in p.notes + ref.notes)
    if found:
        return found, INVALID, f"{store}: {count_kinds(found)} ({checked} restorable volumes checked{notes})"
    if unknown:
        return [], UNKNOWN, f"{store}: {'; '.join(dict.fromkeys(unknown))}"
    return [], VALID, f"{store}: all {checked} volumes the primary can restore are restorable here{notes}"


class _Recover:
    def __init__(self, p: Pairing):
        self.p = p
        self.found: list[dict] = []
        self.unknown: list[str] = []
        ref_dump = p.ref.dump
        assert ref_dump is not None
        self.ref_dump = ref_dump
        self.primary_images = ref_dump.images(p.primary.storage_ids(p.ref.primary_store))
        final_primary = p.final.domain(p.primary.id)
        self.final_primary_images = (p.final.images(final_primary.storage_ids(p.ref.primary_store))
                                     if final_primary else None)
        self.secondary_images = p.final.images(p.secondary.storage_ids(p.store))

    def add(self, kind: str, label: str, **details: Any) -> None:
        self.found.append({"kind": kind, "data_store": self.p.store, "label": label, **details})

    def run(self) -> tuple[list[dict], list[str], int]:
        if self.primary_images is None:
            self.unknown.append(f"dump {self.ref_dump.name} has no storage of {self.p.ref.primary_store}")
        if self.secondary_images is None:
            self.unknown.append(f"the final dump has no storage of {self.p.store}")
        if self.unknown:
            return [], self.unknown, 0
        checked = 0
        for rec, group, target in self.p.expected_volumes():
            files = self._restorable_at_primary(rec, group)
            if files is None:
                continue
            checked += 1
            self._at_secondary(rec, group, target, files)
        return self.found, self.unknown, checked

    def _restorable_at_primary(self, rec: dict, group: dict) -> list[dict] | None:
        """The usable TAPEFILEs of a volume the primary can restore ([] outside DSM/TC), None when it cannot."""
        label = rec["label"]
        assert self.primary_images is not None
        if label not in self.primary_images or rec.get("expired"):
            return None
        if not (rec.get("last_written_time") or int(rec.get("data_bytes", 0) or 0)):
            return None
        if not is_dsmtc(group):
            return []
        cats, tv, files = primary_entries(self.ref_dump, self.p.primary, rec, group)
        if cats is None or tv is None or tv.get("status") not in ASSIGNED:
            return None
        usable = valid_files(files, micros(self.ref_dump.utc))
        return usable or None

    def _at_secondary(self, rec: dict, group: dict, target: dict, files: list[dict]) -> None:
        label = rec["label"]
        have = self.p.secondary_records.get(label)
        if have is None:
            self.add("missing-record", label, rule="R22")
            return
        if is_dsmtc(group) and is_dsmtc(target):
            t = self.p.target(target)
            vcats, fcats = self.p.final.catalogs(t.volcat_node), self.p.final.catalogs(t.filecat_node)
            if vcats is None or fcats is None:
                self.unknown.append(f"the secondary's DSM/TC node {t.volcat_node} is down or not in the final dump")
            else:
                if not any(r["volcat"] == t.volcat and r["pool"] == t.pool for r in vcats.volumes(label)):
                    self.add("missing-tapevolume", label, catalog=t.volcat_text(), pool=t.pool, rule="R14")
                for f in files:
                    key = (t.filecat, f["file_id"], int(f["generation"]), int(f.get("version", 0)))
                    row = fcats.tape_file(key)
                    if row is None or row.get("status", "VALID") != "VALID" or \
                            label not in {r["volser"] for r in fcats.tftov(key)}:
                        self.add("missing-tapefile", label, catalog=t.filecat_text(), file_id=key[1],
                                 generation=key[2], version=key[3], rule="R14")
        self._image(label)
        if rec.get("encrypted"):
            self._key(label, rec)

    def _image(self, label: str) -> None:
        assert self.primary_images is not None and self.secondary_images is not None
        image = self.secondary_images.get(label)
        if image is None:
            self.add("missing-image", label, storage=self.p.secondary.storage_ids(self.p.store), rule="R2")
            return
        if image.get("damaged"):   # its bytes no longer match its checksum: the restore fails with DATA_LOSS
            self.add("image-damaged", label, storage=self.p.secondary.storage_ids(self.p.store), rule="R2")
            return
        want = self.primary_images[label].get("checksum")
        now = (self.final_primary_images or {}).get(label, {}).get("checksum")
        # a volume rewritten at the primary since the reference export may legitimately replicate the newer image
        if image.get("checksum") != want and image.get("checksum") != now:
            self.add("image-differs", label, expected=want, actual=image.get("checksum"), rule="R2")

    def _key(self, label: str, rec: dict) -> None:
        km_id, name = rec.get("key_manager_id", ""), rec.get("media_key_name", "")
        server = self.p.secondary.key_server(km_id)
        if server is None:
            self.add("missing-key-manager", label, key_manager_id=km_id, domain=self.p.secondary.id, rule="R50")
            return
        keys = self.p.final.keys(server)
        if keys is None:
            self.unknown.append(f"key manager {server} is not in the final dump")
            return
        key = keys.get(name)
        if key is None or key.get("destroyed") or key.get("state", "ACTIVE") != "ACTIVE":
            self.add("missing-key", label, key_manager=server, key=name,
                     state=(key or {}).get("state", "absent"), rule="R50")
            return
        pserver = self.p.primary.key_server(km_id)
        pkey = (self.ref_dump.keys(pserver) or {}).get(name) if pserver else None
        if pkey is not None and pkey.get("fingerprint") != key.get("fingerprint"):
            self.add("key-differs", label, key_manager=server, key=name, rule="R50")
