"""Emulated Huawei VRP and H3C Comware devices (lab/vendors/, on fakenos) driven over SSH on
127.0.0.1 by the libraries egovnet uses in production: Netmiko ``huawei`` and ``hp_comware``,
napalm-huawei-vrp, and egovnet's own session layer (automation/sessions.py).

The devices start from real or recorded configs (tests/fixtures/captures/,
tests/golden/automation/recorded/) and answer in the captured formats; what the libraries
read back is parsed with the same parsers as captured output.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import napalm
import paramiko
import pytest
from netmiko import ConnectHandler
from ntc_templates.parse import parse_output

from automation.intent import build_intent
from automation.platforms import platform_spec
from automation.render import Renderer
from automation.sessions import SessionTarget, open_session
from inventory.catalog import Inventory
from inventory.models import Platform
from lab.vendors.device import LldpNeighbor, Port
from lab.vendors.server import DeviceSpec, EmulatedDevice
from topology.discovery.platforms import LLDP_COMMANDS as LLDP

pytestmark = pytest.mark.integration

TESTS = Path(__file__).resolve().parents[1]
RECORDED = TESTS / "golden" / "automation" / "recorded"
CAPTURES = TESTS / "fixtures" / "captures"
USER, PASSWORD = "netops", "emulated-pw"

VRP_CONFIG = (RECORDED / "huawei_vrp" / "display_current-configuration.txt").read_text("utf-8")
CMW_CONFIG = (RECORDED / "hp_comware" / "display_current-configuration.txt").read_text("utf-8")
VRP_PORTS = [Port("GigabitEthernet0/0/1"), Port("GigabitEthernet0/0/2", up=False)]
CMW_PORTS = [Port(f"GigabitEthernet1/0/{n}") for n in range(1, 5)]
TOWN = LldpNeighbor(
    "GigabitEthernet0/0/1",
    "wj-town-xilian",
    "GigabitEthernet1/0/4",
    chassis_id="70ba-ef12-3400",
    mgmt_address="172.31.1.1",
)
CORE = LldpNeighbor(
    "GigabitEthernet1/0/1",
    "wj-core1",
    "10GE1/0/6",
    chassis_id="4c1f-cc3a-8e10",
    mgmt_address="172.31.0.11",
)


def _device(
    platform: str, config: str, ports: list[Port], *neighbors: LldpNeighbor
) -> Iterator[EmulatedDevice]:
    with EmulatedDevice(
        DeviceSpec(platform, config, ports, USER, PASSWORD, list(neighbors))
    ) as emu:
        yield emu


@pytest.fixture
def vrp() -> Iterator[EmulatedDevice]:
    yield from _device("huawei_vrp", VRP_CONFIG, VRP_PORTS, TOWN)


@pytest.fixture
def vrp8() -> Iterator[EmulatedDevice]:
    yield from _device("huawei_vrp8", VRP_CONFIG, VRP_PORTS, TOWN)


@pytest.fixture
def comware() -> Iterator[EmulatedDevice]:
    yield from _device("hp_comware", CMW_CONFIG, CMW_PORTS, CORE)


def _netmiko(emu: EmulatedDevice, device_type: str):  # type: ignore[no-untyped-def]
    return ConnectHandler(
        device_type=device_type,
        host=emu.address,
        port=emu.port,
        username=USER,
        password=PASSWORD,
        # Netmiko's careful timing, as users of real VRP/Comware set it for slow devices
        fast_cli=False,
        # hp_comware turns echo checks off, and then a late prompt from Netmiko's own prompt
        # probing can end a read with nothing on a loaded machine
        # (test_a_slow_device_does_not_cut_the_running_config_short); egovnet reads with them
        # on, and so do these tests of what the emulation answers
        global_cmd_verify=True if device_type == "hp_comware" else None,
    )


def _raw_session(emu: EmulatedDevice) -> tuple[paramiko.SSHClient, paramiko.Channel]:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(emu.address, emu.port, USER, PASSWORD, look_for_keys=False, allow_agent=False)
    channel = client.invoke_shell()
    channel.settimeout(10)
    return client, channel


def _read_until(channel: paramiko.Channel, pattern: str, timeout: float = 10) -> str:
    data = b""
    deadline = time.monotonic() + timeout
    while not re.search(pattern, data.decode("utf-8", "replace")):
        if time.monotonic() > deadline:
            raise AssertionError(f"{pattern!r} not seen in {data!r}")
        if channel.recv_ready():
            data += channel.recv(65536)
        else:
            time.sleep(0.02)
    return data.decode("utf-8")


def test_vrp_through_netmiko_huawei(vrp: EmulatedDevice) -> None:
    conn = _netmiko(vrp, "huawei")
    try:
        assert conn.find_prompt() == "<wj-vil-xilian-02>"
        version = parse_output(
            "huawei_vrp", "display version", conn.send_command("display version")
        )
        assert version[0]["model"] == "S5735-L24T4X-A1"
        assert version[0]["vrp_version"] == "5.170"
        brief = parse_output(
            "huawei_vrp", "display interface brief", conn.send_command("dis int br")
        )
        assert {r["interface"]: r["phy"] for r in brief} == {
            "GigabitEthernet0/0/1": "up",
            "GigabitEthernet0/0/2": "down",
            "LoopBack0": "up",
        }
        neighbours = LLDP[Platform.huawei_vrp].parse(conn.send_command("display lldp neighbor"))
        assert [(n.local_interface, n.remote_system, n.remote_port) for n in neighbours] == [
            ("GigabitEthernet0/0/1", "wj-town-xilian", "GigabitEthernet1/0/4")
        ]
        # "!Last configuration was updated at": the last change, not the time of reading
        stamp = conn.send_command("display current-configuration").splitlines()[1]
        assert stamp.startswith("!Last configuration was updated at ")
        time.sleep(1.1)
        assert conn.send_command("display current-configuration").splitlines()[1] == stamp
        out = conn.send_config_set(
            [
                "interface GigabitEthernet0/0/2",
                "description to wj-vil-new",
                "shutdown",
                "quit",
                "undo telnet server enable",
                "info-center loghost 10.200.0.248",
            ]
        )
        assert "[wj-vil-xilian-02-GigabitEthernet0/0/2]" in out
        running = conn.send_command("display current-configuration")
        assert running.splitlines()[1] > stamp  # the change moved it
        assert "\ntelnet server enable" not in running
        loghosts = [ln for ln in running.splitlines() if ln.startswith("info-center loghost 1")]
        assert loghosts[-1] == "info-center loghost 10.200.0.248"  # beside the other two
        assert "interface GigabitEthernet0/0/2\n description to wj-vil-new\n shutdown" in running
        brief = conn.send_command("display interface brief")
        assert re.search(r"GigabitEthernet0/0/2\s+\*down", brief)
        error = conn.send_command("display interfce brief")
        assert error.splitlines() == [
            " " * (len("<wj-vil-xilian-02>") + len("display ")) + "^",
            "Error: Unrecognized command found at '^' position.",
        ]
        assert "info-center loghost 10.200.0.248" not in vrp.device.saved
        assert "successfully" in conn.save_config()
        assert "info-center loghost 10.200.0.248" in vrp.device.saved
    finally:
        conn.disconnect()


def test_comware_through_netmiko_hp_comware(comware: EmulatedDevice) -> None:
    conn = _netmiko(comware, "hp_comware")
    try:
        assert conn.find_prompt() == "<wj-town-xilian>"
        brief = parse_output(
            "hp_comware", "display interface brief", conn.send_command("display interface brief")
        )
        assert {r["interface"]: r["link"] for r in brief}["GE1/0/1"] == "UP"
        verbose = conn.send_command("display lldp neighbor-information verbose")
        neighbours = LLDP[Platform.hp_comware].parse(verbose)
        assert [(n.local_interface, n.remote_system, n.remote_port) for n in neighbours] == [
            ("GigabitEthernet1/0/1", "wj-core1", "10GE1/0/6")
        ]
        listed = parse_output(
            "hp_comware",
            "display lldp neighbor-information list",
            conn.send_command("display lldp neighbor-information list"),
        )
        assert listed[0]["local_interface"] == "GE1/0/1"
        conn.send_config_set(
            ["line vty 0 63", "undo idle-timeout 30 0", "idle-timeout 10 0", "quit", "vlan 120"]
        )
        running = conn.send_command("display current-configuration")
        assert re.search(r"line vty 0 63\n(?: .*\n)* idle-timeout 10 0\n", running)
        assert "idle-timeout 30 0" not in running
        assert "\nvlan 120\n" in running
        error = conn.send_command("display lldp neighbour-information list")
        assert error.splitlines()[-1] == " % Unrecognized command found at '^' position."
        assert "successfully" in conn.save_config()  # Netmiko sends `save force`
        assert "vlan 120" in comware.device.saved
    finally:
        conn.disconnect()


def test_comware_session_bytes_match_the_captured_s5130(comware: EmulatedDevice) -> None:
    """Banner, ``\\r\\n`` and prompts as in the captured S5130 session; paging until
    ``screen-length disable``."""
    client, channel = _raw_session(comware)
    try:
        login = _read_until(channel, r"<wj-town-xilian>$")
        assert login.startswith("*" * 78 + "\r\n")
        assert "\r\n\r\n<wj-town-xilian>" in login
        channel.send(b"display current-configuration\r")
        page = _read_until(channel, r"---- More ----$")
        assert page.startswith("display current-configuration\r\n#\r\n version 7.1.070")
        assert "\n" not in page.replace("\r\n", "")  # every line ends in \r\n
        assert len(page.split("\r\n")) == 24 + 2  # the echo, one page, the More line
        channel.send(b"q\r")
        _read_until(channel, r"<wj-town-xilian>$")
        channel.send(b"screen-length disable\r")
        _read_until(channel, r"screen-length disable\r\n<wj-town-xilian>$")
        channel.send(b"display current-configuration\r")
        whole = _read_until(channel, r"\r\nreturn\r\n<wj-town-xilian>$")
        assert "More" not in whole
    finally:
        client.close()


def test_vrp8_two_stage_commit_and_rollback(vrp8: EmulatedDevice) -> None:
    client, channel = _raw_session(vrp8)
    try:
        _read_until(channel, r"<wj-vil-xilian-02>$")
        channel.send(b"system-view\r")
        _read_until(channel, r"\[~wj-vil-xilian-02\]$")
        channel.send(b"sysname wj-vil-renamed\r")
        # pending: the prompt says so, and keeps the running name until the commit
        _read_until(channel, r"\[\*wj-vil-xilian-02\]$")
        assert vrp8.device.sysname == "wj-vil-xilian-02"
        channel.send(b"commit\r")
        _read_until(channel, r"\[~wj-vil-renamed\]$")
        assert vrp8.device.sysname == "wj-vil-renamed"
        channel.send(b"info-center loghost 10.9.9.9\r")
        _read_until(channel, r"\[\*wj-vil-renamed\]$")
        channel.send(b"return\r")
        _read_until(
            channel, r"Uncommitted configurations found.*\[Y\(yes\)/N\(no\)/C\(cancel\)\]:$"
        )
        channel.send(b"n\r")
        _read_until(channel, r"<wj-vil-renamed>$")
        assert "10.9.9.9" not in vrp8.device.running.render()  # discarded
        channel.send(b"rollback configuration last 1\r")
        _read_until(channel, r"Succeeded in rolling back configuration\.\r\n<wj-vil-xilian-02>$")
        assert vrp8.device.sysname == "wj-vil-xilian-02"
    finally:
        client.close()


def test_napalm_huawei_vrp_lifecycle_on_vrp8(vrp8: EmulatedDevice) -> None:
    driver = napalm.get_network_driver("huawei_vrp")(
        vrp8.address, USER, PASSWORD, optional_args={"port": vrp8.port}
    )
    driver.open()
    try:
        facts = driver.get_facts()
        assert facts["hostname"] == "wj-vil-xilian-02"
        assert facts["interface_list"] == [
            "GigabitEthernet0/0/1",
            "GigabitEthernet0/0/2",
            "LoopBack0",
        ]
        assert facts["serial_number"] == [vrp8.device.model.esn]
        driver.load_merge_candidate(
            config="interface GigabitEthernet0/0/2\n description napalm\nquit\n"
        )
        assert "description napalm" in driver.compare_config()
        driver.commit_config()
        running = driver.get_config(retrieve="running")["running"]
        assert "interface GigabitEthernet0/0/2\n description napalm" in running
        assert "description napalm" in vrp8.device.saved  # committed, then saved
        driver.rollback()  # `rollback configuration to file` of the backup it saved first
        assert "napalm" not in driver.get_config(retrieve="running")["running"]
    finally:
        driver.close()


@pytest.mark.parametrize(
    ("platform", "name", "config", "ports"),
    [
        (Platform.huawei_vrp, "wj-vil-xilian-02", VRP_CONFIG, VRP_PORTS),
        (Platform.hp_comware, "wj-town-xilian", CMW_CONFIG, CMW_PORTS),
    ],
    ids=["huawei_vrp", "hp_comware"],
)
def test_egovnet_sessions_converge_and_a_second_diff_is_empty(
    district_inventory: Inventory, platform: Platform, name: str, config: str, ports: list[Port]
) -> None:
    device = district_inventory.device(name)
    intended = Renderer().render(build_intent(district_inventory, device, platform)).text
    spec = platform_spec(platform)
    with EmulatedDevice(DeviceSpec(platform.value, config, ports, USER, PASSWORD)) as emu:
        target = SessionTarget(
            name=name, host=emu.address, username=USER, password=PASSWORD, port=emu.port
        )
        with open_session(spec, target) as session:
            running = session.running_config()
            change = session.change(running, intended)
            assert "telnet server enable" in change.unified()
            session.apply(running, intended)
        assert not re.search(r"^ ?telnet server enable", emu.device.running.render(), re.M)
        assert emu.device.saved == emu.device.running.render()
        with open_session(spec, target) as session:
            assert session.change(session.running_config(), intended).empty


def test_a_slow_device_does_not_cut_the_running_config_short(comware: EmulatedDevice) -> None:
    # a device that takes longer to answer than Netmiko waits for a prompt gets a second
    # newline, and its second prompt arrives after Netmiko has read the first. Netmiko's
    # hp_comware turns its command echo checks off, so without them the config read ended at
    # that late prompt and came back empty: a diff then saw every line as new
    spec = platform_spec(Platform.hp_comware)
    target = SessionTarget(
        name="wj-town-xilian",
        host=comware.address,
        username=USER,
        password=PASSWORD,
        port=comware.port,
    )
    with open_session(spec, target) as session:
        comware.device.answer_delay = 0.4
        running = session.running_config()
    assert running.rstrip().endswith("return")
    assert "sysname wj-town-xilian" in running
    assert "telnet server enable" in running
