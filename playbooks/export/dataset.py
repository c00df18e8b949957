"""Everything an audit export holds, gathered once; every format renders this same data."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from base.errors import AuditInputError
from inventory.catalog import Inventory

from ..assets import EXTRANET_ID, SystemRef, all_system_refs, asset_type
from ..changelog import ChangeLogRead, change_log_files, read_change_log
from ..controls import AssetType
from ..migration import MigrationReport, migration_report
from ..results import CheckResult, ResultStatus, pass_rate
from ..store import AuditPaths, load_results
from .localtime import DEFAULT_ZONE, minute, zone, zone_label


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
    overdue_days: int | None = None  # the 等保测评 is this many days past its due date


@dataclass(frozen=True)
class AuditDataset:
    generated_at: datetime
    zone: ZoneInfo  # the zone times are shown in to people (HTML)
    inventory_name: str  # the inventory's profile, never a path on the exporting machine
    scope: str | None  # the --system filter
    rows: list[CheckResult]
    summaries: list[SystemSummary]
    changes: ChangeLogRead
    migration: MigrationReport


def _summary(inv: Inventory, ref: SystemRef, rows: list[CheckResult], today: date) -> SystemSummary:
    counts = Counter(r.result for r in rows)
    department = inv.site_by_id.get(ref.department)
    overdue = None
    if ref.next_due is not None and ref.next_due < today:
        overdue = (today - ref.next_due).days
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
        overdue_days=overdue,
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
    timezone: str = DEFAULT_ZONE,
) -> AuditDataset:
    """Everything one export shows. ``timezone`` is the zone people read the times in; it
    also decides which day "today" is for overdue assessments."""
    tz = zone(timezone)
    generated_at = now or datetime.now().astimezone()
    today = generated_at.astimezone(tz).date()
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
    summaries = [
        _summary(inv, ref, [r for r in rows if r.system_id == ref.id], today) for ref in chosen
    ]
    devices = None if system is None else _assets_of(inv, system)
    changes = read_change_log(change_log_files(paths.state_dir), devices)
    migration = migration_report(
        inv,
        paths.migration,
        as_of=today,
        systems=None if system is None or system == EXTRANET_ID else [system],
    )
    if system == EXTRANET_ID:
        migration = migration.model_copy(update={"systems": [], "blockers": []})
    return AuditDataset(
        generated_at=generated_at,
        zone=tz,
        inventory_name=_inventory_name(inv),
        scope=system,
        rows=rows,
        summaries=summaries,
        changes=changes,
        migration=migration,
    )


def local_generated_at(data: AuditDataset) -> str:
    """When the export was made, as the reader's clock shows it, with the zone named."""
    return f"{minute(data.generated_at, data.zone)} {zone_label(data.zone, data.generated_at)}"


def _inventory_name(inv: Inventory) -> str:
    profile = inv.profile
    return f"{profile.name}: {profile.description}" if profile.description else profile.name


def write_target_ok(out: Path) -> None:
    """An export must name a file in an existing (or creatable) folder, not a folder."""
    if out.exists() and out.is_dir():
        raise AuditInputError(f"--out: {out} is a directory; name the file to write")
