"""``egovnet lab``: the emulated extranet on this machine (needs root)."""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

import lab
from automation.render import kept_platform_configs
from base.errors import LabUsageError
from egovnet.commands.common import (
    InventoryArg,
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
from lab.faults import check_mode, parse_part
from lab.preflight import require_root

app = typer.Typer(
    help="The lab: the district extranet emulated in network namespaces (root needed).",
    no_args_is_help=True,
)
fault_app = typer.Typer(
    help="Cut and restore circuits, power devices off and on.", no_args_is_help=True
)
app.add_typer(fault_app, name="fault")

TrapSinkOpt = Annotated[
    str | None,
    typer.Option(
        "--trap-sink",
        envvar="EGOVNET_LAB_TRAP_SINK",
        help="HOST:PORT that devices send linkUp/linkDown informs to (SNMPv3). Default: none.",
        show_default=False,
    ),
]


def _state_dir(state_dir: Path | None) -> Path:
    return settings(state_dir=state_dir).state_dir


@contextmanager
def _progress(enabled: bool) -> Iterator[Any]:
    if not enabled:
        yield lambda _msg: None
        return
    started = time.monotonic()
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as progress:
        task = progress.add_task(text("lab.progress"), total=None)

        def step(message: str) -> None:
            message = translate(message)
            progress.update(task, description=message)
            if not message.startswith("waiting:"):
                progress.console.print(f"[dim]{time.monotonic() - started:5.1f}s[/dim] {message}")

        yield step


@app.command()
def up(  # noqa: PLR0917 - typer options
    profile: ProfileOpt = None,
    path: InventoryArg = None,
    inventory: InventoryOpt = None,
    state_dir: StateDirOpt = None,
    trap_sink: TrapSinkOpt = None,
    trap_kind: Annotated[
        str,
        typer.Option(
            envvar="EGOVNET_LAB_TRAP_KIND",
            help="inform (acknowledged; start the receiver first) or trap (fire and forget).",
        ),
    ] = "inform",
    timeout: Annotated[
        float, typer.Option(help="Seconds to wait for OSPF Full, SSH and SNMP.")
    ] = 60.0,
    keep_on_failure: Annotated[
        bool, typer.Option(help="Leave a half-built lab in place to debug it.")
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Build the lab from the inventory (default profile: lab), or repair it if it is up.

    The lab profile runs dept1 as an emulated Huawei VRP device and vil2 as H3C Comware (FRR
    still routes in their namespaces); --profile lab-frr has FRR answer on every device.

    Example: sudo egovnet lab up --profile lab --trap-sink 172.31.255.254:1162
    """
    named = path or inventory
    s = settings(
        path,
        inventory=inventory,
        profile=profile or (None if named else "lab"),
        state_dir=state_dir,
    )
    inv = s.load_inventory()
    sink = None
    if trap_sink:
        try:
            sink = lab.TrapSink.parse(trap_sink, trap_kind)
        except ValueError as exc:
            raise LabUsageError(f"--trap-sink: {exc}") from None
    with _progress(not json_out) as step:
        state = lab.up(
            inv,
            s.state_dir,
            trap_sink=sink,
            secrets_file=s.secrets_file,
            timeout=timeout,
            progress=step,
            keep_on_failure=keep_on_failure,
            vendor_configs=kept_platform_configs(inv),
        )
    if json_out:
        print_json(state)
        return
    console.print(
        text(
            "lab.up",
            profile=state.profile,
            nodes=len(state.nodes),
            seconds=f"{state.up_seconds:.1f}",
            mib=f"{(state.memory_bytes or 0) / 2**20:.0f}",
            state=f"{s.state_dir}/lab",
            secrets=s.secrets_file,
        )
    )


@app.command()
def down(
    state_dir: StateDirOpt = None,
    sweep: Annotated[
        bool,
        typer.Option(
            "--sweep",
            help="Also remove any lab found on this machine by name (after a crash).",
        ),
    ] = False,
    json_out: JsonOpt = False,
) -> None:
    """Remove every namespace, link, process and mount of the lab, and check none is left.

    Example: sudo egovnet lab down    (or: egovnet lab down --sweep)
    """
    require_root()
    reports = [lab.down(_state_dir(state_dir), check=False)]
    if sweep:
        reports.append(lab.sweep())
    left = [item for r in reports for item in r.leftovers]
    if json_out:
        print_json([dataclasses.asdict(r) for r in reports])
    else:
        for r in reports:
            console.print(
                text(
                    "lab.removed",
                    processes=r.processes,
                    namespaces=r.namespaces,
                    links=r.links,
                    symlinks=r.symlinks,
                    where=r.state_dir or text("lab.by_name"),
                )
            )
        if left:
            console.print(f"[red]{text('lab.left')}[/red] {', '.join(left)}")
        else:
            console.print(f"[green]{text('lab.clean')}[/green]")
    if left:
        raise typer.Exit(1)


@app.command()
def status(state_dir: StateDirOpt = None, json_out: JsonOpt = False) -> None:
    """Per device: namespace, daemons alive, OSPF neighbours Full, SNMP answer. Exit 1 when
    the lab is down or anything is unhealthy.

    Example: sudo egovnet lab status --json
    """
    st = lab.status(_state_dir(state_dir))
    if json_out:
        data = dataclasses.asdict(st)
        data["healthy"] = st.healthy
        print_json(data)
    elif st.status is None or st.status == "down":
        console.print(text("lab.none_up", state_dir=st.state_dir))
    else:
        table = Table(
            title=text(
                "lab.status.title",
                profile=st.profile,
                status=word("labstatus", st.status),
                seconds=f"{st.up_seconds or 0:.1f}",
                mib=f"{(st.memory_bytes or 0) / 2**20:.0f}",
            )
        )
        for col in ("device", "platform", "namespace", "daemons", "ospf_full", "snmp", "faults"):
            table.add_column(heading(col))
        for n in st.nodes:
            daemons = f"{n.daemons_alive}/{n.daemons_total}"
            ospf = "-" if n.ospf_expected is None else f"{n.ospf_full or 0}/{n.ospf_expected}"
            snmp = (
                "-"
                if n.kind == "server"
                else (n.snmp_sys_name or f"[red]{text('lab.no_answer')}[/red]")
            )
            color = "green" if n.healthy else "red"
            table.add_row(
                f"[{color}]{n.device}[/{color}]",
                n.platform,
                n.namespace,
                daemons,
                ospf,
                snmp,
                ", ".join(n.faults) or "-",
            )
        console.print(table)
    if not st.healthy:
        raise typer.Exit(1)


@fault_app.command("link-down")
def link_down(
    link: Annotated[str, typer.Argument(help="Link id from the inventory.")],
    mode: Annotated[
        str, typer.Option(help="carrier: both ports lose link; silent: only BFD notices.")
    ] = "carrier",
    state_dir: StateDirOpt = None,
) -> None:
    """Cut a circuit.

    Example: sudo egovnet lab fault link-down core1-town1 --mode silent
    """
    require_root()
    lab.link_down(_state_dir(state_dir), link, check_mode(mode))
    console.print(text("lab.link_down", link=link, mode=mode))


@fault_app.command("link-up")
def link_up(
    link: Annotated[str, typer.Argument(help="Link id from the inventory.")],
    state_dir: StateDirOpt = None,
) -> None:
    """Restore a circuit.

    Example: sudo egovnet lab fault link-up core1-town1
    """
    require_root()
    lab.link_up(_state_dir(state_dir), link)
    console.print(text("lab.link_up", link=link))


@fault_app.command("device-down")
def device_down(
    device: Annotated[str, typer.Argument(help="Device or server name.")],
    state_dir: StateDirOpt = None,
) -> None:
    """Power a device off: daemons stopped, its ports and its neighbours' ports down.

    Example: sudo egovnet lab fault device-down town1
    """
    require_root()
    lab.device_down(_state_dir(state_dir), device)
    console.print(text("lab.device_down", device=device))


@fault_app.command("device-up")
def device_up(
    device: Annotated[str, typer.Argument(help="Device or server name.")],
    state_dir: StateDirOpt = None,
) -> None:
    """Power a device on: daemons start, FRR boots its saved config, circuits come back.

    Example: sudo egovnet lab fault device-up town1
    """
    require_root()
    lab.device_up(_state_dir(state_dir), device)
    console.print(text("lab.device_up", device=device))


@fault_app.command("health")
def device_health(  # noqa: PLR0917 - typer options
    device: Annotated[
        str, typer.Argument(help="An emulated device (the lab profile: dept1, vil2).")
    ],
    cpu: Annotated[int | None, typer.Option(help="CPU load, percent.")] = None,
    memory: Annotated[int | None, typer.Option(help="Memory used, percent.")] = None,
    temperature: Annotated[int | None, typer.Option(help="Board temperature, °C.")] = None,
    fan: Annotated[str | None, typer.Option(help="A fan's state: NUMBER=ok|failed.")] = None,
    power_supply: Annotated[
        str | None, typer.Option(help="A power supply's state: NUMBER=ok|failed.")
    ] = None,
    port: Annotated[str | None, typer.Option(help="The port whose optics --rx/--tx set.")] = None,
    rx: Annotated[float | None, typer.Option(help="Receive power, dBm.")] = None,
    tx: Annotated[float | None, typer.Option(help="Transmit power, dBm.")] = None,
    clear: Annotated[
        bool, typer.Option("--clear", help="Every reading back to its default.")
    ] = False,
    state_dir: StateDirOpt = None,
) -> None:
    """What an emulated VRP/Comware device reports over SNMP (its health MIBs): a high CPU,
    a hot board, a failed fan or power supply, a weak transceiver. `lab up` clears it.

    Example: sudo egovnet lab fault health dept1 --cpu 95 --port GigabitEthernet0/0/1 --rx -27
    """
    require_root()
    fault = None
    if not clear:
        fault = lab.HealthFault(
            cpu=cpu,
            memory=memory,
            temperature=temperature,
            fan=parse_part(fan, "fan"),
            power_supply=parse_part(power_supply, "power-supply"),
            port=port,
            rx_dbm=rx,
            tx_dbm=tx,
        )
    readings = lab.device_health(_state_dir(state_dir), device, fault)
    if readings:
        console.print(text("lab.device_health", device=device, readings=", ".join(readings)))
    else:
        console.print(text("lab.device_health_normal", device=device))


@app.command()
def traffic(  # noqa: PLR0917 - typer options
    site: Annotated[str, typer.Argument(help="Site id (see egovnet inventory show).")],
    mbps: Annotated[float, typer.Option(help="Offered load in Mbps.")] = 100.0,
    seconds: Annotated[float, typer.Option(help="Duration.")] = 5.0,
    link: Annotated[
        str | None, typer.Option(help="Which uplink of the site (default: the first up).")
    ] = None,
    reverse: Annotated[bool, typer.Option(help="Download (core to site) instead.")] = False,
    state_dir: StateDirOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """iperf3 from the site's device through its circuit; prints the achieved rate.

    Example: sudo egovnet lab traffic town-jiangwan --mbps 100 --seconds 5 --json
    """
    require_root()
    result = lab.traffic(_state_dir(state_dir), site, mbps, seconds, link=link, reverse=reverse)
    if json_out:
        print_json(dataclasses.asdict(result))
        return
    table = Table(
        title=text(
            "lab.traffic.title", client=result.client, server=result.server, link=result.link
        )
    )
    for col in ("site", "circuit", "committed", "offered", "achieved", "retransmits"):
        table.add_column(
            heading(col), justify="right" if col not in {"site", "circuit"} else "left"
        )
    table.add_row(
        result.site,
        result.circuit_id or result.link,
        f"{result.committed_mbps} Mbps",
        f"{result.offered_mbps:g} Mbps",
        f"{result.achieved_mbps:.1f} Mbps",
        str(result.retransmits if result.retransmits is not None else "-"),
    )
    console.print(table)


@app.command(
    "exec",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)
def exec_(
    ctx: typer.Context,
    device: Annotated[str, typer.Argument(help="Device or server name.")],
    state_dir: StateDirOpt = None,
) -> None:
    """Run a command on a device (in its namespace) or server (in its root); exits with its
    code. vtysh and lldpcli are pointed at the device's own daemons.

    Example: sudo egovnet lab exec core1 -- vtysh -c 'show ip ospf neighbor'
    """
    require_root()
    argv = list(ctx.args[1:] if ctx.args[:1] == ["--"] else ctx.args)
    if not argv:
        raise LabUsageError("lab exec: give a command after --, e.g. lab exec core1 -- ip addr")
    proc = lab.exec_in(_state_dir(state_dir), device, argv, timeout=3600)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    raise typer.Exit(proc.returncode)
