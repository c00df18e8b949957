"""``up``: build the lab from an inventory, or repair it when it is already (partly) there.

Order: refuse early (root, tools, inventory, a lab of someone else's); record every object
in the state file *before* making it; build the network; start daemons in parallel; boot
FRR; wait, within a bounded time, until every OSPF adjacency is Full and every device's
sshd and snmpd answer. Any failure tears down whatever was made (unless asked to keep it).
A second ``up`` converges: it creates what is missing, restarts dead daemons (FRR boots
from its saved config), re-applies addresses and circuits, and clears recorded faults.
"""

from __future__ import annotations

import grp
import os
import pwd
import socket
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from base.errors import LabError, LabUsageError
from inventory.catalog import Inventory

from . import emulated, frr, lldp, names, netdev, procs, servers, shell, snmpcheck, snmpd, sshd
from .credentials import LabCredentials, generate_secret, lab_credentials
from .paths import LabPaths
from .plan import LabPlan, Node, plan_lab
from .preflight import preflight
from .running import RunningLab
from .snmpd import TrapSink
from .state import (
    DaemonRecord,
    LabState,
    NodeRecord,
    clear_owner,
    load_state,
    machine_lock,
    read_owner,
    save_state,
    write_owner,
)
from .teardown import teardown

Progress = Callable[[str], None]
HEALTH_SERVER = Path(__file__).with_name("health_server.py")


@dataclass(frozen=True)
class Context:
    inventory: Inventory
    plan: LabPlan
    paths: LabPaths
    creds: LabCredentials
    trap_sink: TrapSink | None
    users: list[sshd.LabUser]
    #: boot configs of emulated devices that have none yet (see :mod:`lab.emulated`)
    vendor_configs: Mapping[str, str] = field(default_factory=dict)


def up(
    inventory: Inventory,
    state_dir: Path,
    *,
    trap_sink: TrapSink | None = None,
    secrets_file: Path | None = None,
    timeout: float = 60.0,
    progress: Progress | None = None,
    keep_on_failure: bool = False,
    tool_path: str | None = None,
    vendor_configs: Mapping[str, str] | None = None,
) -> LabState:
    """Bring the lab up (or repair it); return its state. Raises LabUsageError (exit 2)
    before touching anything when the machine or the inventory cannot do it.

    ``vendor_configs``: by device name, the config each emulated device (the profile's
    ``keep_platform``) boots the first time: automation's rendering for its platform."""
    say = progress or (lambda _msg: None)
    state_dir = state_dir.resolve()
    preflight(state_dir, tool_path)
    plan = plan_lab(inventory)
    emulated.check_boot_configs(plan, LabPaths(state_dir), vendor_configs or {})
    started = time.monotonic()
    with machine_lock():
        previous = load_state(state_dir)
        _refuse_foreign(plan, state_dir, previous, inventory)
        paths = LabPaths(state_dir)
        _make_dir(paths.root, 0o755)
        creds = lab_credentials(
            inventory, secrets_file or state_dir / "secrets.env", paths.client_key
        )
        state = previous if previous and previous.status != "down" else None
        if state is None:
            state = LabState(
                state_dir=str(state_dir),
                inventory_root=str(Path(inventory.root).resolve()),
                profile=plan.profile,
            )
        state.status = "building"
        state.trap_sink = str(trap_sink) if trap_sink else None
        state.secrets_file = str(secrets_file or state_dir / "secrets.env")
        write_owner(state_dir)
        save_state(state)
        try:
            say(
                f"plan: {len(plan.routers)} devices, {len(plan.servers)} servers, "
                f"{len(plan.links)} links"
            )
            accounts = [creds.accounts[name] for name in sorted(creds.accounts)]
            ctx = Context(
                inventory,
                plan,
                paths,
                creds,
                trap_sink,
                sshd.lab_users(accounts, home_root="/home"),
                dict(vendor_configs or {}),
            )
            _build(ctx, state, say, deadline=started + timeout)
        except BaseException:
            state.status = "failed"
            save_state(state)
            if not keep_on_failure:
                say("failed: removing what was made")
                teardown(state_dir, state)
            raise
        state.status = "up"
        state.faults.links.clear()
        state.faults.devices.clear()
        for device in list(state.faults.health):  # a fault on an emulation's health too
            emulated.reset_health_file(LabPaths(state_dir), device)
        state.faults.health.clear()
        state.up_seconds = round(time.monotonic() - started, 2)
        state.memory_bytes = memory_bytes(state)
        save_state(state)
        say(f"up in {state.up_seconds:.1f}s, {state.memory_bytes / 2**20:.0f} MiB")
        return state


def _refuse_foreign(
    plan: LabPlan, state_dir: Path, previous: LabState | None, inventory: Inventory
) -> None:
    owner = read_owner()
    if owner is not None and owner != state_dir and (owner / "lab" / "state.json").is_file():
        other = load_state(owner)
        if other is not None and other.status != "down":
            raise LabUsageError(
                f"a lab from state dir {owner} is up: run `egovnet lab down --state-dir {owner}`"
            )
    if owner is not None and owner != state_dir:
        clear_owner(owner)
    ours = set(previous.namespaces) if previous and previous.status != "down" else set()
    foreign = sorted(
        ns for ns in netdev.existing_namespaces() if names.is_lab_namespace(ns) and ns not in ours
    )
    if foreign:
        raise LabUsageError(
            f"namespace {foreign[0]} (and {len(foreign) - 1} more) is not this lab's: "
            "remove a crashed lab with `egovnet lab down --sweep`"
        )
    if previous is not None and previous.status != "down":
        root = str(Path(inventory.root).resolve())
        if previous.inventory_root != root:
            raise LabUsageError(
                f"this state dir's lab was built from {previous.inventory_root}: "
                "run `egovnet lab down` first"
            )


def _make_dir(path: Path, mode: int, owner: tuple[int, int] | None = None) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, mode)
    if owner is not None:
        os.chown(path, *owner)
    return path


def _build(ctx: Context, state: LabState, say: Progress, deadline: float) -> None:
    plan, paths = ctx.plan, ctx.paths
    say("writing configs")
    changed = _write_files(ctx)
    state.nodes = {
        n.name: NodeRecord(
            name=n.name,
            namespace=n.namespace,
            server=n.is_server,
            mgmt_address=str(n.mgmt.ip),
            snmp_engine_id=n.snmp_engine_id,
            ifnames={p.inventory_name: p.ifname for p in n.ports},
            ospf_neighbors=len(n.ports),
        )
        for n in plan.nodes
    }
    links = [frr.etc_link(n) for n in plan.routers] + [frr.run_link(n) for n in plan.routers]
    state.remember(namespaces=plan.namespaces, symlinks=[str(p) for p in links])
    state.bridge = names.MGMT_BRIDGE
    state.host_ports = [n.host_port for n in plan.nodes]
    save_state(state)
    _system_run_dirs()
    for node in plan.routers:
        _symlink(frr.etc_link(node), paths.frr_etc(node.name))
        _symlink(frr.run_link(node), paths.frr_run(node.name))
    say("namespaces, management bridge, circuits")
    new = set(netdev.add_namespaces(plan.namespaces))
    netdev.ensure_bridge()
    netdev.build(plan, new)
    say("starting daemons")
    to_boot = _start_daemons(ctx, state, changed, deadline)
    save_state(state)
    if to_boot:
        say(f"booting saved FRR configs on {len(to_boot)} devices (vtysh -b)")
    _boot_frr(ctx, to_boot, deadline)
    say("waiting for OSPF, SSH and SNMP")
    _wait_ready(ctx, state, deadline, say=say)


#: Runtime dirs the packages' own services would create at start (they are not started on
#: the host): sshd's privilege-separation dir, FRR's run dir, lldpd's chroot. Standard, empty
#: and shared with anything else on the machine, so ``down`` leaves them.
SYSTEM_RUN_DIRS = (("/run/sshd", "root"), ("/var/run/frr", "frr"), ("/run/lldpd", "root"))


def _system_run_dirs() -> None:
    for path, user in SYSTEM_RUN_DIRS:
        if not Path(path).is_dir():
            entry = pwd.getpwnam(user)
            _make_dir(Path(path), 0o755, (entry.pw_uid, entry.pw_gid))


def _symlink(link: Path, target: Path) -> None:
    if link.is_symlink():
        if Path(os.readlink(link)) == target:
            return
        link.unlink()
    elif link.exists():
        raise LabError(f"{link} exists and is not the lab's: remove it or rename the device")
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)


def _write(path: Path, text: str, mode: int = 0o644) -> bool:
    """Write if different; True when the content changed (its daemon must restart)."""
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    if old != text:
        path.write_text(text, encoding="utf-8")
    os.chmod(path, mode)
    return old != text


def _write_files(ctx: Context) -> set[tuple[str, str]]:
    """Render every config; returns (node, daemon) pairs whose config changed."""
    plan, paths, inv = ctx.plan, ctx.paths, ctx.inventory
    frr_user = pwd.getpwnam("frr")
    owner = (frr_user.pw_uid, frr_user.pw_gid)
    _make_dir(paths.logs, 0o755)
    _make_dir(paths.devices, 0o755)
    _make_dir(paths.accounts, 0o755)
    sshd.write_account_files(paths.accounts, ctx.users, "/bin/sh")
    _write(paths.authorized_keys, ctx.creds.ssh_public_key + "\n", 0o644)
    _write(paths.banner, inv.policy.management.banner.rstrip() + "\n", 0o644)
    changed: set[tuple[str, str]] = set()
    usernames = [u.username for u in ctx.users]
    iquery_key = generate_secret()
    vty_gid = grp.getgrnam("frrvty").gr_gid
    # snmpd drops to the first lab login, whose device agent may then make it re-read
    snmpd_owner = (ctx.users[0].uid, vty_gid)

    def one(node: Node) -> None:
        _make_dir(paths.device(node.name), 0o755)
        if node.is_server:
            return
        etc = _make_dir(paths.frr_etc(node.name), 0o775, owner)
        _make_dir(paths.frr_run(node.name), 0o775, owner)
        conf = etc / "frr.conf"
        initial = frr.config(plan, node)
        if not conf.is_file():
            conf.write_text(initial.integrated(), encoding="utf-8")
        _make_dir(paths.frr_boot(node.name, "zebra").parent, 0o755)
        for daemon in frr.DAEMONS:
            _write(paths.frr_boot(node.name, daemon), initial.daemon(daemon), 0o644)
        _write(etc / "vtysh.conf", frr.vtysh_conf(node), 0o664)
        for path in (conf, etc / "vtysh.conf"):
            os.chown(path, *owner)
            os.chmod(path, 0o664)
        agent_state = _make_dir(paths.agent_state(node.name), 0o770, (0, vty_gid))
        _make_dir(paths.snmp_persist(node.name), 0o700, snmpd_owner)
        dev = node.device
        user = ctx.creds.v3.get(dev.snmp_profile)
        if user is None:
            raise LabUsageError(
                f"{node.name}: snmp_profile {dev.snmp_profile} is not a complete SNMPv3 profile"
            )
        community = (
            ctx.creds.communities.get(dev.legacy_snmp_profile) if dev.legacy_snmp_profile else None
        )
        site = inv.site(node.site)
        text = snmpd.render(
            node,
            location=site.name,
            user=user,
            trap_sink=ctx.trap_sink,
            iquery_key=_stable_iquery_key(paths, node, iquery_key),
            access_file=paths.snmpd_access(node.name),
            agentx_socket=paths.agentx_socket(node.name),
            extra=emulated.snmpd_lines(node, paths),
        )
        if _write(paths.snmpd_conf(node.name), text, 0o600):
            changed.add((node.name, "snmpd"))
        access = paths.snmpd_access(node.name)
        if not access.is_file():  # device state, like frr.conf: the agent rewrites it
            access.write_text(snmpd.render_access(community), encoding="utf-8")
        snmpd_log = paths.log(node.name, "snmpd-agent")
        snmpd_log.touch()
        for path in (paths.snmpd_conf(node.name), access, snmpd_log):
            os.chown(path, *snmpd_owner)
        access.chmod(0o600)
        if node.emulation is not None:  # the emulation answers SSH, not sshd
            boot = ctx.vendor_configs.get(node.name)
            if emulated.write_files(inv, plan, node, paths, creds=ctx.creds, boot=boot):
                changed.add((node.name, emulated.DAEMON))
            if _write(paths.lldpd_conf(node.name), lldp.render(node), 0o644):
                changed.add((node.name, "lldpd"))
            return
        key = sshd.host_key(paths.host_key(node.name))
        agent = sshd.agent_command(
            node,
            agent_state,
            paths.lldpd_socket(node.name),
            paths.snmpd_access(node.name),
            paths.snmpd_pid(node.name),
        )
        text = sshd.render_device(
            node, key, paths.authorized_keys, paths.banner, usernames, force_command=agent
        )
        if _write(paths.sshd_conf(node.name), text, 0o644):
            changed.add((node.name, "sshd"))
        if _write(paths.lldpd_conf(node.name), lldp.render(node), 0o644):
            changed.add((node.name, "lldpd"))

    shell.parallel(one, plan.nodes)
    return changed


def _stable_iquery_key(paths: LabPaths, node: Node, fresh: str) -> str:
    """Keep the internal SNMP user's key across repairs, so configs do not churn."""
    conf = paths.snmpd_conf(node.name)
    if conf.is_file():
        for line in conf.read_text(encoding="utf-8").splitlines():
            if line.startswith(f"createUser {snmpd.IQUERY_USER} "):
                return line.split('"')[1]
    return fresh


def _start_daemons(
    ctx: Context,
    state: LabState,
    changed: set[tuple[str, str]],
    deadline: float,
    only: set[str] | None = None,
) -> list[Node]:
    """Start what is not running (restart what changed) on every node, or the ``only`` ones;
    return the devices whose FRR (re)started and must boot its config."""
    paths = ctx.paths
    to_boot: list[Node] = []
    keep: list[DaemonRecord] = []
    stale: list[DaemonRecord] = []
    wanted: list[tuple[Node, str, list[str]]] = []
    for node in ctx.plan.nodes:
        if only is not None and node.name not in only:
            keep += state.processes_of(node.name)
            continue
        current = {p.daemon: p for p in state.processes_of(node.name) if procs.alive(p)}
        for daemon, argv in _daemon_argvs(ctx, node).items():
            rec = current.get(daemon)
            restart = (node.name, daemon) in changed or rec is None
            if daemon in frr.DAEMONS and not node.is_server:
                restart = any(d not in current for d in frr.DAEMONS)
            if restart:
                if rec is not None:
                    stale.append(rec)
                wanted.append((node, daemon, argv))
            else:
                assert rec is not None
                keep.append(rec)
        if any(d == "zebra" for n, d, _ in wanted if n is node) and not _initial_config(ctx, node):
            to_boot.append(node)
    procs.stop(stale)
    for node, daemon, _argv in wanted:
        if daemon == "zebra":  # stale sockets would pass for a zebra that is not there yet
            for sock in [
                *frr.vty_sockets(paths.frr_run(node.name)),
                frr.zserv_socket(paths.frr_run(node.name)),
            ]:
                sock.unlink(missing_ok=True)
    for node, daemon, _argv in wanted:
        if node.is_server and daemon == "server":
            _prepare_server(ctx, node)
    # zebra first: the other FRR daemons retry a missing zebra socket only after 10 s.
    first = [w for w in wanted if w[1] == "zebra"]

    def spawn(w: tuple[Node, str, list[str]]) -> DaemonRecord:
        env = emulated.env(ctx.creds) if w[1] == emulated.DAEMON else None
        return procs.spawn(w[0].name, w[1], w[2], paths.log(w[0].name, w[1]), env)

    started = shell.parallel(spawn, first, workers=8)
    state.processes = keep + started
    _wait_for_sockets([frr.zserv_socket(paths.frr_run(n.name)) for n, _, _ in first], deadline)
    started += shell.parallel(spawn, [w for w in wanted if w[1] != "zebra"], workers=8)
    state.processes = keep + started
    return to_boot


def _wait_for_sockets(sockets: list[Path], deadline: float) -> None:
    while not all(s.exists() for s in sockets):
        if time.monotonic() > deadline:
            missing = [s for s in sockets if not s.exists()]
            raise LabError(f"zebra did not start: no {missing[0]}")
        time.sleep(0.02)


def _daemon_argvs(ctx: Context, node: Node) -> dict[str, list[str]]:
    paths = ctx.paths
    if node.is_server:
        base = paths.server(node.name)
        return {"server": servers.argv(node, base / "upper", base / "work", base / "root")}
    initial = _initial_config(ctx, node)
    out = {
        d: frr.daemon_argv(node, d, paths.frr_boot(node.name, d) if initial else None)
        for d in frr.DAEMONS
    }
    out["snmpd"] = snmpd.argv(
        node,
        paths.snmpd_conf(node.name),
        paths.snmp_persist(node.name),
        paths.log(node.name, "snmpd-agent"),
        pidfile=paths.snmpd_pid(node.name),
        run_as=(ctx.users[0].uid, grp.getgrnam("frrvty").gr_gid),
    )
    if node.emulation is not None:
        out[emulated.DAEMON] = emulated.argv(node, paths)
    else:
        out["sshd"] = sshd.device_argv(
            node, paths.accounts, paths.sshd_conf(node.name), paths.log(node.name, "sshd-auth")
        )
    out["lldpd"] = lldp.argv(
        node,
        paths.lldpd_conf(node.name),
        paths.lldpd_socket(node.name),
        agentx=paths.agentx_socket(node.name),
    )
    lan = ctx.plan.lan_of(node.lan_site) if node.lan_site else None
    if lan is not None and lan.gateway_device == node.name and lan.endpoints:
        out["http"] = shell.in_netns(
            node.namespace,
            [
                sys.executable,
                "-I",
                str(HEALTH_SERVER),
                "--site",
                lan.site,
                "--device",
                node.name,
                *(e.url for e in lan.endpoints),
            ],
        )
    return out


def _initial_config(ctx: Context, node: Node) -> bool:
    """Is the device's saved frr.conf still the lab's initial one (so daemons boot slices)?"""
    conf = ctx.paths.frr_etc(node.name) / "frr.conf"
    try:
        return conf.read_text(encoding="utf-8") == frr.render(ctx.plan, node)
    except OSError:
        return False


def _prepare_server(ctx: Context, node: Node) -> None:
    base = ctx.paths.server(node.name)
    upper, work, root = base / "upper", base / "work", base / "root"
    fresh = not upper.exists()
    for d in (base, upper, work, root):
        _make_dir(d, 0o755)
    if fresh:
        servers.prepare_upper(node, upper, ctx.users, ctx.creds.ssh_public_key)


def _boot_frr(ctx: Context, nodes: list[Node], deadline: float) -> None:
    def boot(node: Node) -> None:
        sockets = frr.vty_sockets(ctx.paths.frr_run(node.name))
        while not all(s.exists() for s in sockets):
            if time.monotonic() > deadline:
                missing = [s.name for s in sockets if not s.exists()]
                raise LabError(
                    f"{node.name}: FRR did not start ({', '.join(missing)} missing); "
                    f"see {ctx.paths.logs}"
                )
            time.sleep(0.05)
        frr.boot(node)

    shell.parallel(boot, nodes)


def _wait_ready(
    ctx: Context,
    state: LabState,
    deadline: float,
    *,
    nodes: list[Node] | None = None,
    faulted_links: frozenset[str] = frozenset(),
    say: Progress | None = None,
) -> None:
    """Wait until every OSPF adjacency (of links not faulted) is Full and every device's
    sshd and snmpd answer; LabError naming what is missing at the deadline."""
    todo = nodes if nodes is not None else list(ctx.plan.nodes)
    by_name = {n.name: n for n in todo}
    pending_ospf = {n.name for n in todo if not n.is_server and n.ports}
    pending_ssh = set(by_name)
    pending_snmp = {n.name for n in todo if not n.is_server}
    watched = [p for p in state.processes if p.node in by_name]
    while True:
        dead = [p for p in watched if not procs.alive(p)]
        if dead:
            p = dead[0]
            raise LabError(f"{p.node}: {p.daemon} exited; see {ctx.paths.log(p.node, p.daemon)}")
        names_ = sorted(pending_ospf)
        ok = shell.parallel(lambda n: _ospf_full(ctx, by_name[n], faulted_links), names_)
        pending_ospf -= {n for n, good in zip(names_, ok, strict=True) if good}
        names_ = sorted(pending_ssh)
        ok = shell.parallel(lambda n: _ssh_ready(state, by_name[n]), names_)
        pending_ssh -= {n for n, good in zip(names_, ok, strict=True) if good}
        names_ = sorted(pending_snmp)
        ok = shell.parallel(lambda n: _snmp_ok(ctx, by_name[n]), names_)
        pending_snmp -= {n for n, good in zip(names_, ok, strict=True) if good}
        if not (pending_ospf or pending_ssh or pending_snmp):
            return
        if say is not None:
            say(
                f"waiting: OSPF {len(pending_ospf)}, SSH {len(pending_ssh)}, "
                f"SNMP {len(pending_snmp)} devices to go"
            )
        if time.monotonic() > deadline:
            parts = []
            if pending_ospf:
                parts.append(f"OSPF not Full on {', '.join(sorted(pending_ospf))}")
            if pending_ssh:
                parts.append(f"no SSH from {', '.join(sorted(pending_ssh))}")
            if pending_snmp:
                parts.append(f"no SNMP from {', '.join(sorted(pending_snmp))}")
            raise LabError("lab not ready in time: " + "; ".join(parts))
        time.sleep(0.2)


def _ospf_full(ctx: Context, node: Node, faulted_links: frozenset[str] = frozenset()) -> bool:
    neighbors = frr.ospf_neighbors(ctx.paths.frr_run(node.name))
    full = {n.interface for n in neighbors if n.full}
    return all(p.ifname in full for p in node.ports if p.link_id not in faulted_links)


def _ssh_ready(state: LabState, node: Node) -> bool:
    if node.emulation is None:
        return _tcp_open(str(node.mgmt.ip), 22)
    pids = [p.pid for p in state.processes_of(node.name) if p.daemon == emulated.DAEMON]
    return bool(pids) and emulated.answers_ssh(pids[0])


def _tcp_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _snmp_ok(ctx: Context, node: Node) -> bool:
    user = ctx.creds.v3[node.device.snmp_profile]
    return snmpcheck.sys_name(str(node.mgmt.ip), user=user, timeout=0.5) == node.name


def memory_bytes(state: LabState) -> int:
    """Proportional memory of every process in the lab's namespaces."""
    pids = {pid for found in procs.netns_pids(state.namespaces).values() for pid in found}
    return sum(procs.rss_bytes(pid) for pid in pids)


def restart_nodes(
    lab: RunningLab, names_: list[str], timeout: float = 60.0, progress: Progress | None = None
) -> None:
    """Start the daemons of these nodes again (``device-up``); FRR boots its saved config.
    The caller holds the machine lock and saves the state."""
    say = progress or (lambda _msg: None)
    deadline = time.monotonic() + timeout
    accounts = [lab.credentials.accounts[n] for n in sorted(lab.credentials.accounts)]
    ctx = Context(
        lab.inventory,
        lab.plan,
        lab.paths,
        lab.credentials,
        TrapSink.from_record(lab.state.trap_sink) if lab.state.trap_sink else None,
        sshd.lab_users(accounts, home_root="/home"),
    )
    say(f"starting daemons on {', '.join(names_)}")
    to_boot = _start_daemons(ctx, lab.state, set(), deadline, only=set(names_))
    save_state(lab.state)
    _boot_frr(ctx, to_boot, deadline)
    faulted = frozenset(lab.state.faults.links)
    _wait_ready(
        ctx, lab.state, deadline, nodes=[lab.plan.node(n) for n in names_], faulted_links=faulted
    )
