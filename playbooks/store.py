"""Audit state under the state directory: results per asset, raw role output, migration files.

::

    <state>/audit/results/<asset>.json     CheckResult rows of one asset (latest run)
    <state>/audit/raw/<host>.json          what the hardening role recorded on one server
    <state>/audit/evidence/<host>/...      evidence files fetched from that server
    <state>/audit/migration/<system>.json  what the migration playbook found per system
    <state>/automation/changes.jsonl       the automation change log (read, never written)

Files are written whole (temporary file + rename). A results file that is not valid JSON or
whose rows fail validation (including an evidence hash that no longer matches) is bad input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from base.atomic import write_text
from base.errors import AuditInputError

from .results import CheckResult


class AssetResults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    asset_id: str
    written_at: datetime
    results: list[CheckResult]


@dataclass(frozen=True)
class AuditPaths:
    state_dir: Path

    @property
    def root(self) -> Path:
        return self.state_dir / "audit"

    @property
    def results(self) -> Path:
        return self.root / "results"

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def evidence(self) -> Path:
        return self.root / "evidence"

    @property
    def migration(self) -> Path:
        return self.root / "migration"

    @property
    def ansible(self) -> Path:
        return self.root / "ansible"


def save_asset_results(paths: AuditPaths, asset_id: str, rows: Iterable[CheckResult]) -> Path:
    doc = AssetResults(
        asset_id=asset_id, written_at=datetime.now().astimezone(), results=list(rows)
    )
    out = paths.results / f"{asset_id}.json"
    write_text(out, doc.model_dump_json(indent=2) + "\n")
    return out


def location_of(exc: ValidationError) -> str:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "(document)"
    return f"{field}: {first['msg']}"


def load_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise AuditInputError(f"{path}:{exc.lineno}: not valid JSON ({exc.msg})") from None
    except UnicodeDecodeError as exc:
        raise AuditInputError(f"{path}:1: not UTF-8 ({exc.reason})") from None


def load_asset_results(path: Path) -> AssetResults:
    try:
        return AssetResults.model_validate(load_json(path))
    except ValidationError as exc:
        raise AuditInputError(f"{path}:1: {location_of(exc)}") from None


def load_results(paths: AuditPaths) -> list[CheckResult]:
    """Every stored row, assets in name order."""
    if not paths.results.is_dir():
        return []
    rows: list[CheckResult] = []
    for file in sorted(paths.results.glob("*.json")):
        rows.extend(load_asset_results(file).results)
    return rows
