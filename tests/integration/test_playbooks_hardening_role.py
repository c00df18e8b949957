"""The hardening role on a real (throwaway) server, through ``egovnet audit run``.

The server is a copy-on-write root of this host in its own namespaces (playbooks_target.py),
reached over SSH as an administrator with sudo, like the lab's servers. The test walks the
issue's story: audit a fresh server (expected failures, nothing changed), try the login
lockout, remediate, audit again (every automated control passes), remediate again (zero
changes), and the lockout now locks. The host's own files are checksummed before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import paramiko
import pytest
import yaml

from tests.conftest import LAB_INVENTORY, run_egovnet
from tests.integration.playbooks_target import TARGET_ADDRESS, SshTarget

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(os.geteuid() != 0, reason="needs root: namespaces and overlayfs"),
    pytest.mark.skipif(not shutil.which("sshd", path="/usr/sbin"), reason="needs openssh-server"),
]

#: Host paths the role manages on a server; they must not change on this machine.
HOST_WATCH = [
    "/etc/ssh",
    "/etc/pam.d",
    "/etc/security",
    "/etc/profile.d",
    "/etc/login.defs",
    "/etc/audit",
    "/etc/rsyslog.conf",
    "/etc/rsyslog.d",
    "/etc/logrotate.conf",
    "/etc/logrotate.d",
    "/etc/chrony",
    "/etc/default/chrony",
    "/usr/share/pam-configs",
]
USER, PASSWORD = "ops1", "Lab-Passw0rd!x"


def checksums(paths: list[str], root: Path = Path("/")) -> dict[str, str]:
    out: dict[str, str] = {}
    for top in paths:
        base = root / top.lstrip("/")
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file())
        for file in files:
            out[str(file.relative_to(root))] = hashlib.sha256(file.read_bytes()).hexdigest()
    return out


def login(password: str) -> bool:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    try:
        client.connect(
            TARGET_ADDRESS,
            username=USER,
            password=password,
            look_for_keys=False,
            allow_agent=False,
            timeout=15,
            banner_timeout=15,
            auth_timeout=15,
        )
        return True
    except paramiko.AuthenticationException:
        return False
    finally:
        client.close()


def locked_after_five_failures(target: SshTarget) -> bool:
    target.exec(f"faillock --user {USER} --reset")
    for attempt in range(5):
        assert not login(f"wrong-{attempt}")
    locked = not login(PASSWORD)
    target.exec(f"faillock --user {USER} --reset")
    return locked


@pytest.fixture(scope="module")
def target() -> Iterator[SshTarget]:
    server = SshTarget.start()
    try:
        # A container has no say over the host clock: chronyd must not try (-x).
        server.exec("sed -i 's/^DAEMON_OPTS=.*/DAEMON_OPTS=\"-F 1 -x\"/' /etc/default/chrony")
        server.add_user(USER, PASSWORD)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def setup(target: SshTarget, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """An egovnet inventory where the throwaway server hosts SYS-ZWFW (level 3)."""
    base = tmp_path_factory.mktemp("t8-hardening")
    inv = base / "inventory"
    shutil.copytree(LAB_INVENTORY, inv)
    devices = yaml.safe_load((inv / "devices.yaml").read_text(encoding="utf-8"))
    devices["devices"].append(
        {
            "name": "t8-server",
            "site": "gov-cloud",
            "role": "server",
            "platform": "linux",
            "mgmt_address": TARGET_ADDRESS,
            "snmp_profile": "noc-v3",
        }
    )
    (inv / "devices.yaml").write_text(yaml.safe_dump(devices, allow_unicode=True), "utf-8")
    systems = yaml.safe_load((inv / "systems.yaml").read_text(encoding="utf-8"))
    systems["systems"][0]["hosts"].append("t8-server")
    (inv / "systems.yaml").write_text(yaml.safe_dump(systems, allow_unicode=True), "utf-8")
    hosts = target.inventory(
        base / "hosts.yml",
        {
            "egovnet_syslog_servers": ["10.200.0.250"],
            "egovnet_ntp_servers": ["10.200.0.250"],
            "egovnet_mlps_level": 3,
        },
    )
    return {"inventory": inv, "hosts": hosts, "state": base / "state"}


def audit(setup: dict[str, Path], *extra: str) -> dict:
    done = run_egovnet(
        "audit",
        "run",
        "--no-devices",
        "--inventory",
        str(setup["inventory"]),
        "--ansible-inventory",
        str(setup["hosts"]),
        "--limit",
        "t8-server",
        "--state-dir",
        str(setup["state"]),
        "--json",
        *extra,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


def results(setup: dict[str, Path]) -> dict[str, str]:
    doc = json.loads((setup["state"] / "audit" / "results" / "t8-server.json").read_text())
    return {r["check_id"]: r["result"] for r in doc["results"]}


def etc_in_upper(target: SshTarget) -> dict[str, str]:
    return checksums(["/etc", "/usr/share/pam-configs"], target.upper)


def test_audit_remediate_audit_remediate(target: SshTarget, setup: dict[str, Path]) -> None:
    host_before = checksums(HOST_WATCH)
    upper_before = etc_in_upper(target)
    timings: dict[str, float] = {}

    started = time.monotonic()
    first = audit(setup)
    timings["audit"] = time.monotonic() - started
    fresh = results(setup)
    assert first["assets"][0]["asset"] == "t8-server"
    # A fresh Debian server fails these controls ...
    for check_id in (
        "LNX-PWQUALITY",
        "LNX-PASS-MAXDAYS",
        "LNX-FAILLOCK",
        "LNX-TMOUT",
        "LNX-SSH-CLIENTALIVE",
        "LNX-SSH-ROOTLOGIN",
        "LNX-TIMESYNC",
        "LNX-RSYSLOG-REMOTE",
        "LNX-LOG-RETENTION",
        "LNX-AUDIT-PROTECT",
    ):
        assert fresh[check_id] == "fail", check_id
    # ... passes these, and leaves the manual ones to the assessor (level 3: MFA too).
    for check_id in (
        "LNX-SSH-EMPTYPW",
        "LNX-SSH-PROTOCOL",
        "LNX-NO-TELNET-RSH",
        "LNX-UID0",
        "LNX-LISTEN-PORTS",
    ):
        assert fresh[check_id] == "pass", check_id
    assert fresh["LNX-MFA"] == fresh["LNX-SSH-MGMT-SOURCES"] == "manual"
    # Kernel audit cannot be controlled from a PID namespace: reported, not faked.
    assert fresh["LNX-AUDITD"] == "manual"
    # Audit mode changed nothing on the server.
    assert etc_in_upper(target) == upper_before
    assert not locked_after_five_failures(target), "no lockout before remediation"

    started = time.monotonic()
    fixed = audit(setup, "--remediate")
    timings["remediate"] = time.monotonic() - started
    assert fixed["assets"][0]["changed"] > 0
    after = results(setup)
    automated = {
        k: v for k, v in after.items() if k not in {"LNX-MFA", "LNX-SSH-MGMT-SOURCES", "LNX-AUDITD"}
    }
    assert set(automated.values()) == {"pass"}, automated
    changed_files = set(etc_in_upper(target)) - set(upper_before)
    assert "etc/ssh/sshd_config.d/00-egovnet-mlps.conf" in changed_files
    assert locked_after_five_failures(target), "pam_faillock locks after 5 failures"

    started = time.monotonic()
    again = audit(setup, "--remediate")
    timings["remediate_again"] = time.monotonic() - started
    assert again["assets"][0]["changed"] == 0, "a second remediation changes nothing"

    assert checksums(HOST_WATCH) == host_before, "the host's own files are unchanged"
    raw = json.loads((setup["state"] / "audit" / "raw" / "t8-server.json").read_text())
    assert raw["level"] == 3
    evidence = setup["state"] / "audit" / "evidence" / "t8-server" / "etc" / "login.defs"
    assert "PASS_MAX_DAYS\t90" in evidence.read_text()
    print(
        f"\nhardening role timings (s): {json.dumps({k: round(v, 1) for k, v in timings.items()})}",
        file=sys.stderr,
    )
