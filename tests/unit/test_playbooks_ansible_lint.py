"""The Ansible content passes ansible-lint's default (production) profile and syntax check."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.unit

BIN = Path(sys.executable).parent


def test_ansible_lint_is_clean() -> None:
    lint = BIN / "ansible-lint"
    if not lint.exists() and shutil.which("ansible-lint") is None:
        pytest.fail("ansible-lint is not installed (pip install -e .[dev])")
    done = subprocess.run(
        [str(lint if lint.exists() else "ansible-lint"), "--nocolor", "playbooks/"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 failure(s), 0 warning(s)" in done.stdout + done.stderr


@pytest.mark.parametrize("playbook", ["mlps_hardening.yml", "cloud_migration.yml"])
def test_playbooks_pass_the_syntax_check(playbook: str, tmp_path: Path) -> None:
    inventory = tmp_path / "hosts.yml"
    inventory.write_text("all:\n  children:\n    servers:\n      hosts: {}\n", encoding="utf-8")
    done = subprocess.run(
        [
            str(BIN / "ansible-playbook"),
            "--syntax-check",
            "-i",
            str(inventory),
            str(REPO / "playbooks" / playbook),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
