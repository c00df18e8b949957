"""Running vs intended configuration as trees of contexts; the commands that converge them.

Works on every indentation-structured CLI config (FRR vtysh, Cisco IOS, Huawei VRP, H3C
Comware); what differs (comment markers, ``no`` vs ``undo``, ``exit`` vs ``quit``) is a
:class:`ConfigSyntax` from the platform map. Like FRR's ``frr-reload.py`` it compares
per context, order-insensitively (devices print a context's lines in their own order),
removes what is only in the running config and adds what is only in the intended one.

This module uses the standard library only: the FRR device agent imports it on the device.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

Context = tuple[str, ...]
MARKER = re.compile(r"<<secret:[A-Z_][A-Z0-9_]*>>")


@dataclass(frozen=True)
class ConfigSyntax:
    """How a platform writes its configuration, as far as diffing and negating need."""

    #: lines starting with one of these are separators or comments, not configuration
    comment_prefixes: tuple[str, ...]
    #: how a command is removed: ``no `` (Cisco, FRR) or ``undo `` (Huawei, H3C)
    negate_prefix: str
    #: leaves one configuration context
    exit_command: str
    #: regular expressions of lines in the running config that are not configuration
    #: (headers of the show command, timestamps, version stamps)
    ignore_patterns: tuple[str, ...] = ()
    #: intended lines the device never shows in its running config (e.g. IOS SNMPv3 users):
    #: pushed, but left out of the running-vs-intended comparison
    hidden_patterns: tuple[str, ...] = ()
    #: commands whose removal takes no argument (``no description``, not ``no description X``)
    bare_negations: tuple[str, ...] = ()
    #: contexts that cannot be deleted, only emptied (physical interfaces)
    persistent_contexts: tuple[str, ...] = ("interface ",)
    #: lines ending a context explicitly (FRR prints ``exit`` after each one)
    exit_lines: tuple[str, ...] = ("exit", "quit", "exit-address-family", "exit-vrf")
    #: whether the running config prints negated lines (``no ip forwarding``); where it
    #: does not (Huawei, H3C), an intended ``undo X`` only asserts that ``X`` is absent
    prints_negations: bool = True
    #: words that say how a secret is written (``simple``/``cipher``): devices print the
    #: other form, so they are ignored when a line with a secret marker is matched
    secret_words: tuple[str, ...] = ("simple", "cipher", "plain")
    #: top-level contexts that stand for something outside the CLI (FRR: ``host-service
    #: snmpd``, which the device agent manages): compared only when both the running and
    #: the intended config have them (a device without the agent does not print them, an
    #: intent without them leaves the service alone) and never sent as CLI commands
    host_contexts: tuple[str, ...] = ()

    def is_host_context(self, ctx: tuple[str, ...]) -> bool:
        return bool(self.host_contexts and ctx and ctx[0].startswith(self.host_contexts))

    def is_noise(self, stripped: str) -> bool:
        if not stripped or stripped.startswith(self.comment_prefixes):
            return True
        return any(re.search(p, stripped) for p in self.ignore_patterns)

    def is_hidden(self, line: str) -> bool:
        return any(re.search(p, line) for p in self.hidden_patterns)

    def negate(self, line: str) -> str:
        if line.startswith(self.negate_prefix):
            return line[len(self.negate_prefix) :]
        for bare in self.bare_negations:
            if line == bare or line.startswith(bare + " "):
                return self.negate_prefix + bare
        return self.negate_prefix + line


@dataclass
class ConfigTree:
    """Lines per context, in the order first seen; ``()`` is the top level."""

    contexts: dict[Context, list[str]] = field(default_factory=dict)

    def lines(self, ctx: Context) -> list[str]:
        return self.contexts.get(ctx, [])

    def render(self) -> str:
        out: list[str] = []
        for ctx, lines in self.contexts.items():
            depth = len(ctx)
            if ctx:
                out.append(" " * (depth - 1) + ctx[-1])
            out.extend(" " * depth + ln for ln in lines)
        return "\n".join(out) + ("\n" if out else "")


def parse(text: str, syntax: ConfigSyntax) -> ConfigTree:
    """Parse a config by indentation; a line is a context header when the next line is
    indented deeper or is the explicit ``exit`` of that header. A separator (``!``, ``#``)
    closes the contexts opened at or right of its column: Huawei and H3C print top-level
    commands with one leading space after a ``#``."""
    items: list[tuple[int, str]] = []  # (indent, text); "" marks a separator
    for raw in text.splitlines():
        line = raw.rstrip()
        stripped = line.strip()
        indent = len(line) - len(line.lstrip(" "))
        if stripped and stripped.startswith(syntax.comment_prefixes):
            items.append((indent, ""))
        elif not syntax.is_noise(stripped):
            items.append((indent, stripped))
    tree = ConfigTree({(): []})
    stack: list[tuple[int, str]] = []
    for index, (indent, text_) in enumerate(items):
        if not text_:
            while stack and indent <= stack[-1][0]:
                stack.pop()
            continue
        while stack and indent <= stack[-1][0]:
            stack.pop()
        if text_ in syntax.exit_lines:
            continue
        nxt = items[index + 1] if index + 1 < len(items) else None
        ctx: Context = tuple(h for _, h in stack)
        is_header = (
            nxt is not None
            and nxt[1] != ""
            and (nxt[0] > indent or (nxt[0] == indent and nxt[1] in syntax.exit_lines))
        )
        if is_header:
            stack.append((indent, text_))
            tree.contexts.setdefault((*ctx, text_), [])
            tree.contexts.setdefault(ctx, [])
            continue
        lines = tree.contexts.setdefault(ctx, [])
        if text_ not in lines:
            lines.append(text_)
    return tree


@dataclass(frozen=True)
class ConfigChange:
    """What turns the running config into the intended one, per context."""

    removed: dict[Context, list[str]]
    added: dict[Context, list[str]]
    #: contexts only in the running config that are deleted whole (``no router bgp 1``)
    deleted_contexts: list[Context]
    #: contexts only in the intended config (created even when they hold no line)
    new_contexts: list[Context]

    @property
    def empty(self) -> bool:
        return not (self.removed or self.added or self.deleted_contexts or self.new_contexts)

    def split(self, is_host: Callable[[Context], bool]) -> tuple[ConfigChange, set[Context]]:
        """The change without host contexts (what the CLI gets), and the top-level host
        contexts it touches (what a host-side handler must rewrite)."""

        def keep(ctx: Context) -> bool:
            return not is_host(ctx)

        touched = {
            ctx[:1]
            for ctx in [*self.removed, *self.added, *self.deleted_contexts, *self.new_contexts]
            if is_host(ctx)
        }
        cli = ConfigChange(
            removed={c: v for c, v in self.removed.items() if keep(c)},
            added={c: v for c, v in self.added.items() if keep(c)},
            deleted_contexts=[c for c in self.deleted_contexts if keep(c)],
            new_contexts=[c for c in self.new_contexts if keep(c)],
        )
        return cli, touched

    def unified(self) -> str:
        """A readable diff: context headers, then ``-`` and ``+`` lines under them."""
        out: list[str] = []
        deleted = set(self.deleted_contexts)
        order = list(
            dict.fromkeys([*self.removed, *self.deleted_contexts, *self.added, *self.new_contexts])
        )
        for ctx in order:
            depth = len(ctx)
            if ctx in deleted:
                out.append("-" + " " * depth + ctx[-1])
                continue
            lines = [f"-{' ' * (depth + 1)}{ln}" for ln in self.removed.get(ctx, [])]
            lines += [f"+{' ' * (depth + 1)}{ln}" for ln in self.added.get(ctx, [])]
            if ctx in self.new_contexts:
                out.append("+" + " " * depth + ctx[-1])
            elif ctx and lines:
                out.append(" " * (depth + 1) + ctx[-1])
            out.extend(lines)
        return "\n".join(out) + ("\n" if out else "")

    def commands(self, syntax: ConfigSyntax) -> list[str]:
        """Flat configuration-mode commands: negations first, then additions, each block
        entering its context and leaving it again so every block starts at the top."""
        out: list[str] = []
        deleted = set(self.deleted_contexts)

        def block(ctx: Context, lines: Iterable[str]) -> None:
            body = list(lines)
            out.extend(ctx)
            out.extend(body)
            out.extend([syntax.exit_command] * len(ctx))

        for ctx, lines in self.removed.items():
            if not any(ctx[:n] in deleted for n in range(1, len(ctx) + 1)):
                block(ctx, (syntax.negate(ln) for ln in lines))
        for ctx in self.deleted_contexts:
            if not any(ctx[:n] in deleted for n in range(1, len(ctx))):
                block(ctx[:-1], [syntax.negate(ctx[-1])])
        pending = list(dict.fromkeys([*self.new_contexts, *self.added]))
        for ctx in pending:
            block(ctx, self.added.get(ctx, []))
        return out


Protect = Callable[[Context, str], bool]


def compare(
    running: ConfigTree,
    intended: ConfigTree,
    syntax: ConfigSyntax,
    protect: Protect | None = None,
) -> ConfigChange:
    """The change from ``running`` to ``intended``.

    Intended lines holding a secret marker match any running line with the same words
    before the marker (devices print secrets encrypted or not at all); lines the platform
    never prints are left out. ``protect(ctx, line)`` keeps running lines that must never
    be removed (the management address a session runs over).
    """
    removed: dict[Context, list[str]] = {}
    added: dict[Context, list[str]] = {}
    deleted: list[Context] = []
    new: list[Context] = []
    for ctx, want_all in intended.contexts.items():
        if syntax.is_host_context(ctx) and ctx[:1] not in running.contexts:
            continue  # the device does not manage (or show) this host service
        want = [ln for ln in want_all if not syntax.is_hidden(ln)]
        have = running.contexts.get(ctx)
        if have is None and ctx and ctx[-1] in running.lines(ctx[:-1]):
            have = []  # an empty context prints as a bare line (Comware ``vlan 101``)
        if have is None:
            new.append(ctx)
            if want:
                added[ctx] = want
            continue
        prefixes = [p for p in (_secret_prefix(ln, syntax) for ln in want) if p]
        missing = [
            ln
            for ln in want
            if not _present(ln, have, syntax) and (*ctx, ln) not in running.contexts
        ]
        extra = [
            ln
            for ln in have
            if ln not in want
            and (*ctx, ln) not in intended.contexts
            # an empty physical interface prints as a bare line (VRP, Comware): like the
            # context it is, it cannot be deleted ("The interface cannot be deleted")
            and not ln.startswith(syntax.persistent_contexts)
            and not _explicit_negation(ln, syntax)
            and not any(_secret_match(p, ln, syntax) for p in prefixes)
            and not (protect and protect(ctx, ln))
        ]
        if missing:
            added[ctx] = missing
        if extra:
            removed[ctx] = extra
    for ctx, have in running.contexts.items():
        if ctx in intended.contexts:
            continue
        if syntax.is_host_context(ctx) and ctx[:1] not in intended.contexts:
            continue  # the intent leaves this host service alone
        kept_bare = bool(ctx) and ctx[-1] in intended.lines(ctx[:-1])
        if (
            ctx
            and not kept_bare
            and not ctx[-1].startswith(syntax.persistent_contexts)
            and not _protects(ctx, have, protect)
        ):
            deleted.append(ctx)
        else:
            extra = [
                ln
                for ln in have
                if not (protect and protect(ctx, ln)) and not _explicit_negation(ln, syntax)
            ]
            if extra:
                removed[ctx] = extra
    deleted = [c for c in deleted if not any(c[:n] in deleted for n in range(1, len(c)))]
    return ConfigChange(removed=removed, added=added, deleted_contexts=deleted, new_contexts=new)


def diff_text(
    running: str, intended: str, syntax: ConfigSyntax, protect: Protect | None = None
) -> ConfigChange:
    return compare(parse(running, syntax), parse(intended, syntax), syntax, protect)


def _words(line: str, syntax: ConfigSyntax) -> list[str]:
    return [w for w in line.split() if w not in syntax.secret_words]


def _secret_prefix(line: str, syntax: ConfigSyntax) -> list[str] | None:
    """The words of a line before its first secret marker, or None without a marker."""
    found = MARKER.search(line)
    return _words(line[: found.start()], syntax) if found else None


def _secret_match(prefix: list[str], running_line: str, syntax: ConfigSyntax) -> bool:
    words = _words(running_line, syntax)
    return len(words) > len(prefix) and words[: len(prefix)] == prefix


def _present(line: str, have: list[str], syntax: ConfigSyntax) -> bool:
    if line in have:
        return True
    prefix = _secret_prefix(line, syntax)
    if prefix is not None:
        return any(_secret_match(prefix, h, syntax) for h in have)
    # an `undo X` the device does not print: met when X is absent (if present, X is removed)
    return not syntax.prints_negations and line.startswith(syntax.negate_prefix)


def _explicit_negation(line: str, syntax: ConfigSyntax) -> bool:
    """A running ``undo X`` on a platform that prints only settings away from the default
    (VRP, Comware: ``undo shutdown``, ``undo info-center logfile enable``). It is left alone
    when the intent does not mention it: taking it away means typing ``X``, which for
    ``undo shutdown`` shuts the port. An intended ``X`` still replaces it."""
    return not syntax.prints_negations and line.startswith(syntax.negate_prefix)


def _protects(ctx: Context, lines: list[str], protect: Protect | None) -> bool:
    return protect is not None and any(protect(ctx, ln) for ln in lines)
