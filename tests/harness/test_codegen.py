"""The committed stubs match the protos (the same check CI runs)."""

from __future__ import annotations

from harness import codegen


def test_committed_stubs_are_current():
    assert codegen.check() == [], "run 'python -m harness.codegen' and commit the stubs"


def test_every_service_of_the_design_has_a_proto():
    names = {p.stem for p in codegen.proto_files()}
    assert {"guardian", "media_catalog", "backbox_domain", "tape_controller", "storage", "key_manager", "link",
            "clock", "control", "catalog_sync", "staging"} <= names
