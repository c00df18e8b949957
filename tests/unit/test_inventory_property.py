"""Property: whatever text or bytes an inventory holds, ``validate`` answers 0 or 2, in bounds.

For generated YAML, mutated copies of the lab inventory and raw bytes, the loader either
returns an :class:`Inventory` or raises :class:`InventoryErrors` (nothing else), and
``egovnet inventory validate`` (in-process, through typer's CliRunner) exits 0 or 2 without a
traceback, never prints the secret planted in the inventory, and stays within a memory bound
and hypothesis's deadline. The unit tier runs a few examples; set
``EGOVNET_HYPOTHESIS_PROFILE=ci`` for the long budget.
"""

from __future__ import annotations

import os
import resource
import shutil
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from base.errors import InventoryErrors
from inventory.loader import load_inventory
from tests.conftest import LAB_INVENTORY
from tests.unit.inventory_copies import run_cli

pytestmark = pytest.mark.unit

SECRET = "Wj@2025#snmpAuth"
#: the test process's peak resident size, in KiB: a lab load adds a few MiB, a bomb gigabytes
MEMORY_BOUND_KIB = 1024 * 1024

_COMMON = {
    "deadline": timedelta(seconds=10),
    "database": None,  # nothing written into the work tree
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,
}
settings.register_profile("unit", max_examples=8, **_COMMON)
settings.register_profile("ci", max_examples=200, **_COMMON)
PROFILE = settings.get_profile(os.environ.get("EGOVNET_HYPOTHESIS_PROFILE", "unit"))

FILES = ["devices.yaml", "links.yaml", "sites.yaml", "systems.yaml", "policy.yaml"]
TOKENS = [
    "&a ",
    "*a",
    "<<: *a\n",
    "<<: ",
    "!custom ",
    "!!python/object/apply:os.system ",
    "!!binary ",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "? ",
    "\t",
    "---\n",
    "%YAML 1.1\n",
    "|",
    ">",
    "'",
    '"',
    "#",
    "\n",
    "  ",
    ",",
    "\x00",
    "\ufeff",
    "\r",
    "龙归镇",
    "2025-13-45",
    "true",
    "1e400",
    "0x1F",
    "~",
    "9" * 60,
    "0.0.0.0",
    "10.1.0.0/30",
]
KEYS = [
    "name",
    "id",
    "site",
    "parent",
    "tier",
    "device",
    "interface",
    "interfaces",
    "committed_mbps",
    "mgmt_address",
    "lan_address",
    "last_assessment",
    "auth_key_env",
    "password_env",
    "community_env",
    "devices",
    "links",
    "sites",
    "<<",
]
SECTIONS = ["devices", "links", "sites", "systems", "snmp_profiles", "credential_profiles"]


@pytest.fixture(scope="module")
def lab_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the lab inventory with a secret written where a variable name belongs."""
    root = tmp_path_factory.mktemp("fuzz") / "inv"
    shutil.copytree(LAB_INVENTORY, root)
    profiles = root / "profiles.yaml"
    text = profiles.read_text(encoding="utf-8")
    profiles.write_text(text.replace("EGOVNET_SNMP_AUTH_KEY", SECRET), encoding="utf-8")
    return root


def validate_in_bounds(root: Path, json_out: bool) -> None:
    """The property itself, checked through the loader and through the command."""
    expected, errors = 0, []
    try:
        load_inventory(root)
    except InventoryErrors as exc:
        expected, errors = 2, exc.errors
    assert expected == 0 or errors, "InventoryErrors without an error"
    assert all(SECRET not in str(e) for e in errors)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert peak < MEMORY_BOUND_KIB, f"the process grew to {peak // 1024} MiB"
    args = ["inventory", "validate", str(root)] + (["--json"] if json_out else [])
    result = run_cli(*args)
    assert result.traceback is None, result.traceback
    assert result.code == expected, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert SECRET not in result.stdout + result.stderr


class Restored:
    """Write files into the shared copy for one example, then put the originals back."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.saved: dict[Path, bytes | None] = {}

    def write(self, name: str, data: bytes) -> None:
        path = self.root / name
        if path not in self.saved:
            self.saved[path] = path.read_bytes() if path.exists() else None
        path.write_bytes(data)

    def __enter__(self) -> Restored:
        return self

    def __exit__(self, *exc: object) -> None:
        for path, data in self.saved.items():
            if data is None:
                path.unlink()
            else:
                path.write_bytes(data)


def mutate(text: str, edits: list[tuple[int, int, str]]) -> str:
    """Apply (position, kind, token) edits: insert, replace a span, delete a span, cut."""
    for position, kind, token in edits:
        at = position % (len(text) + 1)
        if kind == 0:
            text = text[:at] + token + text[at:]
        elif kind == 1:
            text = text[:at] + token + text[at + len(token) :]
        elif kind == 2:
            text = text[:at] + text[at + 1 + position % 40 :]
        else:
            text = text[:at]
    return text


edits = st.lists(
    st.tuples(
        st.integers(0, 10**6),
        st.integers(0, 3),
        st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)),
    ),
    min_size=1,
    max_size=6,
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["10.200.0.5/24", "0.0.0.0", "2025-13-45", "town-longgui", "core1"]),
    st.dates(),
)


def documents() -> st.SearchStrategy[Any]:
    values = st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
        ),
        max_leaves=25,
    )
    items = st.dictionaries(st.sampled_from(KEYS), values, max_size=6).map(
        lambda item: {k: (SECRET if k.endswith("_env") else v) for k, v in item.items()}
    )
    return st.dictionaries(st.sampled_from(SECTIONS), st.lists(items, max_size=4), max_size=3)


@PROFILE
@given(file=st.sampled_from(FILES), changes=edits, json_out=st.booleans())
def test_mutated_lab_files_give_0_or_2(
    lab_copy: Path, file: str, changes: list[tuple[int, int, str]], json_out: bool
) -> None:
    text = (LAB_INVENTORY / file).read_text(encoding="utf-8")
    with Restored(lab_copy) as copy:
        copy.write(file, mutate(text, changes).encode("utf-8", "surrogatepass"))
        validate_in_bounds(lab_copy, json_out)


@PROFILE
@given(
    data=st.one_of(
        st.binary(max_size=4096),
        st.builds(
            lambda head, noise, tail: head + noise + tail,
            st.sampled_from([b"", b"devices:\n  - name: x\n", "sites: [{name: 龙归镇".encode()]),
            st.binary(max_size=512),
            st.sampled_from([b"", b"\n", b"]\n", "，：\n".encode("gbk")]),
        ),
    ),
    file=st.sampled_from(["devices.yaml", "extra.yaml"]),
)
def test_raw_bytes_give_0_or_2(lab_copy: Path, data: bytes, file: str) -> None:
    with Restored(lab_copy) as copy:
        copy.write(file, data)
        validate_in_bounds(lab_copy, json_out=False)


@PROFILE
@given(document=documents(), flow=st.sampled_from([None, True, False]), json_out=st.booleans())
def test_generated_yaml_gives_0_or_2(
    lab_copy: Path, document: dict[str, Any], flow: bool | None, json_out: bool
) -> None:
    text = yaml.safe_dump(document, allow_unicode=True, default_flow_style=flow)
    with Restored(lab_copy) as copy:
        copy.write("generated.yaml", text.encode("utf-8"))
        validate_in_bounds(lab_copy, json_out)
