"""NetBox objects in egovnet's terms: a kind, a natural key and the fields egovnet owns.

Both directions meet here. Push turns the inventory into these objects (``desired``) and reads
NetBox into them (``current``); pull turns ``current`` back into the inventory. References are
natural keys (a site's slug, a device's name, ``device/interface``), never NetBox ids, so a dry
run can compare objects that do not exist yet.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

#: JSON values as NetBox stores them: the fields of one object.
Fields = dict[str, Any]

#: The tag on every object egovnet creates; objects without it are never written.
TAG_SLUG = "egovnet"
#: Custom field holding the fingerprint of what egovnet last wrote to an object.
SYNCED_FIELD = "egovnet_synced"
#: Description that marks the tag and custom fields egovnet defined.
MARKER = "Managed by egovnet (inventory netbox push)"


@dataclass(frozen=True)
class NbObject:
    """One object as NetBox holds it, reduced to the fields egovnet maps."""

    kind: str
    key: str
    fields: Fields
    id: int | None = None
    managed: bool = False  # carries the egovnet tag (or marker): egovnet created it
    synced: str | None = None  # fingerprint of the fields at egovnet's last write
    extra: Fields = field(default_factory=dict)  # read-only context (e.g. occupied ends)


def fingerprint(fields: Fields) -> str:
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def interface_key(device: str, interface: str) -> str:
    """``device/interface``; device names are slugs without ``/``, so the first one splits."""
    return f"{device}/{interface}"


#: State of NetBox or of the inventory: kind -> natural key -> object.
State = dict[str, dict[str, NbObject]]
