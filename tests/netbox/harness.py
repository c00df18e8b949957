"""A real NetBox 4.7 on a loopback port, for the tests; it stops exactly what it started.

NetBox 4.7 needs Python >= 3.12 and PostgreSQL >= 15 (Debian 12 has Python 3.11), so it runs
in a small Debian 13 (trixie) root built with ``mmdebstrap`` from Debian's packages, with
NetBox itself from PyPI in a venv inside that root. Everything runs in a new mount and PID
namespace (``unshare --mount --pid --fork --kill-child``) but shares the host's network, so
``127.0.0.1:PORT`` is reachable from the tests. Stopping kills the namespace's first process;
the kernel then kills every process in it and drops its mounts.

Caches (outside the repository, ``$EGOVNET_NETBOX_CACHE`` or ``/var/cache/egovnet/netbox``):

* ``root-<key>.tar``: the root with NetBox installed, keyed by suite, package list and NetBox
  version; ``root-<key>/`` is its extracted copy, the read-only lower layer of an overlay that
  each run writes into (so a run never changes the cache).
* ``db-<netbox version>-<key>.tar``: the PostgreSQL cluster right after ``netbox migrate``
  (about 6 minutes of migrations) with the test superuser, so later runs start in seconds.

Two facts of this machine the build carries into the root: ``pip`` inside a fresh root fails
with CERTIFICATE_VERIFY_FAILED unless the host's CA bundle (``/etc/ssl/certs/ca-certificates.crt``)
is copied in, so it is, along with any proxy variables of the environment; and NetBox pins
``psycopg[c]``, which compiles against libpq, so the root installs NetBox's own pinned
requirements with ``psycopg[binary]`` instead (same version, the prebuilt wheel).

Run ``python -m tests.netbox.harness warm`` to fill the caches ahead of a test run.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

NETBOX_VERSION = "4.7.3"
SUITE = "trixie"
PACKAGES = ("python3", "python3-venv", "postgresql", "redis-server", "ca-certificates")
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
PROXY_VARS = ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY")
ADMIN_USER = "egovnet"
#: Bump when the way the root or the database is made changes.
RECIPE = "3"

# Inside the root: NetBox's venv, its instance directory and the cluster.
VENV = "/opt/netbox"
INSTANCE = "/srv/netbox"
PGDATA = "/srv/pgdata"

REQUIREMENTS_SCRIPT = r"""
import re
from importlib.metadata import requires
for line in requires("netbox") or []:
    if "extra ==" in line:
        continue
    line = line.split(";")[0].strip()
    line = re.sub(r"^psycopg\[([^\]]*)\]", lambda m: "psycopg[" + ",".join(
        "binary" if e == "c" else e for e in m.group(1).split(",")) + "]", line)
    print(line)
"""

CONFIGURATION = """
import os
ALLOWED_HOSTS = ["*"]
DATABASE = {
    "NAME": "netbox", "USER": "netbox", "PASSWORD": "netbox",
    "HOST": "127.0.0.1", "PORT": os.environ["EGOVNET_NB_PG_PORT"], "CONN_MAX_AGE": 300,
}
_redis = {"HOST": "127.0.0.1", "PORT": int(os.environ["EGOVNET_NB_REDIS_PORT"]),
          "USERNAME": "", "PASSWORD": "", "SSL": False}
REDIS = {"tasks": {**_redis, "DATABASE": 0}, "caching": {**_redis, "DATABASE": 1}}
SECRET_KEY = os.environ["EGOVNET_NB_SECRET_KEY"]
API_TOKEN_PEPPERS = {1: os.environ["EGOVNET_NB_PEPPER"]}
CENSUS_REPORTING_ENABLED = False
RELEASE_CHECK_URL = None
ISOLATED_DEPLOYMENT = True
LOGIN_REQUIRED = True
"""

# Runs inside the new namespaces as their first process. $1 = mode (build-db | serve).
BOOT = r"""
set -eu
mode=$1
M=$RUN/merged
mount -t overlay overlay -o lowerdir=$LOWER,upperdir=$RUN/upper,workdir=$RUN/work $M
mount -t proc proc $M/proc
mount --rbind /dev $M/dev
mount -t sysfs sys $M/sys
mount -t tmpfs tmpfs $M/tmp
mount -t tmpfs tmpfs $M/run
mkdir -p $M/cache && mount --bind $CACHE $M/cache
mkdir -p $M/run/postgresql $M/srv/logs
in_root() { chroot $M /usr/bin/env -i PATH=/usr/bin:/bin:/usr/sbin:/sbin LANG=C.UTF-8 "$@"; }
as_pg() { in_root /usr/sbin/runuser -u postgres -- "$@"; }
PGBIN=$(echo $M/usr/lib/postgresql/*/bin); PGBIN=${PGBIN#$M}
if [ "$mode" = build-db ]; then
    mkdir -p $M$PGDATA; in_root chown postgres:postgres $PGDATA
    as_pg $PGBIN/initdb -D $PGDATA -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
else
    in_root tar -C / -xf /cache/$DB_TAR
fi
in_root chown postgres:postgres /run/postgresql
as_pg $PGBIN/postgres -D $PGDATA -p $PG_PORT -c listen_addresses=127.0.0.1 \
    -c unix_socket_directories=/run/postgresql -c fsync=off -c full_page_writes=off \
    > $M/srv/logs/postgres.log 2>&1 &
in_root /usr/bin/redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' \
    --appendonly no --daemonize no > $M/srv/logs/redis.log 2>&1 &
i=0
until as_pg $PGBIN/pg_isready -q -h 127.0.0.1 -p $PG_PORT; do
    i=$((i+1)); [ $i -lt 600 ] || { echo "postgres did not start" >&2; exit 1; }; sleep 0.1
done
nb() { in_root EGOVNET_NB_PG_PORT=$PG_PORT EGOVNET_NB_REDIS_PORT=$REDIS_PORT \
    EGOVNET_NB_SECRET_KEY=$SECRET_KEY EGOVNET_NB_PEPPER=$PEPPER NETBOX_ROOT=$INSTANCE \
    DJANGO_SUPERUSER_PASSWORD=${ADMIN_PASSWORD:-} "$@"; }
if [ "$mode" = build-db ]; then
    as_pg $PGBIN/psql -q -h 127.0.0.1 -p $PG_PORT -U postgres \
        -c "CREATE USER netbox PASSWORD 'netbox'" -c "CREATE DATABASE netbox OWNER netbox"
    nb $VENV/bin/netbox migrate --no-input
    nb $VENV/bin/netbox createsuperuser --no-input --username $ADMIN_USER \
        --email egovnet@example.invalid
    as_pg $PGBIN/pg_ctl -D $PGDATA -m fast -w stop
    in_root tar -C / -cf /cache/$DB_TAR.part ${PGDATA#/}
    exit 0
fi
GPATH=$(echo $M$VENV/lib/python3*/site-packages); GPATH=${GPATH#$M}
nb $VENV/bin/gunicorn --pythonpath $GPATH --bind 127.0.0.1:$HTTP_PORT --workers 1 \
    --threads 4 --timeout 300 netbox.wsgi > $M/srv/logs/netbox.log 2>&1
"""


class HarnessError(RuntimeError):
    """The NetBox harness could not build or start; the message carries the log tail."""


def cache_dir() -> Path:
    return Path(os.environ.get("EGOVNET_NETBOX_CACHE", "/var/cache/egovnet/netbox"))


def root_key() -> str:
    recipe = json.dumps([RECIPE, SUITE, sorted(PACKAGES), NETBOX_VERSION, CONFIGURATION])
    return hashlib.sha256(recipe.encode()).hexdigest()[:12]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _log(message: str) -> None:
    print(f"netbox-harness: {message}", file=sys.stderr, flush=True)


@contextmanager
def _cache_lock(cache: Path) -> Iterator[None]:
    cache.mkdir(parents=True, exist_ok=True)
    with (cache / ".lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _build_env() -> dict[str, str]:
    env = {"PATH": "/usr/bin:/bin:/usr/sbin:/sbin", "LANG": "C.UTF-8", "HOME": "/root"}
    env |= {k: v for k, v in os.environ.items() if k in PROXY_VARS}
    return env


def _run(cmd: list[str], log: Path, env: dict[str, str] | None = None) -> None:
    with log.open("ab") as out:
        done = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, check=False)
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise HarnessError(f"{' '.join(cmd[:3])}... failed ({done.returncode}):\n{tail}")


def _chroot_script(root: Path, script: str, log: Path) -> None:
    """Run a shell script in ``root`` with /proc and /dev mounted in a private namespace."""
    wrapper = (
        'set -eu; mount -t proc proc "$1/proc"; mount --rbind /dev "$1/dev"; '
        'chroot "$1" /bin/sh -eu -c "$2"'
    )
    cmd = ["unshare", "--mount", "--pid", "--fork", "--kill-child", "sh", "-c", wrapper, "sh"]
    _run([*cmd, str(root), script], log, _build_env())


def ensure_root(cache: Path) -> Path:
    """The extracted root with NetBox installed; built (and tarred) once per key."""
    key = root_key()
    root = cache / f"root-{key}"
    tarball = cache / f"root-{key}.tar"
    if root.is_dir():
        return root
    log = cache / f"build-root-{key}.log"
    log.write_text("")
    build = Path(tempfile.mkdtemp(prefix=f".root-{key}-", dir=cache))
    try:
        if not tarball.is_file():
            _log(f"building the {SUITE} root with mmdebstrap (log: {log})")
            base = cache / f".base-{key}.tar"
            _run(["mmdebstrap", "--variant=minbase", f"--include={','.join(PACKAGES)}",
                  SUITE, str(base)], log, _build_env())  # fmt: skip
            _run(["tar", "-C", str(build), "-xf", str(base)], log)
            base.unlink()
            # The host's trust store: without it pip fails with CERTIFICATE_VERIFY_FAILED.
            shutil.copyfile(HOST_CA_BUNDLE, build / "etc/ssl/certs/ca-certificates.crt")
            (build / "tmp/requirements.py").write_text(REQUIREMENTS_SCRIPT)
            _log(f"installing NetBox {NETBOX_VERSION} from PyPI into the root")
            pip = f"{VENV}/bin/pip"
            _chroot_script(
                build,
                f"python3 -m venv {VENV}; export PIP_CERT=/etc/ssl/certs/ca-certificates.crt; "
                f"{pip} install -q --no-deps netbox=={NETBOX_VERSION}; "
                f"{VENV}/bin/python /tmp/requirements.py > /tmp/requirements.txt; "
                f"{pip} install -q -r /tmp/requirements.txt; rm -rf /root/.cache /tmp/*",
                log,
            )
            conf = build / INSTANCE.lstrip("/") / "conf"
            conf.mkdir(parents=True)
            (conf / "configuration.py").write_text(CONFIGURATION)
            (build / PGDATA.lstrip("/")).mkdir(parents=True)
            _run(["tar", "-C", str(build), "-cf", f"{tarball}.part", "."], log)
            os.replace(f"{tarball}.part", tarball)
        else:
            _log(f"extracting {tarball}")
            _run(["tar", "-C", str(build), "-xf", str(tarball)], log)
        os.replace(build, root)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    return root


def db_tar_name() -> str:
    return f"db-{NETBOX_VERSION}-{root_key()}.tar"


@dataclass
class _Run:
    """One start of the namespace: its directory, ports and the process that owns it all."""

    dir: Path
    process: subprocess.Popen[bytes]
    http_port: int

    @property
    def logs(self) -> Path:
        return self.dir / "upper" / "srv" / "logs"

    def log_tail(self) -> str:
        parts = [(self.dir / "boot.log").read_text(errors="replace")[-2000:]]
        for name in ("postgres.log", "redis.log", "netbox.log"):
            path = self.logs / name
            if path.is_file():
                parts.append(f"--- {name}\n" + path.read_text(errors="replace")[-2000:])
        return "\n".join(parts)

    def stop(self) -> None:
        """Kill our ``unshare``: ``--kill-child`` SIGKILLs the namespace's first process, and
        the kernel then kills every process in the namespace and drops its mounts. (``unshare
        --fork`` ignores SIGTERM while it waits, so SIGKILL it is.)"""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


def _start(root: Path, cache: Path, mode: str, admin_password: str) -> _Run:
    run_dir = Path(tempfile.mkdtemp(prefix="egovnet-netbox-", dir=cache / "runs"))
    for sub in ("upper", "work", "merged"):
        (run_dir / sub).mkdir()
    http_port = _free_port()
    env = _build_env() | {
        "RUN": str(run_dir),
        "LOWER": str(root),
        "PG_PORT": str(_free_port()),
        "REDIS_PORT": str(_free_port()),
        "HTTP_PORT": str(http_port),
        "SECRET_KEY": secrets.token_urlsafe(48),
        "PEPPER": secrets.token_urlsafe(48),
        "ADMIN_USER": ADMIN_USER,
        "ADMIN_PASSWORD": admin_password,
        "VENV": VENV,
        "INSTANCE": INSTANCE,
        "PGDATA": PGDATA,
        "DB_TAR": db_tar_name(),
    }
    env["CACHE"] = str(cache)  # bound at /cache inside the root, for the database tarball
    boot_log = (run_dir / "boot.log").open("wb")
    process = subprocess.Popen(
        ["unshare", "--mount", "--pid", "--fork", "--kill-child",
         "bash", "-c", BOOT, "boot", mode],
        env=env, stdout=boot_log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    boot_log.close()
    return _Run(run_dir, process, http_port)


def _admin_password(cache: Path) -> str:
    path = cache / f"{db_tar_name()}.password"
    if not path.is_file():
        path.write_text(secrets.token_urlsafe(24))
        path.chmod(0o600)
    return path.read_text().strip()


def ensure_database(root: Path, cache: Path) -> Path:
    """The migrated cluster as a tarball; migrations run once per NetBox version and root."""
    tarball = cache / db_tar_name()
    if tarball.is_file():
        return tarball
    _log(f"running NetBox {NETBOX_VERSION} migrations once (about 6 minutes) into {tarball}")
    run = _start(root, cache, "build-db", _admin_password(cache))
    try:
        code = run.process.wait(timeout=3600)
        if code != 0:
            raise HarnessError(f"building the NetBox database failed:\n{run.log_tail()}")
        os.replace(f"{tarball}.part", tarball)
    finally:
        run.stop()
    return tarball


@dataclass
class NetBox:
    """A running NetBox: its URL and an API token made for this run."""

    url: str
    token: str
    run: _Run

    def stop(self) -> None:
        self.run.stop()


def _http_json(url: str, body: dict[str, str] | None = None) -> tuple[int, object]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json", "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace")


def _answers(url: str) -> bool:
    """NetBox's API answers (401/403 without a token is an answer too)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return bool(response.status == 200)
    except urllib.error.HTTPError as err:
        return err.code in (401, 403)
    except (OSError, ValueError):
        return False


def start_netbox(timeout: float = 600) -> NetBox:
    """Build what is not cached yet, start NetBox on a free loopback port, make a token."""
    cache = cache_dir()
    (cache / "runs").mkdir(parents=True, exist_ok=True)
    with _cache_lock(cache):
        root = ensure_root(cache)
        ensure_database(root, cache)
    password = _admin_password(cache)
    run = _start(root, cache, "serve", password)
    url = f"http://127.0.0.1:{run.http_port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if run.process.poll() is not None:
                raise HarnessError(f"NetBox exited ({run.process.returncode}):\n{run.log_tail()}")
            if _answers(f"{url}/api/status/"):
                break
            if time.monotonic() > deadline:
                raise HarnessError(
                    f"NetBox did not answer within {timeout:.0f} s:\n{run.log_tail()}"
                )
            time.sleep(0.5)
        status, body = _http_json(
            f"{url}/api/users/tokens/provision/", {"username": ADMIN_USER, "password": password}
        )
        if status != 201 or not isinstance(body, dict):
            raise HarnessError(f"could not provision an API token ({status}): {body}")
        token = _token_of(body)
    except BaseException:
        run.stop()
        raise
    return NetBox(url=url, token=token, run=run)


def _token_of(body: dict[str, object]) -> str:
    """The header value's secret part of a provisioned token (v2 ``nbt_KEY.TOKEN``, or v1)."""
    token = body.get("token")
    key = body.get("key")
    if isinstance(key, str) and isinstance(token, str) and not token.startswith("nbt_"):
        return f"nbt_{key}.{token}"
    if isinstance(token, str):
        return token
    raise HarnessError(f"unexpected token response fields: {sorted(body)}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["warm"]:
        started = time.monotonic()
        netbox = start_netbox()
        netbox.stop()
        _log(f"caches ready in {cache_dir()} ({time.monotonic() - started:.1f} s)")
        return 0
    print("usage: python -m tests.netbox.harness warm", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
