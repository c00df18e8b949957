"""Talking to NetBox through pynetbox: read every mapped kind, create and update in bulk.

The API token is a :class:`~inventory.secrets.Secret`; it goes into pynetbox's session header
and nowhere else. Errors carry the URL and NetBox's answer, never the token.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pynetbox
import requests
from pynetbox.core.query import Request, RequestError

from base.errors import NetBoxError, NetBoxInputError

from ..secrets import Secret, SecretStore
from .kinds import KINDS, Kind
from .objects import Fields, State

TOKEN_ENV = "EGOVNET_NETBOX_TOKEN"
URL_ENV = "EGOVNET_NETBOX_URL"
PAGE_SIZE = 1000
BULK_SIZE = 500


def netbox_token(store: SecretStore) -> Secret:
    """``$EGOVNET_NETBOX_TOKEN``, else the secrets file; a clear error naming both if neither."""
    if not store.has(TOKEN_ENV):
        where = f" or {store.file}" if store.file else ""
        raise NetBoxInputError(f"no NetBox API token: set {TOKEN_ENV} in the environment{where}")
    return store.get(TOKEN_ENV)


@contextmanager
def _errors(url: str, doing: str) -> Iterator[None]:
    try:
        yield
    except RequestError as exc:
        raise NetBoxError(f"NetBox at {url} refused to {doing}: {exc.error}") from None
    except requests.RequestException as exc:
        raise NetBoxError(
            f"cannot reach NetBox at {url} to {doing}: {type(exc).__name__}"
        ) from None


class NetBoxClient:
    def __init__(self, url: str, token: Secret, timeout: float = 120) -> None:
        if not url.startswith(("http://", "https://")):
            raise NetBoxInputError(f"NetBox URL must start with http:// or https:// (got {url!r})")
        self.url = url.rstrip("/")
        self.api = pynetbox.api(self.url, token=token.reveal())
        self.api.http_session.headers["Accept"] = "application/json"
        self._timeout = timeout

    def _endpoint(self, kind: Kind) -> Any:
        app, name = kind.endpoint.split(".")
        return getattr(getattr(self.api, app), name)

    def records(self, kind: Kind) -> Iterator[dict[str, Any]]:
        endpoint = self._endpoint(kind)
        request = Request(
            base=endpoint.url, http_session=self.api.http_session, token=self.api.token,
            limit=PAGE_SIZE,
        )  # fmt: skip
        with _errors(self.url, f"list {kind.endpoint}"):
            yield from request.get()

    def read_state(self, on_kind: Callable[[str], None] | None = None) -> State:
        """Every object of every mapped kind, keyed by natural key (first one wins)."""
        state: State = {}
        for kind in KINDS:
            if on_kind:
                on_kind(f"reading {kind.endpoint}")
            objects = state.setdefault(kind.name, {})
            for record in self.records(kind):
                obj = kind.read(record)
                if obj is not None and obj.key not in objects:
                    objects[obj.key] = obj
        return state

    def create(self, kind: Kind, bodies: list[Fields]) -> list[int]:
        ids: list[int] = []
        endpoint = self._endpoint(kind)
        for start in range(0, len(bodies), BULK_SIZE):
            with _errors(self.url, f"create {kind.endpoint}"):
                created = endpoint.create(bodies[start : start + BULK_SIZE])
            ids.extend(int(r.id) for r in created)
        return ids

    def update(self, kind: Kind, bodies: list[Fields]) -> None:
        endpoint = self._endpoint(kind)
        for start in range(0, len(bodies), BULK_SIZE):
            with _errors(self.url, f"update {kind.endpoint}"):
                endpoint.update(bodies[start : start + BULK_SIZE])
