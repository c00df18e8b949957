"""egovnet's own revert timer: the durable pending-confirm records (automation/pending.py)."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from automation.pending import GRACE_SECONDS, PendingConfirm, PendingStore
from base.pidstat import start_ticks
from base.procs import ProcessRecord

pytestmark = pytest.mark.unit


def record(run: str = "run1", seconds_left: float = 60.0, **extra: object) -> PendingConfirm:
    values: dict[str, object] = {
        "device": "wj-vil-xilian-02",
        "platform": "huawei_vrp",
        "run": run,
        "armed_at": "2026-12-02T10:00:00+08:00",
        "seconds": 60,
        "deadline": time.time() + seconds_left,
        "backup_commit": "a" * 40,
        "inventory": "/srv/inventory",
        "secrets_file": None,
        **extra,
    }
    return PendingConfirm.model_validate(values)


def me() -> ProcessRecord:
    ticks = start_ticks(os.getpid())
    assert ticks is not None
    return ProcessRecord(pid=os.getpid(), start_ticks=ticks, argv=["pytest"])


def test_a_record_survives_the_process_private_and_is_dropped_by_its_own_run(
    tmp_path: Path,
) -> None:
    store = PendingStore(tmp_path)
    store.put(record())
    path = store.path("wj-vil-xilian-02")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = PendingStore(tmp_path).get("wj-vil-xilian-02")  # as the next command reads it
    assert again is not None and again.run == "run1"
    assert store.drop("wj-vil-xilian-02", run="run2") is None  # another push's record stays
    assert store.get("wj-vil-xilian-02") is not None
    dropped = store.drop("wj-vil-xilian-02", run="run1")
    assert dropped is not None and dropped.backup_commit == "a" * 40
    assert store.all() == []


def test_a_record_no_egovnet_wrote_is_not_read(tmp_path: Path) -> None:
    store = PendingStore(tmp_path)
    store.root.mkdir(parents=True)
    store.path("core1").write_text('{"device": "core1"}', encoding="utf-8")
    assert store.get("core1") is None and store.all() == []


def test_overdue_only_past_the_deadline_and_with_nobody_left_to_act() -> None:
    assert not record(seconds_left=30).overdue()
    assert record(seconds_left=-1).overdue()  # no timer process recorded
    gone = ProcessRecord(pid=os.getpid(), start_ticks=-1, argv=["old"])  # a recycled PID
    assert record(seconds_left=-1, timer=gone).overdue()
    # the timer still runs: it gets a grace period to do its work, then anyone may
    assert not record(seconds_left=-1, timer=me()).overdue()
    assert record(seconds_left=-(GRACE_SECONDS + 1), timer=me()).overdue()
