"""Render intended configurations with Jinja2, one template set per platform.

Every platform directory holds the same files (``config.j2`` including ``system.j2``,
``interfaces.j2``, ``routing.j2``, ``qos.j2``, ``management.j2``); the platform map says which
directory a device uses. One compiled Environment per platform is kept for the whole run.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import jinja2

from base.errors import AutomationError
from inventory.catalog import Inventory
from inventory.models import Platform

from .intent import DeviceIntent, build_intents
from .platforms import PlatformSpec, platform_spec
from .secretref import reference

ENTRY_TEMPLATE = "config.j2"
#: files every platform's template set must have (checked by the tests)
TEMPLATE_FILES = (
    "config.j2",
    "system.j2",
    "interfaces.j2",
    "routing.j2",
    "qos.j2",
    "management.j2",
)


@dataclass(frozen=True)
class RenderedConfig:
    device: str
    platform: Platform
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    def write(self, out_dir: Path) -> Path:
        """Write ``<out_dir>/<device>.cfg`` whole or not at all (markers, never secrets)."""
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"{self.device}.cfg"
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_text(self.text, encoding="utf-8")
        tmp.replace(path)
        return path


def _wildcard(network: ipaddress.IPv4Network | ipaddress.IPv4Interface) -> str:
    net = network.network if isinstance(network, ipaddress.IPv4Interface) else network
    return str(net.hostmask)


def _netmask(value: ipaddress.IPv4Network | ipaddress.IPv4Interface) -> str:
    return str(value.netmask)


def _ip(value: ipaddress.IPv4Interface) -> str:
    return str(value.ip)


class Backoff(NamedTuple):
    """An OSPF throttle in ms: wait ``start`` after a quiet period, then ``hold`` between
    runs, growing up to ``max``; every vendor takes these three, each in its own order."""

    start_ms: int
    hold_ms: int
    max_ms: int


def _backoff(value: int | tuple[int, int, int]) -> Backoff:
    """``policy.routing`` throttles as a :class:`Backoff`.

    The SPF triple (delay, initial hold, max hold) is one already. The single LSA interval
    N is FRR's minimum interval between two originations of the same LSA: the first at
    once, the next ones N apart, which is start 0, hold N, max N.
    """
    if isinstance(value, int):
        return Backoff(0, value, value)
    start, hold, maximum = value
    return Backoff(start, hold, maximum)


def _clamp(value: int, low: int, high: int) -> int:
    """``value`` pulled into a vendor's documented range (the templates name the range)."""
    return max(low, min(high, value))


def _ceil_seconds(ms: int) -> int:
    """Milliseconds as whole seconds, rounded up: never shorter than asked."""
    return -(-ms // 1000)


class Renderer:
    """Holds one Jinja2 environment per platform; thread-safe for rendering."""

    def __init__(self, template_root: Path | None = None) -> None:
        #: another template tree laid out like automation/templates (a set under review)
        self.template_root = template_root
        self._envs: dict[Platform, jinja2.Environment] = {}

    def template_dir(self, spec: PlatformSpec) -> Path:
        if self.template_root is None:
            return spec.template_dir
        return self.template_root / spec.platform.value

    def environment(self, spec: PlatformSpec) -> jinja2.Environment:
        env = self._envs.get(spec.platform)
        if env is None:
            env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(self.template_dir(spec)),
                undefined=jinja2.StrictUndefined,
                trim_blocks=True,
                lstrip_blocks=True,
                keep_trailing_newline=True,
                autoescape=False,  # device configs, not HTML
            )
            env.globals["secret"] = reference
            env.globals["spec"] = spec
            env.filters["wildcard"] = _wildcard
            env.filters["netmask"] = _netmask
            env.filters["ip"] = _ip
            env.filters["backoff"] = _backoff
            env.filters["clamp"] = _clamp
            env.filters["ceil_seconds"] = _ceil_seconds
            self._envs[spec.platform] = env
        return env

    def render(self, intent: DeviceIntent) -> RenderedConfig:
        spec = platform_spec(intent.platform)
        try:
            template = self.environment(spec).get_template(ENTRY_TEMPLATE)
            text = template.render(d=intent, m=intent.management)
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or self.template_dir(spec) / ENTRY_TEMPLATE
            line = getattr(exc, "lineno", None)
            raise AutomationError(
                f"{where}:{line or 1}: rendering {intent.name} failed: {exc}"
            ) from exc
        return RenderedConfig(intent.name, intent.platform, _tidy(text))


def _tidy(text: str) -> str:
    """No trailing spaces, no runs of blank lines, one final newline."""
    lines = [ln.rstrip() for ln in text.splitlines()]
    out: list[str] = []
    for ln in lines:
        if ln == "" and (not out or out[-1] == ""):
            continue
        out.append(ln)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def kept_platform_configs(inv: Inventory) -> dict[str, str]:
    """The intended config of every device the profile keeps on its production platform
    (``profile.keep_platform``), by name: what the lab boots their emulation from (as found:
    without the circuit descriptions, ``lab.emulated.as_found``). Secrets stay markers."""
    renderer = Renderer()
    kept = list(inv.profile.keep_platform)
    return {i.name: renderer.render(i).text for i in build_intents(inv, kept)} if kept else {}
