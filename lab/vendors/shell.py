"""A stateful VRP-family CLI on fakenos: user view, system view, nested views, ``#`` configs.

fakenos's own ``CMDShell`` answers whole lines from a fixed table under exact prompts. This
shell keeps fakenos's SSH server and its ``CMDShell`` plumbing (stdin/stdout taps, the
``cmd`` loop) and answers every line itself (:meth:`VrpFamilyShell.onecmd`): views and their
prompts (``<name>``, ``[name]``, ``[name-GigabitEthernet0/0/1]``, VRP8's ``[~name]`` and
``[*name]``), configuration lines that change the device's running config, ``display``
commands with abbreviations and ``| include``, ``save`` and its questions, VRP8's
two-stage ``commit`` and ``rollback configuration``, paging with ``  ---- More ----``, and
errors in the vendor's wording with the caret under the offending word.

What differs between Huawei VRP and H3C Comware is a :class:`VendorPlatform` (see
``huawei_vrp.py`` and ``hp_comware.py``); this module holds no vendor's text.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fakenos.plugins.shell.cmd_shell import CMDShell

from .config import ChangeError, ConfigStyle, Path, RunningConfig
from .device import Device

Display = Callable[["VrpFamilyShell", list[str]], str]
Dialogue = Callable[["VrpFamilyShell", list[str]], str]


@dataclass(frozen=True)
class VendorPlatform:
    """Everything one vendor's CLI says differently; the shell reads it, never a name."""

    name: str
    style: ConfigStyle
    #: printed after login, before the first prompt
    banner: Callable[[Device], str]
    unrecognized: str
    incomplete: str
    #: the command that turns paging off for the session, and what the device answers
    paging_off: tuple[str, ...]
    paging_off_reply: str
    #: the ``save`` dialogue (it asks through :meth:`VrpFamilyShell.ask`)
    save: Dialogue
    #: ``display`` subcommands by their full words
    displays: dict[tuple[str, ...], Display]
    #: the prompt part of a view: ``interface GigabitEthernet0/0/1`` -> ``GigabitEthernet0/0/1``
    view_name: Callable[[str], str]
    #: first words accepted as configuration in system view and in views
    config_words: frozenset[str]
    #: VRP8: changes go to a candidate until ``commit``
    two_stage: bool = False
    #: lines of one page before ``---- More ----``
    page_lines: int = 24
    #: the header ``display current-configuration`` prints before the first ``#``
    config_header: Callable[[Device], str] = lambda _: ""
    uncommitted_question: str = ""
    extra_user_commands: dict[str, Dialogue] = field(default_factory=dict)


MORE = "  ---- More ----"
ERASE_MORE = "\x1b[16D                \x1b[16D"
USER_COMMANDS = ("display", "system-view", "save", "screen-length", "quit", "return", "undo")


class VrpFamilyShell(CMDShell):  # type: ignore[misc]
    """One SSH session. ``device`` and ``platform`` are set on the class by :func:`shell_for`."""

    device: Device
    platform: VendorPlatform

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.intro = ""  # the banner is written by preloop, with the device's line endings
        self.path: Path | None = None  # None: user view; (): system view
        self.candidate: RunningConfig | None = None
        self.paging = True
        self._stopping = False
        self._set_prompt()

    # -- the loop -----------------------------------------------------------------------

    def stop(self) -> None:
        """fakenos's watchdog ends a dead session by typing ``exit`` into the shell; VRP has
        no ``exit`` command, so the shell remembers it is being stopped."""
        self._stopping = True
        super().stop()

    def preloop(self) -> None:
        self.stdout.write(self._crlf(self.platform.banner(self.device)))

    def onecmd(self, line: str) -> bool:
        line = line.rstrip("\r\n")
        if line == "EOF" or self._stopping or not self.is_running.is_set():
            return True
        if self.device.answer_delay:
            time.sleep(self.device.answer_delay)
        stripped = line.strip()
        if not stripped:
            return False
        offset = len(line) - len(line.lstrip())
        try:
            with self.device.lock:
                stop = self._dispatch(stripped, offset)
        except _Refused as refused:
            self._write(self._caret(offset + refused.position) + "\n" + refused.message)
            stop = False
        except ChangeError as exc:
            self._write(str(exc))
            stop = False
        self._set_prompt()
        return stop

    def emptyline(self) -> bool:
        return False

    # -- output -------------------------------------------------------------------------

    @staticmethod
    def _crlf(text: str) -> str:
        return text.replace("\r\n", "\n").replace("\n", "\r\n")

    def _write(self, text: str) -> None:
        if text:
            self.stdout.write(self._crlf(text.rstrip("\n") + "\n"))

    def _write_paged(self, text: str) -> None:
        lines = text.rstrip("\n").split("\n")
        page = self.platform.page_lines
        if not self.paging or len(lines) <= page:
            self._write(text)
            return
        start = 0
        while start < len(lines):
            chunk = lines[start : start + page]
            self.stdout.write(self._crlf("\n".join(chunk) + "\n"))
            start += page
            if start >= len(lines):
                return
            answer = self.ask(MORE)
            if answer.strip().lower() == "q":
                return
            self.stdout.write(ERASE_MORE)

    def ask(self, question: str) -> str:
        """Write a question (no line end) and read the user's answer line."""
        self.stdout.write(self._crlf(question))
        answer = self.stdin.readline()
        return "" if answer is None else str(answer).rstrip("\r\n")

    def _caret(self, position: int) -> str:
        return " " * (len(self.prompt) + position) + "^"

    def _set_prompt(self) -> None:
        name = self.device.sysname
        if self.path is None:
            self.prompt = f"<{name}>"
            return
        mark = ""
        if self.platform.two_stage:
            pending = self.candidate is not None and (
                self.candidate.render() != self.device.running.render()
            )
            mark = "*" if pending else "~"
        suffix = "".join(f"-{self.platform.view_name(h)}" for h in self.path)
        self.prompt = f"[{mark}{name}{suffix}]"

    # -- dispatch -----------------------------------------------------------------------

    def _dispatch(self, line: str, offset: int) -> bool:
        words = line.split()
        head = words[0]
        if head == "display" or (len(head) >= 3 and "display".startswith(head)):
            self._display(line)
            return False
        if head == "save":  # any view
            self._write(self.platform.save(self, words[1:]))
            return False
        if head in ("quit", "q"):
            return self._quit()
        if head == "return":
            if self.path is not None:
                self._leave_system_view()
            return False
        if self.path is None:
            return self._user_command(line, words)
        if head == "commit" and self.platform.two_stage:
            self._commit(words)
            return False
        if head == "system-view":
            return False
        self._configure(line)
        return False

    def _user_command(self, line: str, words: list[str]) -> bool:
        head = words[0]
        if len(head) >= 3 and "system-view".startswith(head):
            self.path = ()
            if self.platform.two_stage:
                self.candidate = self.device.running.copy()
            self._write("Enter system view, return user view with return command.")
            return False
        if tuple(words) == self.platform.paging_off:
            self.paging = False
            self._write(self.platform.paging_off_reply)
            return False
        handler = self.platform.extra_user_commands.get(head)
        if handler is not None:
            self._write(handler(self, words[1:]))
            return False
        if head in ("undo", "terminal", "screen-length"):
            return False  # terminal settings of the session: accepted, nothing kept
        raise _Refused(0, self.platform.unrecognized)

    def _quit(self) -> bool:
        if self.path is None:
            return True  # logs out: fakenos closes the session
        if self.path:
            self.path = self.path[:-1]
            return False
        self._leave_system_view()
        return False

    def _leave_system_view(self) -> None:
        if self.platform.two_stage and self._pending():
            answer = self.ask(self.platform.uncommitted_question).strip().lower()
            if answer.startswith("c"):
                return
            if answer.startswith("y") and self.candidate is not None:
                self.device.commit(self.candidate)
        self.path, self.candidate = None, None

    def _pending(self) -> bool:
        return self.candidate is not None and (
            self.candidate.render() != self.device.running.render()
        )

    # -- configuration ------------------------------------------------------------------

    def _config(self) -> RunningConfig:
        if self.platform.two_stage:
            assert self.candidate is not None
            return self.candidate
        return self.device.running

    def _configure(self, line: str) -> None:
        assert self.path is not None
        words = line.split()
        first = words[1] if words[0] == "undo" and len(words) > 1 else words[0]
        if first not in self.platform.config_words and first not in self.device.known_words:
            position = line.index(first) if words[0] == "undo" else 0
            raise _Refused(position, self.platform.unrecognized)
        if words[0] == "undo" and len(words) == 1:
            raise _Refused(len(line) + 1, self.platform.incomplete)
        if any(line.startswith(prefix) for prefix in self.device.refuse):
            raise _Refused(0, self.platform.unrecognized)
        config = self._config()
        if config.opens_view(self.path, line):
            self.path = config.enter(self.path, line)
            return
        if self.path == () and words[0] == "sysname" and len(words) < 2:
            raise _Refused(len(line) + 1, self.platform.incomplete)
        config.set_line(self.path, line)

    def _commit(self, words: list[str]) -> None:
        if self.candidate is None:
            return
        if not self._pending():
            return
        label = words[2] if len(words) > 2 and words[1] == "label" else ""
        self.device.commit(self.candidate, label)
        self.candidate = self.device.running.copy()

    # -- display --------------------------------------------------------------------------

    def _display(self, line: str) -> None:
        command, _, pipe = line.partition("|")
        words = command.split()
        key, args = self._match(command, words[1:], len(words[0]) + 1)
        handler = self._displays()[key]
        text = handler(self, args)
        if pipe:
            text = _filter(pipe.strip(), text)
        self._write_paged(text)

    def _displays(self) -> dict[tuple[str, ...], Display]:
        return {**COMMON_DISPLAYS, **self.platform.displays}

    def _match(
        self, command: str, typed: list[str], start: int
    ) -> tuple[tuple[str, ...], list[str]]:
        keys = list(self._displays())
        matched: list[str] = []
        position = start
        for index, word in enumerate(typed):
            position = command.index(word, position)
            options = {
                k[index]
                for k in keys
                if len(k) > index and list(k[:index]) == matched and k[index].startswith(word)
            }
            if word in options:
                options = {word}
            if len(options) != 1:
                if tuple(matched) in keys:
                    return tuple(matched), typed[index:]
                raise _Refused(position, self.platform.unrecognized)
            matched.append(options.pop())
            position += len(word)
        if tuple(matched) in keys:
            return tuple(matched), []
        raise _Refused(len(command.rstrip()) + 1, self.platform.incomplete)


class _Refused(Exception):
    def __init__(self, position: int, message: str) -> None:
        super().__init__(message)
        self.position, self.message = position, message


def _filter(pipe: str, text: str) -> str:
    """``include``/``exclude``/``begin`` and their abbreviations, regular expressions."""
    verb, _, pattern = pipe.partition(" ")
    pattern = pattern.strip()
    lines = text.split("\n")
    if "include".startswith(verb):
        return "\n".join(ln for ln in lines if re.search(pattern, ln))
    if "exclude".startswith(verb):
        return "\n".join(ln for ln in lines if not re.search(pattern, ln))
    if "begin".startswith(verb):
        for index, ln in enumerate(lines):
            if re.search(pattern, ln):
                return "\n".join(lines[index:])
        return ""
    return text


def _current(shell: VrpFamilyShell, _: list[str]) -> str:
    header = shell.platform.config_header(shell.device)
    return header + shell.device.running.render()


def _saved(shell: VrpFamilyShell, _: list[str]) -> str:
    return shell.platform.config_header(shell.device) + shell.device.saved


def _this(shell: VrpFamilyShell, _: list[str]) -> str:
    config = shell._config() if shell.path is not None else shell.device.running
    if not shell.path:
        return "#\nreturn"
    node = config.find(shell.path)
    out: list[str] = ["#"]
    if node is not None:
        out.append(node.text)
        out.extend(" " + c.text for c in node.children)
    out += ["#", "return"]
    return "\n".join(out)


COMMON_DISPLAYS: dict[tuple[str, ...], Display] = {
    ("current-configuration",): _current,
    ("saved-configuration",): _saved,
    ("this",): _this,
}


def shell_for(device: Device, platform: VendorPlatform) -> type[VrpFamilyShell]:
    """A shell class bound to one device: fakenos builds one instance per SSH session."""
    return type(
        f"{platform.name}Shell",
        (VrpFamilyShell,),
        {"device": device, "platform": platform},
    )
