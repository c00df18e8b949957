"""Live link states for diagrams and what-ifs, behind one protocol.

* :class:`StaticLinkStates` - a typed mapping, e.g. read from a JSON file
  ``{"wj-core1-xilian": "down", ...}`` (:func:`load_json_states`);
* :func:`states_from_exposition` - Prometheus text exposition holding
  ``egovnet_interface_oper_up`` (the exporter's series, labelled with ``link``);
* :class:`PrometheusLinkStates` - the same series queried from a Prometheus server.

A link is *down* when any of its ends reports oper-down, *up* when every end that reports is
up; links nobody reports on are absent from the mapping (unknown).
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from base.errors import DiagramError, TopologyError
from inventory.catalog import Inventory

OPER_UP = "egovnet_interface_oper_up"


class LinkStatus(StrEnum):
    up = "up"
    down = "down"


class LinkStateSource(Protocol):
    def link_states(self) -> Mapping[str, LinkStatus]: ...


@dataclass(frozen=True)
class StaticLinkStates:
    states: Mapping[str, LinkStatus]

    def link_states(self) -> Mapping[str, LinkStatus]:
        return self.states


def load_json_states(path: Path, inv: Inventory) -> StaticLinkStates:
    """``{"link-id": "up"|"down"}``; a bad file or an unknown link is bad input (exit 2)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TopologyError(f"{path}: no such file") from None
    except json.JSONDecodeError as exc:
        raise TopologyError(f"{path}:{exc.lineno}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise TopologyError(f"{path}:1: expected an object of link id -> up/down")
    states: dict[str, LinkStatus] = {}
    for link, value in data.items():
        if link not in inv.link_by_id:
            raise TopologyError(f"{path}: {link}: unknown link")
        try:
            states[link] = LinkStatus(str(value).lower())
        except ValueError:
            raise TopologyError(
                f"{path}: {link}: state must be up or down (got {value!r})"
            ) from None
    return StaticLinkStates(states)


def combine(samples: Iterable[tuple[str, float]]) -> dict[str, LinkStatus]:
    """(link, oper_up value) per interface end -> one status per link (down wins)."""
    out: dict[str, LinkStatus] = {}
    for link, value in samples:
        if not link:
            continue
        if value < 1 or out.get(link) is LinkStatus.down:
            out[link] = LinkStatus.down
        else:
            out[link] = LinkStatus.up
    return out


def states_from_exposition(text: str) -> StaticLinkStates:
    """Link states from Prometheus text exposition (e.g. saved from the exporter)."""
    from prometheus_client.parser import text_string_to_metric_families

    samples: list[tuple[str, float]] = []
    try:
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                if sample.name == OPER_UP:
                    samples.append((sample.labels.get("link", ""), float(sample.value)))
    except ValueError as exc:
        raise TopologyError(f"not Prometheus text exposition: {exc}") from None
    return StaticLinkStates(combine(samples))


@dataclass(frozen=True)
class PrometheusLinkStates:
    """``egovnet_interface_oper_up`` from a Prometheus server's HTTP API (instant query)."""

    base_url: str
    timeout: float = 5.0

    def link_states(self) -> Mapping[str, LinkStatus]:
        query = urllib.parse.urlencode({"query": OPER_UP})
        url = f"{self.base_url.rstrip('/')}/api/v1/query?{query}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as resp:
                body: dict[str, Any] = json.load(resp)
        except (OSError, ValueError) as exc:
            raise DiagramError(f"Prometheus at {self.base_url}: {exc}") from exc
        if body.get("status") != "success":
            raise DiagramError(
                f"Prometheus at {self.base_url}: {body.get('error', 'query failed')}"
            )
        samples = [
            (str(r.get("metric", {}).get("link", "")), float(r["value"][1]))
            for r in body.get("data", {}).get("result", [])
        ]
        return combine(samples)


def open_source(spec: str, inv: Inventory) -> LinkStateSource:
    """``http(s)://`` -> a Prometheus server; a ``.json`` file -> static states; any other
    file -> text exposition."""
    if spec.startswith(("http://", "https://")):
        return PrometheusLinkStates(spec)
    path = Path(spec)
    if path.suffix == ".json":
        return load_json_states(path, inv)
    try:
        return states_from_exposition(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TopologyError(f"{path}: no such file") from None
