"""上云率 against the plan, by department and wave, with blockers and what reality says.

The records (inventory ``systems``) give the migration status; the result files written by
``playbooks/cloud_migration.yml`` (one per system under ``<state>/audit/migration/``) say
whether reality agrees. The rate follows the inventory's rule
(:func:`inventory.catalog.migrated_ratio`: migrated over all systems but the retained); the
*verified* rate counts only migrated systems whose check found no disagreement.

Blockers of a system not yet migrated: a dependency that is not migrated, a missing 等保
filing (备案) or assessment (测评), or an assessment past its due date.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, ValidationError

from base.errors import AuditInputError
from inventory.catalog import Inventory, migrated_ratio
from inventory.models import MIGRATED_STATUSES, MigrationStatus, System

from .store import load_json, location_of


class Flag(StrEnum):
    cloud_not_answering = "cloud_not_answering"
    onprem_still_answering = "onprem_still_answering"
    hosts_not_in_cloud = "hosts_not_in_cloud"
    already_in_cloud = "already_in_cloud"
    hosts_in_cloud = "hosts_in_cloud"
    not_answering = "not_answering"


class MigrationCheck(BaseModel):
    """What the migration playbook found for one system."""

    model_config = ConfigDict(extra="ignore")

    system_id: str
    #: the run that wrote the file (``migration_run_id``; empty when run by hand)
    run_id: str = ""
    status: MigrationStatus
    probe: str
    checked_at: AwareDatetime
    cloud_url: str | None = None
    cloud_status: int | None = None
    cloud_answers: bool
    onprem_url: str | None = None
    onprem_status: int | None = None
    onprem_answers: bool
    host_tiers: dict[str, str] = {}
    hosts_in_cloud: bool
    flags: list[Flag]


class BlockerKind(StrEnum):
    dependency_not_migrated = "dependency_not_migrated"
    filing_missing = "filing_missing"
    assessment_missing = "assessment_missing"
    assessment_overdue = "assessment_overdue"


class Blocker(BaseModel):
    """Why a system cannot move yet. ``detail`` is the English sentence; the other fields hold
    its facts so an export can say it in its own language."""

    system_id: str
    kind: BlockerKind
    detail: str
    dependency: str | None = None  # dependency_not_migrated: the system it waits for
    dependency_name: str | None = None
    dependency_status: MigrationStatus | None = None  # None: not in the inventory
    level: int | None = None  # filing_missing: the 等保 level that needs a filing
    due: date | None = None  # assessment_overdue: when the 测评 was due
    last_assessment: date | None = None
    overdue_days: int | None = None


class GroupRate(BaseModel):
    key: str
    name: str
    systems: int
    counted: int
    migrated: int
    ratio: float


class SystemLine(BaseModel):
    id: str
    name: str
    department: str
    department_name: str
    wave: int | None
    status: MigrationStatus
    migrated: bool
    checked: bool
    flags: list[Flag]
    blockers: list[Blocker]


class MigrationReport(BaseModel):
    as_of: date
    total: int
    counted: int
    migrated: int
    ratio: float
    verified_migrated: int | None
    verified_ratio: float | None
    baseline_ratio: float
    target_ratio: float
    plan_state: str  # below_baseline | meets_baseline | meets_target
    by_status: dict[str, int]
    by_department: list[GroupRate]
    by_wave: list[GroupRate]
    systems: list[SystemLine]
    blockers: list[Blocker]
    disagreements: int
    results_dir: str | None


class MigrationMetrics(BaseModel):
    """What the exporter serves: ``egovnet_systems_migrated_ratio`` and
    ``egovnet_systems{status=...}`` (docs/metrics.md)."""

    migrated_ratio: float
    systems_by_status: dict[str, int]
    record_disagreements: int | None = None


def load_checks(results_dir: Path | None) -> dict[str, MigrationCheck]:
    """The playbook's result files by system id (none when the folder is absent)."""
    if results_dir is None or not results_dir.is_dir():
        return {}
    checks: dict[str, MigrationCheck] = {}
    for file in sorted(results_dir.glob("*.json")):
        check = load_check(file)
        checks[check.system_id] = check
    return checks


def load_check(file: Path) -> MigrationCheck:
    """One result file of the playbook; a file that does not validate is bad input."""
    try:
        return MigrationCheck.model_validate(load_json(file))
    except ValidationError as exc:
        raise AuditInputError(f"{file}:1: {location_of(exc)}") from None


def blockers_of(inv: Inventory, system: System, as_of: date) -> list[Blocker]:
    """Why a system that is not migrated yet cannot move (empty when it already has)."""
    status = system.migration.status
    if status in MIGRATED_STATUSES or status is MigrationStatus.retained:
        return []
    out: list[Blocker] = []

    def block(kind: BlockerKind, detail: str, **facts: Any) -> None:
        out.append(Blocker(system_id=system.id, kind=kind, detail=detail, **facts))

    for dep in system.migration.depends_on:
        other = inv.system_by_id.get(dep)
        if other is None:
            block(
                BlockerKind.dependency_not_migrated,
                f"{dep} is not in the inventory",
                dependency=dep,
            )
        elif other.migration.status not in MIGRATED_STATUSES:
            block(
                BlockerKind.dependency_not_migrated,
                f"{dep} ({other.name}) is {other.migration.status.value}",
                dependency=dep,
                dependency_name=other.name,
                dependency_status=other.migration.status,
            )
    mlps = system.mlps
    if not mlps.filing_number:
        block(
            BlockerKind.filing_missing,
            f"等保 level {mlps.level}: no filing number (备案)",
            level=mlps.level,
        )
    if mlps.last_assessment is None:
        block(BlockerKind.assessment_missing, "no 等保测评 on record")
    elif mlps.next_due is not None and mlps.next_due < as_of:
        days = (as_of - mlps.next_due).days
        block(
            BlockerKind.assessment_overdue,
            f"测评 overdue by {days} days: due {mlps.next_due.isoformat()} "
            f"(last {mlps.last_assessment})",
            due=mlps.next_due,
            last_assessment=mlps.last_assessment,
            overdue_days=days,
        )
    return out


def _group(key: str, name: str, systems: list[System]) -> GroupRate:
    counted = [s for s in systems if s.migration.status is not MigrationStatus.retained]
    migrated = [s for s in counted if s.migration.status in MIGRATED_STATUSES]
    return GroupRate(
        key=key,
        name=name,
        systems=len(systems),
        counted=len(counted),
        migrated=len(migrated),
        ratio=round(migrated_ratio(systems), 4),
    )


def _plan_state(ratio: float, baseline: float, target: float) -> str:
    if ratio >= target:
        return "meets_target"
    return "meets_baseline" if ratio >= baseline else "below_baseline"


def migration_report(
    inv: Inventory,
    results_dir: Path | None = None,
    *,
    as_of: date | None = None,
    systems: Iterable[str] | None = None,
) -> MigrationReport:
    today = as_of or date.today()
    wanted = set(systems) if systems else None
    chosen = [s for s in inv.systems if wanted is None or s.id in wanted]
    checks = load_checks(results_dir)
    lines: list[SystemLine] = []
    blockers: list[Blocker] = []
    for system in chosen:
        check = checks.get(system.id)
        stale = check is not None and check.status is not system.migration.status
        mine = blockers_of(inv, system, today)
        blockers.extend(mine)
        lines.append(
            SystemLine(
                id=system.id,
                name=system.name,
                department=system.department,
                department_name=inv.site(system.department).name,
                wave=system.migration.wave,
                status=system.migration.status,
                migrated=system.migration.status in MIGRATED_STATUSES,
                checked=check is not None and not stale,
                flags=list(check.flags) if check is not None and not stale else [],
                blockers=mine,
            )
        )
    counted = [s for s in chosen if s.migration.status is not MigrationStatus.retained]
    migrated = [ln for ln in lines if ln.migrated]
    plan = inv.policy.plan
    ratio = round(migrated_ratio(chosen), 4)
    verified: int | None = None
    verified_ratio: float | None = None
    if any(ln.checked for ln in lines):
        verified = sum(1 for ln in migrated if ln.checked and not ln.flags)
        verified_ratio = round(verified / len(counted), 4) if counted else 1.0
    departments = sorted({s.department for s in chosen})
    waves = sorted({s.migration.wave for s in chosen if s.migration.wave is not None})
    return MigrationReport(
        as_of=today,
        total=len(chosen),
        counted=len(counted),
        migrated=len(migrated),
        ratio=ratio,
        verified_migrated=verified,
        verified_ratio=verified_ratio,
        baseline_ratio=plan.migration_baseline_ratio,
        target_ratio=plan.migration_target_ratio,
        plan_state=_plan_state(ratio, plan.migration_baseline_ratio, plan.migration_target_ratio),
        by_status=dict(Counter(s.migration.status.value for s in chosen)),
        by_department=[
            _group(d, inv.site(d).name, [s for s in chosen if s.department == d])
            for d in departments
        ],
        by_wave=[
            _group(str(w), f"wave {w}", [s for s in chosen if s.migration.wave == w]) for w in waves
        ],
        systems=lines,
        blockers=blockers,
        disagreements=sum(1 for ln in lines if ln.flags),
        results_dir=str(results_dir) if results_dir is not None else None,
    )


def migration_metrics(inv: Inventory, results_dir: Path | None = None) -> MigrationMetrics:
    """For the exporter: 上云率 and systems per status (every status, zeros included), plus
    the number of systems whose last migration check disagreed with the record."""
    by_status = {status.value: 0 for status in MigrationStatus}
    for system in inv.systems:
        by_status[system.migration.status.value] += 1
    checks = load_checks(results_dir)
    disagreements: int | None = None
    if checks:
        current = {s.id: s.migration.status for s in inv.systems}
        disagreements = sum(
            1 for c in checks.values() if c.flags and current.get(c.system_id) is c.status
        )
    return MigrationMetrics(
        migrated_ratio=inv.migrated_ratio,
        systems_by_status=by_status,
        record_disagreements=disagreements,
    )
