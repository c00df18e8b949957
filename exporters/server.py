"""A small asyncio HTTP/1.1 server: GET/HEAD, keep-alive, gzip, TLS and basic auth.

The exporter polls devices on the event loop that serves the requests, so a scrape, its SNMP
requests and the trap receiver share one thread and never wait on each other's locks. Only
what Prometheus and a browser need is implemented; bodies of requests are read and ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

if TYPE_CHECKING:
    from .webconfig import WebSecurity  # pydantic and bcrypt: only with --web.config.file

log = logging.getLogger("egovnet.exporters.http")


IDLE_TIMEOUT = 75.0  # seconds a keep-alive connection may wait for its next request
MAX_HEADERS = 100
MAX_BODY = 1 << 20
GZIP_MIN = 1024


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str = "text/plain; charset=utf-8"
    headers: tuple[tuple[str, str], ...] = ()


Handler = Callable[[Request], Awaitable[Response]]


class BadRequest(Exception):
    pass


@dataclass
class HttpServer:
    handler: Handler
    security: WebSecurity | None = None
    on_response: Callable[[Request, Response], None] | None = None
    _server: asyncio.Server | None = None
    _clients: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self, host: str, port: int) -> tuple[str, int]:
        """Listen; returns the bound address (the real port when ``port`` is 0)."""
        ssl_context = self.security.ssl_context if self.security else None
        self._server = await asyncio.start_server(self._serve, host, port, ssl=ssl_context)
        bound = self._server.sockets[0].getsockname()
        return str(bound[0]), int(bound[1])

    @property
    def scheme(self) -> str:
        return "https" if self.security and self.security.ssl_context else "http"

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
            for writer in list(self._clients):
                writer.close()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._clients.add(writer)
        try:
            while True:
                try:
                    request, keep_alive = await asyncio.wait_for(
                        self._read_request(reader), IDLE_TIMEOUT
                    )
                except (TimeoutError, ConnectionError, asyncio.IncompleteReadError, EOFError):
                    break
                except (BadRequest, ValueError, asyncio.LimitOverrunError) as exc:
                    await self._write(writer, None, Response(400, f"{exc}\n".encode()), False)
                    break
                response = await self._respond(request)
                if self.on_response is not None:
                    self.on_response(request, response)
                await self._write(writer, request, response, keep_alive)
                # Not held while the connection waits for its next request: a scraper keeps
                # a connection per target, and each last answer is ~80 KiB at 48 ports.
                del response
                if not keep_alive:
                    break
        except (ConnectionError, OSError):
            pass
        finally:
            self._clients.discard(writer)
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def _respond(self, request: Request) -> Response:
        if self.security is not None and not self.security.authorized(
            request.header("authorization")
        ):
            return Response(
                401,
                b"Unauthorized\n",
                headers=(("WWW-Authenticate", 'Basic realm="egovnet exporter"'),),
            )
        if request.method not in {"GET", "HEAD"}:
            return Response(405, b"Method Not Allowed\n", headers=(("Allow", "GET, HEAD"),))
        try:
            return await self.handler(request)
        except Exception:
            log.exception("error serving %s", request.path)
            return Response(500, b"Internal Server Error\n")

    @staticmethod
    async def _read_request(reader: asyncio.StreamReader) -> tuple[Request, bool]:
        line = await reader.readline()
        if not line:
            raise EOFError
        parts = line.decode("latin-1").split()
        if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
            raise BadRequest("malformed request line")
        method, target, version = parts
        headers: dict[str, str] = {}
        for _ in range(MAX_HEADERS + 1):
            raw = await reader.readline()
            if raw in {b"\r\n", b"\n", b""}:
                break
            name, sep, value = raw.decode("latin-1").partition(":")
            if not sep:
                raise BadRequest("malformed header")
            headers[name.strip().lower()] = value.strip()
        else:
            raise BadRequest("too many headers")
        length = int(headers.get("content-length", "0") or 0)
        if length > MAX_BODY:
            raise BadRequest("request body too large")
        if length:
            await reader.readexactly(length)
        url = urlsplit(target)
        query = dict(parse_qsl(url.query, keep_blank_values=True))
        connection = headers.get("connection", "").lower()
        keep_alive = connection != "close" if version == "HTTP/1.1" else connection == "keep-alive"
        return Request(method.upper(), url.path or "/", query, headers), keep_alive

    @staticmethod
    async def _write(
        writer: asyncio.StreamWriter,
        request: Request | None,
        response: Response,
        keep_alive: bool,
    ) -> None:
        body = response.body
        extra = list(response.headers)
        accept = request.header("accept-encoding") if request else None
        if accept and "gzip" in accept and len(body) >= GZIP_MIN:
            body = gzip.compress(body, compresslevel=1)
            extra.append(("Content-Encoding", "gzip"))
        status = HTTPStatus(response.status)
        head = [
            f"HTTP/1.1 {status.value} {status.phrase}",
            f"Content-Type: {response.content_type}",
            f"Content-Length: {len(body)}",
            f"Connection: {'keep-alive' if keep_alive else 'close'}",
            *(f"{k}: {v}" for k, v in extra),
        ]
        data = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1")
        if request is None or request.method != "HEAD":
            data += body  # one send, not two: the copy is cheaper than a second segment
        writer.write(data)
        await writer.drain()
