"""What the crawl asks devices over SNMP, behind one protocol: the project's own client
(:mod:`collectors.session`), or walks recorded earlier (one JSON file per address).

Recorded values keep their SNMP type where JSON cannot: octet strings as ``{"hex": ...}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from base.errors import DiscoveryError
from collectors.session import open_session
from collectors.targets import SnmpCredentials, SnmpTarget, credentials_for
from collectors.transport import SnmpClient
from inventory.models import SnmpProfile
from inventory.secrets import SecretStore

Varbind = tuple[str, object]


class Walker(Protocol):
    """GET and walk one address; raise (TimeoutError, DiscoveryError...) when it cannot."""

    async def get(self, address: str, oids: list[str]) -> dict[str, object]: ...

    async def walk(self, address: str, oid: str) -> list[Varbind]: ...


@dataclass
class SnmpWalker:
    """The collectors' SNMP client, one per address, with the profile's timeout and retries."""

    credentials: SnmpCredentials
    port: int = 161
    timeout_seconds: float = 2.0
    retries: int = 1
    _clients: dict[str, SnmpClient] = field(default_factory=dict)

    async def _client(self, address: str) -> SnmpClient:
        client = self._clients.get(address)
        if client is None:
            target = SnmpTarget(
                device=address,
                address=address,
                port=self.port,
                credentials=self.credentials,
                interfaces=(),
                timeout_seconds=self.timeout_seconds,
                retries=self.retries,
            )
            client = self._clients[address] = open_session(target)
            await self._retry(client.refresh)
        return client

    async def _retry(self, call: Any) -> Any:
        for attempt in range(self.retries + 1):
            try:
                return await call()
            except TimeoutError:
                if attempt == self.retries:
                    raise
        return None  # pragma: no cover - the loop returns or raises

    async def get(self, address: str, oids: list[str]) -> dict[str, object]:
        client = await self._client(address)
        result: dict[str, object] = await self._retry(lambda: client.get_many(oids))
        return result

    async def walk(self, address: str, oid: str) -> list[Varbind]:
        client = await self._client(address)
        result: list[Varbind] = await self._retry(lambda: client.walk(oid))
        return result

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()


def walker_for(profile: SnmpProfile, secrets: SecretStore) -> SnmpWalker:
    """A walker with an inventory SNMP profile's credentials (SecretMissingError if absent)."""
    return SnmpWalker(
        credentials_for(profile, secrets),
        port=profile.port,
        timeout_seconds=profile.timeout_seconds,
        retries=profile.retries,
    )


def encode(value: object) -> object:
    if isinstance(value, bytes):
        return {"hex": value.hex()}
    return value


def decode(value: object) -> object:
    if isinstance(value, Mapping) and "hex" in value:
        return bytes.fromhex(str(value["hex"]))
    return value


@dataclass
class RecordedWalker:
    """Answers from ``<directory>/<address>.json``: ``{"get": {oid: v}, "walk": {oid: [[o, v]]}}``;
    an address with no file does not answer (TimeoutError), as an unreachable device."""

    directory: Path

    def _load(self, address: str) -> dict[str, Any]:
        path = self.directory / f"{address}.json"
        if not path.is_file():
            raise TimeoutError(f"{address}: no recorded answers")
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data

    async def get(self, address: str, oids: list[str]) -> dict[str, object]:
        answers = self._load(address).get("get", {})
        return {oid: decode(answers[oid]) for oid in oids if oid in answers}

    async def walk(self, address: str, oid: str) -> list[Varbind]:
        walks = self._load(address).get("walk", {})
        if oid not in walks:
            raise DiscoveryError(f"{address}: no recorded walk of {oid}")
        return [(str(o), decode(v)) for o, v in walks[oid]]


@dataclass
class RecordingWalker:
    """Passes requests to ``inner`` and keeps the answers, to save as a recording."""

    inner: Walker
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)

    async def get(self, address: str, oids: list[str]) -> dict[str, object]:
        result = await self.inner.get(address, oids)
        got = self.answers.setdefault(address, {}).setdefault("get", {})
        got.update({oid: encode(v) for oid, v in result.items()})
        return result

    async def walk(self, address: str, oid: str) -> list[Varbind]:
        result = await self.inner.walk(address, oid)
        walks = self.answers.setdefault(address, {}).setdefault("walk", {})
        walks[oid] = [[o, encode(v)] for o, v in result]
        return result

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for address, answers in self.answers.items():
            text = json.dumps(answers, indent=1, ensure_ascii=False, sort_keys=True)
            (directory / f"{address}.json").write_text(text + "\n", encoding="utf-8")
