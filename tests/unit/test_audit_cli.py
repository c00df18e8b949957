"""`egovnet audit` as a user runs it: device checks, exports, migration, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from tests.conftest import DISTRICT_INVENTORY, invoke_egovnet

pytestmark = pytest.mark.unit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "playbooks"


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Device configs of three district devices checked into a state directory."""
    base = tmp_path_factory.mktemp("audit-cli")
    configs = base / "configs"
    configs.mkdir()
    for device, platform, case in (
        ("wj-core1", "huawei_vrp", "compliant"),
        ("wj-town-xilian", "hp_comware", "noncompliant"),
        ("wj-vil-xilian-03", "cisco_ios", "compliant"),
    ):
        text = (FIXTURES / platform / case / "running-config").read_text(encoding="utf-8")
        (configs / f"{device}.cfg").write_text(text, encoding="utf-8")
    done = invoke_egovnet(
        "audit",
        "run",
        "--no-servers",
        "--configs",
        str(configs),
        "--inventory",
        str(DISTRICT_INVENTORY),
        "--state-dir",
        str(base / "state"),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert sorted(a["asset"] for a in summary["assets"]) == [
        "wj-core1",
        "wj-town-xilian",
        "wj-vil-xilian-03",
    ]
    assert any("no configuration" in s for s in summary["skipped"])
    return base


def test_device_results_follow_the_districts_policy(checked: Path) -> None:
    doc = json.loads((checked / "state" / "audit" / "results" / "wj-core1.json").read_text())
    results = {r["check_id"]: r for r in doc["results"]}
    # the district logs to two servers; the recorded config names only one of them
    assert results["NET-SYSLOG"]["result"] == "fail"
    assert "10.200.0.249" in results["NET-SYSLOG"]["finding"]
    assert results["NET-SSH-ONLY"]["result"] == "pass"
    assert {r["system_id"] for r in doc["results"]} == {"EXTRANET"}


def test_export_xlsx_then_english_csv(checked: Path) -> None:
    out = checked / "等保检查.xlsx"
    done = invoke_egovnet(
        "audit",
        "export",
        "--format",
        "xlsx",
        "--out",
        str(out),
        "--inventory",
        str(DISTRICT_INVENTORY),
        "--state-dir",
        str(checked / "state"),
        "--json",
    )
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    sheet = openpyxl.load_workbook(out, read_only=True)["检查结果"]
    assert sheet.max_row - 1 == info["rows"] == 3 * 9
    csv_out = checked / "audit.csv"
    done = invoke_egovnet(
        "audit",
        "export",
        "-f",
        "csv",
        "-o",
        str(csv_out),
        "--lang",
        "en",
        "--system",
        "EXTRANET",
        "--inventory",
        str(DISTRICT_INVENTORY),
        "--state-dir",
        str(checked / "state"),
    )
    assert done.returncode == 0, done.stderr
    assert csv_out.read_text(encoding="utf-8-sig").startswith("System ID,Asset ID")


def test_bad_input_is_one_line_and_exit_2(checked: Path) -> None:
    common = ["--inventory", str(DISTRICT_INVENTORY), "--state-dir", str(checked / "state")]
    done = invoke_egovnet(
        "audit",
        "export",
        "-f",
        "html",
        "-o",
        str(checked / "x.html"),
        "--system",
        "SYS-NOPE",
        *common,
    )
    assert done.returncode == 2
    assert (
        done.stderr.strip().splitlines() == [done.stderr.strip().splitlines()[0]]
        and "--system: unknown system 'SYS-NOPE'" in done.stderr
    )
    assert not (checked / "x.html").exists()
    done = invoke_egovnet(
        "audit", "run", "--no-servers", "--configs", str(checked / "nope"), *common
    )
    assert done.returncode == 2 and "--configs" in done.stderr
    done = invoke_egovnet("audit", "export", "-f", "pdf", "-o", str(checked / "x.pdf"), *common)
    assert done.returncode == 2


def test_a_tampered_results_file_is_named_with_its_line(checked: Path, tmp_path: Path) -> None:
    state = tmp_path / "state"
    (state / "audit" / "results").mkdir(parents=True)
    source = checked / "state" / "audit" / "results" / "wj-core1.json"
    doc = json.loads(source.read_text())
    doc["results"][0]["result"] = "pass" if doc["results"][0]["result"] == "fail" else "fail"
    doc["results"][1]["evidence"][0]["content"] += " (edited)"
    target = state / "audit" / "results" / "wj-core1.json"
    target.write_text(json.dumps(doc), encoding="utf-8")
    done = invoke_egovnet(
        "audit",
        "export",
        "-f",
        "xlsx",
        "-o",
        str(tmp_path / "x.xlsx"),
        "--inventory",
        str(DISTRICT_INVENTORY),
        "--state-dir",
        str(state),
    )
    assert done.returncode == 2
    assert f"error: {target}:1: results.1" in done.stderr
    assert "does not match the evidence" in done.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_migration_report_and_controls_as_json() -> None:
    done = invoke_egovnet(
        "audit",
        "migration",
        "--inventory",
        str(DISTRICT_INVENTORY),
        "--json",
        "--as-of",
        "2026-01-01",
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["total"] == 30 and report["target_ratio"] == 1.0
    # 14 of the 28 counted systems migrated: 50%, below the 80% baseline
    assert (report["migrated"], report["counted"], report["ratio"]) == (14, 28, 0.5)
    assert report["baseline_ratio"] == 0.8
    assert report["plan_state"] == "below_baseline"
    assert sum(g["systems"] for g in report["by_department"]) == 30
    done = invoke_egovnet(
        "audit", "migration", "--inventory", str(DISTRICT_INVENTORY), "--as-of", "2026-13-01"
    )
    assert done.returncode == 2 and "--as-of" in done.stderr
    done = invoke_egovnet("audit", "controls", "--level", "2", "--json")
    controls = json.loads(done.stdout)
    assert all(c["test_unit_id"].startswith("L2-") for c in controls)
    assert "--help" not in done.stderr
    help_text = invoke_egovnet("audit", "export", "--help").stdout
    assert "Example:" in help_text
