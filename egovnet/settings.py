"""Runtime settings shared by every command: where state lives and which inventory to read."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from inventory.secrets import SecretStore

if TYPE_CHECKING:
    from inventory.catalog import Inventory

# inventory.loader (pydantic models, the YAML reader) is imported where it is used: the
# exporter's serving process resolves its settings without it (docs/performance.md).

DEFAULT_STATE_DIR = ".egovnet"


@dataclass
class Settings:
    state_dir: Path
    inventory_path: Path

    @classmethod
    def resolve(
        cls,
        state_dir: Path | None = None,
        inventory: Path | None = None,
        profile: str | None = None,
    ) -> Settings:
        from inventory.loader import default_inventory_path, profile_path

        state = state_dir or Path(os.environ.get("EGOVNET_STATE_DIR", DEFAULT_STATE_DIR))
        if inventory is not None:
            inv_path = inventory
        elif profile is not None:
            inv_path = profile_path(profile)
        else:
            inv_path = default_inventory_path()
        return cls(state_dir=state, inventory_path=inv_path)

    def ensure_state_dir(self) -> Path:
        self.state_dir.mkdir(parents=True, exist_ok=True)
        return self.state_dir

    def load_inventory(self) -> Inventory:
        from inventory.loader import load_inventory

        return load_inventory(self.inventory_path)

    @property
    def secrets_file(self) -> Path:
        env = os.environ.get("EGOVNET_SECRETS_FILE")
        return Path(env) if env else self.state_dir / "secrets.env"

    def secrets(self) -> SecretStore:
        return SecretStore(self.secrets_file)
