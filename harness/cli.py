"""`catsync-sim`: a thin command line over the harness library.

Every command calls one public function; a running topology (`catsync-sim serve`) is found through
`--control ADDR` or the `CATSYNC_SIM_CONTROL` environment variable that `serve` prints.
"""

from __future__ import annotations


import argparse
import json
import os
import shutil
import signal
import sys
import textwrap
import threading
import time
from pathlib import Path

from typing import Any

import grpc

from emulator import rpc
from emulator.errors import EmulatorError
from harness.errors import HarnessError

CONTROL_ENV = "CATSYNC_SIM_CONTROL"
WEB_DEFAULT = "127.0.0.1:8470"   # = harness.web.DEFAULT_ADDRESS (not imported: the CLI loads the console lazily)


class UsageError(Exception):
    """The command line is incomplete or inconsistent; the message says what to add."""


def _control_address(opts: argparse.Namespace) -> str:
    address = getattr(opts, "control", None) or os.environ.get(CONTROL_ENV)
    if not address:
        raise UsageError(f"no running topology: start one with 'catsync-sim serve two-node' and set {CONTROL_ENV}"
                         " to the control address it prints, or pass --control ADDR")
    return address


def _topology_endpoints(control_address: str):
    """The running topology's description (its endpoints) from its Control service."""
    from emulator.v1 import control_pb2, control_pb2_grpc  # noqa: PLC0415

    with rpc.channel(control_address) as ch:
        return control_pb2_grpc.ControlStub(ch).GetTopology(control_pb2.GetTopologyRequest(),
                                                            timeout=rpc.DEFAULT_DEADLINE)


def _node_endpoint(control_address: str, node: str, service: str) -> str:
    from emulator.names import parse_node  # noqa: PLC0415

    wanted = parse_node(node)
    topo = _topology_endpoints(control_address)
    for endpoint in topo.endpoints:
        if endpoint.node == wanted and endpoint.service == service:
            return endpoint.address
    known = sorted({e.node for e in topo.endpoints if e.node})
    raise UsageError(f"node {wanted} is not in the running topology {topo.name}: known nodes are {', '.join(known)}")


def cmd_mediacom(opts: argparse.Namespace) -> int:
    """Run MEDIACOM commands on a node of a running topology and print the console output."""
    from emulator.v1 import media_catalog_pb2, media_catalog_pb2_grpc  # noqa: PLC0415

    address = _node_endpoint(_control_address(opts), opts.node, "emulator.v1.MediaCatalog")
    with rpc.channel(address) as ch:
        resp = media_catalog_pb2_grpc.MediaCatalogStub(ch).Mediacom(
            media_catalog_pb2.MediacomRequest(text=" ; ".join(opts.command), user=opts.user),
            timeout=rpc.DEFAULT_DEADLINE)
    print(resp.output)
    return 0 if resp.ok else 1


CATALOG_SYNC = "catsync.v1.CatalogSync"


def cmd_tacl(opts: argparse.Namespace) -> int:
    """Run TACL text with BB026_EXPORT_CATALOG / BB027_IMPORT_CATALOG calls on a node, as at a TACL prompt."""
    from catsync.v1 import catalog_sync_pb2 as cs, catalog_sync_pb2_grpc  # noqa: PLC0415

    address = _node_endpoint(_control_address(opts), opts.node, CATALOG_SYNC)
    with rpc.channel(address) as ch:
        resp = catalog_sync_pb2_grpc.CatalogSyncStub(ch).RunMacro(cs.RunMacroRequest(
            text="\n".join(opts.text), node=opts.node, user=opts.user, wait=opts.wait),
            timeout=rpc.DEFAULT_DEADLINE * 20)
    for line in resp.output:
        print(line)
    for run in [*resp.export_runs, *resp.import_runs]:
        if run.HasField("report") and opts.wait:
            print()
            print("\n".join(run.report.lines))
    return 0 if resp.ok else 1


def _on_store_domain(opts: argparse.Namespace, call):
    """`call(stub)` on the CatalogSync service of the domain holding `opts.store` (NOT_FOUND: try the next)."""
    from catsync.v1 import catalog_sync_pb2_grpc  # noqa: PLC0415

    topo = _topology_endpoints(_control_address(opts))
    addresses = sorted({e.address for e in topo.endpoints if e.service == CATALOG_SYNC})
    if not addresses:
        raise UsageError(f"topology {topo.name} runs no BackBox domain with the Catalog Sync option")
    for address in addresses:
        with rpc.channel(address) as ch:
            try:
                return call(catalog_sync_pb2_grpc.CatalogSyncStub(ch))
            except grpc.RpcError as exc:
                if exc.code() == grpc.StatusCode.NOT_FOUND:
                    continue
                raise
    raise UsageError(f"no domain of topology {topo.name} has a data store {opts.store.upper()}")


def cmd_status(opts: argparse.Namespace) -> int:
    """Print the Import Status page of a SECONDARY data store or the Export Status page of any other, whichever
    domain of the running topology holds it."""
    from catsync.v1 import catalog_sync_pb2 as cs  # noqa: PLC0415

    def page(stub):
        try:
            return stub.GetImportStatus(cs.GetImportStatusRequest(data_store_id=opts.store),
                                        timeout=rpc.DEFAULT_DEADLINE)
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.FAILED_PRECONDITION:   # not SECONDARY: its Export Status page
                raise
        return stub.GetExportStatus(cs.GetExportStatusRequest(data_store_id=opts.store), timeout=rpc.DEFAULT_DEADLINE)

    print("\n".join(_on_store_domain(opts, page).lines))
    return 0


def cmd_check_primary(opts: argparse.Namespace) -> int:
    """Compare a SECONDARY store's volume groups with the primary's (the Check Against Primary Configuration
    button); exit 1 when an import would abort."""
    from catsync.v1 import catalog_sync_pb2 as cs  # noqa: PLC0415

    resp = _on_store_domain(opts, lambda stub: stub.CheckAgainstPrimary(
        cs.CheckAgainstPrimaryRequest(data_store_id=opts.store), timeout=rpc.DEFAULT_DEADLINE))
    print(f"Data store {resp.data_store_id} against primary {resp.primary_data_store_id}"
          f" (summary of export {resp.export_id})")
    print()
    print("\n".join(resp.lines))
    return 1 if resp.fatal else 0


def cmd_serve(opts: argparse.Namespace) -> int:
    """Start a topology (in this process, or one OS process per node), print every endpoint, and run until
    interrupted."""
    from harness.launcher import start_topology  # noqa: PLC0415

    if opts.web is not None:
        from harness.web import parse_address  # noqa: PLC0415

        parse_address(opts.web)   # a malformed address is refused before the topology starts
    topo = start_topology(opts.topology, launcher=opts.launcher, state_dir=opts.state_dir, seed=opts.seed)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    web = None
    try:
        print(f"topology {topo.spec.name} (seed {topo.seed}, launcher {topo.launcher}) is up;"
              f" state in {topo.state_dir}")
        print(f"{'SERVICE':<30} {'NODE':<10} ADDRESS")
        for service, node, address in topo.describe():
            print(f"{service:<30} {node:<10} {address}")
        print(f"\nexport {CONTROL_ENV}={topo.control_address}")
        print("then e.g.: catsync-sim mediacom --node '\\ETINIUM' \"INFO MEDIADEFS\"   (Ctrl-C stops)")
        endpoints = {"control": topo.control_address, "endpoints": [list(r) for r in topo.describe()]}
        (topo.state_dir / "endpoints.json").write_text(json.dumps(endpoints, indent=2))
        if opts.web is not None:
            web = _serve_web(topo, opts.web)
        sys.stdout.flush()
        while not stop.wait(0.5):
            pass
    finally:
        if web is not None:
            web.close()
        topo.close()
    return 0


def _serve_web(topo: Any, address: str) -> Any:
    """The web console of a served topology: a Sim of its own whose history (the console's actions and faults)
    is kept in the state folder as console-history.jsonl."""
    from harness.history import History  # noqa: PLC0415
    from harness.sim import Sim  # noqa: PLC0415
    from harness.web import start_console  # noqa: PLC0415
    from harness.workload import Workload  # noqa: PLC0415

    sink = topo.state_dir / "console-history.jsonl"
    sink.write_text("")
    sim = Sim(topo, History(sink=sink), seed=topo.seed, workload=Workload(topo.seed, topo.spec))
    web = start_console(sim, address, title=topo.spec.name)
    print(f"web console: {web.url}")
    if not web.loopback_only:
        print("the web console has no login: anyone who reaches that address can operate the sites")
    return web


def cmd_topologies(opts: argparse.Namespace) -> int:
    """List the built-in topologies."""
    from harness.topology import builtin_topologies, load_topology  # noqa: PLC0415

    for name, path in builtin_topologies().items():
        spec = load_topology(path)
        print(f"{name:<16} {spec.description}")
    return 0


def cmd_run(opts: argparse.Namespace) -> int:
    """Run a scenario (built-in name, YAML or Python file); exit 0 valid, 1 invalid, 2 unknown."""
    from harness.runner import Progress, check_determinism, run_scenario  # noqa: PLC0415
    from harness.scenario import load_scenario  # noqa: PLC0415

    scenario = load_scenario(opts.scenario)
    progress = None if opts.quiet else Progress(sys.stderr)
    if opts.check_determinism and opts.launcher == "remote":
        raise UsageError("--check-determinism starts the topology twice from nothing; a remote topology keeps its"
                         " state: use --launcher inprocess or subprocess")
    if opts.check_determinism:
        first, second, diff = check_determinism(scenario, seed=opts.seed, launcher=opts.launcher, out=opts.out,
                                                progress=progress)
        print(f"run 1: {first.verdict} {first.history_digest}  ({first.run_dir})")
        print(f"run 2: {second.verdict} {second.history_digest}  ({second.run_dir})")
        if diff:
            print(f"NOT deterministic: {diff}")
            print(f"replay: {first.replay}")
            return 1
        print(f"deterministic: both histories hash to {first.history_digest}")
        return first.exit_code
    control = None
    if opts.launcher == "remote":   # the topology `serve` runs elsewhere; its control address
        control = _control_address(opts)
    elif opts.control:
        raise UsageError("--control is the address of a running topology: it goes with --launcher remote")
    result = run_scenario(scenario, seed=opts.seed, launcher=opts.launcher, out=opts.out, progress=progress,
                          keep_state=opts.keep_state, control=control)
    print(json.dumps({"verdict": result.verdict, "seed": result.seed, "run_dir": str(result.run_dir),
                      "history_digest": result.history_digest, "replay": result.replay}))
    if result.verdict == "invalid" and opts.shrink:
        from harness.shrink import shrink  # noqa: PLC0415

        smaller = shrink(scenario, result, launcher=opts.launcher, progress=progress)
        if smaller is not None:
            print(f"shrunk: {smaller}")
    return result.exit_code


def cmd_check(opts: argparse.Namespace) -> int:
    """Re-run the checkers offline on a stored run directory; exit 0 valid, 1 invalid, 2 unknown."""
    from harness.checkers import check_run_dir, overall  # noqa: PLC0415
    from harness.scenario import parse_duration  # noqa: PLC0415

    run_dir = Path(opts.run_dir)
    if not run_dir.is_dir():
        raise UsageError(f"{run_dir} is not a directory: give the run directory 'catsync-sim run' printed")
    rpo = parse_duration(opts.rpo) if opts.rpo else None
    results = check_run_dir(run_dir, rpo_limit_seconds=rpo, only=opts.checker or None)
    for r in results:
        print(f"{r.verdict:<8} {r.checker:<18} {r.summary}")
        for item in r.evidence[: opts.evidence]:
            print(f"         - {json.dumps(item, sort_keys=True, default=str)}")
        if len(r.evidence) > opts.evidence:
            print(f"         ... {len(r.evidence) - opts.evidence} more")
    verdict = overall(results)
    print(verdict.upper())
    return {"valid": 0, "invalid": 1}.get(verdict, 2)


def cmd_scenarios(opts: argparse.Namespace) -> int:
    """List the built-in scenarios: name, topology and description in aligned columns, the description wrapped to
    the terminal's width at word boundaries."""
    from harness.scenario import builtin_scenarios, load_scenario  # noqa: PLC0415

    rows = []
    for name, path in builtin_scenarios().items():
        scenario = load_scenario(path)
        rows.append((name, scenario.topology, " ".join(scenario.description.split())))
    print(scenario_listing(rows, shutil.get_terminal_size((100, 24)).columns))
    return 0


def scenario_listing(rows: list[tuple[str, str, str]], width: int) -> str:
    """(name, topology, description) rows as aligned columns, each description wrapped at word boundaries onto
    lines indented to its column. The topology column is as wide as the longest topology that leaves the
    descriptions 40 characters; a longer one (a path) overflows it and its description starts on the next line.
    Below 30 characters of room the description goes under its name."""
    if not rows:
        return ""
    name_w = max(len("SCENARIO"), *(len(r[0]) for r in rows))
    cap = width - name_w - 4 - 40
    topo_w = max([len("TOPOLOGY"), *(len(r[1]) for r in rows if len(r[1]) <= cap)])
    indent = name_w + topo_w + 4
    room = width - indent
    lines = [f"{'SCENARIO':<{name_w}}  {'TOPOLOGY':<{topo_w}}  DESCRIPTION".rstrip()]
    for name, topology, description in rows:
        head = f"{name:<{name_w}}  {topology:<{topo_w}}  "
        if room < 30:   # a narrow terminal: the description under its name
            lines.append(head.rstrip())
            lines += textwrap.wrap(description, max(width - 4, 20), initial_indent="    ", subsequent_indent="    ",
                                   break_long_words=False, break_on_hyphens=False)
            continue
        wrapped = textwrap.wrap(description, room, break_long_words=False, break_on_hyphens=False)
        if len(head) > indent:     # the topology overflowed its column
            lines.append(head.rstrip())
        else:
            lines.append((head + (wrapped.pop(0) if wrapped else "")).rstrip())
        lines += [" " * indent + more for more in wrapped]
    return "\n".join(lines)


def cmd_coverage(opts: argparse.Namespace) -> int:
    """Run the scenario library and print which fault kinds were active during which phase; exit 0 when every run
    was valid, 1 when one was not (the matrix is printed all the same), 2 for an unknown scenario."""
    from harness.coverage import LibraryProgress, measure, resolve  # noqa: PLC0415

    if opts.markdown and opts.json:
        raise UsageError("--markdown and --json are two outputs: choose one")
    if opts.out is not None and opts.out.exists() and not opts.out.is_dir():
        raise UsageError(f"--out {opts.out} is a file: give a directory for the run directories")
    resolve(opts.scenario)    # an unknown name is refused before anything runs
    progress = None if opts.quiet else LibraryProgress(sys.stderr)
    started = time.monotonic()
    coverage = measure(opts.scenario, seed=opts.seed, out=opts.out, progress=progress)
    if progress is not None:
        where = f"; run directories in {opts.out}" if opts.out is not None else ""
        count = len(coverage.runs)
        print(f"{count} scenario{'s' if count != 1 else ''} in {time.monotonic() - started:.1f} s{where}",
              file=sys.stderr)
    if opts.json:
        print(json.dumps(coverage.to_json(), indent=2, sort_keys=False))
    elif opts.markdown:
        print(coverage.markdown())
    else:
        print(coverage.report(shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 100))
    return 1 if coverage.not_valid() else 0


def cmd_demo(opts: argparse.Namespace) -> int:
    """Tell a DR drill (or any scenario) as a story; exit 0 valid, 1 invalid, 2 unknown or no such story."""
    from harness.demo import list_stories, run_demo  # noqa: PLC0415

    if opts.list:
        list_stories(sys.stdout)
        return 0
    return run_demo(opts.story, seed=opts.seed, out_dir=opts.out, step=opts.step, real_time=opts.real_time,
                    stdout=sys.stdout, stdin=sys.stdin, web=opts.web)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="catsync-sim", description="BackBox Catalog Sync simulation harness")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help="tell a DR drill as a story: backups, a cut link and the export retry, the"
                          " nightly import, a test restore at the DR site")
    demo.add_argument("story", nargs="?", default=None,
                      help="the story: dr-drill (default), another built-in scenario (--list) or a scenario file")
    demo.add_argument("--list", action="store_true", help="list the stories and exit")
    demo.add_argument("--seed", type=int, default=None, help="the seed of the run (default: the story's)")
    demo.add_argument("--out", type=Path, default=None,
                      help="the run directory (default: a new folder under catsync-runs/, or a temp dir)")
    demo.add_argument("--web", nargs="?", const=WEB_DEFAULT, default=None, metavar="ADDR",
                      help=f"serve the run's web console at ADDR while the story is told, and after it until Ctrl-C"
                      f" (default {WEB_DEFAULT}; :0 picks a free port)")
    demo.add_argument("--step", action="store_true", help="pause after each step until Enter is pressed")
    demo.add_argument("--real-time", type=float, default=None, metavar="RATE",
                      help="run on the real clock at RATE virtual seconds per wall second (600: an hour in 6 s)")
    demo.set_defaults(func=cmd_demo)

    serve = sub.add_parser("serve", help="start a topology and print its endpoints")
    serve.add_argument("--web", nargs="?", const=WEB_DEFAULT, default=None, metavar="ADDR",
                       help=f"also serve the web console at ADDR (default {WEB_DEFAULT}; :0 picks a free port)")
    serve.add_argument("topology", help="a built-in topology name (see 'topologies') or a YAML file")
    serve.add_argument("--state-dir", type=Path, default=None, help="keep node state here (default: a temp dir)")
    serve.add_argument("--seed", type=int, default=None, help="override the topology's seed")
    serve.add_argument("--launcher", choices=("inprocess", "subprocess"), default="inprocess",
                       help="inprocess (default): every node in this process; subprocess: one OS process per node,"
                            " so a node crash is a real SIGKILL")
    serve.set_defaults(func=cmd_serve)

    mediacom = sub.add_parser("mediacom", help="run MEDIACOM commands on a node of a running topology")
    mediacom.add_argument("--node", required=True, help="the node, e.g. '\\ETINIUM'")
    mediacom.add_argument("--control", help=f"control address of the topology (default ${CONTROL_ENV})")
    mediacom.add_argument("--user", default="SUPER.SUPER", help="the user issuing the commands")
    mediacom.add_argument("command", nargs="+", help="the command(s), e.g. \"INFO TAPEVOLUME EW1008\"")
    mediacom.set_defaults(func=cmd_mediacom)

    tacl = sub.add_parser("tacl", help="run BB026_EXPORT_CATALOG / BB027_IMPORT_CATALOG macro text on a node")
    tacl.add_argument("--node", required=True, help="the node whose TACL runs the text, e.g. '\\INSIDX'")
    tacl.add_argument("--control", help=f"control address of the topology (default ${CONTROL_ENV})")
    tacl.add_argument("--user", default="SUPER.SUPER", help="the TACL user")
    tacl.add_argument("--wait", action="store_true", help="wait for the processes and print their reports")
    tacl.add_argument("text", nargs="+", help='macro lines, e.g. "BB026_EXPORT_CATALOG STOREID DS_WIN1, TYPE FULL"'
                      ' or "BB027_IMPORT_CATALOG STOREID E501_WIN1_SND, TYPE UPDATE"')
    tacl.set_defaults(func=cmd_tacl)

    status = sub.add_parser("status", help="print the Export Status (PRIMARY) or Import Status (SECONDARY) page of a"
                            " data store")
    status.add_argument("--store", required=True, help="the data store id, e.g. DS_WIN1_DES or E501_WIN1_SND")
    status.add_argument("--control", help=f"control address of the topology (default ${CONTROL_ENV})")
    status.set_defaults(func=cmd_status)

    check = sub.add_parser("check-primary", help="compare a SECONDARY data store's volume groups with its primary's"
                           " (Check Against Primary Configuration)")
    check.add_argument("--store", required=True, help="the SECONDARY data store id, e.g. E501_WIN1_SND")
    check.add_argument("--control", help=f"control address of the topology (default ${CONTROL_ENV})")
    check.set_defaults(func=cmd_check_primary)

    run = sub.add_parser("run", help="run a scenario and check the result (exit 0 valid, 1 invalid, 2 unknown)")
    run.add_argument("scenario", help="a built-in scenario (see 'scenarios'), a YAML or a Python scenario file")
    run.add_argument("--seed", type=int, default=None, help="the seed of the run (default: the scenario's)")
    run.add_argument("--launcher", choices=("inprocess", "subprocess", "remote"), default="inprocess",
                     help="how the topology runs (default inprocess)")
    run.add_argument("--control", default=None, help="with --launcher remote: the control address of the topology"
                     f" 'catsync-sim serve' runs (default ${CONTROL_ENV})")
    run.add_argument("--out", type=Path, default=None, help="the run directory (default catsync-runs/NAME-seedN)")
    run.add_argument("--check-determinism", action="store_true",
                     help="run twice with the seed and compare the history hashes")
    run.add_argument("--shrink", action="store_true",
                     help="when the run is invalid, search for a smaller failing scenario and write it")
    run.add_argument("--keep-state", action="store_true", help="keep the nodes' folders in the run directory")
    run.add_argument("--quiet", action="store_true", help="no progress view")
    run.set_defaults(func=cmd_run)

    check_run = sub.add_parser("check", help="re-run the checkers offline on a stored run directory")
    check_run.add_argument("run_dir", help="a run directory written by 'catsync-sim run'")
    check_run.add_argument("--rpo", default=None, help="the RPO bound, e.g. 1h (default: none)")
    check_run.add_argument("--checker", action="append", default=[], help="only this checker (repeatable)")
    check_run.add_argument("--evidence", type=int, default=10, help="evidence lines shown per checker")
    check_run.set_defaults(func=cmd_check)

    scenarios = sub.add_parser("scenarios", help="list the built-in scenarios")
    scenarios.set_defaults(func=cmd_scenarios)

    coverage = sub.add_parser("coverage", help="run the scenario library and print the fault × phase coverage matrix"
                              " (exit 0 all runs valid, 1 one was not, 2 unknown scenario)")
    coverage.add_argument("--scenario", action="append", default=[], metavar="NAME",
                          help="only this built-in scenario or scenario file (repeatable; default: every built-in)")
    coverage.add_argument("--seed", type=int, default=None, help="run every scenario with this seed (default: each"
                          " scenario's own)")
    coverage.add_argument("--out", type=Path, default=None,
                          help="put the run directories here, one per scenario (default: a temporary folder,"
                               " removed at the end)")
    coverage.add_argument("--markdown", action="store_true", help="print the matrix as a GitHub table (README)")
    coverage.add_argument("--json", action="store_true", help="print the matrix, the uncovered pairs and every"
                          " run's exercised pairs as JSON")
    coverage.add_argument("--quiet", action="store_true", help="no progress line")
    coverage.set_defaults(func=cmd_coverage)

    topologies = sub.add_parser("topologies", help="list the built-in topologies")
    topologies.set_defaults(func=cmd_topologies)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    opts = parser.parse_args(argv)
    if not getattr(opts, "func", None):
        parser.print_help()
        return 2
    try:
        return opts.func(opts)
    except BrokenPipeError:   # `catsync-sim scenarios | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except UsageError as exc:
        print(f"catsync-sim: {exc}", file=sys.stderr)
        return 2
    except EmulatorError as exc:
        print(f"catsync-sim: {exc.message}", file=sys.stderr)
        return 2
    except HarnessError as exc:
        print(f"catsync-sim: {exc}", file=sys.stderr)
        return 2
    except grpc.RpcError as exc:
        print(f"catsync-sim: {exc.code().name}: {exc.details()}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
