"""The bounded YAML reader, with libyaml's C parser and with the pure-Python fallback."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from inventory.yamlbuild import (
    FAST_PARSER,
    PURE_PARSER,
    UNRESOLVED,
    Budget,
    Built,
    Stop,
    YamlLimits,
    build,
)
from inventory.yamlsource import Unreadable, read_located
from tests.conftest import DISTRICT_INVENTORY, LAB_INVENTORY

pytestmark = pytest.mark.unit

PARSERS = [
    pytest.param(
        FAST_PARSER,
        id="libyaml",
        marks=pytest.mark.skipif(FAST_PARSER is None, reason="PyYAML built without libyaml"),
    ),
    pytest.param(PURE_PARSER, id="pure-python"),
]

LAUGHS = "\n".join(
    ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
)


@pytest.fixture(params=PARSERS)
def parser(request: pytest.FixtureRequest) -> Any:
    return request.param


def stopped(text: str, parser: Any, **limits: int) -> str:
    with pytest.raises(Stop) as raised:
        build(text, parser=parser, budget=Budget(YamlLimits(**limits)))
    return f"{raised.value.problem.line}: {raised.value.problem.message}"


def problems(built: Built) -> list[tuple[int, tuple[str | int, ...], str]]:
    return [(p.line, p.path, p.message) for p in built.problems]


@pytest.mark.timeout(30)
def test_a_billion_laughs_stops_early_in_little_memory(parser: Any) -> None:
    tracemalloc.start()
    try:
        message = stopped(LAUGHS, parser)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message == (
        "5: aliases expand to more than 10,000 values (an alias bomb?); write the values out"
    )
    assert peak < 10 * 1024 * 1024


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "text",
    [
        "x: " + "[" * 5000 + "]" * 5000,
        "x: " + "{a: " * 5000 + "}" * 5000,
        "".join(" " * n + "- \n" for n in range(5000)),
    ],
    ids=["flow-lists", "flow-maps", "block"],
)
def test_a_file_nested_5000_deep_is_refused(parser: Any, text: str) -> None:
    assert stopped(text, parser).endswith(": nested deeper than 64 levels")


def test_recursive_and_undefined_aliases_are_located(parser: Any) -> None:
    built = build("a: &r [1, *r]\nb: *nowhere\n", parser=parser)
    assert built.data == {"a": [1, UNRESOLVED], "b": UNRESOLVED}
    assert problems(built) == [
        (1, ("a", 1), "recursive alias *r: it refers to a node that contains it"),
        (2, ("b",), "undefined alias *nowhere"),
    ]


def test_aliases_within_the_budget_are_values(parser: Any) -> None:
    built = build("base: &b {x: 1}\nuse: [*b, *b]\n", parser=parser)
    assert built.data == {"base": {"x": 1}, "use": [{"x": 1}, {"x": 1}]}
    assert built.lines[("use", 1)] == 2


def test_more_values_than_the_limit_stop_the_file(parser: Any) -> None:
    text = "items:\n" + "".join(f"  - {n}\n" for n in range(200))
    assert stopped(text, parser, max_nodes=100) == "99: more than 100 values in one file"


def test_every_duplicate_key_is_reported_and_the_first_value_kept(parser: Any) -> None:
    built = build("a: 1\nb: 2\na: 3\nc: {x: 1, x: 2}\na: 4\n", parser=parser)
    assert built.data == {"a": 1, "b": 2, "c": {"x": 1}}
    assert problems(built) == [
        (3, ("a",), "duplicate key (first at line 1)"),
        (4, ("c", "x"), "duplicate key (first at line 4)"),
        (5, ("a",), "duplicate key (first at line 1)"),
    ]


def test_merge_keys_explicit_first_then_merged_in_order(parser: Any) -> None:
    text = (
        "base: &base {site: s1, role: core, model: A}\n"
        "more: &more {model: B, loopback: 10.0.0.1}\n"
        "dev:\n"
        "  name: d1\n"
        "  <<: [*base, *more]\n"
        "  role: access\n"
    )
    built = build(text, parser=parser)
    assert built.data["dev"] == {
        "name": "d1",
        "role": "access",
        "site": "s1",
        "model": "A",
        "loopback": "10.0.0.1",
    }
    assert built.lines[("dev", "site")] == 5  # the merge key's line
    assert built.lines[("dev", "role")] == 6
    assert built.problems == []


def test_a_merge_of_something_else_than_a_mapping_is_located(parser: Any) -> None:
    built = build("dev:\n  name: d1\n  <<: [1, 2]\n", parser=parser)
    assert problems(built) == [
        (3, ("dev",), "a merge key (<<) takes a mapping, an alias of one, or a list of them")
    ]


def test_standard_tags_are_read_and_others_refused(parser: Any) -> None:
    text = "a: !!str 50\nb: !!int '7'\nc: !custom x\nd: !!set {x}\nauth_key_env: !k Wj@2025\n"
    built = build(text, parser=parser)
    assert built.data == {
        "a": "50",
        "b": 7,
        "c": UNRESOLVED,
        "d": UNRESOLVED,
        "auth_key_env": UNRESOLVED,
    }
    assert problems(built) == [
        (3, ("c",), "tag !custom is not supported (egovnet reads plain YAML, no tags)"),
        (4, ("d",), "tag !!set is not supported (egovnet reads plain YAML, no tags)"),
        (
            5,
            ("auth_key_env",),
            "tags are not supported (egovnet reads plain YAML; the tag is not shown)",
        ),
    ]


def test_impossible_dates_and_huge_numbers_stay_text(parser: Any) -> None:
    built = build(f"d: 2025-13-45\nn: {'9' * 5000}\nok: 2025-02-28\n", parser=parser)
    assert built.data["d"] == "2025-13-45"
    assert built.data["n"] == "9" * 5000
    assert str(built.data["ok"]) == "2025-02-28"


def test_complex_keys_are_refused_and_their_values_dropped(parser: Any) -> None:
    built = build("? [a, b]\n: 1\n*x : 2\nok: 3\n", parser=parser)
    assert built.data == {"ok": 3}
    assert problems(built) == [
        (1, (), "a key must be plain text, not a list"),
        (3, (), "a key must be plain text, not an alias"),
    ]


def test_a_second_document_stops_the_file(parser: Any) -> None:
    assert stopped("a: 1\n---\nb: 2\n", parser) == (
        "2: a file holds one YAML document; a second one starts here"
    )


@pytest.mark.parametrize("inventory", [LAB_INVENTORY, DISTRICT_INVENTORY], ids=["lab", "district"])
@pytest.mark.skipif(FAST_PARSER is None, reason="PyYAML built without libyaml")
def test_libyaml_and_pure_python_read_the_same_data_and_lines(inventory: Path) -> None:
    for file in sorted(inventory.glob("*.yaml")):
        fast, fast_errors = read_located(file, parser=FAST_PARSER)
        pure, pure_errors = read_located(file, parser=PURE_PARSER)
        assert (fast.data, fast.lines) == (pure.data, pure.lines), file.name
        assert fast_errors == pure_errors == []


def test_a_syntax_error_costs_only_its_own_item(tmp_path: Path, parser: Any) -> None:
    path = tmp_path / "devices.yaml"
    path.write_text(
        "devices:\n"
        "  - &d1\n"
        "    name: d1\n"
        "  - name: d2\n"
        "    model: [oops\n"
        "  - {name: d3, <<: *d1}\n"
        "policy: {tiers: {}}\n",
        encoding="utf-8",
    )
    located, errors = read_located(path, "devices.yaml", parser=parser)
    (error,) = errors
    # libyaml marks the line after the broken item, the pure parser the item's last line
    assert error.location.line in {5, 6}
    assert (error.location.field, error.message[:9]) == ("devices[1]", "bad YAML:")
    items = located.data["devices"]
    assert items[0] == {"name": "d1"}
    assert isinstance(items[1], Unreadable) and items[1].fields["name"] == "d2"
    assert items[2] == {"name": "d3"}
    assert located.lines[("devices", 2)] == 6
    assert located.data["policy"] == {"tiers": {}}


def test_files_are_bounded_before_they_are_parsed(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("x: " + "y" * 2000 + "\n", encoding="utf-8")
    _, errors = read_located(big, "big.yaml", limits=YamlLimits(max_bytes=1024))
    assert [str(e) for e in errors] == [
        "big.yaml:1: (file): larger than 0 MiB; split it into files"
    ]


@pytest.mark.timeout(30)
def test_a_fifo_named_like_yaml_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "devices.yaml"
    os.mkfifo(fifo)
    _, errors = read_located(fifo, "devices.yaml")
    assert [str(e) for e in errors] == ["devices.yaml:1: (file): not a regular file"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("sites: []\n".encode("utf-16"), "devices.yaml:1: (encoding): the file is UTF-16-encoded"),
        (
            b"a: 1\nb: \xff\nc: \xfe\n",
            "devices.yaml:2: (encoding): not UTF-8; 1 more line(s) too: save as UTF-8",
        ),
    ],
    ids=["utf-16", "latin-garbage"],
)
def test_encodings_other_than_utf8_are_named(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "devices.yaml"
    path.write_bytes(data)
    _, errors = read_located(path, "devices.yaml")
    assert str(errors[0]).startswith(message)


def test_a_utf8_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "sites.yaml"
    path.write_bytes("\ufeffsites: [{id: a, name: 龙归镇}]\n".encode())
    located, errors = read_located(path)
    assert errors == []
    assert located.data == {"sites": [{"id": "a", "name": "龙归镇"}]}
