"""Lab credentials: from the environment, else generated once into the secrets file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from base.errors import LabError, LabUsageError
from inventory.catalog import Inventory
from inventory.secrets import SecretStore
from lab.credentials import ensure_secrets, needed_env_names

pytestmark = pytest.mark.unit


@pytest.fixture(autouse=True)
def no_env(monkeypatch: pytest.MonkeyPatch, lab_inventory: Inventory) -> None:
    for name in needed_env_names(lab_inventory):
        monkeypatch.delenv(name, raising=False)


def test_generated_once_into_a_private_file_that_inventory_secrets_reads(
    tmp_path: Path, lab_inventory: Inventory
) -> None:
    file = tmp_path / "secrets.env"
    first = ensure_secrets(lab_inventory, file)
    assert set(first) == {
        "EGOVNET_SNMP_AUTH_KEY",
        "EGOVNET_SNMP_PRIV_KEY",
        "EGOVNET_SNMP_COMMUNITY",
        "EGOVNET_DEVICE_PASSWORD",
    }
    assert stat.S_IMODE(file.stat().st_mode) == 0o600
    assert ensure_secrets(lab_inventory, file) == first
    store = SecretStore(file)
    assert store.get("EGOVNET_DEVICE_PASSWORD").reveal() == first["EGOVNET_DEVICE_PASSWORD"]
    assert len(set(first.values())) == len(first)


def test_environment_wins_and_is_not_written(
    tmp_path: Path, lab_inventory: Inventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOVNET_DEVICE_PASSWORD", "from-the-environment")
    file = tmp_path / "secrets.env"
    values = ensure_secrets(lab_inventory, file)
    assert values["EGOVNET_DEVICE_PASSWORD"] == "from-the-environment"
    assert "from-the-environment" not in file.read_text()


def test_a_too_short_key_is_refused_before_anything_starts(
    tmp_path: Path, lab_inventory: Inventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EGOVNET_SNMP_AUTH_KEY", "short")
    with pytest.raises(LabUsageError, match="EGOVNET_SNMP_AUTH_KEY"):
        ensure_secrets(lab_inventory, tmp_path / "secrets.env")


def test_without_generation_a_missing_secret_is_an_error(
    tmp_path: Path, lab_inventory: Inventory
) -> None:
    with pytest.raises(LabError, match="EGOVNET_SNMP_AUTH_KEY"):
        ensure_secrets(lab_inventory, tmp_path / "none.env", generate=False)
