"""Run ansible-playbook as a user would, stream its log, and read the per-host recap.

Progress is the task names as Ansible starts them; the result is the PLAY RECAP counts per
host (``changed`` is what the idempotence checks look at). The full output goes to a log
file under the state directory, never only to the terminal.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from base.errors import AuditError

PLAYBOOK_DIR = Path(__file__).resolve().parent
_RECAP = re.compile(
    r"^(?P<host>\S+)\s*:\s*ok=(?P<ok>\d+)\s+changed=(?P<changed>\d+)\s+"
    r"unreachable=(?P<unreachable>\d+)\s+failed=(?P<failed>\d+)\s+skipped=(?P<skipped>\d+)"
)
_TASK = re.compile(r"^(?:TASK|RUNNING HANDLER) \[(?P<name>.*)\]")


@dataclass(frozen=True)
class HostStats:
    ok: int
    changed: int
    unreachable: int
    failed: int
    skipped: int


@dataclass
class PlaybookRun:
    returncode: int
    log: Path
    stats: dict[str, HostStats] = field(default_factory=dict)
    tasks: int = 0

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def ansible_playbook_binary() -> str:
    beside = Path(sys.executable).parent / "ansible-playbook"
    if beside.exists():
        return str(beside)
    found = shutil.which("ansible-playbook")
    if found is None:
        raise AuditError("ansible-playbook not found (install ansible-core: make setup)")
    return found


def parse_recap(lines: list[str]) -> dict[str, HostStats]:
    stats: dict[str, HostStats] = {}
    in_recap = False
    for line in lines:
        if line.startswith("PLAY RECAP"):
            in_recap = True
            continue
        match = _RECAP.match(line.strip()) if in_recap else None
        if match:
            stats[match.group("host")] = HostStats(
                ok=int(match.group("ok")),
                changed=int(match.group("changed")),
                unreachable=int(match.group("unreachable")),
                failed=int(match.group("failed")),
                skipped=int(match.group("skipped")),
            )
    return stats


def run_playbook(
    playbook: Path,
    inventory: Path,
    extra_vars: Mapping[str, Any],
    log: Path,
    *,
    limit: str | None = None,
    tags: list[str] | None = None,
    on_task: Callable[[str], None] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float = 3600,
) -> PlaybookRun:
    """Run one playbook; raise AuditError only when it could not be started."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(
        "w", suffix=".json", prefix="egovnet-vars-", delete=False, encoding="utf-8"
    ) as handle:
        json.dump(dict(extra_vars), handle, ensure_ascii=False)
        vars_file = handle.name
    argv = [ansible_playbook_binary(), "-i", str(inventory), str(playbook), "-e", f"@{vars_file}"]
    if limit:
        argv += ["--limit", limit]
    if tags:
        argv += ["--tags", ",".join(tags)]
    run_env = {
        **os.environ,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_PIPELINING": "1",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_STDOUT_CALLBACK": "default",
        "PYTHONUNBUFFERED": "1",
        **(env or {}),
    }
    lines: list[str] = []
    tasks = 0
    try:
        with log.open("w", encoding="utf-8") as out:
            proc = subprocess.Popen(
                argv,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                errors="replace",
                env=run_env,
            )
            assert proc.stdout is not None
            for line in proc.stdout:
                out.write(line)
                lines.append(line.rstrip("\n"))
                task = _TASK.match(line)
                if task:
                    tasks += 1
                    if on_task is not None:
                        on_task(task.group("name"))
            returncode = proc.wait(timeout=timeout)
    except OSError as exc:
        raise AuditError(f"could not run ansible-playbook: {exc}") from None
    finally:
        Path(vars_file).unlink(missing_ok=True)
    return PlaybookRun(returncode=returncode, log=log, stats=parse_recap(lines), tasks=tasks)
