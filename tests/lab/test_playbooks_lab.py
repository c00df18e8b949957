"""Playbooks in the running lab (issue 8): the cloud migration check probed from a lab server,
等保 checks of the lab's FRR devices, and the auditors' exports from that state.

All tests share the session's lab (tests/lab/conftest.py). Audit state lives in the lab's
state directory (removed with the lab).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from inventory.models import Role
from lab.paths import LabPaths
from tests.conftest import run_egovnet
from tests.lab.conftest import SessionLab
from tests.lab.device_access import emulated, running

pytestmark = pytest.mark.lab


def egovnet(lab: SessionLab, *args: str, timeout: float = 600) -> Any:
    env = {**os.environ, **lab.env, "ANSIBLE_HOST_KEY_CHECKING": "False"}
    proc = run_egovnet(
        *args, "--profile", "lab", "--state-dir", str(lab.state_dir), env=env, timeout=timeout
    )
    return proc


def ssh_args(lab: SessionLab) -> list[str]:
    user, _ = lab.server_login()
    return ["--ssh-user", user, "--ssh-key", str(LabPaths(lab.state_dir).client_key)]


def network_devices(lab: SessionLab) -> list[str]:
    return sorted(d.name for d in lab.inventory.devices if d.role is not Role.server)


def test_migration_playbook_finds_records_that_disagree(lab: SessionLab) -> None:
    proc = egovnet(
        lab, "audit", "run", "--no-servers", "--no-devices", "--migration", *ssh_args(lab),
        "--json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    run = json.loads(proc.stdout)
    systems = {s.id for s in lab.inventory.systems}
    assert set(run["migration"]["checked"]) == systems

    proc = egovnet(lab, "audit", "migration", "--json")
    assert proc.stdout.strip(), proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    flags = {line["id"]: set(line["flags"]) for line in report["systems"]}
    still_onprem = {s for s, f in flags.items() if "onprem_still_answering" in f}
    early = {s for s, f in flags.items() if "already_in_cloud" in f}
    assert still_onprem == {"SYS-OA"}, flags
    assert early == {"SYS-HIS"}, flags


@pytest.fixture(scope="module")
def device_configs(lab: SessionLab, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every lab device's files as its platform's checks read them, taken from the running lab:
    on the emulated VRP and Comware devices their running config (read over SSH), on the FRR
    devices also the snmpd and sshd files and the listening sockets."""
    out = tmp_path_factory.mktemp("configs")
    paths = LabPaths(lab.state_dir)
    for name in network_devices(lab):
        folder = out / name
        folder.mkdir()
        (folder / "running-config").write_text(running(lab, name), encoding="utf-8")
        if emulated(lab, name):
            continue
        (folder / "snmpd.conf").write_bytes(paths.snmpd_conf(name).read_bytes())
        (folder / "sshd_config").write_bytes(paths.sshd_conf(name).read_bytes())
        listeners = lab.exec(name, "ss", "-H", "-ltn", check=True).stdout
        (folder / "listeners").write_text(listeners)
    return out


def test_device_checks_and_exports(lab: SessionLab, device_configs: Path, tmp_path: Path) -> None:
    proc = egovnet(
        lab, "audit", "run", "--no-servers", "--devices", "--configs", str(device_configs),
        "--json",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    run = json.loads(proc.stdout)
    checked = {a["asset"]: a for a in run["assets"] if a["kind"] == "network_device"}
    assert sorted(checked) == network_devices(lab)
    for name, line in checked.items():
        assert line["passed"] + line["failed"] + line["manual"] + line["not_applicable"] > 0, name
    # the emulated devices are checked by their vendor's checks, on the config they print
    for name in ("dept1", "vil2"):
        assert checked[name]["passed"] > 0, checked[name]

    outputs = {}
    for fmt in ("xlsx", "csv", "html"):
        out = tmp_path / f"audit.{fmt}"
        proc = egovnet(lab, "audit", "export", "--format", fmt, "--out", str(out), "--lang", "en")
        assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
        assert out.is_file() and out.stat().st_size > 0
        outputs[fmt] = out

    book = openpyxl.load_workbook(outputs["xlsx"], read_only=True)
    sheet = book["Results"]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header, body = rows[0], rows[1:]
    col = {h: i for i, h in enumerate(header)}
    for name in ("System ID", "Asset ID", "Check ID", "Evidence", "Evidence SHA-256"):
        assert name in col, header
    device_rows = [r for r in body if r[col["Asset ID"]] in checked]
    keys = [(r[col["System ID"]], r[col["Asset ID"]], r[col["Check ID"]]) for r in device_rows]
    assert len(keys) == len(set(keys)), "an (asset, control) appears twice"
    per_asset = {a: sum(1 for k in keys if k[1] == a) for a in checked}
    for name, line in checked.items():
        total = line["passed"] + line["failed"] + line["manual"] + line["not_applicable"]
        assert per_asset[name] == total, (name, per_asset[name], total)
    for r in device_rows:
        evidence = r[col["Evidence"]] or ""
        digest = hashlib.sha256(evidence.encode("utf-8")).hexdigest()
        assert r[col["Evidence SHA-256"]] == digest, (r[col["Asset ID"]], r[col["Check ID"]])
    # the running config each device was checked on is named by its SHA-256 in the evidence
    for name in checked:
        config = (device_configs / name / "running-config").read_bytes()
        digest = hashlib.sha256(config).hexdigest()
        assert any(
            digest in (r[col["Evidence"]] or "") for r in device_rows if r[col["Asset ID"]] == name
        ), f"{name}: no evidence names its running-config's SHA-256"

    with outputs["csv"].open(encoding="utf-8-sig", newline="") as handle:
        csv_rows = list(csv.reader(handle))
    assert csv_rows[0] == [h for h in header if h is not None]
    csv_keys = {
        (r[col["System ID"]], r[col["Asset ID"]], r[col["Check ID"]])
        for r in csv_rows[1:]
        if r[col["Asset ID"]] in checked
    }
    assert csv_keys == set(keys)
    html = outputs["html"].read_text(encoding="utf-8")
    assert "Evidence SHA-256" in html
    assert all(name in html for name in checked)


# --- 等保 hardening of a lab server ------------------------------------------------------
SERVER = "srv-dept1"
#: Written by the role's time-sync remediation; must exist on the server only.
ROLE_FILE = "/etc/chrony/sources.d/egovnet-mlps.sources"
#: Fail on a fresh server (a copy of this Debian host with the lab's accounts and sshd).
EXPECTED_FAILURES = {
    "LNX-PWQUALITY",
    "LNX-PASS-MAXDAYS",
    "LNX-FAILLOCK",
    "LNX-TMOUT",
    "LNX-SSH-CLIENTALIVE",
    "LNX-RSYSLOG-REMOTE",
    "LNX-LOG-RETENTION",
    "LNX-TIMESYNC",
}


def etc_digest(lab: SessionLab | None) -> dict[str, str]:
    """SHA-256 of every regular file under /etc (symlinks by target): host or the server."""
    script = (
        "import hashlib,os,sys\n"
        "for d,dirs,files in os.walk('/etc'):\n"
        " dirs.sort()\n"
        " for f in sorted(files):\n"
        "  p=os.path.join(d,f)\n"
        "  try:\n"
        "   if os.path.islink(p): h='->'+os.readlink(p)\n"
        "   elif os.path.isfile(p): h=hashlib.sha256(open(p,'rb').read()).hexdigest()\n"
        "   else: continue\n"
        "  except OSError as e: h='error '+str(e.errno)\n"
        "  print(h, p)\n"
    )
    if lab is None:
        import subprocess
        import sys

        out = subprocess.run(
            [sys.executable, "-I", "-c", script], capture_output=True, text=True, check=True
        ).stdout
    else:
        out = lab.exec(SERVER, "python3", "-I", "-c", script, check=True).stdout
    digests = {}
    for line in out.splitlines():
        digest, _, path = line.partition(" ")
        digests[path] = digest
    return digests


def changed_files(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def server_results(lab: SessionLab) -> list[dict[str, Any]]:
    doc = json.loads((lab.state_dir / "audit" / "results" / f"{SERVER}.json").read_text())
    rows: list[dict[str, Any]] = doc["results"]
    assert rows, f"no results for {SERVER}"
    return rows


def hardening(lab: SessionLab, *mode: str) -> dict[str, Any]:
    proc = egovnet(
        lab, "audit", "run", "--no-devices", "--limit", SERVER, *mode, *ssh_args(lab), "--json",
        timeout=1200,
    )  # fmt: skip
    assert proc.stdout.strip(), proc.stderr[-3000:]
    run = json.loads(proc.stdout)
    assert proc.returncode == 0 and run["failures"] == [], proc.stdout[-3000:]
    line = next(a for a in run["assets"] if a["asset"] == SERVER)
    return dict(line)


def test_hardening_audits_then_remediates_a_server_only(lab: SessionLab) -> None:
    host_before = etc_digest(None)
    server_before = etc_digest(lab)

    hardening(lab)
    rows = server_results(lab)
    failed = {r["check_id"] for r in rows if r["result"] == "fail"}
    print("audit of a fresh server, failing:", sorted(failed))
    assert failed >= EXPECTED_FAILURES, sorted(failed)
    assert failed, "a fresh server passes everything: the audit checks nothing"
    assert changed_files(server_before, etc_digest(lab)) == [], "audit mode changed the server"

    first = hardening(lab, "--remediate")
    assert first["changed"], "remediation changed nothing"
    second = hardening(lab, "--remediate")
    rows = server_results(lab)
    print("after remediation, changed:", first["changed"], "then", second["changed"])
    # the kernel refuses audit rules inside a PID namespace: auditd is an honest manual
    auditd = {r["result"] for r in rows if r["check_id"] == "LNX-AUDITD"}
    assert auditd == {"manual"}, auditd
    auto_not_passing = {
        (r["check_id"], r["result"])
        for r in rows
        if r["method"] == "auto" and r["result"] != "pass" and r["check_id"] != "LNX-AUDITD"
    }
    assert auto_not_passing == set(), sorted(auto_not_passing)
    assert second["changed"] == 0, second

    # the chronyd the time-sync control started never sets the clock it shares with the host
    chronyd = lab.exec(SERVER, "pgrep", "-a", "chronyd").stdout
    assert chronyd.strip(), "LNX-TIMESYNC passes but no chronyd runs on the server"
    assert all(" -x" in line for line in chronyd.splitlines()), chronyd
    assert lab.exec(SERVER, "test", "-f", ROLE_FILE).returncode == 0, f"{ROLE_FILE} not written"
    assert not Path(ROLE_FILE).exists(), f"{ROLE_FILE} reached the host"
    assert changed_files(host_before, etc_digest(None)) == [], "the host's /etc changed"
