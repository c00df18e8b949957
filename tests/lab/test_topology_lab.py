"""Topology in the running lab (issue 7): LLDP discovery against the intended links, and
``whatif`` predictions against what really happens when links and devices are cut.

All tests share the session's lab (tests/lab/conftest.py); every fault is restored in
``finally``. Discovery reads LLDP the way ``--via auto`` does (lldpcli in the FRR devices'
namespaces, ``display lldp neighbor`` over SSH through TextFSM on the emulated VRP and
Comware devices); one test also reads with lldpcli in every namespace and through the NAPALM
drivers where the platform has one, and expects the same links.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from inventory.models import Role
from lab.lldp import TX_HOLD, TX_INTERVAL_SECONDS
from tests.conftest import run_egovnet
from tests.lab.conftest import SessionLab

pytestmark = pytest.mark.lab

#: LLDP forgets a neighbour after tx-interval x tx-hold without frames; carrier loss is faster.
LLDP_TTL = TX_INTERVAL_SECONDS * TX_HOLD
CLOUD = "cloud1"


def discover(lab: SessionLab, via: str = "auto", *devices: str) -> tuple[int, dict[str, Any]]:
    proc = run_egovnet(
        "topology",
        "discover",
        "--profile",
        "lab",
        "--state-dir",
        str(lab.state_dir),
        "--via",
        via,
        *(arg for device in devices for arg in ("-d", device)),
        "--json",
        timeout=120,
        env=lab.env,
    )
    assert proc.stdout.strip(), f"discover printed nothing: {proc.stderr[-2000:]}"
    return proc.returncode, json.loads(proc.stdout)


def link_states(report: dict[str, Any]) -> dict[str, str]:
    return {link["link"]: link["state"] for link in report["links"]}


def wait_discovery(lab: SessionLab, want_missing: set[str], timeout: float) -> dict[str, Any]:
    """Discover until exactly ``want_missing`` are missing (bounded); return the last report."""
    deadline = time.monotonic() + timeout
    while True:
        _, report = discover(lab)
        states = link_states(report)
        missing = {k for k, v in states.items() if v != "discovered"}
        if missing == want_missing or time.monotonic() > deadline:
            return report
        time.sleep(1)


def test_discover_matches_intended_links(lab: SessionLab) -> None:
    wait_discovery(lab, set(), timeout=LLDP_TTL + 10)  # a fresh lab: LLDP's first rounds
    rc, report = discover(lab)
    states = link_states(report)
    assert len(states) == len(lab.inventory.links) == 16
    assert [k for k, v in states.items() if v != "discovered"] == []
    assert report["unexpected"] == []
    assert all(d["ok"] for d in report["devices"]), report["devices"]
    sources = {d["device"]: d["source"] for d in report["devices"]}
    assert {sources["dept1"], sources["vil2"]} == {"cli"}  # the emulations, through TextFSM
    assert {s for d, s in sources.items() if d not in ("dept1", "vil2")} == {"lldpcli"}
    assert report["clean"] is True
    assert rc == 0
    # lldpcli in every namespace (beside the emulations too): the same links
    rc, other = discover(lab, "lldpcli")
    assert rc == 0 and link_states(other) == states
    assert {d["source"] for d in other["devices"]} == {"lldpcli"}
    # the NAPALM drivers: egovnet's FRR driver and napalm-huawei-vrp; Comware has none
    rc, napalm = discover(lab, "napalm")
    assert rc == 1
    failed = {d["device"]: d["error"] for d in napalm["devices"] if not d["ok"]}
    assert list(failed) == ["vil2"] and "no NAPALM driver for hp_comware" in str(failed)
    read = [d["device"] for d in napalm["devices"] if d["ok"]]
    rc, napalm = discover(lab, "napalm", *read)
    assert rc == 0 and link_states(napalm) == states
    assert {d["source"] for d in napalm["devices"]} == {"napalm"}


def test_discover_reports_a_cut_link_missing(lab: SessionLab) -> None:
    link = "core2-town1"
    lab.link_down(link)
    try:
        report = wait_discovery(lab, {link}, timeout=LLDP_TTL + 15)
        states = link_states(report)
        assert {k for k, v in states.items() if v != "discovered"} == {link}, states
        assert states[link] == "missing"
        assert report["clean"] is False
        rc, _ = discover(lab)
        assert rc == 1
    finally:
        lab.link_up(link)
    report = wait_discovery(lab, set(), timeout=LLDP_TTL + 15)
    assert report["clean"] is True, link_states(report)


# --- whatif against the lab ---------------------------------------------------------------
def site_devices(lab: SessionLab) -> dict[str, list[str]]:
    """Network devices per site (servers answer through their site's device)."""
    sites: dict[str, list[str]] = {}
    for dev in lab.inventory.devices:
        if dev.role is not Role.server:
            sites.setdefault(dev.site, []).append(dev.name)
    return sites


def loopback(lab: SessionLab, device: str) -> str:
    lo = lab.inventory.device(device).loopback
    assert lo is not None, device
    return str(lo).split("/")[0]


def unreachable_sites(lab: SessionLab) -> set[str]:
    """Sites none of whose devices answer a ping from the cloud's loopback."""
    source = loopback(lab, CLOUD)
    sites = site_devices(lab)
    targets = [d for site, devs in sites.items() for d in devs if CLOUD not in devs]

    def answers(device: str) -> bool:
        proc = lab.exec(
            CLOUD, "ping", "-n", "-q", "-c", "2", "-i", "0.2", "-W", "1", "-I", source,
            loopback(lab, device), timeout=30,
        )  # fmt: skip
        return proc.returncode == 0

    with ThreadPoolExecutor(8) as pool:
        up = dict(zip(targets, pool.map(answers, targets), strict=True))
    return {
        site for site, devs in sites.items() if CLOUD not in devs and not any(up[d] for d in devs)
    }


def predicted(lab: SessionLab, failures: list[str]) -> set[str]:
    args = [a for f in failures for a in ("--fail", f)]
    proc = run_egovnet("topology", "whatif", "--profile", "lab", *args, "--json", timeout=120)
    assert proc.stdout.strip(), proc.stderr[-2000:]
    return {entry["site"]["id"] for entry in json.loads(proc.stdout)["isolated"]}


def wait_unreachable(lab: SessionLab, want: set[str], timeout: float) -> set[str]:
    deadline = time.monotonic() + timeout
    while True:
        seen = unreachable_sites(lab)
        if seen == want or time.monotonic() > deadline:
            return seen
        time.sleep(0.5)


SCENARIOS = {
    "town1": ["town1"],
    "core1": ["core1"],
    "both town1 uplinks": ["core1-town1", "core2-town1"],
    "both cloud backbones": ["core1-cloud1", "core2-cloud1"],
    "dept2 uplink": ["core1-dept2"],
}


def set_failed(lab: SessionLab, failures: list[str], failed: bool) -> None:
    """Cut (``failed``) or restore each named device or link in the lab."""
    devices = {d.name for d in lab.inventory.devices}
    for f in failures:
        if f in devices:
            (lab.device_down if failed else lab.device_up)(f)
        else:
            (lab.link_down if failed else lab.link_up)(f)


@pytest.mark.parametrize("failures", list(SCENARIOS.values()), ids=list(SCENARIOS))
def test_whatif_agrees_with_the_lab(lab: SessionLab, failures: list[str]) -> None:
    expected = predicted(lab, failures)
    assert expected, f"whatif predicts nothing isolated for {failures}"
    assert wait_unreachable(lab, set(), timeout=20) == set(), "lab not healthy before the cut"
    try:
        set_failed(lab, failures, failed=True)
        # OSPF drops at once on carrier loss; allow for SPF and BFD.
        seen = wait_unreachable(lab, expected, timeout=20)
        assert seen == expected, f"fail {failures}: whatif says {expected}, the lab shows {seen}"
    finally:
        set_failed(lab, failures, failed=False)
    restored = wait_unreachable(lab, set(), timeout=30)
    assert restored == set(), f"still unreachable after restoring {failures}: {restored}"
