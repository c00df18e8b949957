"""``egovnet exporter``: serve ``/snmp?target=DEVICE``, ``/metrics`` and ``/`` for Prometheus."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from base.errors import ExporterConfigError, SourceLocation
from egovnet import messages
from egovnet.commands.common import InventoryArg, InventoryOpt, ProfileOpt, StateDirOpt, settings
from exporters.listen import listen_address

if TYPE_CHECKING:
    from exporters.config import ExporterConfig
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
    from egovnet.exporter_serve import LOG_FORMAT, command

    logging.basicConfig(level=getattr(logging, log_level.upper(), logging.INFO), format=LOG_FORMAT)
    _address(listen, "--web.listen-address")  # a bad address: its error before any loading

    def prepare() -> ExporterConfig:
        """The config, parsed in the child that loads the inventory (exporters.state), and
        the web config checked there, in this order: the first bad input is the error."""
        from exporters.config import TrapConfig

        config = _config(config_file, path, inventory, profile, state_dir)
        if traps is not None:
            _address(traps, "--traps.listen-address")
            config = config.model_copy(update={"traps": TrapConfig(listen=traps)})
        if web_config_file is not None:
            _web_security(web_config_file)  # a bad file: its error before the inventory's
        return config

    from exporters.state import state_file

    fd = state_file(prepare)
    os.set_inheritable(fd, True)
    # The serving process: this PID, without typer, rich and pydantic (egovnet.exporter_serve).
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, command(fd, listen, web_config_file, log_level, messages.current()))


def _web_security(path: Path) -> WebSecurity:
    from exporters.webconfig import load_web_security  # pydantic, bcrypt: only with the flag

    return load_web_security(path)


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
    from exporters.config import ExporterConfig, load_exporter_config

    if config_file is not None:
        return load_exporter_config(config_file)
    s = settings(path, inventory=inventory, profile=profile, state_dir=state_dir)
    return ExporterConfig(
        inventory=s.inventory_path.resolve(),
        secrets_file=s.secrets_file,
        state_dir=s.state_dir.resolve(),
    )
