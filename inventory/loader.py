"""Read an inventory directory into a validated :class:`Inventory`, reporting every error.

A directory holds ``*.yaml`` files whose top-level keys are sections. List sections may be
split across files (e.g. ``devices:`` in ``devices-core.yaml`` and ``devices-access.yaml``)::

    profile:              one mapping    (Profile; optional, defaults to the directory name)
    policy:               one mapping    (Policy)
    monitoring:           one mapping    (Monitoring; optional: the NOC's alert receivers)
    snmp_profiles:        list           (SnmpProfile)
    credential_profiles:  list           (CredentialProfile)
    sites / devices / links / systems:   lists

Which files are read is :mod:`inventory.files`'s rule; what YAML they may hold, and the
bounds on it, :mod:`inventory.yamlbuild`'s. Both are written out in docs/engineer.md.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from base.errors import InventoryError, InventoryErrors, SourceLocation

from .catalog import Inventory
from .checking import Unvalidated
from .files import inventory_files
from .models import CredentialProfile, Device, Link, Policy, Profile, Site, SnmpProfile, System
from .monitoring import Monitoring, receiver_problems, valid_receivers
from .schema_messages import message
from .validate import cross_check
from .yamlbuild import UNRESOLVED
from .yamlsource import Located, PathKey, Unreadable, read_located

LIST_SECTIONS: dict[str, type[BaseModel]] = {
    "snmp_profiles": SnmpProfile,
    "credential_profiles": CredentialProfile,
    "sites": Site,
    "devices": Device,
    "links": Link,
    "systems": System,
}
SINGLE_SECTIONS: dict[str, type[BaseModel]] = {
    "profile": Profile,
    "policy": Policy,
    "monitoring": Monitoring,
}
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
    unvalidated: Unvalidated = field(default_factory=Unvalidated)
    broken_singles: set[str] = field(default_factory=set)


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
    """Parse and validate; raise :class:`InventoryErrors` listing every problem found.

    Every file is read and every item checked against its model; the cross-reference
    checks then run on the items that validated. Errors come sorted by file and line.
    """
    root = path or default_inventory_path()
    files, errors = inventory_files(root, _display)
    parsed = Parsed(singles={}, items={name: [] for name in LIST_SECTIONS})
    parsed.unvalidated.lost = bool(errors)
    for file in files:
        located, problems = read_located(file, _display(file))
        errors.extend(problems)
        if located.data is None and problems:
            parsed.unvalidated.lost = True
        _parse_file(located, parsed, errors)
    inventory = _assemble(root, parsed, errors)
    errors.extend(cross_check(inventory, parsed.unvalidated))
    if errors:
        raise InventoryErrors(sorted_errors(errors))
    return inventory


def sorted_errors(errors: list[InventoryError]) -> list[InventoryError]:
    """By file, then line, then field; the same error found twice is reported once."""
    unique = {str(e): e for e in errors}
    return sorted(
        unique.values(), key=lambda e: (e.location.file, e.location.line, e.location.field)
    )


def _display(path: Path) -> str:
    absolute = Path(os.path.abspath(path))  # not resolve(): a dangling link keeps its own name
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _parse_file(located: Located, parsed: Parsed, errors: list[InventoryError]) -> None:
    if located.data is None:
        return
    if not isinstance(located.data, dict):
        errors.append(InventoryError(located.at(()), "a file must be a mapping of sections"))
        return
    for section, value in located.data.items():
        _parse_section(section, value, located, parsed, errors)


def _parse_section(
    section: str, value: Any, located: Located, parsed: Parsed, errors: list[InventoryError]
) -> None:
    path: PathKey = (section,)
    if value is UNRESOLVED:  # its problem is reported; what it held is not known
        parsed.unvalidated.lost = True
        if section in SINGLE_SECTIONS:
            parsed.broken_singles.add(section)
        return
    if section in SINGLE_SECTIONS:
        if section in parsed.singles or section in parsed.broken_singles:
            errors.append(InventoryError(located.at(path), "section declared twice"))
            return
        model = _validate_model(SINGLE_SECTIONS[section], value, located, path, errors)
        if model is not None:
            parsed.singles[section] = (model, located, path)
        else:
            parsed.broken_singles.add(section)
            if section == "monitoring":  # the receivers that did validate: their checks too
                for where, text in receiver_problems(valid_receivers(value)):
                    errors.append(InventoryError(located.at((*path, *where)), text))
        return
    if section not in LIST_SECTIONS:
        known = ", ".join([*SINGLE_SECTIONS, *LIST_SECTIONS])
        errors.append(InventoryError(located.at(path), f"unknown section (known: {known})"))
        return
    if value is None:  # ``devices:`` with nothing under it yet
        return
    if not isinstance(value, list):
        errors.append(InventoryError(located.at(path), "must be a list"))
        return
    for index, item in enumerate(value):
        item_path = (section, index)
        if isinstance(item, Unreadable):
            _remember_broken(section, item.fields, parsed.unvalidated)
            parsed.unvalidated.devices_touched.update(item.words)
            continue
        if item is UNRESOLVED:
            parsed.unvalidated.lost = True
            continue
        model = _validate_model(LIST_SECTIONS[section], item, located, item_path, errors)
        if model is not None:
            parsed.items[section].append((model, located, item_path))
        elif isinstance(item, dict):
            _remember_broken(section, item, parsed.unvalidated)


def _remember_broken(section: str, item: dict[str, Any], skip: Unvalidated) -> None:
    """Note an item that did not validate, so references to it are not reported again."""
    skip.add(KIND_OF_SECTION[section], item.get(ITEM_KEYS[section]))
    if section == "devices":
        skip.devices_touched.add(str(item.get("name")))
        skip.sites_touched.add(str(item.get("site")))
    elif section == "links":
        for side in ("a", "b"):
            end = item.get(side)
            if isinstance(end, dict):
                skip.devices_touched.add(str(end.get("device")))


def _validate_model(
    model: type[M], value: Any, located: Located, path: PathKey, errors: list[InventoryError]
) -> M | None:
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        for err in exc.errors():
            if err.get("input") is UNRESOLVED:
                continue  # the alias is reported as such
            where, text = message(path, err)
            errors.append(InventoryError(located.at(where), text))
        return None


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
        parsed.unvalidated.policy = True
        if "policy" not in parsed.broken_singles and not parsed.unvalidated.lost:
            where = SourceLocation(_display(root), 1, "policy")
            errors.append(InventoryError(where, "no policy section found"))
    profile = Profile(name=root.name if root.is_dir() else root.stem)
    if "profile" in parsed.singles:
        profile_model, located, path = parsed.singles["profile"]
        assert isinstance(profile_model, Profile)
        profile = profile_model
        sources[("profile", "profile")] = (located, path)
    monitoring = Monitoring()
    if "monitoring" in parsed.singles:
        monitoring_model, located, path = parsed.singles["monitoring"]
        assert isinstance(monitoring_model, Monitoring)
        monitoring = monitoring_model
        sources[("monitoring", "monitoring")] = (located, path)
    return Inventory(
        root=root,
        profile=profile,
        policy=policy,
        monitoring=monitoring,
        sites=tuple(lists["sites"]),
        devices=tuple(lists["devices"]),
        links=tuple(lists["links"]),
        systems=tuple(lists["systems"]),
        snmp_profiles=tuple(lists["snmp_profiles"]),
        credential_profiles=tuple(lists["credential_profiles"]),
        sources=sources,
    )
