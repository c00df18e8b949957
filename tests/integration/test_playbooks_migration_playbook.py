"""The migration playbook against real HTTP endpoints, through ``egovnet audit``.

A copy of the lab inventory whose system URLs point at 127.8.0.x; a real HTTP server answers
on exactly the endpoints the lab serves (profile.lab_endpoints), so reality disagrees with two
records on purpose: SYS-OA says cutover but still answers on-prem, SYS-HIS says not_started
but already answers in the cloud. The probe is this machine (group ``probe``, local
connection), as a lab server would be inside the extranet.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from inventory.ansible_export import ansible_inventory
from inventory.loader import load_inventory
from tests.conftest import LAB_INVENTORY, run_egovnet

pytestmark = pytest.mark.integration

URL = re.compile(r"http://(?P<host>[\d.]+):\d+(?P<path>/\w+)")


class Health(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"status": "ok", "host": self.server.server_address[0]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    base = tmp_path_factory.mktemp("t8-migration")
    inv_dir = base / "inventory"
    shutil.copytree(LAB_INVENTORY, inv_dir)
    port = free_port()
    loopback: dict[str, str] = {}

    def local(url: str) -> str:
        match = URL.match(url)
        assert match, url
        host = loopback.setdefault(match["host"], f"127.8.0.{len(loopback) + 1}")
        return f"http://{host}:{port}{match['path']}"

    systems = inv_dir / "systems.yaml"
    systems.write_text(URL.sub(lambda m: local(m.group(0)), systems.read_text("utf-8")), "utf-8")
    profile = yaml.safe_load((inv_dir / "profile.yaml").read_text("utf-8"))
    served = [local(u) for u in profile["profile"]["lab_endpoints"]]
    servers = []
    for url in served:
        host = URL.match(url.replace(f":{port}", ":0"))
        assert host
        server = ThreadingHTTPServer((host["host"], port), Health)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    doc = ansible_inventory(load_inventory(inv_dir))
    doc["all"]["hosts"]["localhost"] = {
        "ansible_connection": "local",
        "ansible_python_interpreter": sys.executable,
    }
    doc["all"]["children"]["probe"] = {"hosts": {"localhost": None}}
    hosts = base / "hosts.yml"
    hosts.write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    try:
        yield {"inventory": inv_dir, "hosts": hosts, "state": base / "state"}
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def test_the_playbook_finds_the_records_reality_contradicts(world: dict[str, Path]) -> None:
    common = ["--inventory", str(world["inventory"]), "--state-dir", str(world["state"])]
    done = run_egovnet(
        "audit",
        "run",
        "--no-servers",
        "--no-devices",
        "--migration",
        "--ansible-inventory",
        str(world["hosts"]),
        "--json",
        *common,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["migration"]["checked"] == [
        "SYS-ARCH",
        "SYS-GIS",
        "SYS-HIS",
        "SYS-OA",
        "SYS-ZWFW",
    ]

    files = world["state"] / "audit" / "migration"
    oa = json.loads((files / "SYS-OA.json").read_text("utf-8"))
    assert (oa["cloud_answers"], oa["onprem_answers"], oa["onprem_status"]) == (True, True, 200)
    assert oa["probe"] == "localhost" and oa["host_tiers"] == {"srv-cloud1": "cloud"}
    # every file carries the id of the run that wrote it; that is how the run found them
    run_ids = {json.loads(f.read_text("utf-8"))["run_id"] for f in files.glob("*.json")}
    assert len(run_ids) == 1 and len(run_ids.pop()) == 32

    done = run_egovnet("audit", "migration", "--json", *common)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    flags = {s["id"]: s["flags"] for s in report["systems"]}
    assert flags == {
        "SYS-ZWFW": [],
        "SYS-OA": ["onprem_still_answering"],
        "SYS-HIS": ["already_in_cloud", "hosts_in_cloud"],
        "SYS-GIS": [],
        "SYS-ARCH": [],
    }
    assert report["disagreements"] == 2
    assert report["ratio"] == 0.5  # by the records: ZWFW and OA of four
    assert report["verified_ratio"] == 0.25  # by reality: only ZWFW
    text = run_egovnet("audit", "migration", *common).stdout
    assert "onprem_still_answering" in text and "上云率" in text
