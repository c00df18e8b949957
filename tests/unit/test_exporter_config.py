"""Bad exporter and web config files: one line naming file, line and field; exit code 2."""

from __future__ import annotations

import os
from pathlib import Path

import bcrypt
import pytest

from base.errors import ExporterConfigError
from exporters.config import listen_address, load_exporter_config
from exporters.webconfig import WebConfig, WebSecurity, load_web_security
from tests.conftest import LAB_INVENTORY, invoke_egovnet

pytestmark = pytest.mark.unit


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    cfg = write(
        tmp_path,
        "exporter.yml",
        f"inventory: {os.path.relpath(LAB_INVENTORY, tmp_path)}\n"
        "secrets_file: secrets.env\ntraps:\n  listen: 127.0.0.1:9162\n",
    )
    config = load_exporter_config(cfg)
    assert config.inventory == LAB_INVENTORY
    assert config.secrets_file == tmp_path / "secrets.env"
    assert config.traps is not None and config.traps.address == ("127.0.0.1", 9162)


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        ("inventory: {inv}\nmax_concurency: 5\n", 2, "max_concurency", "unknown field"),
        ("inventory: {inv}\nmax_concurrency: 0\n", 2, "max_concurrency", "greater than"),
        ("inventory: {inv}\ntraps:\n  listen: localhost\n", 3, "traps.listen", "HOST:PORT"),
        ("secrets_file: x.env\n", 1, "inventory", "required field is missing"),
        ("inventory: /no/such/inventory\n", 1, "inventory", "no inventory at"),
        ("inventory: [unclosed\n", 2, "(yaml)", "bad YAML"),
    ],
)
def test_config_errors_are_located(
    tmp_path: Path, text: str, line: int, field: str, message: str
) -> None:
    cfg = write(tmp_path, "exporter.yml", text.format(inv=LAB_INVENTORY))
    with pytest.raises(ExporterConfigError) as err:
        load_exporter_config(cfg)
    assert err.value.location.line == line
    assert err.value.location.field == field
    assert message in err.value.message


def test_cli_reports_a_bad_config_in_one_line_with_exit_code_2(tmp_path: Path) -> None:
    cfg = write(tmp_path, "exporter.yml", f"inventory: {LAB_INVENTORY}\nbogus: 1\n")
    result = invoke_egovnet("exporter", "--config.file", str(cfg), "--web.listen-address", ":0")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [f"error: {cfg}:2: bogus: unknown field"]


def test_cli_rejects_a_bad_listen_address(tmp_path: Path) -> None:
    result = invoke_egovnet("exporter", "--profile", "lab", "--web.listen-address", "nowhere")
    assert result.returncode == 2
    assert "--web.listen-address" in result.stderr
    assert "Traceback" not in result.stderr


def test_listen_address() -> None:
    assert listen_address(":9516") == ("0.0.0.0", 9516)
    assert listen_address("[::1]:9516") == ("::1", 9516)
    with pytest.raises(ValueError, match="HOST:PORT"):
        listen_address("127.0.0.1:99999")


def test_web_config_rejects_a_clear_text_password(tmp_path: Path) -> None:
    cfg = write(tmp_path, "web.yml", "basic_auth_users:\n  prometheus: secret\n")
    with pytest.raises(ExporterConfigError) as err:
        load_web_security(cfg)
    assert (err.value.location.line, err.value.location.field) == (
        2,
        "basic_auth_users.prometheus",
    )


def test_web_config_missing_certificate_is_located(tmp_path: Path) -> None:
    cfg = write(
        tmp_path,
        "web.yml",
        "tls_server_config:\n  cert_file: none.crt\n  key_file: none.key\n",
    )
    with pytest.raises(ExporterConfigError) as err:
        load_web_security(cfg)
    assert err.value.location.line == 2
    assert "cannot load certificate" in err.value.message


def test_basic_auth_checks_bcrypt_and_remembers_a_good_password() -> None:
    hashed = bcrypt.hashpw(b"s3cret", bcrypt.gensalt(rounds=4)).decode().replace("$2b$", "$2y$")
    security = WebSecurity(WebConfig(basic_auth_users={"prometheus": hashed}), Path("."))

    def header(user: str, password: str) -> str:
        import base64

        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    assert security.authorized(header("prometheus", "s3cret"))
    assert security.authorized(header("prometheus", "s3cret"))  # from the cache
    assert not security.authorized(header("prometheus", "wrong"))
    assert not security.authorized(header("grafana", "s3cret"))
    assert not security.authorized(None)
    assert not security.authorized("Basic !!!notbase64")
