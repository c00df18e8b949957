"""The serving process of ``egovnet exporter``: the command execs it once the state is built.

``egovnet exporter`` parses its flags with typer (which, like the config and the inventory,
imports pydantic), has the config and the inventory loaded in a forked child
(:func:`exporters.state.state_file`) and then replaces itself, same PID, with this module:
it reads the state from the inherited descriptor and serves. Its imports are the exporter's
own (prometheus_client, gufo-snmp, asyncio), not typer, rich, pydantic or the inventory
models (docs/performance.md, "Exporter memory"); pydantic only with ``--web.config.file``.

Not a verb: ``python -m egovnet.exporter_serve --state-fd N --listen HOST:PORT ...``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import logging
import resource
import signal
import sys
from pathlib import Path

from base.errors import EgovnetError, ExporterConfigError, SourceLocation
from base.lang import parse_lang
from egovnet import messages
from exporters.app import Exporter
from exporters.listen import listen_address
from exporters.state import read_state

log = logging.getLogger("egovnet.exporters")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
#: Allocations (less deallocations) between young collections; Python's default is 700. A
#: scrape allocates thousands of short-lived objects (samples, label sets, readings) and 50
#: scrapes in flight keep them alive across a 700-object collection, which then promotes
#: them and ends in full collections of the whole heap: ~7 % of the CPU at 1,042 devices
#: (docs/performance.md, "Exporter memory"). Cyclic garbage still triggers a collection
#: once 10,000 objects of it pile up.
GC_YOUNG_THRESHOLD = 10_000


def command(
    state_fd: int, listen: str, web_config: Path | None, log_level: str, lang: str
) -> list[str]:
    """The argv ``egovnet exporter`` execs."""
    argv = [sys.executable, "-m", "egovnet.exporter_serve", "--state-fd", str(state_fd)]
    argv += ["--listen", listen, "--log-level", log_level, "--lang", lang]
    return argv + (["--web-config", str(web_config)] if web_config is not None else [])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="egovnet.exporter_serve")
    ap.add_argument("--state-fd", type=int, required=True)
    ap.add_argument("--listen", required=True)
    ap.add_argument("--web-config", type=Path)
    ap.add_argument("--log-level", default="info")
    ap.add_argument("--lang", default="en")
    args = ap.parse_args(argv)
    messages.choose(parse_lang(args.lang))
    logging.basicConfig(
        level=getattr(logging, args.log_level.upper(), logging.INFO), format=LOG_FORMAT
    )
    try:
        host, port = listen_address(args.listen)
        security = None
        if args.web_config is not None:
            from exporters.webconfig import load_web_security  # pydantic, bcrypt: only here

            security = load_web_security(args.web_config)
        state = read_state(args.state_fd)
        keep_out_of_collections()
        log.info(  # ru_maxrss outlives exec: the peak of the command before it
            "serving: the command's peak before exec %.0f MiB",
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        )
        asyncio.run(serve(Exporter(state, security), host, port))
    except EgovnetError as exc:
        for line in messages.error_lines(exc):
            print(line, file=sys.stderr, flush=True)
        sys.exit(exc.exit_code)


def keep_out_of_collections() -> None:
    """The state lives as long as the process: move it out of the collector's sight (no full
    collection walks its ~100,000 objects again) and collect the young generation less often."""
    gc.collect()
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)


async def serve(app: Exporter, host: str, port: int) -> None:
    """Listen, print where, serve until SIGINT or SIGTERM."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        listening = await app.start(host, port)
    except OSError as exc:
        raise ExporterConfigError(
            SourceLocation("(command line)", 1, "--web.listen-address"),
            f"cannot listen on {host}:{port}: {exc.strerror}",
        ) from exc
    traps = listening.trap_address
    print(
        f"egovnet exporter: {len(app.targets)} targets, serving {listening.url}"
        + (f", traps on udp {traps[0]}:{traps[1]}" if traps else ""),
        file=sys.stderr,
        flush=True,
    )
    try:
        await stop.wait()
    finally:
        await app.close()


if __name__ == "__main__":
    main()
