"""Generate the gRPC / protobuf stubs of every proto under ``proto/`` into the matching Python package.

``python -m harness.codegen`` writes ``emulator/v1/*_pb2*.py[i]`` and ``catsync/v1/*_pb2*.py[i]``;
``python -m harness.codegen --check`` generates into a scratch folder and fails when the committed stubs differ
(CI and a test run the check, so a proto change without regenerated stubs never lands).
"""

from __future__ import annotations

import argparse
import filecmp
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("emulator/v1", "catsync/v1")
INIT_TEXT = '"""Generated gRPC stubs: written by ``python -m harness.codegen``; do not edit."""\n'
GENERATED_SUFFIXES = ("_pb2.py", "_pb2.pyi", "_pb2_grpc.py")


class CodegenError(Exception):
    """protoc failed or the committed stubs are stale: run ``python -m harness.codegen`` and commit."""


def proto_files(root: Path = ROOT) -> list[Path]:
    """Every ``.proto`` file of the v1 packages, in a stable order."""
    files: list[Path] = []
    for package in PACKAGES:
        files.extend(sorted((root / "proto" / package).glob("*.proto")))
    return files


def generate(out: Path, root: Path = ROOT) -> list[Path]:
    """Run protoc for every proto into ``out``; return the generated files (relative to ``out``)."""
    try:
        from grpc_tools import protoc  # noqa: PLC0415 - a dev dependency, imported only here
        import grpc_tools
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise CodegenError("grpcio-tools is not installed: pip install -e '.[test]'") from exc
    protos = proto_files(root)
    if not protos:
        raise CodegenError(f"no .proto files under {root / 'proto'}")
    include = Path(grpc_tools.__file__).parent / "_proto"
    for package in PACKAGES:
        (out / package).mkdir(parents=True, exist_ok=True)
        (out / package / "__init__.py").write_text(INIT_TEXT)
    args = [
        "grpc_tools.protoc",
        f"--proto_path={root / 'proto'}",
        f"--proto_path={include}",
        f"--python_out={out}",
        f"--pyi_out={out}",
        f"--grpc_python_out={out}",
        *[str(p) for p in protos],
    ]
    if protoc.main(args) != 0:
        raise CodegenError("protoc failed; see the messages above")
    return sorted(p.relative_to(out) for package in PACKAGES for p in (out / package).iterdir() if p.is_file())


def _generated_in(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name.endswith(GENERATED_SUFFIXES) or p.name == "__init__.py"}


def check(root: Path = ROOT) -> list[str]:
    """Return the stale, missing or extra stub files (empty when the committed stubs are current)."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        generate(out, root)
        for package in PACKAGES:
            fresh, committed = out / package, root / package
            have = _generated_in(committed) if committed.exists() else set()
            want = _generated_in(fresh)
            problems += [f"{package}/{name}: missing" for name in sorted(want - have)]
            problems += [f"{package}/{name}: no proto generates it" for name in sorted(have - want)]
            for name in sorted(want & have):
                if not filecmp.cmp(fresh / name, committed / name, shallow=False):
                    problems.append(f"{package}/{name}: differs from what the protos generate")
    return problems


def write(root: Path = ROOT) -> list[str]:
    """Regenerate the committed stubs in place (removing stubs of deleted protos)."""
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        generated = generate(out, root)
        for package in PACKAGES:
            target = root / package
            target.mkdir(parents=True, exist_ok=True)
            for stale in _generated_in(target) - _generated_in(out / package):
                (target / stale).unlink()
        for rel in generated:
            shutil.copyfile(out / rel, root / rel)
    return [str(p) for p in generated]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m harness.codegen", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when the committed stubs are stale")
    opts = parser.parse_args(argv)
    try:
        if opts.check:
            problems = check()
            if problems:
                print("Generated stubs are stale: run 'python -m harness.codegen' and commit.", file=sys.stderr)
                for line in problems:
                    print(f"  {line}", file=sys.stderr)
                return 1
            print(f"stubs current ({len(proto_files())} protos)")
            return 0
        written = write()
        print(f"wrote {len(written)} files from {len(proto_files())} protos")
        return 0
    except CodegenError as exc:
        print(f"codegen: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
