"""Read an inventory directory into a validated :class:`Inventory`, reporting every error.

A directory holds ``*.yaml`` files whose top-level keys are sections. List sections may be
split across files (e.g. ``devices:`` in ``devices-core.yaml`` and ``devices-access.yaml``)::

    profile:              one mapping    (Profile; optional, defaults to the directory name)
    policy:               one mapping    (Policy)
    snmp_profiles:        list           (SnmpProfile)
    credential_profiles:  list           (CredentialProfile)
    sites / devices / links / systems:   lists
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from base.errors import InventoryError, InventoryErrors, SourceLocation

from .catalog import Inventory
from .models import CredentialProfile, Device, Link, Policy, Profile, Site, SnmpProfile, System
from .yamlsource import Located, PathKey, load_located

LIST_SECTIONS: dict[str, type[BaseModel]] = {
    "snmp_profiles": SnmpProfile,
    "credential_profiles": CredentialProfile,
    "sites": Site,
    "devices": Device,
    "links": Link,
    "systems": System,
}
SINGLE_SECTIONS: dict[str, type[BaseModel]] = {"profile": Profile, "policy": Policy}
#: The key that names an item of each list section, used to locate it in messages.
ITEM_KEYS = {
    "snmp_profiles": "name",
    "credential_profiles": "name",
    "sites": "id",
    "devices": "name",
    "links": "id",
    "systems": "id",
}
KIND_OF_SECTION = {
    "snmp_profiles": "snmp_profile",
    "credential_profiles": "credential_profile",
    "sites": "site",
    "devices": "device",
    "links": "link",
    "systems": "system",
}

M = TypeVar("M", bound=BaseModel)


@dataclass
class Parsed:
    """Models parsed from the files, each with the file it came from and its path there."""

    singles: dict[str, tuple[BaseModel, Located, PathKey]]
    items: dict[str, list[tuple[BaseModel, Located, PathKey]]]


def default_inventory_path() -> Path:
    """``$EGOVNET_INVENTORY``, else the sample district shipped beside this package."""
    env = os.environ.get("EGOVNET_INVENTORY")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent / "district"


def profile_path(name: str) -> Path:
    """A named profile shipped with egovnet (``district``, ``lab``)."""
    path = Path(__file__).resolve().parent / name
    if not path.is_dir():
        raise InventoryError(
            SourceLocation(str(path), 1, "profile"), f"no inventory profile named {name!r}"
        )
    return path


def load_inventory(path: Path | None = None) -> Inventory:
    """Parse and validate; raise :class:`InventoryErrors` listing every problem found."""
    from .validate import cross_check  # validate imports catalog types; keep the edge simple

    root = path or default_inventory_path()
    errors: list[InventoryError] = []
    parsed = _parse_directory(root, errors)
    if errors:
        raise InventoryErrors(errors)
    inventory = _assemble(root, parsed, errors)
    errors.extend(cross_check(inventory))
    if errors:
        errors.sort(key=lambda e: (e.location.file, e.location.line))
        raise InventoryErrors(errors)
    return inventory


def _yaml_files(root: Path) -> Iterator[Path]:
    if root.is_file():
        yield root
        return
    if not root.is_dir():
        raise InventoryErrors(
            [InventoryError(SourceLocation(str(root), 1, "(path)"), "no such inventory directory")]
        )
    yield from sorted(p for p in root.iterdir() if p.suffix in {".yaml", ".yml"})


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _parse_directory(root: Path, errors: list[InventoryError]) -> Parsed:
    parsed = Parsed(singles={}, items={name: [] for name in LIST_SECTIONS})
    for file in _yaml_files(root):
        try:
            located = load_located(file, _display(file))
        except InventoryError as exc:
            errors.append(exc)
            continue
        if located.data is None:
            continue
        if not isinstance(located.data, dict):
            errors.append(InventoryError(located.at(()), "a file must be a mapping of sections"))
            continue
        for section, value in located.data.items():
            _parse_section(section, value, located, parsed, errors)
    return parsed


def _parse_section(
    section: str, value: Any, located: Located, parsed: Parsed, errors: list[InventoryError]
) -> None:
    path: PathKey = (section,)
    if section in SINGLE_SECTIONS:
        if section in parsed.singles:
            errors.append(InventoryError(located.at(path), "section declared twice"))
            return
        model = _validate_model(SINGLE_SECTIONS[section], value, located, path, errors)
        if model is not None:
            parsed.singles[section] = (model, located, path)
        return
    if section not in LIST_SECTIONS:
        known = ", ".join([*SINGLE_SECTIONS, *LIST_SECTIONS])
        errors.append(InventoryError(located.at(path), f"unknown section (known: {known})"))
        return
    if not isinstance(value, list):
        errors.append(InventoryError(located.at(path), "must be a list"))
        return
    for index, item in enumerate(value):
        item_path = (section, index)
        model = _validate_model(LIST_SECTIONS[section], item, located, item_path, errors)
        if model is not None:
            parsed.items[section].append((model, located, item_path))


def _validate_model(
    model: type[M], value: Any, located: Located, path: PathKey, errors: list[InventoryError]
) -> M | None:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        for err in exc.errors():
            sub: PathKey = (*path, *err["loc"])
            errors.append(InventoryError(located.at(sub), _message(err)))
        return None


def _message(err: Any) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    text = str(err.get("msg", "invalid value"))
    value = err.get("input")
    if kind not in {"missing"} and not isinstance(value, dict | list):
        text += f" (got {value!r})"
    return text


def _assemble(root: Path, parsed: Parsed, errors: list[InventoryError]) -> Inventory:
    sources: dict[tuple[str, str], tuple[Located, PathKey]] = {}
    lists: dict[str, list[Any]] = {}
    for section, entries in parsed.items.items():
        lists[section] = []
        key = ITEM_KEYS[section]
        kind = KIND_OF_SECTION[section]
        for model, located, path in entries:
            ident = str(getattr(model, key))
            if (kind, ident) in sources:
                first_located, first_path = sources[(kind, ident)]
                first = first_located.at(first_path)
                errors.append(
                    InventoryError(
                        located.at((*path, key)),
                        f"duplicate {kind} {ident!r} (first at {first.file}:{first.line})",
                    )
                )
                continue
            lists[section].append(model)
            sources[(kind, ident)] = (located, path)
    policy = Policy(tiers={})
    if "policy" in parsed.singles:
        policy_model, located, path = parsed.singles["policy"]
        assert isinstance(policy_model, Policy)
        policy = policy_model
        sources[("policy", "policy")] = (located, path)
    else:
        errors.append(
            InventoryError(SourceLocation(_display(root), 1, "policy"), "no policy section found")
        )
    profile = Profile(name=root.name if root.is_dir() else root.stem)
    if "profile" in parsed.singles:
        profile_model = parsed.singles["profile"][0]
        assert isinstance(profile_model, Profile)
        profile = profile_model
    return Inventory(
        root=root,
        profile=profile,
        policy=policy,
        sites=tuple(lists["sites"]),
        devices=tuple(lists["devices"]),
        links=tuple(lists["links"]),
        systems=tuple(lists["systems"]),
        snmp_profiles=tuple(lists["snmp_profiles"]),
        credential_profiles=tuple(lists["credential_profiles"]),
        sources=sources,
    )
