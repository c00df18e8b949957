"""Everything an audit export holds, gathered once; every format renders this same data."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from base.errors import AuditInputError
from inventory.catalog import Inventory

from ..assets import EXTRANET_ID, SystemRef, all_system_refs, asset_type
from ..changelog import ChangeLogRead, change_log_files, read_change_log
from ..controls import AssetType
from ..migration import MigrationReport, migration_report
from ..results import CheckResult, ResultStatus, pass_rate
from ..store import AuditPaths, load_results


@dataclass(frozen=True)
class SystemSummary:
    system: SystemRef
    department_name: str
    assets: int
    checks: int
    passed: int
    failed: int
    manual: int
    not_applicable: int
    pass_rate: float | None


@dataclass(frozen=True)
class AuditDataset:
    generated_at: datetime
    inventory_root: str
    scope: str | None  # the --system filter
    rows: list[CheckResult]
    summaries: list[SystemSummary]
    changes: ChangeLogRead
    migration: MigrationReport


def _summary(inv: Inventory, ref: SystemRef, rows: list[CheckResult]) -> SystemSummary:
    counts = Counter(r.result for r in rows)
    department = inv.site_by_id.get(ref.department)
    return SystemSummary(
        system=ref,
        department_name=department.name if department else ref.department,
        assets=len({r.asset_id for r in rows}),
        checks=len(rows),
        passed=counts[ResultStatus.passed],
        failed=counts[ResultStatus.failed],
        manual=counts[ResultStatus.manual],
        not_applicable=counts[ResultStatus.not_applicable],
        pass_rate=pass_rate(rows),
    )


def _assets_of(inv: Inventory, system_id: str) -> set[str]:
    if system_id == EXTRANET_ID:
        return {d.name for d in inv.devices if asset_type(d) is AssetType.network_device}
    return set(inv.system_by_id[system_id].hosts)


def build_dataset(
    inv: Inventory,
    paths: AuditPaths,
    *,
    system: str | None = None,
    network_level: int = 2,
    now: datetime | None = None,
) -> AuditDataset:
    refs = all_system_refs(inv, network_level)
    known = [r.id for r in refs]
    if system is not None and system not in known:
        raise AuditInputError(f"--system: unknown system {system!r} (known: {', '.join(known)})")
    rows = [r for r in load_results(paths) if system is None or r.system_id == system]
    rows.sort(
        key=lambda r: (
            known.index(r.system_id) if r.system_id in known else len(known),
            r.asset_id,
            r.check_id,
        )
    )
    chosen = [r for r in refs if system is None or r.id == system]
    summaries = [_summary(inv, ref, [r for r in rows if r.system_id == ref.id]) for ref in chosen]
    devices = None if system is None else _assets_of(inv, system)
    changes = read_change_log(change_log_files(paths.state_dir), devices)
    migration = migration_report(
        inv,
        paths.migration,
        systems=None if system is None or system == EXTRANET_ID else [system],
    )
    if system == EXTRANET_ID:
        migration = migration.model_copy(update={"systems": [], "blockers": []})
    return AuditDataset(
        generated_at=now or datetime.now().astimezone(),
        inventory_root=str(inv.root),
        scope=system,
        rows=rows,
        summaries=summaries,
        changes=changes,
        migration=migration,
    )


def write_target_ok(out: Path) -> None:
    """An export must name a file in an existing (or creatable) folder, not a folder."""
    if out.exists() and out.is_dir():
        raise AuditInputError(f"--out: {out} is a directory; name the file to write")
