"""One convention for every verb: how the inventory is named, and what ``-f`` means."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer import _click as click
from typer.core import TyperArgument, TyperGroup, TyperOption

from egovnet.cli import VERBS, load
from tests.conftest import LAB_INVENTORY, invoke_egovnet

pytestmark = pytest.mark.unit


def _commands() -> Iterator[tuple[str, click.Command]]:
    def walk(prefix: str, command: click.Command) -> Iterator[tuple[str, click.Command]]:
        if isinstance(command, TyperGroup):
            for name, sub in command.commands.items():
                yield from walk(f"{prefix} {name}", sub)
        else:
            yield prefix, command

    for verb in VERBS:
        yield from walk(verb.name, load(verb))


COMMANDS = dict(_commands())


def _options(command: click.Command) -> list[TyperOption]:
    return [p for p in command.params if isinstance(p, TyperOption)]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_verb_without_positionals_takes_the_inventory_positionally(name: str) -> None:
    command = COMMANDS[name]
    if not any("--inventory" in o.opts for o in _options(command)):
        return
    arguments = [p for p in command.params if isinstance(p, TyperArgument)]
    subjects = [a for a in arguments if a.name != "path"]
    if subjects:  # devices, sites, links: the inventory is the option only
        assert [a.name for a in arguments] == [a.name for a in subjects], name
    else:
        assert [a.name for a in arguments] == ["path"], name


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_f_means_format_wherever_it_is_used(name: str) -> None:
    for option in _options(COMMANDS[name]):
        if "-f" in option.opts:
            assert "--format" in option.opts, (name, option.opts)


def test_the_positional_inventory_and_the_option_are_the_same(tmp_path: Path) -> None:
    by_arg = invoke_egovnet("topology", "whatif", str(LAB_INVENTORY), "--fail", "core1", "--json")
    by_opt = invoke_egovnet(
        "topology", "whatif", "-i", str(LAB_INVENTORY), "--fail", "core1", "--json"
    )
    assert by_arg.returncode == by_opt.returncode == 0, by_arg.stderr
    assert by_arg.stdout == by_opt.stdout


def test_naming_the_inventory_twice_differently_is_bad_input() -> None:
    done = invoke_egovnet(
        "inventory", "export-ansible", str(LAB_INVENTORY), "-i", "inventory/district"
    )
    assert done.returncode == 2
    assert "named twice" in done.stderr + done.stdout
