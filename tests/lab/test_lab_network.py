"""The lab as a user meets it: issue 3's "Done when", checked on the running lab profile.

All tests share the session's lab (tests/lab/conftest.py). Tests that cut links or power
devices off restore them in ``finally``; the last test takes the lab down, checks nothing is
left, makes a half-built ``up`` fail and checks that too, then brings the lab back.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import netmiko
import pytest

import lab as lab_api
from inventory.loader import load_inventory
from lab.names import FABRIC_NAMESPACE, MGMT_BRIDGE
from tests.conftest import LAB_INVENTORY, run_egovnet
from tests.lab.conftest import SessionLab
from tests.lab.device_access import configure, emulated, running

pytestmark = pytest.mark.lab

SYS_NAME = "1.3.6.1.2.1.1.5.0"
IF_NAME = "1.3.6.1.2.1.31.1.1.1.1"
IF_HC_IN_OCTETS = "1.3.6.1.2.1.31.1.1.1.6"


def routers(lab: SessionLab) -> list[str]:
    return [n.name for n in lab.plan.routers]


# --- SNMP with net-snmp's own client (an independent check of the agents) -----------------
@pytest.fixture(scope="module")
def snmp_conf(lab: SessionLab, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A client config dir holding the v3 user, so no key appears on a command line."""
    conf = tmp_path_factory.mktemp("snmp-client")
    user = lab.snmp_user("core1")
    (conf / "snmp.conf").write_text(
        "\n".join(
            [
                "defVersion 3",
                f"defSecurityName {user.user}",
                "defSecurityLevel authPriv",
                f"defAuthType {user.auth_protocol}",
                f"defPrivType {user.priv_protocol}",
                f"defAuthPassphrase {user.auth_key}",
                f"defPrivPassphrase {user.priv_key}",
                "",
            ]
        )
    )
    (conf / "snmp.conf").chmod(0o600)
    return conf


def snmp(
    conf: Path, tool: str, host: str, oid: str, *, community: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        "SNMPCONFPATH": str(conf),
        "SNMP_PERSISTENT_FILE": str(conf / "client.conf"),
        "PATH": "/usr/bin:/bin",
    }
    argv = [tool, "-m", "", "-On", "-Oq", "-t", "1", "-r", "1"]
    if community is not None:
        v2c = conf / "v2c"
        v2c.mkdir(exist_ok=True)
        (v2c / "snmp.conf").write_text(f"defVersion 2c\ndefCommunity {community}\n")
        env["SNMPCONFPATH"] = str(v2c)
    return subprocess.run(
        [*argv, host, oid], capture_output=True, text=True, env=env, timeout=30, check=False
    )


def test_lab_came_up_within_60_seconds_and_reports_healthy(lab: SessionLab) -> None:
    print(
        f"\nfirst up: {lab.first_up_seconds:.1f}s in lab.up, {lab.first_up_wall_seconds:.1f}s wall"
    )
    assert lab.first_up_wall_seconds < 60
    proc = run_egovnet("lab", "status", "--state-dir", str(lab.state_dir), "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)
    assert data["healthy"] is True
    assert {n["device"] for n in data["nodes"]} == {d.name for d in lab.inventory.devices}


def test_every_device_answers_snmpv3_with_its_own_sysname_and_interfaces(
    lab: SessionLab, snmp_conf: Path
) -> None:
    for name in routers(lab):
        host = lab.mgmt_address(name)
        got = snmp(snmp_conf, "snmpget", host, SYS_NAME)
        assert got.returncode == 0, f"{name}: {got.stderr}"
        assert got.stdout.split(None, 1)[1].strip().strip('"') == name
        walk = snmp(snmp_conf, "snmpwalk", host, IF_NAME)
        if_names = {line.split(None, 1)[1].strip('"') for line in walk.stdout.splitlines()}
        expected = {p.ifname for p in lab.plan.node(name).ports} | {"lo", "mgmt0"}
        assert expected <= if_names, f"{name}: {if_names}"


def test_v2c_answers_only_where_the_inventory_keeps_a_legacy_profile(
    lab: SessionLab, snmp_conf: Path
) -> None:
    legacy = [d.name for d in lab.inventory.devices if d.legacy_snmp_profile]
    assert legacy, "the lab profile has legacy v2c devices"
    community = lab.community(legacy[0])
    assert community
    for name in routers(lab):
        got = snmp(snmp_conf, "snmpget", lab.mgmt_address(name), SYS_NAME, community=community)
        if name in legacy:
            assert got.returncode == 0 and name in got.stdout, f"{name}: {got.stderr}"
        else:
            assert got.returncode != 0, f"{name} answered v2c: {got.stdout}"


def test_if_mib_counts_the_namespace_real_traffic(lab: SessionLab, snmp_conf: Path) -> None:
    """ifHCInOctets of town2's uplink follows the kernel counter as traffic crosses it."""
    ifname = lab.ifname("town2", "eth1")
    walk = snmp(snmp_conf, "snmpwalk", lab.mgmt_address("town2"), IF_NAME)
    index = next(
        line.split()[0].rsplit(".", 1)[1]
        for line in walk.stdout.splitlines()
        if line.split(None, 1)[1].strip('"') == ifname
    )

    def snmp_octets() -> int:
        got = snmp(snmp_conf, "snmpget", lab.mgmt_address("town2"), f"{IF_HC_IN_OCTETS}.{index}")
        return int(got.stdout.split()[1])

    def kernel_octets() -> int:
        out = lab.exec("town2", "cat", f"/sys/class/net/{ifname}/statistics/rx_bytes").stdout
        return int(out)

    before = snmp_octets()
    lab.traffic("town-jiangwan", 40, 2, reverse=True)  # ~10 MB toward town2
    kernel_then = kernel_octets()
    # snmpd caches the interface table for a few seconds, as real agents do
    deadline = time.monotonic() + 15
    while (after := snmp_octets()) < kernel_then and time.monotonic() < deadline:
        time.sleep(1)
    kernel_now = kernel_octets()
    assert after - before > 5_000_000
    assert kernel_then <= after <= kernel_now, (kernel_then, after, kernel_now)


def test_every_ospf_adjacency_is_full(lab: SessionLab) -> None:
    for name in routers(lab):
        node = lab.plan.node(name)
        full = {n.interface for n in lab.ospf_neighbors(name) if n.full}
        assert full == {p.ifname for p in node.ports}, name


def test_every_site_loopback_pings_from_both_cores(lab: SessionLab) -> None:
    cores = [
        d.name
        for d in lab.inventory.devices
        if d.role.value == "core" and d.site == "district-core"
    ]
    assert len(cores) == 2
    targets = [str(d.loopback) for d in lab.inventory.devices if d.loopback is not None]
    for core in cores:
        for target in targets:
            result = lab.ping(core, target, count=2, interval=0.1)
            assert result.received == 2, f"{core} -> {target}"


def test_lldp_neighbours_equal_the_inventory_links(lab: SessionLab) -> None:
    expected: dict[str, set[tuple[str, str, str]]] = {n: set() for n in routers(lab)}
    for link in lab.inventory.links:
        a = (
            lab.ifname(link.a.device, link.a.interface),
            link.b.device,
            lab.ifname(link.b.device, link.b.interface),
        )
        b = (
            lab.ifname(link.b.device, link.b.interface),
            link.a.device,
            lab.ifname(link.a.device, link.a.interface),
        )
        expected[link.a.device].add(a)
        expected[link.b.device].add(b)
    deadline = time.monotonic() + 20  # lldpd sends every 2 s
    while True:
        seen = {
            name: {(n.local_port, n.system_name, n.port_id) for n in lab.lldp_neighbors(name)}
            for name in routers(lab)
        }
        if seen == expected or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert seen == expected
    # and what an engineer types inside a namespace says the same
    out = lab.exec("core1", "lldpcli", "show", "neighbors", "summary").stdout
    assert "SysName:      core2" in out and "SysName:      city1" in out


def test_netmiko_reads_the_running_config_of_every_device(lab: SessionLab) -> None:
    """``show running-config`` on FRR, ``display current-configuration`` on the emulations."""
    names = routers(lab)
    with ThreadPoolExecutor(max_workers=6) as pool:
        outputs = dict(zip(names, pool.map(partial(running, lab), names), strict=True))
    for name, out in outputs.items():
        if emulated(lab, name):
            assert f"sysname {name}" in out and "\nospf 1" in out, name
        else:
            assert f"hostname {name}" in out and "router ospf" in out, name


@pytest.mark.parametrize(("device", "loopback"), [("vil3", "10.255.0.23"), ("vil2", "10.255.0.22")])
def test_a_saved_config_survives_a_power_cycle(lab: SessionLab, device: str, loopback: str) -> None:
    """What automation relies on: config saved over SSH is what the device boots (write memory
    on FRR, save on the Comware emulation)."""
    params = lab.netmiko_params(device)
    marker = "egovnet lab save check"
    try:
        configure(lab, device, f"interface {lab.ifname(device, 'eth1')}", f" description {marker}")
        with netmiko.ConnectHandler(**params, global_cmd_verify=True) as conn:
            conn.save_config()
        lab.device_down(device)
        assert lab.ping("core1", loopback, count=2).received == 0
    finally:
        lab.device_up(device)
    assert marker in running(lab, device)
    started = time.monotonic()
    while lab.ping("core1", loopback, count=1).received == 0:
        assert time.monotonic() - started < 15, f"{device} not reachable 15 s after power-on"
    print(f"\n{device} reachable from core1 {time.monotonic() - started:.1f}s after device-up")


def _outage(lab: SessionLab, source: str, target: str, cut: str, mode: str) -> tuple[int, int]:
    """Ping every 10 ms while ``cut`` fails; return (sent, lost)."""
    from lab.execute import device_argv

    lab.wait_converged(cut)  # OSPF Full and BFD up over the link before it fails
    argv = device_argv(
        lab._lab(), source, ["ping", "-n", "-q", "-i", "0.01", "-c", "300", "-W", "1", target]
    )
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    time.sleep(0.8)
    lab.link_down(cut, mode)  # type: ignore[arg-type]
    out, _ = proc.communicate(timeout=60)
    match = re.search(r"(\d+) packets transmitted, (\d+) received", out)
    assert match, out
    return int(match.group(1)), int(match.group(1)) - int(match.group(2))


@pytest.mark.parametrize("mode", ["carrier", "silent"])
def test_cutting_one_uplink_of_a_dual_homed_site_keeps_it_reachable(
    lab: SessionLab, mode: str
) -> None:
    town1 = str(lab.inventory.device("town1").loopback)
    assert lab.inventory.must_be_dual_homed(lab.inventory.site("town-longgui"))
    try:
        sent, lost = _outage(lab, "core1", town1, "core1-town1", mode)
        print(
            f"\nfailover core1 -> town1 ({mode} cut of core1-town1): {lost} of {sent} pings "
            f"lost at 10 ms = ~{lost * 10} ms outage"
        )
        assert lost < 100  # about a second at most
        assert lab.ping("core1", town1, count=3).received == 3
        assert lab.ping("core2", town1, count=3).received == 3
    finally:
        lab.link_up("core1-town1")


def test_cutting_both_uplinks_isolates_the_site_and_restoring_heals_it(lab: SessionLab) -> None:
    town1 = str(lab.inventory.device("town1").loopback)
    vil1 = str(lab.inventory.device("vil1").loopback)
    uplinks = [lk.id for lk in lab.inventory.uplinks_of_site("town-longgui")]
    assert len(uplinks) == 2
    try:
        for link in uplinks:
            lab.link_down(link)
        for core in ("core1", "core2"):
            assert lab.ping(core, town1, count=2).received == 0
            assert lab.ping(core, vil1, count=2).received == 0
    finally:
        for link in uplinks:
            lab.link_up(link)
    deadline = time.monotonic() + 15
    while lab.ping("core1", vil1, count=1).received == 0 and time.monotonic() < deadline:
        time.sleep(0.5)
    healed_in = 15 - (deadline - time.monotonic())
    print(f"\nrestored both uplinks of town-longgui: vil1 reachable again after {healed_in:.1f}s")
    for core in ("core1", "core2"):
        assert lab.ping(core, town1, count=2).received == 2
        assert lab.ping(core, vil1, count=2).received == 2


def test_a_50_mbps_circuit_carries_45_to_52_mbps_and_no_more(lab: SessionLab) -> None:
    circuit = lab.inventory.link("core1-town2")
    assert circuit.committed_mbps == 50
    proc = run_egovnet(
        "lab",
        "traffic",
        "town-jiangwan",
        "--mbps",
        "100",
        "--seconds",
        "5",
        "--link",
        "core1-town2",
        "--state-dir",
        str(lab.state_dir),
        "--json",
    )
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    print(f"\n50 Mbps circuit offered 100 Mbps: {result['achieved_mbps']} Mbps received")
    assert 45 <= result["achieved_mbps"] <= 52


def test_ansible_pings_every_server_and_writes_stay_on_the_server(
    lab: SessionLab, tmp_path: Path
) -> None:
    hosts = lab.write_ansible_inventory(tmp_path / "hosts.yml")
    ansible = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "ansible"
    env = {
        "PATH": "/usr/bin:/bin",
        "ANSIBLE_HOST_KEY_CHECKING": "False",
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-tmp"),
        "HOME": str(tmp_path),
    }
    proc = subprocess.run(
        [str(ansible), "-i", str(hosts), "all", "-m", "ping"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for server in lab.plan.servers:
        assert re.search(rf"{server.name} \| SUCCESS", proc.stdout)
    probe = Path("/etc/egovnet-lab-isolation-probe")
    assert not probe.exists()
    proc = subprocess.run(
        [
            str(ansible),
            "-i",
            str(hosts),
            "all",
            "-b",
            "-m",
            "copy",
            "-a",
            f"dest={probe} content=written-on-a-lab-server",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for server in lab.plan.servers:
        assert lab.exec(server.name, "cat", str(probe)).stdout == "written-on-a-lab-server"
    assert not probe.exists(), "a write on a lab server reached the host"


def test_health_endpoints_answer_where_the_profile_says(lab: SessionLab) -> None:
    for url in lab.inventory.profile.lab_endpoints:
        status, body = lab.http_get("core2", url)
        assert status == 200, url
        assert json.loads(body)["url"] == url


RECEIVER = """
import json, os, sys
from pysnmp.carrier.asyncio.dgram import udp
from pysnmp.entity import config, engine
from pysnmp.entity.rfc3413 import ntfrcv
eng = engine.SnmpEngine()
config.add_transport(eng, udp.DOMAIN_NAME,
                     udp.UdpTransport().open_server_mode((sys.argv[1], int(sys.argv[2]))))
config.add_v3_user(eng, os.environ["USER_NAME"], config.USM_AUTH_HMAC192_SHA256,
                   os.environ["AUTH_KEY"], config.USM_PRIV_CFB128_AES, os.environ["PRIV_KEY"])
def seen(e, ref, _ceid, _cname, var_binds, _ctx):
    source = e.message_dispatcher.get_transport_info(ref)[1][0]
    print(json.dumps([source] + [v.prettyPrint() for _, v in var_binds]), flush=True)
ntfrcv.NotificationReceiver(eng, seen)
eng.transport_dispatcher.job_started(1)
print("listening", flush=True)
eng.open_dispatcher(float(sys.argv[3]))
"""


def test_devices_send_link_down_and_up_informs_to_the_trap_sink(lab: SessionLab) -> None:
    """linkDown/linkUp as SNMPv3 informs from both ends of a cut circuit (pysnmp receiver)."""
    user = lab.snmp_user("core1")
    port = 16300 + os.getpid() % 500
    env = {
        "USER_NAME": user.user,
        "AUTH_KEY": user.auth_key,
        "PRIV_KEY": user.priv_key,
        "PATH": "/usr/bin:/bin",
    }
    receiver = subprocess.Popen(
        [sys.executable, "-c", RECEIVER, "172.31.255.254", str(port), "60"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert receiver.stdout is not None
        assert receiver.stdout.readline().strip() == "listening", receiver.stderr
        sink = lab_api.TrapSink("172.31.255.254", port)
        lab_api.up(load_inventory(LAB_INVENTORY), lab.state_dir, trap_sink=sink)
        lab.link_down("core1-town2")
        time.sleep(5)
        lab.link_up("core1-town2")
        time.sleep(5)
    finally:
        lab.link_up("core1-town2")
        receiver.send_signal(signal.SIGTERM)
        out, _ = receiver.communicate(timeout=30)
        lab_api.up(load_inventory(LAB_INVENTORY), lab.state_dir)  # back to no sink
    received = [json.loads(line) for line in out.splitlines() if line.startswith("[")]
    link_down, link_up = "1.3.6.1.6.3.1.1.5.3", "1.3.6.1.6.3.1.1.5.4"
    for device, port_name in (("core1", "eth6"), ("town2", "eth1")):
        source, ifname = lab.mgmt_address(device), lab.ifname(device, port_name)
        kinds = [vb[2] for vb in received if vb[0] == source and ifname in vb]
        print(f"\n{device} {ifname}: {kinds}")
        assert link_down in kinds, received
        assert link_up in kinds[kinds.index(link_down) :], received


def test_lab_exec_runs_on_the_device_and_rejects_unknown_devices(lab: SessionLab) -> None:
    proc = run_egovnet(
        "lab",
        "exec",
        "core1",
        "--state-dir",
        str(lab.state_dir),
        "--",
        "vtysh",
        "-c",
        "show ip ospf neighbor",
    )
    assert proc.returncode == 0, proc.stderr
    assert "Full" in proc.stdout
    proc = run_egovnet(
        "lab", "exec", "srv-cloud1", "--state-dir", str(lab.state_dir), "--", "hostname"
    )
    assert proc.stdout.strip() == "srv-cloud1"
    proc = run_egovnet("lab", "exec", "nope", "--state-dir", str(lab.state_dir), "--", "true")
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and "nope" in proc.stderr


def test_up_again_repairs_without_duplicating(lab: SessionLab) -> None:
    before = {(p.node, p.daemon): p.pid for p in lab.state.processes}
    os.kill(before[("town1", "ospfd")], signal.SIGKILL)
    proc = run_egovnet("lab", "up", "--state-dir", str(lab.state_dir), "--json")
    assert proc.returncode == 0, proc.stderr
    after = {(p.node, p.daemon): p.pid for p in lab.state.processes}
    assert after.keys() == before.keys()
    restarted = {k for k in before if before[k] != after[k]}
    assert restarted == {("town1", d) for d in ("zebra", "ospfd", "bfdd", "staticd")}
    assert lab.status().healthy
    namespaces = subprocess.run(
        ["ip", "netns", "list"], capture_output=True, text=True, check=True
    ).stdout
    assert namespaces.count("eg-town1 ") + namespaces.count("eg-town1\n") == 1


def _lab_traces(state_dir: Path) -> list[str]:
    """Anything of the lab in ip netns, ip link, the process table or the mount table."""
    out: list[str] = []
    netns = subprocess.run(
        ["ip", "netns", "list"], capture_output=True, text=True, check=False
    ).stdout
    out += [ln for ln in netns.splitlines() if ln.startswith(("eg-", FABRIC_NAMESPACE))]
    links = subprocess.run(
        ["ip", "-br", "link"], capture_output=True, text=True, check=False
    ).stdout
    out += [ln for ln in links.splitlines() if ln.startswith((MGMT_BRIDGE, "egm"))]
    ps = subprocess.run(
        ["ps", "-eo", "pid,args"], capture_output=True, text=True, check=False
    ).stdout
    out += [ln for ln in ps.splitlines() if str(state_dir) in ln or " -N eg-" in ln]
    mounts = Path("/proc/self/mountinfo").read_text()
    out += [ln for ln in mounts.splitlines() if "/run/netns/eg" in ln or str(state_dir) in ln]
    return out


def test_down_leaves_nothing_and_a_failed_up_cleans_up_after_itself(lab: SessionLab) -> None:
    try:
        proc = run_egovnet("lab", "down", "--state-dir", str(lab.state_dir))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "no lab namespace, link, process or mount is left" in proc.stdout
        assert _lab_traces(lab.state_dir) == []
        # a half-built lab: nothing can be ready in 1 s, so up fails and must undo itself
        proc = run_egovnet("lab", "up", "--state-dir", str(lab.state_dir), "--timeout", "1")
        assert proc.returncode == 1
        errors = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
        assert len(errors) == 1, proc.stderr
        assert "removing what was made" in proc.stderr
        assert _lab_traces(lab.state_dir) == []
    finally:
        lab.ensure_up()
    assert lab.status().healthy


def test_a_second_lab_from_another_state_dir_is_refused(lab: SessionLab, tmp_path: Path) -> None:
    other = Path("/tmp") / f"egovnet-lab-other-{tmp_path.name}"
    other.mkdir(mode=0o755, exist_ok=True)
    try:
        proc = run_egovnet("lab", "up", "--state-dir", str(other))
        assert proc.returncode == 2
        assert "lab down --state-dir" in proc.stderr
        assert lab.status().healthy
    finally:
        subprocess.run(["rm", "-rf", str(other)], check=False)
