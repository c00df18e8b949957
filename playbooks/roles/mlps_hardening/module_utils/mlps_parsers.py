"""Text parsers for Linux configuration, shared by the mlps_check module and egovnet.

This file runs in two places: on managed servers inside the ``mlps_check`` Ansible module
(imported as ``ansible.module_utils.mlps_parsers``; standard library only, Python 3.8+), and
on the controller, where egovnet's FRR device checks import it as
``playbooks.roles.mlps_hardening.module_utils.mlps_parsers``. One implementation of "which
server does this rsyslog rule forward to" serves both.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple


class ConfLine(NamedTuple):
    number: int  # 1-based
    text: str


def conf_lines(text: str, comment: str = "#") -> list[ConfLine]:
    """Non-empty, non-comment lines with their numbers."""
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped and not stripped.startswith(comment):
            out.append(ConfLine(number, raw.rstrip()))
    return out


def sshd_options(text: str) -> dict[str, ConfLine]:
    """Global sshd options by lower-case keyword; the first value wins (sshd's rule) and
    ``Match`` blocks are left out."""
    options: dict[str, ConfLine] = {}
    for line in conf_lines(text):
        words = line.text.split()
        key = words[0].lower()
        if key == "match":
            break
        options.setdefault(key, line)
    return options


def sshd_effective(output: str) -> dict[str, str]:
    """``sshd -T`` output as keyword -> value (keywords are already lower-case)."""
    values: dict[str, str] = {}
    for raw in output.splitlines():
        key, _, value = raw.strip().partition(" ")
        if key:
            values.setdefault(key, value.strip())
    return values


_DURATION = re.compile(r"(\d+)([smhdw]?)", re.IGNORECASE)
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def duration_seconds(text: str) -> int | None:
    """sshd time format (``10m``, ``1h30m``, ``600``) in seconds; None if unreadable."""
    text = text.strip().lower()
    if not text or not re.fullmatch(r"(\d+[smhdw]?)+", text):
        return None
    return sum(int(n) * _UNITS[u] for n, u in _DURATION.findall(text))


def forwarding_target(text: str) -> str | None:
    """The server an rsyslog rule forwards to (``*.* @@(o)host:514`` or an ``omfwd``
    action); None for any other line."""
    modern = re.search(r'type="omfwd".*target="([^"]+)"', text)
    if modern:
        return modern.group(1)
    for word in text.split()[1:]:
        if word.startswith("@"):
            target = re.sub(r"^@@?(\([^)]*\))?", "", word)
            if target.startswith("["):
                return target[1:].split("]", 1)[0]
            return target.split(":", 1)[0] or None
    return None


def time_sources(text: str) -> list[tuple[ConfLine, str]]:
    """``server``/``pool``/``peer`` lines of chrony or ntpd and their host."""
    out = []
    for line in conf_lines(text):
        words = line.text.split()
        if words[0] in ("server", "pool", "peer") and len(words) > 1:
            out.append((line, words[1]))
    return out


class PamEntry(NamedTuple):
    line: ConfLine
    kind: str  # auth, account, password, session
    control: str
    module: str
    args: dict[str, str]


def pam_entries(text: str, module: str) -> list[PamEntry]:
    """Lines of a PAM stack that use ``module`` (e.g. ``pam_faillock.so``)."""
    out = []
    for line in conf_lines(text):
        match = re.match(r"^\s*-?(\w+)\s+(\[[^\]]*\]|\S+)\s+(\S+)\s*(.*)$", line.text)
        if not match or not match.group(3).endswith(module):
            continue
        args: dict[str, str] = {}
        for word in match.group(4).split():
            key, _, value = word.partition("=")
            args[key] = value
        out.append(PamEntry(line, match.group(1), match.group(2), match.group(3), args))
    return out


def key_values(text: str, separator: str = "=") -> dict[str, tuple[ConfLine, str]]:
    """``key = value`` (or ``KEY value`` with separator " ") settings; the last one wins."""
    out: dict[str, tuple[ConfLine, str]] = {}
    for line in conf_lines(text):
        if separator == " ":
            words = line.text.split(None, 1)
            if len(words) == 2:
                out[words[0]] = (line, words[1].strip())
            continue
        key, sep, value = line.text.partition(separator)
        if sep:
            out[key.strip()] = (line, value.strip())
    return out


def tmout_values(text: str) -> list[tuple[ConfLine, int]]:
    """Assignments of the shell idle timeout ``TMOUT`` in a profile script."""
    out = []
    pattern = re.compile(
        r"^\s*(?:(?:readonly|export|declare\s+-\w+|typeset\s+-\w+)\s+)*"
        r"TMOUT=['\"]?(\d+)"
    )
    for line in conf_lines(text):
        match = pattern.match(line.text)
        if match:
            out.append((line, int(match.group(1))))
    return out


class PasswdEntry(NamedTuple):
    line: ConfLine
    name: str
    uid: int
    shell: str


def passwd_entries(text: str) -> list[PasswdEntry]:
    out = []
    for line in conf_lines(text):
        fields = line.text.split(":")
        if len(fields) >= 7 and fields[2].isdigit():
            out.append(PasswdEntry(line, fields[0], int(fields[2]), fields[6]))
    return out


class Listener(NamedTuple):
    line: str
    proto: str
    address: str
    port: int

    @property
    def loopback(self) -> bool:
        return self.address.startswith("127.") or self.address in ("::1", "localhost")


def listeners(ss_output: str) -> list[Listener]:
    """Listening sockets from ``ss -H -ltnu`` (or ``ss -ltn``; the header is skipped)."""
    out = []
    for raw in ss_output.splitlines():
        words = raw.split()
        if not words or words[0] in ("State", "Netid"):
            continue
        proto = words[0] if words[0] in ("tcp", "udp") else "tcp"
        for word in words:
            address, sep, port = word.rpartition(":")
            if sep and port.isdigit() and address:
                local = address.strip("[]").split("%")[0]
                out.append(
                    Listener(raw.strip(), proto, "0.0.0.0" if local == "*" else local, int(port))
                )
                break
    return out


PERIOD_DAYS = {"hourly": 1, "daily": 1, "weekly": 7, "monthly": 30, "yearly": 365}


class Retention(NamedTuple):
    log: str
    source: str  # the file whose block covers the log ("" when none does)
    period: str
    rotate: int
    days: int
    lines: tuple[tuple[str, ConfLine], ...]  # (file, line) that decided period and rotate


def _logrotate_blocks(text: str) -> list[tuple[list[str], dict[str, ConfLine]]]:
    blocks: list[tuple[list[str], dict[str, ConfLine]]] = []
    paths: list[str] = []
    inside: dict[str, ConfLine] | None = None
    for line in conf_lines(text):
        stripped = line.text.strip()
        if inside is None:
            head, brace, _ = stripped.partition("{")
            paths.extend(w for w in head.split() if w.startswith("/"))
            if brace:
                inside = {}
            continue
        if stripped.startswith("}"):
            blocks.append((paths, inside))
            paths, inside = [], None
            continue
        words = stripped.split()
        if words[0] in PERIOD_DAYS:
            inside["period"] = line
        elif words[0] in ("rotate", "maxage") and len(words) > 1:
            inside[words[0]] = line
    return blocks


def logrotate_retention(
    main: tuple[str, str], included: Sequence[tuple[str, str]], logs: Sequence[str]
) -> list[Retention]:
    """How many days of each log logrotate keeps: ``rotate`` x the period, block settings
    over the global ones of the main file. ``main`` and ``included`` are (path, text)."""
    globals_: dict[str, ConfLine] = {}
    for line in conf_lines(main[1]):
        words = line.text.split()
        if "{" in line.text:
            break
        if words[0] in PERIOD_DAYS:
            globals_["period"] = line
        elif words[0] == "rotate" and len(words) > 1:
            globals_["rotate"] = line
    covering: dict[str, tuple[str, dict[str, ConfLine]]] = {}
    for path, text in [main, *included]:
        for paths, settings in _logrotate_blocks(text):
            for log in paths:
                covering[log] = (path, settings)
    out = []
    for log in logs:
        if log not in covering:
            out.append(Retention(log, "", "", 0, 0, ()))
            continue
        path, settings = covering[log]
        shown: list[tuple[str, ConfLine]] = []
        values: dict[str, str] = {}
        for key in ("period", "rotate"):
            if key in settings:
                shown.append((path, settings[key]))
            elif key in globals_:
                shown.append((main[0], globals_[key]))
            else:
                continue
            words = shown[-1][1].text.split()
            values[key] = words[0] if key == "period" else words[1]
        period = values.get("period", "weekly")
        rotate = int(values["rotate"]) if values.get("rotate", "").isdigit() else 0
        out.append(Retention(log, path, period, rotate, rotate * PERIOD_DAYS[period], tuple(shown)))
    return out
