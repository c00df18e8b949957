"""What one ``egovnet config`` run works with: the inventory, secrets and state paths.

State layout under the state directory::

    automation/rendered/<device>.cfg   the last render (secret markers, never values)
    automation/backups/                git repository of running configs
    automation/changes.jsonl           the append-only change log
    automation/pending/<device>.json   pushes egovnet itself reverts unless confirmed
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from inventory.catalog import Inventory
from inventory.models import Device
from inventory.secrets import SecretStore

from .backup import BackupRepo
from .changelog import CHANGE_LOG_PATHS, ChangeLog
from .intent import DeviceIntent, build_intent
from .pending import PendingStore
from .render import RenderedConfig, Renderer


@dataclass
class Workspace:
    inventory: Inventory
    state_dir: Path
    secrets: SecretStore
    #: render each device for its production platform, ignoring the profile's override
    production: bool = False
    #: where ``render`` writes (default ``<state>/automation/rendered``)
    rendered_out: Path | None = None
    #: a template tree laid out like automation/templates (a set under review)
    templates: Path | None = None
    #: the inventory directory (what egovnet's revert timer loads again)
    inventory_path: Path | None = None
    renderer: Renderer = field(init=False)
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    def __post_init__(self) -> None:
        self.renderer = Renderer(self.templates)

    @property
    def root(self) -> Path:
        return self.state_dir / "automation"

    @property
    def rendered_dir(self) -> Path:
        return self.rendered_out or self.root / "rendered"

    @property
    def backups(self) -> BackupRepo:
        return BackupRepo(self.root / "backups")

    @property
    def changelog(self) -> ChangeLog:
        return ChangeLog(self.state_dir / CHANGE_LOG_PATHS[0])

    @property
    def pending(self) -> PendingStore:
        return PendingStore(self.state_dir)

    def device(self, name: str) -> Device:
        return self.inventory.device(name)

    def intent(self, name: str) -> DeviceIntent:
        dev = self.device(name)
        return build_intent(self.inventory, dev, dev.platform if self.production else None)

    def render(self, name: str) -> RenderedConfig:
        return self.renderer.render(self.intent(name))
