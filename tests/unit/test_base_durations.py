"""Durations, one grammar for every option: what `--alert-for-scale` and `--alert-for` do to
`for:`, and the plain seconds a confirm timer takes."""

from __future__ import annotations

import pytest

from base.durations import format_duration, parse_duration, scale_duration

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "ms"),
    [("15s", 15_000), ("1m30s", 90_000), ("10m", 600_000), ("4h", 14_400_000),
     ("7d", 604_800_000), ("1w", 604_800_000), ("250ms", 250), ("1h0m5s", 3_605_000)],
)  # fmt: skip
def test_parse(text: str, ms: int) -> None:
    assert parse_duration(text) == ms


@pytest.mark.parametrize("text", ["", "10", "5 m", "1m1h", "1.5m", "-1m", "m"])
def test_bad_durations_name_the_field(text: str) -> None:
    with pytest.raises(ValueError, match=r"^--group-wait: .* is not a Prometheus"):
        parse_duration(text, "--group-wait")


@pytest.mark.parametrize(
    ("text", "factor", "expected"),
    [("10m", 0.1, "1m"), ("1m", 0.1, "6s"), ("15m", 0.1, "1m30s"), ("2m", 0.25, "30s"),
     ("1m", 0.01, "600ms"), ("1h", 24, "1d"), ("10m", 1.0, "10m")],
)  # fmt: skip
def test_scale(text: str, factor: float, expected: str) -> None:
    assert scale_duration(text, factor) == expected
    assert parse_duration(expected) == round(parse_duration(text) * factor)


def test_format_round_trips() -> None:
    for ms in (1, 999, 1000, 61_000, 3_600_000, 90_061_001):
        assert parse_duration(format_duration(ms)) == ms
    assert format_duration(0) == "0s"


def test_a_bare_number_is_read_in_the_unit_the_caller_names() -> None:
    assert parse_duration("90", bare_unit="s") == 90_000
    assert parse_duration(" 5m ", bare_unit="s") == 300_000
    with pytest.raises(ValueError, match="is not a Prometheus duration"):
        parse_duration("90")
