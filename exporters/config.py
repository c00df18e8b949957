"""The exporter's config file (``--config.file``): which inventory, which secrets, how to poll.

Example (paths are relative to the config file)::

    inventory: ../inventory/lab
    secrets_file: ../.egovnet/secrets.env
    state_dir: ../.egovnet        # bandwidth results and migration checks served on /metrics
    max_concurrency: 64           # devices polled at once
    varbinds_per_request: 30      # OIDs per SNMP GET
    scrape_timeout_offset_seconds: 0.5
    traps:
      listen: 127.0.0.1:9162

A bad file is one error naming file, line and field (exit code 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from base.errors import ExporterConfigError, InventoryError, SourceLocation
from inventory.yamlsource import Located, load_located

from .listen import listen_address

__all__ = ["ExporterConfig", "TrapConfig", "listen_address", "load_exporter_config", "load_model"]

M = TypeVar("M", bound=BaseModel)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TrapConfig(_Strict):
    listen: str = "127.0.0.1:9162"

    @field_validator("listen")
    @classmethod
    def _address(cls, value: str) -> str:
        listen_address(value)
        return value

    @property
    def address(self) -> tuple[str, int]:
        return listen_address(self.listen)


class ExporterConfig(_Strict):
    inventory: Path
    secrets_file: Path | None = None
    max_concurrency: int = Field(64, ge=1, le=10_000)
    varbinds_per_request: int = Field(30, ge=1, le=200)
    scrape_timeout_offset_seconds: float = Field(0.5, ge=0)
    traps: TrapConfig | None = None
    state_dir: Path | None = None

    def resolved(self, base: Path) -> ExporterConfig:
        """Paths made absolute against the directory of the config file."""
        secrets = (base / self.secrets_file).resolve() if self.secrets_file else None
        state = (base / self.state_dir).resolve() if self.state_dir else None
        return self.model_copy(
            update={
                "inventory": (base / self.inventory).resolve(),
                "secrets_file": secrets,
                "state_dir": state,
            }
        )

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.model_dump(mode="json", exclude_none=True), allow_unicode=True)


def load_model(model: type[M], path: Path) -> tuple[M, Located]:
    """Parse ``path`` into ``model``; the first problem raises a located ExporterConfigError."""
    if not path.is_file():
        raise ExporterConfigError(SourceLocation(str(path), 1, "(file)"), "no such file")
    try:
        located = load_located(path)
    except InventoryError as exc:  # bad YAML, already located
        raise ExporterConfigError(exc.location, exc.message) from exc
    data: Any = located.data if located.data is not None else {}
    if not isinstance(data, dict):
        raise ExporterConfigError(located.at(()), "the file must be a mapping")
    try:
        return model.model_validate(data), located
    except ValidationError as exc:
        raise _located(located, exc) from None


def _located(located: Located, exc: ValidationError) -> ExporterConfigError:
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    kind = err.get("type", "")
    if kind == "missing":
        message = "required field is missing"
    elif kind == "extra_forbidden":
        message = "unknown field"
    else:
        message = str(err.get("msg", "invalid value")).removeprefix("Value error, ")
        value = err.get("input")
        if not isinstance(value, dict | list):
            message += f" (got {value!r})"
    return ExporterConfigError(located.at(loc), message)


def load_exporter_config(path: Path) -> ExporterConfig:
    parsed, located = load_model(ExporterConfig, path)
    config = parsed.resolved(path.resolve().parent)
    if not config.inventory.exists():
        raise ExporterConfigError(located.at(("inventory",)), f"no inventory at {config.inventory}")
    return config
