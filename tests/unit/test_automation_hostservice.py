"""FRR host services as configuration: snmpd's v1/v2c access in diffs, commands and files."""

from __future__ import annotations

from pathlib import Path

import pytest

from automation.confdiff import diff_text
from automation.frr import hostservice
from automation.syntaxes import FRR

pytestmark = pytest.mark.unit

VTYSH = """hostname vil1
!
interface eth1
 ip ospf cost 10
exit
!
"""
LEGACY = "host-service snmpd\n rocommunity public 172.31.0.0/16\nexit\n!\n"
BASELINE = "host-service snmpd\nexit\n!\n"


def test_a_v2c_community_on_the_device_is_a_removal_in_the_diff() -> None:
    change = diff_text(VTYSH + LEGACY, VTYSH + BASELINE, FRR)
    assert change.unified() == "  host-service snmpd\n-  rocommunity public 172.31.0.0/16\n"


def test_host_contexts_never_reach_vtysh_but_are_reported_touched() -> None:
    intended = VTYSH.replace("cost 10", "cost 20") + BASELINE
    change = diff_text(VTYSH + LEGACY, intended, FRR)
    cli, touched = change.split(FRR.is_host_context)
    commands = cli.commands(FRR)
    assert commands == [
        "interface eth1",
        "no ip ospf cost 10",
        "exit",
        "interface eth1",
        "ip ospf cost 20",
        "exit",
    ]
    assert not any("snmpd" in c or "community" in c for c in commands)
    assert touched == {("host-service snmpd",)}


def test_a_device_that_does_not_show_the_service_is_not_managed() -> None:
    # no agent (or an agent without --snmpd-access): the running config has no such context
    assert diff_text(VTYSH, VTYSH + BASELINE, FRR).empty


def test_an_intent_without_the_service_leaves_it_alone() -> None:
    assert diff_text(VTYSH + LEGACY, VTYSH, FRR).empty


def test_platforms_without_host_contexts_treat_the_words_as_cli() -> None:
    from automation.syntaxes import CISCO_IOS

    change = diff_text("hostname a\n", "hostname a\n" + BASELINE, CISCO_IOS)
    assert change.new_contexts == [("host-service snmpd",)]


def test_access_file_round_trip_is_atomic_and_normalised(tmp_path: Path) -> None:
    path = tmp_path / "snmpd-access.conf"
    path.write_text("# old\nrocommunity old 10.0.0.0/8\n", encoding="utf-8")
    written = hostservice.write_snmpd_access(path, ["rocommunity public 172.31.1.9/16", ""])
    assert written == ["rocommunity public 172.31.0.0/16"]
    assert hostservice.read_snmpd_access(path) == written
    assert path.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob(".*tmp"))
    assert hostservice.render(hostservice.SNMPD, written) == LEGACY


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("rwcommunity private 10.0.0.0/8", "expected 'rocommunity COMMUNITY SOURCE'"),
        ("rocommunity pub lic 10.0.0.0/8", "expected 'rocommunity COMMUNITY SOURCE'"),
        ("rocommunity pub;lic 10.0.0.0/8", "community: letters, digits"),
        ("rocommunity public 10.0.0.300/8", "source '10.0.0.300/8'"),
    ],
)
def test_bad_lines_are_refused_and_the_file_is_untouched(
    tmp_path: Path, line: str, words: str
) -> None:
    path = tmp_path / "snmpd-access.conf"
    path.write_text("rocommunity keep 10.0.0.0/8\n", encoding="utf-8")
    with pytest.raises(hostservice.HostServiceError, match=words.replace("(", r"\(")):
        hostservice.write_snmpd_access(path, ["rocommunity ok 10.1.0.0/16", line])
    assert path.read_text(encoding="utf-8") == "rocommunity keep 10.0.0.0/8\n"
