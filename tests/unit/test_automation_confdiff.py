"""Running vs intended per context, and the commands that converge them."""

from __future__ import annotations

import pytest

from automation import syntaxes
from automation.confdiff import diff_text, parse

pytestmark = pytest.mark.unit

# the shape FRR 8.4's `show running-config` prints (exit after every context, " !" inside)
FRR_RUNNING = """Building configuration...

Current configuration:
!
frr version 8.4.4
frr defaults traditional
hostname core1
service password-encryption
service password-encryption
no ipv6 forwarding
service integrated-vtysh-config
!
interface eth1
 description old text
 ip address 10.1.0.1/30
 ip ospf cost 50
exit
!
interface eth9
 ip address 10.9.9.1/30
exit
!
interface mgmt0
 ip address 172.31.250.1/24
exit
!
router ospf
 ospf router-id 10.255.0.1
 network 10.1.0.0/30 area 0
exit
!
router bgp 65001
 neighbor 10.1.0.2 remote-as 65002
exit
!
bfd
 profile lab-fast
  receive-interval 100
 exit
 !
exit
!
end
"""

FRR_INTENDED = """hostname core1
no ipv6 forwarding
service integrated-vtysh-config
!
interface eth1
 description [A] 龙归镇 SGWJ-DX-0101 中国电信 to town1 eth1
 ip address 10.1.0.1/30
 ip ospf cost 10
exit
!
router ospf
 ospf router-id 10.255.0.1
 network 10.1.0.0/30 area 0.0.0.0
exit
!
bfd
 profile egovnet
  receive-interval 100
 exit
 !
exit
!
end
"""


def test_parse_frr_contexts_nested_and_deduplicated() -> None:
    tree = parse(FRR_RUNNING, syntaxes.FRR)
    assert tree.lines(()) == [
        "hostname core1",
        "service password-encryption",
        "no ipv6 forwarding",
        "service integrated-vtysh-config",
    ]
    assert tree.lines(("bfd", "profile lab-fast")) == ["receive-interval 100"]
    assert ("bfd",) in tree.contexts
    assert "frr version 8.4.4" not in tree.render()


def test_identical_configs_in_another_order_have_no_change() -> None:
    shuffled = FRR_RUNNING.replace(
        " ip address 10.1.0.1/30\n ip ospf cost 50\n", " ip ospf cost 50\n ip address 10.1.0.1/30\n"
    )
    assert diff_text(FRR_RUNNING, shuffled, syntaxes.FRR).empty


def test_frr_change_and_commands() -> None:
    protect = lambda ctx, line: "172.31.250.1" in line  # noqa: E731
    change = diff_text(FRR_RUNNING, FRR_INTENDED, syntaxes.FRR, protect)
    assert change.removed[("interface eth1",)] == ["description old text", "ip ospf cost 50"]
    assert change.added[("interface eth1",)] == [
        "description [A] 龙归镇 SGWJ-DX-0101 中国电信 to town1 eth1",
        "ip ospf cost 10",
    ]
    # an interface cannot be deleted, only emptied; the management address is kept
    assert change.removed[("interface eth9",)] == ["ip address 10.9.9.1/30"]
    assert ("interface mgmt0",) not in change.removed
    assert ("interface mgmt0",) not in change.deleted_contexts
    # other contexts go whole
    assert ("router bgp 65001",) in change.deleted_contexts
    assert ("bfd", "profile lab-fast") in change.deleted_contexts
    cmds = change.commands(syntaxes.FRR)
    assert cmds.index("no ip ospf cost 50") < cmds.index("ip ospf cost 10")
    assert "no description" in cmds  # bare negation
    assert "service password-encryption" not in cmds
    assert "no service password-encryption" in cmds
    i = cmds.index("no router bgp 65001")
    assert cmds[i - 1] != "router bgp 65001"  # deleted from the top, not from inside
    j = cmds.index("no profile lab-fast")
    assert cmds[j - 1] == "bfd" and cmds[j + 1] == "exit"
    k = cmds.index("profile egovnet")
    assert cmds[k - 1] == "bfd" and cmds[k + 1 : k + 4] == ["receive-interval 100", "exit", "exit"]
    # every block enters and leaves its context: depth never goes below zero
    unified = change.unified()
    assert "-  ip ospf cost 50" in unified and "+  ip ospf cost 10" in unified
    assert "- router bgp 65001" in unified


def test_negating_a_no_line_reenables() -> None:
    change = diff_text("no ip forwarding\n", "", syntaxes.FRR)
    assert change.commands(syntaxes.FRR) == ["ip forwarding"]


def test_secret_markers_match_device_ciphertext() -> None:
    running = "#\n snmp-agent usm-user v3 noc authentication-mode sha2-256 cipher %^%#x1%^%#\n#\n"
    intended = " snmp-agent usm-user v3 noc authentication-mode sha2-256 <<secret:K>>\n"
    assert diff_text(running, intended, syntaxes.HUAWEI_VRP).empty
    missing = diff_text("#\n", intended, syntaxes.HUAWEI_VRP)
    assert missing.added[()] == [intended.strip()]


def test_lines_the_device_never_prints_are_not_compared() -> None:
    intended = "snmp-server user noc EGOV-NOC v3 auth sha <<secret:A>> priv aes 128 <<secret:P>>\n"
    assert diff_text("", intended, syntaxes.CISCO_IOS).empty


def test_huawei_separators_close_contexts_and_undo_quit() -> None:
    running = """#
 sysname old
#
interface GE0/0/1
 description x
 ip address 10.0.0.1 255.255.255.252
#
 snmp-agent community read cipher %^%#abc%^%#
#
return
"""
    intended = """#
 sysname new
#
interface GE0/0/1
 ip address 10.0.0.1 255.255.255.252
#
return
"""
    tree = parse(running, syntaxes.HUAWEI_VRP)
    assert "snmp-agent community read cipher %^%#abc%^%#" in tree.lines(())
    change = diff_text(running, intended, syntaxes.HUAWEI_VRP)
    cmds = change.commands(syntaxes.HUAWEI_VRP)
    assert cmds == [
        "undo sysname",
        "undo snmp-agent community read cipher %^%#abc%^%#",
        "interface GE0/0/1",
        "undo description",
        "quit",
        "sysname new",
    ]


@pytest.mark.parametrize("syntax", [syntaxes.HUAWEI_VRP, syntaxes.HP_COMWARE], ids=["vrp", "cmw"])
def test_an_empty_physical_interface_is_never_deleted(syntax: syntaxes.ConfigSyntax) -> None:
    # the device prints every port, an empty one as a bare line; a port the intent does not
    # list is emptied at most: `undo interface GigabitEthernet0/0/2` is refused on a device
    # ("The interface cannot be deleted"), which failed a restore half-way through a push
    running = """#
 sysname dev
#
interface GigabitEthernet0/0/1
 description uplink
#
interface GigabitEthernet0/0/2
#
interface GigabitEthernet0/0/3
 description left over
#
return
"""
    intended = """#
 sysname dev
#
interface GigabitEthernet0/0/1
 description uplink
#
return
"""
    change = diff_text(running, intended, syntax)
    assert change.commands(syntax) == [
        "interface GigabitEthernet0/0/3",
        "undo description",
        "quit",
    ]
    assert "interface GigabitEthernet0/0/2" not in change.unified()


@pytest.mark.parametrize("syntax", [syntaxes.HUAWEI_VRP, syntaxes.HP_COMWARE], ids=["vrp", "cmw"])
def test_an_undo_line_the_intent_does_not_mention_is_never_flipped(
    syntax: syntaxes.ConfigSyntax,
) -> None:
    # "removing" `undo shutdown` would type `shutdown`: the port would go down. A real
    # Comware config prints many such lines (`undo info-center logfile enable`)
    running = """#
 undo info-center logfile enable
#
interface GigabitEthernet0/0/1
 undo shutdown
 description uplink
#
interface GigabitEthernet0/0/3
 undo shutdown
 description left over
#
return
"""
    intended = """#
interface GigabitEthernet0/0/1
 description uplink
#
return
"""
    change = diff_text(running, intended, syntax)
    commands = change.commands(syntax)
    assert "shutdown" not in commands and "info-center logfile enable" not in commands
    assert commands == ["interface GigabitEthernet0/0/3", "undo description", "quit"]
    # an intent that wants the port down still gets it
    down = intended.replace(" description uplink", " description uplink\n shutdown")
    assert diff_text(running, down, syntax).commands(syntax) == [
        "interface GigabitEthernet0/0/3",
        "undo description",
        "quit",
        "interface GigabitEthernet0/0/1",
        "shutdown",
        "quit",
    ]
