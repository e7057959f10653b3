"""The web console: the emulated sites in a browser, as an operator and a trainer see them.

    console = start_console(sim, "127.0.0.1:0")     # a Sim over a running topology (serve, a demo's run)
    print(console.url)                              # http://127.0.0.1:PORT/
    ...
    console.close()

Per domain: Storage Admin, Configuration (read-only), Volumes with filters, the EMS log and a MEDIACOM console;
per data store the Export Status / Import Status pages of the manual with their buttons and confirmations, and
Check Against Primary Configuration. For trainers: a fault panel, the run's timeline and the checkers' verdicts
of the state now. Every page is read from the gRPC services when drawn and kept live by server-sent events; every
action goes through the run's `Sim`, so it is in the history. Bound to 127.0.0.1 unless told otherwise: the
console has no login.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path
from typing import Any, TextIO

from harness.errors import HarnessError
from harness.web.console import Console, WebError

__all__ = ["DEFAULT_ADDRESS", "WebConsole", "WebError", "parse_address", "start_console", "wait_for_stop"]

DEFAULT_ADDRESS = "127.0.0.1:8470"


def parse_address(text: str) -> tuple[str, int]:
    """`HOST:PORT`, `:PORT` or `PORT` (host 127.0.0.1); port 0 picks a free one."""
    value = (text or "").strip()
    host, sep, port = value.rpartition(":")
    if not sep:
        host, port = "", value
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise HarnessError(f"web address {text!r} must be HOST:PORT, :PORT or PORT with a port from 0 to 65535,"
                           f" e.g. {DEFAULT_ADDRESS} (port 0 picks a free one); on a command line, put the story or"
                           " topology before --web, or write --web=ADDR")
    return host, int(port)


class WebConsole:
    """A running console: its URL, and `close()` (which also ends the live streams)."""

    def __init__(self, console: Console, server: Any):
        self.console = console
        self.server = server
        host, port = server.server_address[:2]
        self.host, self.port = host, port
        shown = f"[{host}]" if ":" in host else host
        self.url = f"http://{shown}:{port}/"
        self._thread = threading.Thread(target=server.serve_forever, name="catsync-web", daemon=True)
        self._thread.start()

    @property
    def loopback_only(self) -> bool:
        return self.host.startswith("127.") or self.host in ("::1", "localhost")

    def close(self) -> None:
        self.console.close()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "WebConsole":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def start_console(sim: Any, address: str = "127.0.0.1:0", *, title: str = "",
                  dumps_dir: Path | None = None) -> WebConsole:
    """Serve the console of `sim` (harness.sim.Sim) at `address`; `dumps_dir` holds the run's earlier state dumps
    (the checkers read them with the dump taken now)."""
    from harness.web.server import ConsoleServer  # noqa: PLC0415

    host, port = parse_address(address)
    console = Console(sim, title=title, dumps_dir=dumps_dir)
    try:
        server = ConsoleServer((host, port), console)
    except OSError as exc:
        console.close()
        raise HarnessError(f"cannot serve the web console at {host}:{port}: {exc.strerror or exc}; choose another"
                           " address with --web HOST:PORT (port 0 picks a free one)") from None
    return WebConsole(console, server)


def wait_for_stop(out: TextIO | None = None, *, stdin: TextIO | None = None) -> None:
    """Block until Ctrl-C or SIGTERM (or Enter, at a terminal): how `serve --web` and `demo --web` keep the console
    up. Outside the main thread (no signals there) it returns at once."""
    if threading.current_thread() is not threading.main_thread():
        return
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        source = stdin if stdin is not None else sys.stdin
        if source is not None and source.isatty():
            def enter() -> None:
                try:
                    source.readline()
                finally:
                    stop.set()
            threading.Thread(target=enter, daemon=True, name="console-enter").start()
        if out is not None:
            out.flush()
        while not stop.wait(0.5):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
