"""Nornir over the source of truth: pick devices, run a task on them in parallel.

Hosts come from the ``EgovnetInventory`` plugin (servers left out); ``select`` narrows them
by name and ``key=value`` filters; ``run`` collects one :class:`DeviceOutcome` per device
and reports each as it finishes (for a progress bar).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.task import Result, Task

from base.errors import AutomationInputError
from inventory.models import Platform, Role, Tier

#: what ``--filter key=value`` may name, and where the value lives on a Nornir host
FILTER_KEYS = ("site", "tier", "role", "platform", "production_platform")
#: The values a filter key can ever take, where the inventory's vocabulary fixes them.
FILTER_VOCABULARY: dict[str, tuple[str, ...]] = {
    "tier": tuple(Tier),
    "role": tuple(Role),
    "platform": tuple(Platform),
    "production_platform": tuple(Platform),
}


class Status(StrEnum):
    rendered = "rendered"
    unchanged = "unchanged"
    would_change = "would-change"
    committed = "committed"
    pending = "pending-confirm"
    confirmed = "confirmed"
    nothing_pending = "nothing-pending"
    rolled_back = "rolled-back"
    #: an unconfirmed push undone by egovnet's own timer (the device cannot revert itself)
    reverted = "reverted"
    backed_up = "backed-up"
    in_sync = "in-sync"
    drift = "drift"
    failed = "failed"


@dataclass(frozen=True)
class DeviceOutcome:
    device: str
    platform: str
    status: Status
    diff: str = ""
    error: str | None = None
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.status is Status.failed


def make_nornir(inventory_path: Path, secrets_file: Path | None, workers: int = 20) -> Nornir:
    return InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": workers}},
        inventory={
            "plugin": "EgovnetInventory",
            "options": {
                "path": str(inventory_path),
                "secrets_file": str(secrets_file) if secrets_file else None,
            },
        },
        logging={"enabled": False},
    )


def parse_filters(filters: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in filters:
        key, sep, value = item.partition("=")
        if not sep or key not in FILTER_KEYS or not value:
            raise AutomationInputError(
                f"--filter {item!r}: expected KEY=VALUE with KEY one of {', '.join(FILTER_KEYS)}"
            )
        out[key] = value
    return out


def select(nr: Nornir, devices: list[str], filters: list[str]) -> Nornir:
    """Hosts named in ``devices`` (all when empty) that match every filter."""
    known = set(nr.inventory.hosts)
    unknown = [d for d in devices if d not in known]
    if unknown:
        raise AutomationInputError(
            f"unknown device(s) {', '.join(unknown)} (servers are not configured here)"
        )
    wanted = set(devices)
    rules = parse_filters(filters)
    _check_filter_values(nr, rules)

    def keep(host: Any) -> bool:
        if wanted and host.name not in wanted:
            return False
        return all(_host_value(host, key) == value for key, value in rules.items())

    picked = nr.filter(filter_func=keep)
    if not picked.inventory.hosts:
        raise AutomationInputError("no device matches the given names and filters")
    return picked


def _host_value(host: Any, key: str) -> str:
    return str(host.platform if key == "platform" else host.data.get(key))


def _check_filter_values(nr: Nornir, rules: dict[str, str]) -> None:
    """A filter value that no device could ever have is a typo: name it and the choices."""
    problems = []
    for key, value in rules.items():
        vocabulary = FILTER_VOCABULARY.get(key)
        if vocabulary is None:  # a site: the inventory's own site ids are the vocabulary
            vocabulary = tuple(sorted({_host_value(h, key) for h in nr.inventory.hosts.values()}))
        if value not in vocabulary:
            shown = ", ".join(vocabulary[:12]) + (", ..." if len(vocabulary) > 12 else "")
            problems.append(f"unknown {key} {value!r} (one of: {shown})")
    if problems:
        raise AutomationInputError("--filter: " + "; ".join(problems))


TaskFn = Callable[..., DeviceOutcome]


def run(
    nr: Nornir,
    fn: TaskFn,
    on_done: Callable[[DeviceOutcome], None] | None = None,
    **kwargs: Any,
) -> dict[str, DeviceOutcome]:
    """Run ``fn(task, **kwargs) -> DeviceOutcome`` on every host; never raises per host."""
    lock = threading.Lock()

    def task(task: Task, **kw: Any) -> Result:
        try:
            outcome = fn(task, **kw)
        except Exception as exc:  # one device's failure must not stop the others
            outcome = DeviceOutcome(
                task.host.name, str(task.host.platform), Status.failed, error=one_line(exc)
            )
        if on_done is not None:
            with lock:
                on_done(outcome)
        return Result(
            host=task.host,
            result=outcome,
            changed=outcome.status
            in {Status.committed, Status.pending, Status.rolled_back, Status.reverted},
            diff=outcome.diff,
            failed=outcome.failed,
        )

    aggregated = nr.run(task=task, name=getattr(fn, "__name__", "task"), **kwargs)
    out: dict[str, DeviceOutcome] = {}
    for name, multi in aggregated.items():
        value = multi[0].result
        if isinstance(value, DeviceOutcome):
            out[name] = value
        else:  # nornir itself failed before our wrapper ran
            out[name] = DeviceOutcome(name, "", Status.failed, error=one_line(multi[0].exception))
    return dict(sorted(out.items()))


def one_line(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return f"{type(exc).__name__}: {text}" if type(exc).__module__ != "base.errors" else text
