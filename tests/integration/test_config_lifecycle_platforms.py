"""The whole ``egovnet config`` lifecycle, the same tests on Huawei VRP5, VRP8 and H3C
Comware 7: the emulations of lab/vendors/ on loopback addresses, SSH on port 22 as in the lab.
FRR passes the same steps in test_automation_config_cli.py, on real FRR devices.

Per platform, one device and a one-device inventory, driven through the real command:
diff -> push -> a second diff is empty; ``push --confirm-within`` without ``confirm`` is
reverted (by egovnet's own timer: these platforms cannot revert by themselves; the change
log says which); ``confirm`` keeps a push; ``rollback`` restores the last backup; a manual change on
the device is drift (exit 3) and lands in the next backup.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest
from netmiko import ConnectHandler

from lab.vendors.device import Port
from lab.vendors.server import DeviceSpec, EmulatedDevice
from tests.conftest import REPO, run_egovnet

#: Netmiko's huawei driver waits 2 s per config-mode check: half a minute per test on a quiet
#: machine, a few on a loaded one
pytestmark = [pytest.mark.integration, pytest.mark.slow]

RECORDED = REPO / "tests" / "golden" / "automation" / "recorded"
EMULATION_USER, EMULATION_PASSWORD = "netops", "emulated-pw"
#: loopback addresses of the emulations (SSH on port 22, as a device in the lab answers)
ADDRESSES = {"vrp5": "127.0.14.5", "vrp8": "127.0.14.8", "cmw": "127.0.14.7"}
#: the confirm window of a push left unconfirmed (it counts from the end of the push)
WINDOW = 8
#: the window of a push that is confirmed: `config confirm` must start within it on a busy CI
CONFIRMED_WINDOW = 30


class DeviceUnderTest(Protocol):
    name: str
    address: str
    spare: str
    ports: list[str]

    def running(self) -> str: ...

    def configure(self, lines: list[str]) -> None:
        """A manual change, as an operator types it in configuration mode."""


@dataclass
class Emulated:
    name: str
    address: str
    spare: str
    ports: list[str]
    emu: EmulatedDevice
    device_type: str
    commit: bool  # VRP8: the change takes effect at `commit`

    def running(self) -> str:
        return self.emu.device.running.render()

    def configure(self, lines: list[str]) -> None:
        conn = ConnectHandler(
            device_type=self.device_type,
            host=self.address,
            username=EMULATION_USER,
            password=EMULATION_PASSWORD,
            fast_cli=False,
        )
        try:
            conn.send_config_set([*lines, *(["commit"] if self.commit else [])])
        finally:
            conn.disconnect()


@dataclass
class Case:
    device: DeviceUnderTest
    platform: str
    credential: tuple[str, str]
    #: the device reverts by itself (else egovnet's timer does)
    reverts_itself: bool
    #: the config line a description becomes in the device's running config
    description: Callable[[str], str]
    #: the loopback the device runs already (a new OSPF router ID is another process)
    loopback: str = "10.255.14.1"


INVENTORY = {
    "profile.yaml": "profile:\n  name: lifecycle\n",
    "policy.yaml": (REPO / "inventory" / "lab" / "policy.yaml").read_text(encoding="utf-8"),
    "sites.yaml": """sites:
  - {id: district-core, name: 武江区电子政务外网核心机房, tier: district_core}
  - {id: town-longgui, name: 龙归镇, tier: town, parent: district-core}
""",
    "links.yaml": "links: []\n",
}


def write_inventory(path: Path, case: Case, spare_description: str) -> None:
    path.mkdir(parents=True, exist_ok=True)
    for name, text in INVENTORY.items():
        (path / name).write_text(text, encoding="utf-8")
    user, _ = case.credential
    (path / "profiles.yaml").write_text(
        f"""snmp_profiles:
  - {{name: noc-v3, version: v3, user: noc, auth_protocol: SHA-256,
     auth_key_env: EGOVNET_SNMP_AUTH_KEY, priv_protocol: AES, priv_key_env: EGOVNET_SNMP_PRIV_KEY}}
credential_profiles:
  - {{name: ops, username: {user}, password_env: EGOVNET_LIFECYCLE_PASSWORD}}
""",
        encoding="utf-8",
    )
    dev = case.device
    # every port, as an inventory lists them: one not listed would be emptied
    ports = ", ".join(
        f"{{name: {p}, description: {spare_description if p == dev.spare else 'unused'}}}"
        for p in dev.ports
    )
    (path / "devices.yaml").write_text(
        f"""devices:
  - {{name: {dev.name}, site: town-longgui, role: aggregation, platform: {case.platform},
     mgmt_address: {dev.address}, loopback: {case.loopback}, snmp_profile: noc-v3,
     credential_profile: ops,
     interfaces: [{ports}]}}
""",
        encoding="utf-8",
    )


class Env:
    def __init__(self, tmp: Path, case: Case) -> None:
        self.case = case
        self.device = case.device
        self.inventory = tmp / "inventory"
        #: the same device with another description on its spare port: a second change
        self.changed = tmp / "inventory-changed"
        self.state = tmp / "state"
        write_inventory(self.inventory, case, "spare-port")
        write_inventory(self.changed, case, "reserved-for-village")
        self.env = {
            **os.environ,
            "EGOVNET_LIFECYCLE_PASSWORD": case.credential[1],
            "EGOVNET_USER": "lifecycle-tester",
            "EGOVNET_SNMP_AUTH_KEY": "lifecycle-auth-key",
            "EGOVNET_SNMP_PRIV_KEY": "lifecycle-priv-key",
        }

    def config(
        self, *args: str, expect: int | None = 0, inventory: Path | None = None
    ) -> dict[str, Any]:
        done = run_egovnet(
            "config",
            *args,
            "--inventory",
            str(inventory or self.inventory),
            "--state-dir",
            str(self.state),
            "--json",
            env=self.env,
        )
        if expect is not None:
            assert done.returncode == expect, done.stdout + done.stderr
        report: dict[str, Any] = json.loads(done.stdout)
        report["exit"] = done.returncode
        report["stderr"] = done.stderr
        return report

    def status(self, report: dict[str, Any]) -> str:
        (device,) = report["devices"]
        assert device["device"] == self.device.name
        return str(device["status"])

    def changes(self) -> list[dict[str, Any]]:
        path = self.state / "automation" / "changes.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _emulated(
    name: str, platform: str, recorded: str, old_name: str, ports: list[str], device_type: str
) -> Iterator[Emulated]:
    config = (RECORDED / recorded / "display_current-configuration.txt").read_text("utf-8")
    config = config.replace(f"sysname {old_name}", f"sysname {name}")
    spec = DeviceSpec(
        platform, config, [Port(p) for p in ports], EMULATION_USER, EMULATION_PASSWORD
    )
    try:
        emu = EmulatedDevice(spec, address=ADDRESSES[name], port=22).start()
    except OSError as exc:  # port 22 of a loopback address: taken by a host sshd on 0.0.0.0?
        message = f"cannot start the {platform} emulation on {ADDRESSES[name]}:22: {exc}"
        raise RuntimeError(message) from exc
    try:
        vrp8 = platform.endswith("8")
        yield Emulated(name, ADDRESSES[name], ports[-1], ports, emu, device_type, vrp8)
    finally:
        emu.stop()


def _description(prefix: str) -> Callable[[str], str]:
    return lambda text: f"{prefix}description {text}"


PLATFORMS = ["huawei_vrp5", "huawei_vrp8", "hp_comware"]


@pytest.fixture(scope="module", params=PLATFORMS)
def env(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    tmp = tmp_path_factory.mktemp(f"lifecycle-{request.param}")
    if os.geteuid() != 0:
        pytest.fail("these tests need root (the emulations answer on port 22)")
    if request.param == "hp_comware":
        made = _emulated(
            "cmw",
            "hp_comware",
            "hp_comware",
            "wj-town-xilian",
            [f"GigabitEthernet1/0/{n}" for n in range(1, 9)],  # the ports the config has
            "hp_comware",
        )
    else:
        vrp8 = request.param == "huawei_vrp8"
        made = _emulated(
            "vrp8" if vrp8 else "vrp5",
            "huawei_vrp8" if vrp8 else "huawei_vrp",
            "huawei_vrp",
            "wj-vil-xilian-02",
            ["GigabitEthernet0/0/1", "GigabitEthernet0/0/2"],
            "huawei",
        )
    for device in made:
        credential = (EMULATION_USER, EMULATION_PASSWORD)
        platform = "hp_comware" if request.param == "hp_comware" else "huawei_vrp"
        loopback = "10.255.1.1" if platform == "hp_comware" else "10.255.2.2"
        case = Case(device, platform, credential, False, _description(" "), loopback)
        yield Env(tmp, case)


def wait_for(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return False


def described(env: Env, text: str) -> bool:
    return env.case.description(text) in env.device.running().splitlines()


def test_1_diff_push_and_a_second_diff_is_empty(env: Env) -> None:
    before = env.device.running()
    report = env.config("diff")
    assert env.status(report) == "would-change"
    assert "+  description spare-port" in report["devices"][0]["diff"]
    assert env.device.running() == before  # a diff changes nothing
    assert env.status(env.config("push", "--commit")) == "committed"
    assert described(env, "spare-port")
    assert env.status(env.config("diff")) == "unchanged"
    assert [(c["action"], c["result"]) for c in env.changes()] == [("push", "committed")]


def test_2_unconfirmed_push_is_reverted_and_says_by_whom(env: Env) -> None:
    report = env.config("push", "--commit", "--confirm-within", f"{WINDOW}s", inventory=env.changed)
    assert env.status(report) == "pending-confirm"
    detail = report["devices"][0]["detail"]
    assert described(env, "reserved-for-village")
    if env.case.reverts_itself:
        assert detail.startswith("the device reverts")
    else:
        assert detail.startswith("egovnet's timer (the device cannot) reverts")
    assert wait_for(lambda: described(env, "spare-port"), timeout=WINDOW + 25), "not reverted"
    assert env.status(env.config("diff")) == "unchanged"
    assert env.status(env.config("confirm")) == "nothing-pending"
    last = env.changes()[-1]
    if env.case.reverts_itself:
        assert last["action"] == "push"  # the device reverted; egovnet wrote nothing
    else:
        assert (last["action"], last["device"]) == ("restore", env.device.name)
        assert last["result"] == f"reverted by egovnet: not confirmed within {WINDOW}s"
        assert "reserved-for-village" in last["diff"]
        assert not (env.state / "automation" / "pending" / f"{env.device.name}.json").exists()


def test_3_confirmed_push_stays(env: Env) -> None:
    report = env.config(
        "push", "--commit", "--confirm-within", f"{CONFIRMED_WINDOW}s", inventory=env.changed
    )
    deadline = time.monotonic() + CONFIRMED_WINDOW
    assert env.status(report) == "pending-confirm"
    assert env.status(env.config("confirm", inventory=env.changed)) == "confirmed"
    time.sleep(max(0.0, deadline - time.monotonic()) + 3)
    assert described(env, "reserved-for-village")
    assert env.status(env.config("diff", inventory=env.changed)) == "unchanged"
    assert env.changes()[-1]["action"] == "confirm"


def test_4_rollback_restores_the_last_backup(env: Env) -> None:
    assert env.status(env.config("backup")) == "backed-up"
    backed_up = env.device.running()
    env.device.configure(_by_hand(env, "rolled-back-soon"))
    assert described(env, "rolled-back-soon")
    report = env.config("rollback")
    assert env.status(report) == "rolled-back"
    assert "description rolled-back-soon" in report["devices"][0]["diff"]
    assert described(env, "reserved-for-village") and not described(env, "rolled-back-soon")
    assert _config_lines(env.device.running()) == _config_lines(backed_up)
    assert env.changes()[-1]["action"] == "rollback"
    assert env.status(env.config("rollback")) == "unchanged"


def test_5_manual_change_is_drift_and_lands_in_the_backup(env: Env) -> None:
    def drift(expect: int) -> dict[str, Any]:
        # after test 4 the device runs what the changed inventory intends
        return env.config("drift", expect=expect, inventory=env.changed)

    assert drift(0)["exit"] == 0
    env.device.configure(_by_hand(env, "changed-by-hand"))
    report = drift(3)
    assert env.status(report) == "drift"
    (device,) = report["devices"]
    assert "-  description changed-by-hand" in device["diff"]
    assert "+  description reserved-for-village" in device["diff"]
    assert device["detail"] == "changed since last backup"
    assert env.status(env.config("backup")) == "backed-up"
    repo = env.state / "automation" / "backups"
    saved = subprocess.run(
        ["git", "-C", str(repo), "show", f"HEAD:{env.device.name}.cfg"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "description changed-by-hand" in saved
    assert drift(3)["devices"][0]["detail"] == "as in last backup"


def _by_hand(env: Env, text: str) -> list[str]:
    return [f"interface {env.device.spare}", f"description {text}"]


def _config_lines(text: str) -> list[str]:
    """The config without its time stamps (VRP prints when it was last changed)."""
    return [ln for ln in text.splitlines() if not re.match(r"^!Last configuration", ln)]
