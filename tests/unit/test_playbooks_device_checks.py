"""等保 checks of network devices on recorded configurations, each beside its expected verdicts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from base.errors import AuditInputError
from inventory.catalog import Inventory
from inventory.models import ManagementPolicy, Platform
from playbooks.assets import extranet
from playbooks.controls import AssetType, controls_for
from playbooks.devices import CONFIG_AUDITS, check_config, check_configs
from playbooks.devices.configtree import ConfigFile, ConfigTree, redact
from playbooks.devices.evaluate import CONFIG_RULES
from playbooks.devices.sources import find_device_files
from playbooks.results import ResultStatus, sha256_text

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "playbooks"
CASES = sorted(
    (platform.name, case.name)
    for platform in FIXTURES.iterdir()
    if platform.is_dir() and platform.name in {p.value for p in CONFIG_AUDITS}
    for case in platform.iterdir()
    if (case / "expected.json").is_file()
)


def _rows(inv: Inventory, platform: str, case: str) -> list:
    spec = CONFIG_AUDITS[Platform(platform)]
    files = find_device_files(FIXTURES / platform, case, spec.files)
    assert files is not None
    return check_config(inv, inv.device("vil1"), files, platform=Platform(platform))


def test_every_platform_has_a_compliant_and_a_noncompliant_recording() -> None:
    for platform in CONFIG_AUDITS:
        cases = {c for p, c in CASES if p == platform.value}
        assert {"compliant", "noncompliant"} <= cases, platform


@pytest.mark.parametrize(("platform", "case"), CASES)
def test_verdicts_match_the_recorded_expectation(
    lab_inventory: Inventory, platform: str, case: str
) -> None:
    expected = json.loads((FIXTURES / platform / case / "expected.json").read_text())
    got = {r.check_id: r.result.value for r in _rows(lab_inventory, platform, case)}
    assert {k: got[k] for k in expected} == expected


@pytest.mark.parametrize(("platform", "case"), CASES)
def test_evidence_names_the_file_by_hash_and_hides_secrets(
    lab_inventory: Inventory, platform: str, case: str
) -> None:
    folder = FIXTURES / platform / case
    for row in _rows(lab_inventory, platform, case):
        assert row.evidence_sha256 == sha256_text(row.evidence_text)
        for item in row.evidence:
            if item.kind.value == "config":
                assert item.sha256 == sha256_text(Path(item.source).read_text(encoding="utf-8"))
                assert Path(item.source).parent == folder
        text = row.evidence_text
        for secret in ("public", "private", "%^%#", "$9$", "$h$", "$c$", "zebra", "Yk3Qn8"):
            assert secret not in text, (row.check_id, secret)


def test_failed_rows_carry_the_platform_command_that_fixes_them(lab_inventory: Inventory) -> None:
    rows = _rows(lab_inventory, "huawei_vrp", "noncompliant")
    ssh = next(r for r in rows if r.check_id == "NET-SSH-ONLY")
    assert ssh.result is ResultStatus.failed
    assert "undo telnet server enable" in ssh.remediation.en
    assert "undo telnet server enable" in ssh.remediation.zh
    ok = next(
        r for r in _rows(lab_inventory, "huawei_vrp", "compliant") if r.check_id == ssh.check_id
    )
    assert "undo telnet" not in ok.remediation.en


def test_the_policy_decides_servers_banner_and_limits(lab_inventory: Inventory) -> None:
    spec = CONFIG_AUDITS[Platform.cisco_ios]
    files = find_device_files(FIXTURES / "cisco_ios", "compliant", spec.files)
    assert files is not None
    facts = spec.parse(files)
    policy = lab_inventory.policy.management
    stricter = ManagementPolicy(
        syslog_servers=[*policy.syslog_servers, "10.200.0.251"],
        ntp_servers=policy.ntp_servers,
        banner="另一条提示",
        idle_timeout_minutes=5,
        login_failures_before_lock=3,
    )
    for check_id in ("NET-SYSLOG", "NET-BANNER", "NET-IDLE-TIMEOUT", "NET-LOCKOUT"):
        assert CONFIG_RULES[check_id](facts, policy).result is ResultStatus.passed
        assert CONFIG_RULES[check_id](facts, stricter).result is ResultStatus.failed, check_id


def test_level_three_adds_two_factor_and_redundancy(lab_inventory: Inventory) -> None:
    spec = CONFIG_AUDITS[Platform.huawei_vrp]
    files = find_device_files(FIXTURES / "huawei_vrp", "compliant", spec.files)
    assert files is not None
    at2 = {
        r.check_id
        for r in check_config(
            lab_inventory, lab_inventory.device("core1"), files, platform=Platform.huawei_vrp
        )
    }
    at3 = check_config(
        lab_inventory,
        lab_inventory.device("core1"),
        files,
        network_level=3,
        platform=Platform.huawei_vrp,
    )
    assert {r.check_id for r in at3} - at2 == {"NET-MFA", "NET-REDUNDANCY"}
    by_id = {r.check_id: r for r in at3}
    assert by_id["NET-MFA"].result is ResultStatus.manual
    assert by_id["NET-REDUNDANCY"].result is ResultStatus.passed  # two cores, two interconnects
    assert by_id["NET-REDUNDANCY"].test_unit_id == "L3-CNS1-05"
    assert {r.test_unit_id[:2] for r in at3} == {"L3"}


def test_redundancy_follows_dual_homing_rules(lab_inventory: Inventory) -> None:
    spec = CONFIG_AUDITS[Platform.hp_comware]
    files = find_device_files(FIXTURES / "hp_comware", "compliant", spec.files)
    assert files is not None

    def verdict(device: str) -> ResultStatus:
        rows = check_config(
            lab_inventory,
            lab_inventory.device(device),
            files,
            network_level=3,
            platform=Platform.hp_comware,
        )
        return next(r.result for r in rows if r.check_id == "NET-REDUNDANCY")

    assert verdict("town1") is ResultStatus.passed  # towns must be dual-homed and are
    assert verdict("dept2") is ResultStatus.not_applicable  # a single-homed, unimportant dept
    assert verdict("vil1") is ResultStatus.not_applicable


def test_rows_use_the_systems_level_and_the_extranet_owner(lab_inventory: Inventory) -> None:
    rows = _rows(lab_inventory, "frr", "compliant")
    assert {r.system_id for r in rows} == {"EXTRANET"}
    assert {r.owner for r in rows} == {extranet(lab_inventory).owner}
    assert {r.asset_type for r in rows} == {AssetType.network_device}
    wanted = {c.check_id for c in controls_for(AssetType.network_device, 2)}
    assert {r.check_id for r in rows} == wanted
    assert all(r.collected_at.tzinfo is not None for r in rows)


def test_a_folder_of_configs_is_checked_and_missing_devices_are_listed(
    lab_inventory: Inventory, tmp_path: Path
) -> None:
    for device, case in (("core1", "compliant"), ("vil1", "noncompliant")):
        target = tmp_path / device
        target.mkdir()
        for file in (FIXTURES / "frr" / case).iterdir():
            if file.name != "expected.json":
                (target / file.name).write_bytes(file.read_bytes())
    audit = check_configs(lab_inventory, tmp_path)
    assert sorted(audit.results) == ["core1", "vil1"]
    network = [d.name for d in lab_inventory.devices if d.role.value != "server"]
    assert sorted(audit.missing) == sorted(set(network) - {"core1", "vil1"})
    failed = {r.check_id for r in audit.results["vil1"] if r.result is ResultStatus.failed}
    assert "NET-SNMPV3" in failed
    assert not [r for r in audit.results["core1"] if r.result is ResultStatus.failed]


def test_missing_frr_files_fail_their_checks_and_say_which_file(
    lab_inventory: Inventory, tmp_path: Path
) -> None:
    (tmp_path / "core1.cfg").write_text(
        (FIXTURES / "frr" / "compliant" / "running-config").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    audit = check_configs(lab_inventory, tmp_path, devices=["core1"])
    rows = {r.check_id: r for r in audit.results["core1"]}
    assert rows["NET-SNMPV3"].result is ResultStatus.failed
    assert "snmpd.conf not collected" in rows["NET-SNMPV3"].evidence_text
    assert "telnet exposure unknown" in rows["NET-SSH-ONLY"].finding
    assert rows["NET-BANNER"].result is ResultStatus.passed


def test_a_config_that_is_not_utf8_is_bad_input(lab_inventory: Inventory, tmp_path: Path) -> None:
    (tmp_path / "vil1.cfg").write_bytes(b"hostname vil1\nbanner motd ^C\xb1\xea\xd7\xbc^C\n")
    with pytest.raises(AuditInputError, match=r"vil1\.cfg:1: not UTF-8"):
        check_configs(lab_inventory, tmp_path, devices=["vil1"])


def test_banners_and_sections_are_read_like_the_device_prints_them() -> None:
    text = (FIXTURES / "hp_comware" / "compliant" / "running-config").read_text(encoding="utf-8")
    tree = ConfigTree(ConfigFile("running-config", "x", text))
    assert tree.banners[0].text == "武江区电子政务外网 - 仅限授权人员访问 / Authorized access only"
    # Comware prints globals indented after '#': they are top level, not children
    assert tree.top_lines(r"^ssh server enable")
    vty = tree.top(r"^line vty ")[0]
    assert [c.line.stripped for c in vty.children] == [
        "authentication-mode scheme",
        "protocol inbound ssh",
        "idle-timeout 10 0",
    ]


@pytest.mark.parametrize(
    ("line", "hidden"),
    [
        ("snmp-agent community read cipher %^%#abc%^%#", "%^%#abc%^%#"),
        ("snmp-server community s3cret RO 10", "s3cret"),
        ("username ops privilege 15 secret 9 $9$xyz", "$9$xyz"),
        (" password hash $h$6$abc==", "$h$6$abc=="),
        ("createUser noc SHA-256 authkey123 AES privkey456", "authkey123"),
        ("createUser noc SHA-256 authkey123 AES privkey456", "privkey456"),
        ("com2sec ro default c0mmunity", "c0mmunity"),
        ("enable password zebra", "zebra"),
    ],
)
def test_redact_masks_secrets(line: str, hidden: str) -> None:
    masked = redact(line)
    assert hidden not in masked
    assert "******" in masked
    assert re.sub(r"\S+", "w", masked) == re.sub(r"\S+", "w", line)


def test_redact_masks_both_keys_of_a_comware_usm_user() -> None:
    line = (
        " snmp-agent usm-user v3 noc grp cipher authentication-mode sha256 $c$3$AAA "
        "privacy-mode aes128 $c$3$BBB"
    )
    masked = redact(line)
    assert "$c$3$AAA" not in masked and "$c$3$BBB" not in masked
    assert "authentication-mode sha256 ******" in masked
    assert "privacy-mode aes128 ******" in masked
