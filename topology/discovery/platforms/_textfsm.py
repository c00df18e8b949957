"""Running an ntc-templates TextFSM template over CLI output into :class:`Neighbor` records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from base.errors import DiscoveryError

from ..interfaces import remote_port
from ..models import Neighbor


@dataclass(frozen=True)
class Fields:
    """Which template values hold what (the templates name them differently)."""

    port_id: str
    port_description: str
    local: str = "LOCAL_INTERFACE"
    system: str = "NEIGHBOR_NAME"
    chassis: str = "CHASSIS_ID"
    mgmt: str = "MGMT_ADDRESS"


def parse_neighbors(platform: str, command: str, fields: Fields, output: str) -> list[Neighbor]:
    from ntc_templates.parse import ParsingException, parse_output
    from textfsm import TextFSMError

    try:
        rows: list[dict[str, Any]] = parse_output(platform=platform, command=command, data=output)
    except (ParsingException, TextFSMError) as exc:
        raise DiscoveryError(f"{platform} {command!r}: output not understood ({exc})") from exc
    out: list[Neighbor] = []
    for row in rows:
        local = _text(row, fields.local)
        if local is None:
            continue
        out.append(
            Neighbor(
                local_interface=local,
                remote_system=_text(row, fields.system),
                remote_port=remote_port(
                    _text(row, fields.port_id), _text(row, fields.port_description)
                ),
                remote_chassis_id=_text(row, fields.chassis),
                remote_mgmt_address=_text(row, fields.mgmt),
            )
        )
    return out


def _text(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key.lower(), row.get(key))
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    if value is None:
        return None
    return str(value).strip() or None
