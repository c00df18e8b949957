"""A filled ledger becomes an inventory directory, whole or not at all.

The YAML is staged beside ``out`` (:mod:`inventory.staging`), loaded with the project's own
loader (the checks of ``inventory validate``) and moved into place only when it loads; every
error of the load is pointed back at its cell.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from base.errors import InventoryError, InventoryErrors, SourceLocation
from inventory.catalog import Inventory
from inventory.loader import ITEM_KEYS, load_inventory
from inventory.staging import publish, require_new_directory, staging_area

from .reader import LedgerData, read_ledger

#: Section -> the file it is written to, in the layout of inventory/district/.
FILES = {
    "profile": "profile.yaml",
    "policy": "policy.yaml",
    "snmp_profiles": "profiles.yaml",
    "credential_profiles": "profiles.yaml",
    "sites": "sites.yaml",
    "devices": "devices.yaml",
    "links": "links.yaml",
    "systems": "systems.yaml",
}
ITEM_FIELD = re.compile(r"^(?P<section>[a-z_]+)\[(?P<index>\d+)\]\.?(?P<rest>.*)$")
SLUG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
FIRST_AT = re.compile(r" \(first at [^)]*\)")


def import_ledger(ledger: Path, out: Path, *, display: str | None = None) -> Inventory:
    """Write the inventory of ``ledger`` into ``out`` (new or empty); InventoryErrors else."""
    data = read_ledger(ledger, display)
    require_new_directory(out)
    name = out.name if SLUG.match(out.name) else "district"
    with staging_area(out) as holder:
        staging = holder / "staging"
        errors = _problems(data, staging, name, holder)
        if errors:
            raise InventoryErrors(errors)
        publish(staging, out)
    return load_inventory(out)


def _problems(data: LedgerData, staging: Path, name: str, holder: Path) -> list[InventoryError]:
    """Every problem: unreadable cells, then the loader's errors on all rows, then (the
    loader stops before cross-references when a row is malformed) its errors on the rows
    that are well formed, leaving out those about the rows set aside."""
    found = list(data.errors)
    unreadable = {str(err.location) for err in data.errors}
    first = _load_errors(data, staging, name, skip=set())
    found += [err for err, _ in first if str(err.location) not in unreadable]
    if not found:
        return []
    skip = data.bad_items | {item for _, item in first if item is not None}
    dropped = {_key(data, item) for item in skip} - {None}
    second = _load_errors(data, holder / "check", name, skip=skip)
    for err, _ in second:
        if not any(repr(key) in err.message for key in dropped):
            found.append(err)
    unique: dict[str, InventoryError] = {}
    for err in found:
        unique.setdefault(str(err), err)
    return sorted(unique.values(), key=_order)


def _order(err: InventoryError) -> tuple[str, int, str]:
    loc = err.location
    return (getattr(loc, "sheet", ""), loc.line, getattr(loc, "column", ""))


def _key(data: LedgerData, item: tuple[str, int]) -> str | None:
    section, index = item
    row = data.sections[section][index]
    value = row.get(ITEM_KEYS.get(section, "id"))
    return str(value) if value is not None else None


def _load_errors(
    data: LedgerData, directory: Path, name: str, skip: set[tuple[str, int]]
) -> list[tuple[InventoryError, tuple[str, int] | None]]:
    directory.mkdir()
    lines = write_sections(directory, data, profile_name=name, skip=skip)
    try:
        load_inventory(directory)
    except InventoryErrors as exc:
        return [_relocate(e, data, lines, skip) for e in exc.errors]
    return []


def write_sections(
    directory: Path, data: LedgerData, *, profile_name: str, skip: set[tuple[str, int]]
) -> dict[tuple[str, int], tuple[str, int]]:
    """The YAML files; returns ``(file name, line) -> (section, index)`` of every item."""
    settings = dict(data.settings)
    profile = dict(settings.get("profile") or {})
    profile.setdefault("name", profile_name)
    chunks: dict[str, list[str]] = {}
    where: dict[tuple[str, int], tuple[str, int]] = {}
    chunks.setdefault(FILES["profile"], []).append(_dump({"profile": profile}))
    if "policy" in settings:
        chunks.setdefault(FILES["policy"], []).append(_dump({"policy": settings["policy"]}))
    for section, items in data.sections.items():
        name = FILES[section]
        parts = chunks.setdefault(name, [])
        kept = [(i, item) for i, item in enumerate(items) if (section, i) not in skip]
        parts.append(f"{section}:\n" if kept else f"{section}: []\n")
        for index, item in kept:
            line = sum(p.count("\n") for p in parts) + 1
            where[(name, line)] = (section, index)
            parts.append(_dump([item]))
    for name, parts in chunks.items():
        (directory / name).write_text("".join(parts), encoding="utf-8")
    return where


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, default_flow_style=False)


Relocated = tuple[InventoryError, tuple[str, int] | None]


def _relocate(
    err: InventoryError,
    data: LedgerData,
    lines: dict[tuple[str, int], tuple[str, int]],
    skip: set[tuple[str, int]],
) -> Relocated:
    """The loader's error, moved from the staged YAML to the ledger's cell (and the item)."""
    message = FIRST_AT.sub("", err.message)
    loc = err.location
    match = ITEM_FIELD.match(loc.field)
    if match is not None:
        section, index, rest = match["section"], int(match["index"]), match["rest"]
        # the loader counts the items written, which leave out the skipped ones
        kept = sorted(i for (s, i) in data.origins if s == section and (s, i) not in skip)
        index = kept[index] if index < len(kept) else index
    else:
        root = loc.field.split(".")[0].split("[")[0]
        if root in ("profile", "policy"):
            return InventoryError(data.setting(loc.field), message), None
        found = _item_at(Path(loc.file).name, loc.line, lines)
        if found is None:
            return InventoryError(SourceLocation(data.file, 1, loc.field), message), None
        section, index = found
        rest = ""
    item = (section, index)
    origin = data.origins.get(item)
    if origin is None:
        return InventoryError(SourceLocation(data.file, 1, loc.field), message), None
    interface = re.match(r"^interfaces\[(\d+)\]\.?(.*)$", rest)
    if section == "devices" and interface is not None:
        iface_origin = data.interface_origins.get((index, int(interface[1])))
        if iface_origin is not None:
            path = _column_path(interface[2], iface_origin)
            return InventoryError(data.cell(iface_origin, path, "接口"), message), item
    return InventoryError(data.cell(origin, _column_path(rest, origin), rest), message), item


def _column_path(rest: str, origin: Any) -> str | None:
    """The ledger column of a field path: itself, its list, or its first sub-field."""
    plain = re.sub(r"\[\d+\]", "", rest)
    letters: dict[str, str] = origin.letters
    if plain in letters:
        return plain
    for path in letters:
        if plain.startswith(path + ".") or path.startswith(plain + "."):
            return path
    return None


def _item_at(
    name: str, line: int, lines: dict[tuple[str, int], tuple[str, int]]
) -> tuple[str, int] | None:
    starts = sorted((ln, item) for (file, ln), item in lines.items() if file == name and ln <= line)
    return starts[-1][1] if starts else None
