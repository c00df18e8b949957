"""``egovnet exporter``: serve ``/snmp?target=DEVICE``, ``/metrics`` and ``/`` for Prometheus."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from base.errors import ExporterConfigError, SourceLocation
from egovnet.commands.common import (
    InventoryArg,
    InventoryOpt,
    ProfileOpt,
    StateDirOpt,
    err_console,
    settings,
)
from exporters.config import ExporterConfig, TrapConfig, listen_address, load_exporter_config

if TYPE_CHECKING:
    from exporters.app import Exporter
    from exporters.webconfig import WebSecurity


def exporter(  # noqa: PLR0917 - typer maps parameters to options
    listen: Annotated[
        str,
        typer.Option(
            "--web.listen-address", help="Address to serve on, HOST:PORT (':9516' = all)."
        ),
    ] = "127.0.0.1:9516",
    config_file: Annotated[
        Path | None,
        typer.Option(
            "--config.file",
            help="Exporter config (inventory, secrets file, polling, traps). Without it the"
            " --inventory/--profile and state-dir secrets are used.",
            show_default=False,
        ),
    ] = None,
    web_config_file: Annotated[
        Path | None,
        typer.Option(
            "--web.config.file",
            help="TLS and basic-auth config in Prometheus exporter-toolkit format.",
            show_default=False,
        ),
    ] = None,
    traps: Annotated[
        str | None,
        typer.Option(
            "--traps.listen-address",
            help="Receive linkDown/linkUp traps on HOST:PORT (overrides the config file).",
            show_default=False,
        ),
    ] = None,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    log_level: Annotated[str, typer.Option("--log.level", help="debug, info, warning")] = "info",
) -> None:
    """Serve SNMP readings of the inventory's devices to Prometheus, snmp_exporter style.

    Prometheus scrapes /snmp?target=DEVICE (polled on request), /metrics (exporter health,
    inventory and trap series) and / (a landing page).

    Example: egovnet exporter --web.listen-address 127.0.0.1:9516 --config.file exporter.yml
    """
    logging.basicConfig(
        level=getattr(logging, log_level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    host, port = _address(listen, "--web.listen-address")
    config = _config(config_file, path, inventory, profile, state_dir)
    if traps is not None:
        _address(traps, "--traps.listen-address")
        config = config.model_copy(update={"traps": TrapConfig(listen=traps)})
    from exporters.app import Exporter  # the exporter's imports only for this command
    from exporters.webconfig import load_web_security

    security: WebSecurity | None = None
    if web_config_file is not None:
        security = load_web_security(web_config_file)
    from exporters.state import load_state

    app = Exporter(config, load_state(config), security)
    asyncio.run(_serve(app, host, port))


def _address(value: str, flag: str) -> tuple[str, int]:
    try:
        return listen_address(value)
    except ValueError as exc:
        raise ExporterConfigError(SourceLocation("(command line)", 1, flag), str(exc)) from exc


def _config(
    config_file: Path | None,
    path: Path | None,
    inventory: Path | None,
    profile: str | None,
    state_dir: Path | None,
) -> ExporterConfig:
    if config_file is not None:
        return load_exporter_config(config_file)
    s = settings(path, inventory=inventory, profile=profile, state_dir=state_dir)
    return ExporterConfig(
        inventory=s.inventory_path.resolve(),
        secrets_file=s.secrets_file,
        state_dir=s.state_dir.resolve(),
    )


async def _serve(app: Exporter, host: str, port: int) -> None:
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
    err_console.print(
        f"egovnet exporter: {len(app.targets)} targets, serving {listening.url}"
        + (f", traps on udp {traps[0]}:{traps[1]}" if traps else ""),
        markup=False,
        highlight=False,
    )
    try:
        await stop.wait()
    finally:
        await app.close()
