"""Interface names compared across vendors: ``GE1/0/1`` is ``GigabitEthernet1/0/1``.

LLDP reports whatever the far end calls its port (Huawei ``GE0/0/1``, Cisco ``Gi1/0/1``,
Comware ``XGE1/0/49``); the inventory holds full names. Names compare by a key of the port
family and its numbers.
"""

from __future__ import annotations

import re

_FAMILIES: dict[str, str] = {
    "ge": "gigabitethernet",
    "gi": "gigabitethernet",
    "gig": "gigabitethernet",
    "gigabitethernet": "gigabitethernet",
    "xge": "tengigabitethernet",
    "xgigabitethernet": "tengigabitethernet",
    "te": "tengigabitethernet",
    "ten": "tengigabitethernet",
    "tengigabitethernet": "tengigabitethernet",
    "10ge": "tengigabitethernet",
    "25ge": "twentyfivegige",
    "twentyfivegige": "twentyfivegige",
    "twe": "twentyfivegige",
    "40ge": "fortygige",
    "fo": "fortygige",
    "fortygige": "fortygige",
    "fortygigabitethernet": "fortygige",
    "100ge": "hundredgige",
    "hu": "hundredgige",
    "hundredgige": "hundredgige",
    "hundredgigabitethernet": "hundredgige",
    "fa": "fastethernet",
    "fastethernet": "fastethernet",
    "eth-trunk": "eth-trunk",
    "bagg": "bridge-aggregation",
    "bridge-aggregation": "bridge-aggregation",
    "po": "port-channel",
    "port-channel": "port-channel",
}

_SPLIT = re.compile(r"^(\d+ge|[a-z][a-z-]*?)-?(\d[\d/.:]*)$")


def interface_key(name: str) -> str:
    """A vendor-neutral key: ``GE1/0/1`` and ``GigabitEthernet1/0/1`` give the same one."""
    text = name.strip().lower().replace(" ", "")
    match = _SPLIT.match(text)
    if match is None:
        return text
    family, numbers = match.groups()
    family = family.replace("-", "") if family.replace("-", "") in _FAMILIES else family
    return f"{_FAMILIES.get(family, family)}{numbers}"


_MAC = re.compile(r"^([0-9a-f]{2}[:-]){5}[0-9a-f]{2}$|^([0-9a-f]{4}[.-]){2}[0-9a-f]{4}$", re.I)


def looks_like_mac(text: str) -> bool:
    return bool(_MAC.match(text.strip()))


def remote_port(port_id: str | None, description: str | None) -> str | None:
    """The far end's interface: the port ID unless it is a MAC address (then the description)."""
    pid = (port_id or "").strip()
    if pid and not looks_like_mac(pid):
        return pid
    desc = (description or "").strip()
    return desc or pid or None
