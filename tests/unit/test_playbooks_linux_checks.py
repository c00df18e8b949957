"""The hardening role's checks (module mlps_check) on copies of a server's files.

The module runs its real parsers and real read-only commands (sshd -T on a copy of an
sshd_config); only the file root is a temporary directory, as the role's ``mlps_root``
variable allows. Templates the role installs are rendered and checked the same way.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import jinja2
import pytest

from playbooks.roles.mlps_hardening.module_utils import mlps_parsers

pytestmark = pytest.mark.unit

ROLE = Path(__file__).resolve().parents[2] / "playbooks" / "roles" / "mlps_hardening"

DEBIAN_COMMON_AUTH = """\
auth	[success=1 default=ignore]	pam_unix.so nullok
auth	requisite			pam_deny.so
auth	required			pam_permit.so
"""
FAILLOCK_COMMON_AUTH = """\
auth	requisite	pam_faillock.so preauth
auth	[success=2 default=ignore]	pam_unix.so nullok try_first_pass
auth	[default=die]	pam_faillock.so authfail
auth	requisite			pam_deny.so
auth	required			pam_permit.so
"""
LOGROTATE_MAIN = "weekly\nrotate 4\ncreate\ninclude /etc/logrotate.d\n"
LOGROTATE_RSYSLOG = """\
/var/log/syslog
/var/log/auth.log
{
\trotate 4
\tweekly
\tmissingok
}
"""
PASSWD = """\
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
postgres:x:106:112:PostgreSQL administrator:/var/lib/postgresql:/bin/bash
ops:x:1000:1000::/home/ops:/bin/bash
"""


class Commands:
    """What AnsibleModule gives a module: find a binary, run a command (for real)."""

    def get_bin_path(self, name: str, opt_dirs: list[str] | None = None) -> str | None:
        path = os.pathsep.join([*(opt_dirs or []), os.environ.get("PATH", "")])
        return shutil.which(name, path=path)

    def run_command(self, argv: list[str], check_rc: bool = False) -> tuple[int, str, str]:
        done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=30)
        return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def module() -> ModuleType:
    # On a server Ansible ships module_utils as ansible.module_utils.<name>; here the same file.
    sys.modules.setdefault("ansible.module_utils.mlps_parsers", mlps_parsers)
    spec = importlib.util.spec_from_file_location("mlps_check", ROLE / "library" / "mlps_check.py")
    assert spec is not None and spec.loader is not None
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def check(module: ModuleType, check_id: str, root: Path, **params: Any) -> dict[str, Any]:
    result: dict[str, Any] = module.run_check(check_id, str(root), params, Commands())
    for item in result["evidence"]:
        assert len(item["sha256"]) == 64
    return result


def test_pwquality_needs_the_pam_module_length_and_classes(
    module: ModuleType, tmp_path: Path
) -> None:
    write(
        tmp_path,
        {
            "/etc/pam.d/common-password": "password [success=1 default=ignore] pam_unix.so\n",
            "/etc/security/pwquality.conf": "# minlen = 8\n",
        },
    )
    assert check(module, "LNX-PWQUALITY", tmp_path)["result"] == "fail"
    stack = "password requisite pam_pwquality.so retry=3\npassword [success=1] pam_unix.so\n"
    write(tmp_path, {"/etc/pam.d/common-password": stack})
    weak = check(module, "LNX-PWQUALITY", tmp_path)
    assert weak["result"] == "fail" and "classes=0" in weak["finding"]
    write(tmp_path, {"/etc/security/pwquality.conf": "minlen = 8\nminclass = 3\n"})
    assert check(module, "LNX-PWQUALITY", tmp_path)["result"] == "pass"
    write(
        tmp_path,
        {"/etc/security/pwquality.conf": "minlen = 12\ndcredit = -1\nucredit = -1\nlcredit = -1\n"},
    )
    assert check(module, "LNX-PWQUALITY", tmp_path)["result"] == "pass"


def test_password_ageing(module: ModuleType, tmp_path: Path) -> None:
    write(tmp_path, {"/etc/login.defs": "PASS_MAX_DAYS\t99999\nPASS_MIN_DAYS\t0\n"})
    result = check(module, "LNX-PASS-MAXDAYS", tmp_path, max_days=90)
    assert result["result"] == "fail"
    assert "/etc/login.defs:1: PASS_MAX_DAYS\t99999" in result["evidence"][0]["content"]
    write(tmp_path, {"/etc/login.defs": "PASS_MAX_DAYS\t90\n"})
    assert check(module, "LNX-PASS-MAXDAYS", tmp_path, max_days=90)["result"] == "pass"


def test_faillock_needs_preauth_and_authfail(module: ModuleType, tmp_path: Path) -> None:
    write(tmp_path, {"/etc/pam.d/common-auth": DEBIAN_COMMON_AUTH})
    result = check(module, "LNX-FAILLOCK", tmp_path, deny=5)
    assert result["result"] == "fail" and result["details"]["stack_complete"] is False
    write(
        tmp_path,
        {
            "/etc/pam.d/common-auth": FAILLOCK_COMMON_AUTH,
            "/etc/security/faillock.conf": "deny = 10\n",
        },
    )
    result = check(module, "LNX-FAILLOCK", tmp_path, deny=5)
    assert result["result"] == "fail" and result["details"]["stack_complete"] is True
    write(tmp_path, {"/etc/security/faillock.conf": "deny = 5\nunlock_time = 600\n"})
    assert check(module, "LNX-FAILLOCK", tmp_path, deny=5)["result"] == "pass"


def test_the_tmout_script_the_role_installs_passes_and_is_readonly(
    module: ModuleType, tmp_path: Path
) -> None:
    write(tmp_path, {"/etc/profile": "umask 022\n"})
    assert check(module, "LNX-TMOUT", tmp_path, tmout=600)["result"] == "fail"
    template = jinja2.Template((ROLE / "templates" / "tmout.sh.j2").read_text())
    script = template.render(ansible_managed="test", mlps_hardening_tmout=600)
    write(tmp_path, {"/etc/profile.d/egovnet-mlps-tmout.sh": script})
    assert check(module, "LNX-TMOUT", tmp_path, tmout=600)["result"] == "pass"
    shell = subprocess.run(
        [
            "bash",
            "-c",
            f". {tmp_path}/etc/profile.d/egovnet-mlps-tmout.sh; "
            f". {tmp_path}/etc/profile.d/egovnet-mlps-tmout.sh; echo $TMOUT; TMOUT=0",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert shell.stdout.strip() == "600"  # sourced twice without complaint
    assert "readonly" in shell.stderr  # and a user cannot switch it off
    write(tmp_path, {"/etc/profile.d/zz-local.sh": "export TMOUT=3600\n"})
    assert check(module, "LNX-TMOUT", tmp_path, tmout=600)["result"] == "fail"


def test_uid0_and_system_accounts(module: ModuleType, tmp_path: Path) -> None:
    write(tmp_path, {"/etc/passwd": PASSWD, "/etc/login.defs": "UID_MIN 1000\n"})
    assert check(module, "LNX-UID0", tmp_path)["result"] == "pass"
    result = check(module, "LNX-SYSACCT-NOLOGIN", tmp_path)
    assert result["result"] == "fail" and result["offenders"] == ["postgres"]
    write(tmp_path, {"/etc/passwd": PASSWD + "toor:x:0:0::/root:/bin/bash\n"})
    uid0 = check(module, "LNX-UID0", tmp_path)
    assert uid0["result"] == "fail" and "toor" in uid0["finding"]


def test_log_retention_counts_rotations_times_the_period(
    module: ModuleType, tmp_path: Path
) -> None:
    write(
        tmp_path,
        {"/etc/logrotate.conf": LOGROTATE_MAIN, "/etc/logrotate.d/rsyslog": LOGROTATE_RSYSLOG},
    )
    short = check(module, "LNX-LOG-RETENTION", tmp_path, days=180)
    assert short["result"] == "fail" and "weekly x 4 = 28 d" in short["finding"]
    write(
        tmp_path, {"/etc/logrotate.d/rsyslog": LOGROTATE_RSYSLOG.replace("rotate 4", "rotate 26")}
    )
    assert check(module, "LNX-LOG-RETENTION", tmp_path, days=180)["result"] == "pass"
    missing = check(
        module,
        "LNX-LOG-RETENTION",
        tmp_path,
        days=180,
        log_files=["/var/log/syslog", "/var/log/secure"],
    )
    assert missing["result"] == "fail" and "/var/log/secure: not rotated" in missing["finding"]


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("sshd", path="/usr/sbin"),
    reason="sshd -T needs root and openssh-server",
)
def test_sshd_settings_are_read_from_sshd_t(module: ModuleType, tmp_path: Path) -> None:
    write(tmp_path, {"/etc/ssh/sshd_config": "PermitRootLogin yes\n"})
    assert check(module, "LNX-SSH-ROOTLOGIN", tmp_path)["result"] == "fail"
    assert check(module, "LNX-SSH-CLIENTALIVE", tmp_path)["result"] == "fail"
    write(
        tmp_path,
        {
            "/etc/ssh/sshd_config": "PermitRootLogin no\nClientAliveInterval 300\n"
            "ClientAliveCountMax 2\nPermitEmptyPasswords no\n"
        },
    )
    root = check(module, "LNX-SSH-ROOTLOGIN", tmp_path)
    assert root["result"] == "pass"
    assert root["evidence"][0]["content"] == "permitrootlogin no"
    assert root["evidence"][0]["source"].startswith("sshd -T")
    assert check(module, "LNX-SSH-CLIENTALIVE", tmp_path, client_alive_max=600)["result"] == "pass"
    assert check(module, "LNX-SSH-EMPTYPW", tmp_path)["result"] == "pass"


def test_rsyslog_forwarding_rules_the_role_writes_are_recognised() -> None:
    template = jinja2.Template((ROLE / "templates" / "egovnet-mlps-forward.conf.j2").read_text())
    text = template.render(
        ansible_managed="test",
        mlps_hardening_syslog_servers=["10.200.0.250"],
        mlps_hardening_syslog_port=514,
    )
    targets = [mlps_parsers.forwarding_target(line) for line in text.splitlines()]
    assert [t for t in targets if t] == ["10.200.0.250"]
    assert mlps_parsers.forwarding_target("*.* @@(o)10.1.1.1:514") == "10.1.1.1"
    assert mlps_parsers.forwarding_target("auth.* @[2001:db8::1]:514") == "2001:db8::1"
    assert mlps_parsers.forwarding_target("*.*;auth,authpriv.none -/var/log/syslog") is None


def test_listeners_skip_loopback_and_read_udp() -> None:
    output = (
        "tcp LISTEN 0 128 0.0.0.0:22 0.0.0.0:*\n"
        "tcp LISTEN 0 128 127.0.0.1:25 0.0.0.0:*\n"
        "udp UNCONN 0 0 [::1]:323 [::]:*\n"
        "udp UNCONN 0 0 *:161 *:*\n"
    )
    exposed = {(s.port, s.proto) for s in mlps_parsers.listeners(output) if not s.loopback}
    assert exposed == {(22, "tcp"), (161, "udp")}
