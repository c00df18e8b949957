"""The ``egovnet`` command: verb groups by role, one exit-code convention.

Exit codes: 0 ok, 1 some work failed, 2 bad input (a one-line error naming file, line, field).

Verbs load lazily. Each verb module pulls in heavy libraries (nornir, napalm, pysnmp,
openpyxl, networkx), so a verb's module is imported only when that verb runs, shows its own
help or completes its arguments. ``egovnet --help`` lists every verb from ``VERBS`` (name and
one-line help) without importing any of them; tests/unit/test_cli_lazy.py keeps ``VERBS`` in
step with the modules.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
import sys
from dataclasses import dataclass
from importlib.metadata import version
from typing import Annotated, Any

import typer

# typer vendors click: these are the Command/Context types its groups and commands deal in
from typer import _click as click
from typer.core import MarkupMode, TyperCommand, TyperGroup, TyperOption

from base.errors import EgovnetError
from base.lang import lang_from_env, parse_lang
from egovnet import messages

MARKUP: MarkupMode = "rich"


@dataclass(frozen=True)
class Verb:
    """A verb of ``egovnet``: its name, the line ``egovnet --help`` shows, where its code is.

    ``target`` is ``MODULE:ATTRIBUTE`` in ``egovnet.commands``: a Typer app (a verb group)
    or a function (a single command).
    """

    name: str
    target: str
    help: str


# In the order ``egovnet --help`` lists them (Typer's: single commands, then groups).
VERBS: tuple[Verb, ...] = (
    Verb("demo", "demo:demo", "Run the main job on the embedded lab and print where to look."),
    Verb(
        "poll",
        "poll:poll",
        "Poll devices once over SNMP: uptime, sysName and every inventory interface.",
    ),
    Verb(
        "exporter",
        "exporter:exporter",
        "Serve SNMP readings of the inventory's devices to Prometheus, snmp_exporter style.",
    ),
    Verb("inventory", "inventory:app", "The source of truth: sites, devices, circuits, systems."),
    Verb(
        "lab",
        "lab:app",
        "The lab: the district extranet emulated in network namespaces (root needed).",
    ),
    Verb(
        "monitor",
        "monitor:app",
        "The NOC stack: Prometheus, Alertmanager and the exporter, configured from the inventory.",
    ),
    Verb(
        "bandwidth",
        "bandwidth:app",
        "Bandwidth verification: iperf3 through each circuit against the committed rate and"
        " the tier's plan target.",
    ),
    Verb(
        "config",
        "config:app",
        "Device configuration from the source of truth: render, diff, push, roll back.",
    ),
    Verb(
        "topology",
        "topology:app",
        "The network graph: redundancy rules, failure what-ifs, LLDP drift, diagrams.",
    ),
    Verb(
        "audit",
        "audit:app",
        "等保 (MLPS 2.0) audit of servers and devices, cloud migration (上云率), exports.",
    ),
)


_KEEP_BREAK = re.compile(r"^(\s|Example|- |\* |\$ |\x08)")


def reflow(text: str) -> str:
    """Join the source's hard-wrapped lines so the help wraps to the terminal's width.

    Paragraphs stay apart; lines that begin an example, a list item or an indented block keep
    their own line.
    """
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines: list[str] = []
        for line in paragraph.split("\n"):
            if lines and line and not _KEEP_BREAK.match(line) and not lines[-1].endswith(":"):
                lines[-1] = f"{lines[-1].rstrip()} {line.strip()}"
            else:
                lines.append(line)
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def _hide_flag_types(params: list[click.Parameter]) -> list[click.Parameter]:
    for param in params:
        if isinstance(param, TyperOption) and param.is_flag:
            param.metavar = ""
    return params


def tidy_help(command: click.Command) -> click.Command:
    """Help that reads at 80 columns: reflowed text, and no ``<bool>`` after a flag."""
    if command.help:
        command.help = reflow(inspect.cleandoc(command.help))
    help_option = command.get_help_option(click.Context(command))
    _hide_flag_types([*command.params, *([help_option] if help_option else [])])
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            tidy_help(sub)
    return command


def load(verb: Verb) -> click.Command:
    """Import a verb's module and build its command as ``add_typer``/``command`` on the top
    app would (same markup mode, so its help renders as before)."""
    module, _, attribute = verb.target.partition(":")
    target = getattr(importlib.import_module(f"egovnet.commands.{module}"), attribute)
    holder = typer.Typer(rich_markup_mode=MARKUP)
    if isinstance(target, typer.Typer):
        holder.add_typer(target, name=verb.name)
    else:
        holder.command(verb.name)(target)
    return tidy_help(typer.main.get_group(holder).commands[verb.name])


class LazyVerb(TyperCommand):
    """A verb known by name and one-line help until it is used.

    Click makes a context for a subcommand before anything else touches it (to run it, show
    its help or complete its arguments); that is where the real command is loaded and takes
    over, so the context and everything after it belong to the verb's own command.
    """

    def __init__(self, verb: Verb) -> None:
        super().__init__(verb.name, help=verb.help, rich_markup_mode=MARKUP)
        self.verb = verb
        self._command: click.Command | None = None

    @property
    def command(self) -> click.Command:
        if self._command is None:
            self._command = load(self.verb)
        return self._command

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        return self.command.make_context(info_name, args, parent=parent, **extra)


class VerbGroup(TyperGroup):
    """The top-level group: every verb of ``VERBS``, each loaded on first use."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for verb in VERBS:
            self.add_command(LazyVerb(verb))

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return _hide_flag_types(super().get_params(ctx))


def _print_version(value: bool) -> None:
    if value:
        print(f"egovnet {version('egovnet')}")
        raise typer.Exit()


def _root(
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help="Language of tables, messages and errors: zh or en (default: from LANG)."
            " Help stays English.",
            show_default=False,
        ),
    ] = None,
    show_version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Chooses the run's language (egovnet/messages.py); each verb does the rest."""
    messages.choose(lang_from_env(os.environ) if lang is None else parse_lang(lang))


app = typer.Typer(
    name="egovnet",
    cls=VerbGroup,
    callback=_root,
    help=(
        "Automation and monitoring for a district e-government extranet (电子政务外网).\n\n"
        "Example: egovnet inventory validate inventory/district"
    ),
    no_args_is_help=True,
    rich_markup_mode=MARKUP,
    pretty_exceptions_enable=False,
)


def report(exc: EgovnetError) -> int:
    """Print an error as one line per problem, in the run's language; return its exit code."""
    # common imports the inventory models; only an error needs its console here
    from egovnet.commands.common import err_console

    for line in messages.error_lines(exc):
        err_console.print(line, markup=False, highlight=False, soft_wrap=True)
    return exc.exit_code


def main(argv: list[str] | None = None) -> None:
    """Run the command; usage errors exit 2 (click's standalone mode), egovnet errors by kind."""
    # the locale's language until --lang says otherwise (a bad --lang is reported in it)
    messages.choose(lang_from_env(os.environ))
    try:
        app(args=argv, prog_name="egovnet")
    except EgovnetError as exc:
        sys.exit(report(exc))


if __name__ == "__main__":
    main()
