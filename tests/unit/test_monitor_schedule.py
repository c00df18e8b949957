"""The digest's schedule as `egovnet monitor config` writes it: a systemd timer + service pair
that systemd-analyze accepts, and the same job as a cron entry, at the inventory's time."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import invoke_egovnet
from tests.unit.inventory_copies import InventoryCopy

pytestmark = pytest.mark.unit

SYSTEMD_ANALYZE = "systemd-analyze"  # base/programs.txt: systemd, scope test


def with_schedule(tmp_path: Path, time: str, timezone: str) -> InventoryCopy:
    inv = InventoryCopy(tmp_path)
    inv.write(
        "monitoring.yaml",
        f'monitoring:\n  digest:\n    time: "{time}"\n    timezone: {timezone}\n',
    )
    return inv


def config(out: Path, inv: Path, state: Path, *extra: str) -> tuple[int, str, str]:
    got = invoke_egovnet(
        "monitor", "config", "--out", str(out), "-i", str(inv), "--state-dir", str(state),
        "--no-check", "--alertmanager-address", "127.0.0.1:19093", *extra,
    )  # fmt: skip
    return got.returncode, got.stdout, got.stderr


def expected_argv(inv: Path, state: Path) -> list[str]:
    return [
        str(Path(sys.executable).absolute()), "-m", "egovnet", "monitor", "digest", "--send",
        "--inventory", str(inv.resolve()), "--state-dir", str(state.resolve()),
        "--alertmanager-url", "http://127.0.0.1:19093",
        "--prometheus-url", "http://127.0.0.1:9090",
    ]  # fmt: skip


def analyze(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SYSTEMD_ANALYZE, *args], capture_output=True, text=True, timeout=60, check=False
    )


def unit_value(text: str, key: str) -> str:
    values = [ln.split("=", 1)[1] for ln in text.splitlines() if ln.startswith(f"{key}=")]
    assert len(values) == 1, (key, text)
    return values[0]


def test_default_time_is_0830_shanghai_in_the_timer_and_the_cron_entry(tmp_path: Path) -> None:
    inv = InventoryCopy(tmp_path)  # the lab inventory sets no digest time
    code, out, err = config(tmp_path / "out", inv.root, tmp_path / "state", "--json")
    assert code == 0, err
    listed = {f["path"]: f["kind"] for f in json.loads(out)["files"]}
    assert listed["systemd/egovnet-digest.timer"] == "systemd"
    assert listed["cron/egovnet-digest.crontab"] == "cron"
    timer = (tmp_path / "out" / "systemd" / "egovnet-digest.timer").read_text(encoding="utf-8")
    assert unit_value(timer, "OnCalendar") == "*-*-* 08:30:00 Asia/Shanghai"
    assert unit_value(timer, "Unit") == "egovnet-digest.service"
    cron = (tmp_path / "out" / "cron" / "egovnet-digest.crontab").read_text(encoding="utf-8")
    assert "CRON_TZ=Asia/Shanghai\n30 8 * * * " in cron


def test_the_inventory_time_drives_both_and_they_run_the_same_command(tmp_path: Path) -> None:
    # a state directory with a space and a percent sign: quoting differs for systemd and cron
    state = tmp_path / "noc state 100%"
    inv = with_schedule(tmp_path, "07:05", "Asia/Urumqi")
    code, _, err = config(tmp_path / "out", inv.root, state)
    assert code == 0, err
    systemd = tmp_path / "out" / "systemd"
    timer = (systemd / "egovnet-digest.timer").read_text(encoding="utf-8")
    service = (systemd / "egovnet-digest.service").read_text(encoding="utf-8")
    cron = (tmp_path / "out" / "cron" / "egovnet-digest.crontab").read_text(encoding="utf-8")
    assert unit_value(timer, "OnCalendar") == "*-*-* 07:05:00 Asia/Urumqi"
    assert unit_value(service, "Type") == "oneshot"
    want = expected_argv(inv.root, state)
    # systemd: %% is a literal % (specifiers), then the shell-like word splitting
    assert shlex.split(unit_value(service, "ExecStart").replace("%%", "%")) == want
    entry = next(ln for ln in cron.splitlines() if ln and not ln.startswith(("#", "CRON_TZ")))
    fields = entry.split(" ", 5)
    assert fields[:5] == ["5", "7", "*", "*", "*"]
    assert "CRON_TZ=Asia/Urumqi" in cron.splitlines()
    # cron: \% is a literal % (a bare % would end the command), then the shell's words
    assert shlex.split(fields[5].replace("\\%", "%")) == ["PYTHONUTF8=1", *want]
    assert not (tmp_path / "state").exists()  # nothing installed, nothing run


def test_systemd_analyze_accepts_the_units(tmp_path: Path) -> None:
    state = tmp_path / "noc state 100%"
    inv = with_schedule(tmp_path, "23:59", "Asia/Shanghai")
    code, _, err = config(tmp_path / "out", inv.root, state)
    assert code == 0, err
    systemd = tmp_path / "out" / "systemd"
    files = [str(systemd / "egovnet-digest.timer"), str(systemd / "egovnet-digest.service")]
    done = analyze("verify", *files)
    assert done.returncode == 0, done.stdout + done.stderr
    calendar = analyze("calendar", "*-*-* 23:59:00 Asia/Shanghai")
    assert "Normalized form: *-*-* 23:59:00 Asia/Shanghai" in calendar.stdout


def test_systemd_analyze_would_catch_a_broken_unit(tmp_path: Path) -> None:
    """The check above can fail: the same verify refuses the timer with a bad time."""
    inv = InventoryCopy(tmp_path)
    code, _, err = config(tmp_path / "out", inv.root, tmp_path / "state")
    assert code == 0, err
    timer = tmp_path / "out" / "systemd" / "egovnet-digest.timer"
    timer.write_text(timer.read_text(encoding="utf-8").replace("08:30:00", "25:99:00"))
    service = tmp_path / "out" / "systemd" / "egovnet-digest.service"
    done = analyze("verify", str(timer), str(service))
    assert done.returncode != 0
    assert "calendar" in done.stderr


@pytest.mark.parametrize(
    ("time", "timezone", "field", "message"),
    [
        ("8:30", "Asia/Shanghai", "time", "not a time of day HH:MM"),
        ("24:00", "Asia/Shanghai", "time", "not a time of day HH:MM"),
        ("08:30", "Mars/Olympus", "timezone", "not a known time zone"),
        ("08:30", "../../etc/passwd", "timezone", "not a known time zone"),
    ],
)
def test_a_bad_schedule_is_located_and_exits_2_writing_nothing(
    tmp_path: Path, time: str, timezone: str, field: str, message: str
) -> None:
    inv = with_schedule(tmp_path, time, timezone)
    line = inv.line_of("monitoring.yaml", f"{field}: ")
    code, _, err = config(tmp_path / "out", inv.root, tmp_path / "state")
    assert code == 2
    assert f"monitoring.yaml:{line}: monitoring.digest.{field}: {message}" in err
    assert not (tmp_path / "out").exists()


def test_both_bad_settings_are_reported_at_once(tmp_path: Path) -> None:
    inv = with_schedule(tmp_path, "08:61", "Nowhere/City")
    code, _, err = config(tmp_path / "out", inv.root, tmp_path / "state")
    assert code == 2
    assert "monitoring.digest.time" in err
    assert "monitoring.digest.timezone" in err
