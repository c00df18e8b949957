"""What each lab daemon is told: read as an engineer reviewing the generated configs."""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory.catalog import Inventory
from lab import frr, lldp, snmpd, sshd
from lab.credentials import SnmpV3User
from lab.plan import plan_lab

pytestmark = pytest.mark.unit

USER = SnmpV3User("noc", "SHA-256", "authkey-123456", "AES", "privkey-123456")
ACCESS = Path("/s/agent/snmpd-access.conf")


def test_frr_runs_ospf_with_bfd_on_every_link_and_advertises_lan_and_loopback(
    lab_inventory: Inventory,
) -> None:
    plan = plan_lab(lab_inventory)
    text = frr.render(plan, plan.node("dept1"))
    for port in plan.node("dept1").ports:
        block = text.split(f"interface {port.ifname}\n", 1)[1].split("exit", 1)[0]
        assert "ip ospf network point-to-point" in block
        assert "ip ospf bfd" in block
        assert f"ip address {port.address}" in block
    assert "interface lan0\n" in text and "ip address 10.210.1.1/24" in text
    assert " passive-interface lan0" in text
    assert "ip address 10.255.0.31/32" in text
    assert "hostname dept1" in text


def test_boot_slices_add_up_to_the_integrated_config(lab_inventory: Inventory) -> None:
    plan = plan_lab(lab_inventory)
    cfg = frr.config(plan, plan.node("core1"))
    integrated = cfg.integrated().splitlines()
    slices = {d: cfg.daemon(d).splitlines() for d in frr.DAEMONS}
    body = [ln for ln in integrated if ln.startswith("  ") or ln.startswith(" ip ")]
    for line in body:
        owners = [d for d, lines in slices.items() if line in lines]
        assert owners, f"{line!r} is in no daemon's slice"
    assert not any("ip ospf" in ln for ln in slices["zebra"])
    assert not any("ip address" in ln for ln in slices["ospfd"])


def test_snmp_v2c_only_for_devices_with_a_legacy_profile(lab_inventory: Inventory) -> None:
    plan = plan_lab(lab_inventory)
    text = snmpd.render(
        plan.node("vil1"),
        location="x",
        user=USER,
        trap_sink=None,
        iquery_key="k" * 12,
        access_file=ACCESS,
    )
    assert "includeFile /s/agent/snmpd-access.conf" in text
    assert "community" not in text.lower()
    assert "rouser noc authpriv" in text
    assert "agentAddress udp:172.31.250." in text
    assert "trapsess" not in text
    assert "rocommunity c0mmunity 172.31.0.0/16" in snmpd.render_access("c0mmunity")
    assert "rocommunity" not in snmpd.render_access(None)


def test_trap_sink_makes_devices_report_link_changes(lab_inventory: Inventory) -> None:
    plan = plan_lab(lab_inventory)
    inform = snmpd.render(
        plan.node("core1"),
        location="x",
        user=USER,
        trap_sink=snmpd.TrapSink.parse("172.31.255.254:1162"),
        iquery_key="k" * 12,
        access_file=ACCESS,
    )
    assert "trapsess -Ci" in inform and "udp:172.31.255.254:1162" in inform
    assert snmpd.LINK_DOWN in inform and snmpd.LINK_UP in inform
    trap = snmpd.render(
        plan.node("core1"),
        location="x",
        user=USER,
        trap_sink=snmpd.TrapSink.parse("172.31.255.254:1162", "trap"),
        iquery_key="k" * 12,
        access_file=ACCESS,
    )
    assert "trapsess -v 3" in trap
    with pytest.raises(ValueError, match="HOST:PORT"):
        snmpd.TrapSink.parse("172.31.255.254:99999")


def test_ssh_sessions_land_in_the_device_agent_of_their_own_device(
    lab_inventory: Inventory,
) -> None:
    plan = plan_lab(lab_inventory)
    node = plan.node("town1")
    agent = sshd.agent_command(node, Path("/s/agent"), Path("/s/lldpd.socket"))
    text = sshd.render_device(
        node, Path("/k"), Path("/a"), Path("/b"), ["netops"], force_command=agent
    )
    assert (
        f"ForceCommand env PYTHONPATH={sshd.REPO} /usr/bin/python3 -m automation.frr.agent"
        " --pathspace eg-town1 --state-dir /s/agent --lldpd-socket /s/lldpd.socket"
    ) in text
    assert "ListenAddress 172.31.250.11:22" in text
    assert "PermitRootLogin no" in text and "AllowUsers netops" in text


def test_lldp_speaks_on_link_ports_only(lab_inventory: Inventory) -> None:
    plan = plan_lab(lab_inventory)
    text = lldp.render(plan.node("dept1"))
    assert "configure system interface pattern eth1,eth2" in text
    assert "mgmt0" not in text.split("pattern", 1)[1].splitlines()[0]
