"""Running configs in a git repository under the state directory (what Oxidized does).

One commit per run, holding only the devices whose config changed since the last one;
``<device>.cfg`` at HEAD is each device's last backup (what ``config rollback`` restores).
The repository is private to its owner (mode 0700): running configs can hold hashes.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from base.errors import AutomationError

GIT_ENV = {
    "GIT_AUTHOR_NAME": "egovnet",
    "GIT_AUTHOR_EMAIL": "egovnet@localhost",
    "GIT_COMMITTER_NAME": "egovnet",
    "GIT_COMMITTER_EMAIL": "egovnet@localhost",
    "GIT_CONFIG_NOSYSTEM": "1",
}


@dataclass(frozen=True)
class BackupRun:
    commit: str | None  # None: nothing changed, nothing committed
    changed: tuple[str, ...]
    unchanged: tuple[str, ...]


class BackupRepo:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, **GIT_ENV, "HOME": str(self.path)}
        done = subprocess.run(
            ["git", "-C", str(self.path), *args],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=120,
        )
        if check and done.returncode != 0:
            raise AutomationError(f"git {args[0]} in {self.path}: {done.stderr.strip()}")
        return done

    def ensure(self) -> None:
        if (self.path / ".git").is_dir():
            return
        self.path.mkdir(parents=True, exist_ok=True)
        self.path.chmod(0o700)
        self._git("init", "-q", "-b", "main")

    def file(self, device: str) -> Path:
        return self.path / f"{device}.cfg"

    def last(self, device: str) -> str | None:
        """The device's config as of the last backup commit (not an uncommitted file)."""
        if not (self.path / ".git").is_dir():
            return None
        return self.at("HEAD", device)

    def at(self, commit: str, device: str) -> str | None:
        """The device's config in one backup commit (None: not in that commit)."""
        if not (self.path / ".git").is_dir():
            return None
        done = self._git("show", f"{commit}:{device}.cfg", check=False)
        return done.stdout if done.returncode == 0 else None

    def commit(self, configs: dict[str, str], message: str) -> BackupRun:
        """Write every config, commit the ones that changed in one commit."""
        self.ensure()
        for device, text in sorted(configs.items()):
            path = self.file(device)
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(path)
        names = [f"{d}.cfg" for d in sorted(configs)]
        if names:
            self._git("add", "--", *names)
        status = self._git("diff", "--cached", "--name-only").stdout.split()
        changed = tuple(sorted(n.removesuffix(".cfg") for n in status))
        unchanged = tuple(sorted(set(configs) - set(changed)))
        if not changed:
            return BackupRun(None, (), unchanged)
        body = f"{message}\n\nchanged: {', '.join(changed)}\n"
        self._git("commit", "-q", "-m", body)
        sha = self._git("rev-parse", "HEAD").stdout.strip()
        return BackupRun(sha, changed, unchanged)

    def log(self, device: str | None = None, limit: int = 20) -> list[str]:
        if not (self.path / ".git").is_dir():
            return []
        args = ["log", f"-{limit}", "--format=%H %aI %s"]
        if device:
            args += ["--", f"{device}.cfg"]
        return self._git(*args).stdout.splitlines()
