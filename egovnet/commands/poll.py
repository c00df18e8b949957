"""``egovnet poll``: one SNMP poll of some or all devices, printed as a table."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from collectors.once import poll_once
from collectors.readings import DeviceReading
from egovnet.commands.common import (
    InventoryOpt,
    JsonOpt,
    ProfileOpt,
    StateDirOpt,
    console,
    err_console,
    print_json,
    settings,
)
from egovnet.messages import heading, text, translate, word


def poll(  # noqa: PLR0917 - typer maps parameters to options
    devices: Annotated[
        list[str] | None, typer.Argument(help="Devices to poll (default: all).", show_default=False)
    ] = None,
    inventory: InventoryOpt = None,
    profile: ProfileOpt = None,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
    concurrency: Annotated[
        int, typer.Option("--concurrency", min=1, help="Devices polled at once.")
    ] = 64,
) -> None:
    """Poll devices once over SNMP: uptime, sysName and every inventory interface.

    Exit code 1 if any device failed (its error is in the table), 2 for an unknown device
    or a missing secret.

    Example: egovnet poll --profile lab core1 town1
    """
    # each failure is in the table already; the poller's log line would say it twice
    logging.getLogger("egovnet.collectors").setLevel(logging.ERROR)
    s = settings(inventory=inventory, profile=profile, state_dir=state_dir)
    inv = s.load_inventory()
    with ExitStack() as stack:
        advance: list[Callable[[], None]] = []

        def start(count: int) -> None:
            if json_out or count < 2:
                return
            progress = stack.enter_context(
                Progress(
                    TextColumn(text("poll.progress")),
                    BarColumn(),
                    MofNCompleteColumn(),
                    console=err_console,
                )
            )
            task = progress.add_task("poll", total=count)
            advance.append(lambda: progress.advance(task))

        readings = poll_once(
            inv,
            secrets_file=s.secrets_file,
            state_dir=s.state_dir,
            devices=devices,
            concurrency=concurrency,
            on_start=start,
            on_done=lambda _: advance[0]() if advance else None,
        )
    if json_out:
        print_json([_jsonable(r) for r in readings])
    else:
        _print(readings)
    if any(not r.ok for r in readings):
        raise typer.Exit(1)


def _jsonable(reading: DeviceReading) -> dict[str, object]:
    data = asdict(reading)
    for iface in data["interfaces"]:
        iface["speed_bytes"] = (
            None if iface["speed_mbps"] is None else iface["speed_mbps"] * 125_000
        )
    return data


def _print(readings: list[DeviceReading]) -> None:
    devices = Table(title=text("poll.devices.title"))
    for col in ("device", "up", "sys_name", "uptime", "interfaces", "values", "time", "error"):
        devices.add_column(heading(col), justify="right" if col in {"values", "time"} else "left")
    for r in readings:
        uptime = "-" if r.uptime_seconds is None else _duration(r.uptime_seconds)
        problem = translate(str(r.error)) if r.error else "; ".join(str(w) for w in r.warnings)
        devices.add_row(
            r.device,
            _updown(r.ok),
            r.sys_name or "-",
            uptime,
            f"{len(r.interfaces)}"
            + (text("poll.missing", count=len(r.missing)) if r.missing else ""),
            str(r.values),
            f"{r.duration_seconds * 1000:.0f} ms",
            problem or "-",
        )
    console.print(devices)
    table = Table(title=text("poll.interfaces.title"))
    for col in ("device", "interface", "oper", "admin", "speed", "rx_bytes", "tx_bytes",
                "errors", "discards", "alias"):  # fmt: skip
        right = col in {"rx_bytes", "tx_bytes", "errors", "discards"}
        table.add_column(heading(col), justify="right" if right else "left")
    for r in readings:
        for i in r.interfaces:
            table.add_row(
                r.device,
                i.name,
                _updown(i.oper_up),
                _updown(i.admin_up),
                "-" if i.speed_mbps is None else f"{i.speed_mbps} Mbps",
                _num(i.in_octets),
                _num(i.out_octets) + ("" if i.octets_64bit else text("poll.32bit")),
                f"{_num(i.in_errors)}/{_num(i.out_errors)}",
                f"{_num(i.in_discards)}/{_num(i.out_discards)}",
                i.alias or "",
            )
    if table.row_count:
        console.print(table)


def _updown(value: bool | None) -> str:
    if value is None:
        return "-"
    return (
        f"[green]{word('updown', 'up')}[/green]"
        if value
        else f"[red]{word('updown', 'down')}[/red]"
    )


def _num(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"


def _duration(seconds: float) -> str:
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    return f"{days}d{hours:02d}h{rest // 60:02d}m" if days else f"{hours}h{rest // 60:02d}m"
