"""The lab, once per pytest session: every ``lab`` test shares one ``up``.

``lab`` (session-scoped) removes whatever a crashed earlier run left on this reused machine,
brings the lab profile up in a fresh state directory, yields a :class:`lab.LabHandle`
(inventory, state_dir, env with the lab's secrets, ping/vtysh/exec/fault/traffic helpers),
and always takes it down at the end, even when tests fail. Tests that cut links or power
devices off restore them in their own teardown.

``lab_machine`` (session-scoped, under ``lab``) is the machine's one lab slot: the session
lock and the sweep. A module that needs another lab (none does today) takes the session
lab down if it is up, brings its own up and down (:func:`new_state_dir`, :func:`take_down`),
and brings the session lab back.

``EGOVNET_LAB_KEEP_STATE=1`` keeps the state directory (configs, daemon logs) afterwards.
Not root: every lab test is skipped. Root but a Debian package missing: the tests fail,
naming the package.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import lab as lab_api
from automation.render import kept_platform_configs
from inventory.loader import load_inventory
from lab.handle import LabHandle
from lab.preflight import TOOLS, TRAFFIC_TOOLS, missing_tools
from lab.state import RUN_DIR
from tests.conftest import LAB_INVENTORY

#: Held for the whole session so two pytest runs on one machine take turns with the lab.
SESSION_LOCK = RUN_DIR / "lab-tests.lock"


class SessionLab(LabHandle):
    """The session's lab, with what its first ``up`` measured."""

    first_up_seconds: float = 0.0
    first_up_wall_seconds: float = 0.0

    def ensure_up(self) -> None:
        """Bring the lab back if a test took it down (the down test does, then calls this)."""
        state = lab_api.load_state(self.state_dir)
        if state is None or state.status != "up":
            up_lab(self.state_dir)


def up_lab(state_dir: Path) -> lab_api.LabState:
    """``lab up`` of the lab profile as the command does it: the emulated devices (dept1 on
    VRP, vil2 on Comware) boot from automation's rendering for their platform."""
    inv = load_inventory(LAB_INVENTORY)
    return lab_api.up(inv, state_dir, vendor_configs=kept_platform_configs(inv))


def _require_machine() -> None:
    if os.geteuid() != 0:
        pytest.skip("lab tests need root (network namespaces, mounts)")
    missing = missing_tools(TOOLS) + missing_tools(TRAFFIC_TOOLS)
    if missing:
        pkgs = " ".join(sorted({pkg for _, pkg in missing}))
        pytest.fail(f"lab tests run as root but need Debian packages: {pkgs} (make setup)")


class LabMachine:
    """This machine's one lab slot, held for the session: the session lab, when one is up."""

    session_lab: SessionLab | None = None


@pytest.fixture(scope="session")
def lab_machine() -> Iterator[LabMachine]:
    """The session lock and a clean machine (a crashed earlier run's lab swept away)."""
    _require_machine()
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    with open(SESSION_LOCK, "a+") as lock:
        deadline = time.monotonic() + 1800
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    pytest.fail(f"another test session has held {SESSION_LOCK} for 30 minutes")
                time.sleep(1)
        leftover = lab_api.sweep()
        if leftover.namespaces or leftover.processes or leftover.links:
            print(
                f"\nremoved a leftover lab: {leftover.namespaces} namespaces, "
                f"{leftover.processes} processes, {leftover.links} links"
            )
        yield LabMachine()


def new_state_dir() -> Path:
    state_dir = Path(tempfile.mkdtemp(prefix="egovnet-lab-", dir="/tmp"))
    state_dir.chmod(0o755)  # the lab's daemons (user frr) must reach their files
    return state_dir


def take_down(state_dir: Path) -> None:
    """``down``, sweep if anything is left, remove the state dir (unless asked to keep it);
    fail naming what ``down`` left."""
    report = lab_api.down(state_dir, check=False)
    if not report.clean:
        lab_api.sweep()
    if os.environ.get("EGOVNET_LAB_KEEP_STATE"):
        print(f"\nlab state and logs kept in {state_dir}")
    else:
        shutil.rmtree(state_dir, ignore_errors=True)
    assert report.clean, f"lab down left: {report.leftovers}"


@pytest.fixture(scope="session")
def lab(lab_machine: LabMachine) -> Iterator[SessionLab]:
    state_dir = new_state_dir()
    try:
        started = time.monotonic()
        state = up_lab(state_dir)
        handle = SessionLab(state_dir)
        handle.first_up_wall_seconds = time.monotonic() - started
        handle.first_up_seconds = state.up_seconds or 0.0
        print(
            f"\nlab up in {state.up_seconds:.1f}s, "
            f"{(state.memory_bytes or 0) / 2**20:.0f} MiB ({state_dir})"
        )
        lab_machine.session_lab = handle
        yield handle
    finally:
        lab_machine.session_lab = None
        take_down(state_dir)
