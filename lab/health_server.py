"""A tiny HTTP health endpoint per lab URL (standard library only; run inside a namespace).

    python -m lab.health_server --site gov-cloud --device cloud1 \\
        http://10.200.0.11:8080/health http://10.200.0.12:8080/health

``GET <path>`` of a served URL answers 200 with JSON naming the URL; anything else is 404.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


def make_handler(routes: dict[str, dict[str, str]]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "egovnet-lab/1"

        def do_GET(self) -> None:
            body = routes.get(self.path)
            if body is None:
                self.send_error(404)
                return
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            return

    return Handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", required=True)
    parser.add_argument("--device", required=True)
    parser.add_argument("urls", nargs="+")
    args = parser.parse_args(argv)
    by_socket: dict[tuple[str, int], dict[str, dict[str, str]]] = {}
    for url in args.urls:
        parts = urlsplit(url)
        key = (parts.hostname or "", parts.port or 80)
        body = {"url": url, "status": "ok", "site": args.site, "device": args.device}
        by_socket.setdefault(key, {})[parts.path or "/"] = body
    servers = [
        ThreadingHTTPServer(addr, make_handler(routes)) for addr, routes in by_socket.items()
    ]
    for srv in servers:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    sys.stdout.write(f"serving {len(args.urls)} endpoint(s)\n")
    sys.stdout.flush()
    # SIGTERM's default action ends the process; there is nothing to flush or close.
    signal.sigwait({signal.SIGINT})
    return 0


if __name__ == "__main__":
    sys.exit(main())
