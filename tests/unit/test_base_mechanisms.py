"""The ground floor's shared mechanisms, as every room relies on them: one HOST:PORT grammar,
files written whole or not at all, processes known by PID and start time."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from base.atomic import write_bytes, write_text, write_with
from base.hostport import parse_host_port
from base.pidstat import start_ticks
from base.procs import ProcessRecord, alive, spawn_detached, stop

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "options", "expected"),
    [("127.0.0.1:9090", {}, ("127.0.0.1", 9090)),
     ("[::1]:9516", {}, ("::1", 9516)),
     ("noc-probe.example:5201", {}, ("noc-probe.example", 5201)),
     (":9516", {"default_host": "0.0.0.0"}, ("0.0.0.0", 9516)),
     ("10.1.4.1", {"default_port": 5201}, ("10.1.4.1", 5201)),
     ("[fe80::1]", {"default_port": 162}, ("fe80::1", 162)),
     ("127.4.0.1:0", {"any_port": True}, ("127.4.0.1", 0))],
)  # fmt: skip
def test_host_port_as_people_type_it(
    text: str, options: dict[str, object], expected: tuple[str, int]
) -> None:
    assert parse_host_port(text, **options) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["", "localhost", ":9090", "127.0.0.1:0", "127.0.0.1:65536", "-x:5201", "a b:1", "[::1",
     "host:port", "127.0.0.1:9090:1"],
)  # fmt: skip
def test_bad_host_port_is_a_value_error_naming_the_value(text: str) -> None:
    with pytest.raises(ValueError, match="expected HOST:PORT"):
        parse_host_port(text)


def test_a_write_is_whole_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "prometheus.yml"
    write_text(out, "上云率: 1\n")
    assert out.read_text(encoding="utf-8") == "上云率: 1\n"
    assert out.stat().st_mode & 0o777 == 0o644

    def half_then_fail(tmp: Path) -> None:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        write_with(out, half_then_fail)
    assert out.read_text(encoding="utf-8") == "上云率: 1\n"
    assert sorted(p.name for p in out.parent.iterdir()) == ["prometheus.yml"]
    write_bytes(tmp_path / "private", b"x", mode=0o600)
    assert (tmp_path / "private").stat().st_mode & 0o777 == 0o600


def test_only_the_process_we_started_is_stopped(tmp_path: Path) -> None:
    argv = [sys.executable, "-c", "import time; time.sleep(60)"]
    pid, ticks = spawn_detached(argv, tmp_path / "log", {})
    assert ticks is not None and start_ticks(pid) == ticks
    ours = ProcessRecord(pid=pid, start_ticks=ticks, argv=argv)
    stranger = ProcessRecord(pid=pid, start_ticks=ticks + 1, argv=argv)  # a recycled PID
    assert alive(ours) and not alive(stranger)
    assert stop([stranger], grace=0.2) == []
    assert alive(ours), "a record whose start time differs must never be signalled"
    assert stop([ours], grace=5.0) == []
    assert not alive(ours)


def test_a_program_that_cannot_run_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        spawn_detached([str(tmp_path / "no-such-program")], tmp_path / "log", {})
