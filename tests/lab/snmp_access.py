"""SNMP access of the lab's devices as tests see it, shared by the lab test modules.

The 等保 push takes v2c away from the legacy devices (vil1, vil3); modules that run after a
push give it back with :func:`give_v2c`, through the FRR NAPALM driver as an engineer would.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from tests.lab.conftest import SessionLab

SYS_NAME = ".1.3.6.1.2.1.1.5.0"


def wait_for(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.5)
    return check()


def frr_driver(lab: SessionLab, device: str) -> Any:
    import napalm

    params = lab.netmiko_params(device)
    return napalm.get_network_driver("frr")(
        params["host"], params["username"], params["password"], timeout=30
    )


def v2c_section(lab: SessionLab, device: str) -> str:
    return f"host-service snmpd\n rocommunity {lab.community(device)} 172.31.0.0/16\nexit\n"


def give_v2c(lab: SessionLab, device: str) -> None:
    """The device's v2c community back, merged through the FRR driver as an engineer
    would (the ``host-service snmpd`` context goes to the device agent, not vtysh)."""
    conn = frr_driver(lab, device)
    conn.open()
    try:
        conn.load_merge_candidate(config=v2c_section(lab, device))
        if conn.compare_config():  # empty when the community is there already
            assert "rocommunity" in conn.compare_config(), device
            conn.commit_config()
        assert "rocommunity" in conn.get_config(retrieve="running")["running"]
    finally:
        conn.close()
    assert wait_for(partial(v2c_answers, lab, device), 10), f"{device}: v2c not back"


def legacy(lab: SessionLab) -> list[str]:
    return [d.name for d in lab.inventory.devices if d.legacy_snmp_profile]


def snmpget(lab: SessionLab, device: str, *auth: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["snmpget", *auth, "-t", "1", "-r", "1", "-On", lab.mgmt_address(device), SYS_NAME],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def v3_answers(lab: SessionLab, device: str) -> bool:
    u = lab.snmp_user(device)
    done = snmpget(
        lab,
        device,
        *("-v3", "-l", "authPriv", "-u", u.user, "-a", u.auth_protocol, "-A", u.auth_key),
        *("-x", u.priv_protocol, "-X", u.priv_key),
    )
    return done.returncode == 0 and device in done.stdout


def v2c_answers(lab: SessionLab, device: str) -> bool:
    community = lab.community(device) or "public"
    done = snmpget(lab, device, "-v2c", "-c", community)
    return done.returncode == 0 and device in done.stdout
