"""Bounded YAML: plain data built from the parser's events, with the line of every value.

``yaml.safe_load`` is not safe against a hostile file: it expands aliases without bound (a
"billion laughs" file grows past gigabytes), composes recursively (a file nested 5,000 levels
deep raises ``RecursionError``), accepts an alias to its own enclosing node, and stops at the
first duplicate key. This builder reads the event stream of libyaml's C parser (PyYAML's
pure-Python parser where libyaml is not installed) in one loop with an explicit stack, so it
needs no recursion, and it counts nodes, alias expansions and depth as it goes.

What it accepts: one document of mappings, sequences and scalars resolved as YAML 1.1 (as
``yaml.SafeLoader`` does), aliases (each expansion counted), merge keys (``<<: *base``, explicit
keys win, the first merged mapping wins over later ones) and the standard scalar tags
(``!!str``, ``!!int``, ``!!float``, ``!!bool``, ``!!null``, ``!!timestamp``, ``!!map``,
``!!seq``). Refused with a located problem: other tags (``!custom``, ``!!python/...``,
``!!binary``, ``!!set``), keys that are not scalars, duplicate keys (every one), undefined and
recursive aliases, a second document. An impossible timestamp (``2025-13-45``) stays the text
it is, so the model's field reports it where it stands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events

from .secrets import holds_secret

PathKey = tuple[str | int, ...]

#: libyaml's parser where PyYAML was built with it; it keeps line marks and is ~10x faster.
FAST_PARSER: type[Any] | None = getattr(yaml, "CSafeLoader", None)
PURE_PARSER: type[Any] = yaml.SafeLoader

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_CORE}{n}" for n in ("str", "int", "float", "bool", "null", "timestamp")}
_MAP_TAG = f"{_CORE}map"
_SEQ_TAG = f"{_CORE}seq"
_MERGE_TAG = f"{_CORE}merge"
_RESOLVE: Callable[[Any, str, Any], str] = yaml.resolver.Resolver().resolve
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_CONSTRUCTORS: dict[str, Callable[[yaml.ScalarNode], Any]] = {
    f"{_CORE}int": _CONSTRUCTOR.construct_yaml_int,
    f"{_CORE}float": _CONSTRUCTOR.construct_yaml_float,
    f"{_CORE}bool": _CONSTRUCTOR.construct_yaml_bool,
    f"{_CORE}null": _CONSTRUCTOR.construct_yaml_null,
    f"{_CORE}timestamp": _CONSTRUCTOR.construct_yaml_timestamp,
}


class _Unresolved:
    """A value that could not be read: an undefined or recursive alias, a refused tag."""

    def __repr__(self) -> str:
        return "<unresolved alias>"


#: Stands for a value that could not be read (its problem is reported); a model error about it
#: is not reported a second time.
UNRESOLVED: Any = _Unresolved()


@dataclass(frozen=True)
class YamlLimits:
    """What one file may make the reader do (a city of 120,000 interfaces is ~400,000 values)."""

    max_bytes: int = 16 * 1024 * 1024
    max_nodes: int = 1_000_000
    max_alias_nodes: int = 10_000
    max_depth: int = 64


DEFAULT_LIMITS = YamlLimits()


@dataclass(frozen=True)
class Problem:
    """A YAML-level problem at a 1-based line; ``fatal`` ones stop reading the file."""

    line: int
    path: PathKey
    message: str
    fatal: bool = False


class Stop(Exception):
    """Reading stops: a limit was passed or the parser failed."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass
class Built:
    """What a document became: data, the line of each path, the problems found."""

    data: Any = None
    lines: dict[PathKey, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class _Key:
    """Markers for a mapping frame's pending key."""


_NOT_SEEN = _Key()
_NO_KEY = _Key()  # the next event is a key
_IN_KEY = _Key()  # a refused key that is a collection is being read
_BAD_KEY = _Key()  # the key was refused (or repeated): build the value but drop it
_MERGE = _Key()  # the key was ``<<``


class _Anchor:
    __slots__ = ("done", "nodes", "value")

    def __init__(self) -> None:
        self.done = False
        self.value: Any = None
        self.nodes = 0


class _Frame:
    __slots__ = (
        "anchor",
        "container",
        "key",
        "key_lines",
        "line",
        "merge_line",
        "merges",
        "nodes",
        "path",
        "refused",
    )

    def __init__(self, container: Any, path: PathKey | None, line: int, anchor: _Anchor | None):
        self.container = container
        self.path = path  # None: the value is dropped, record no lines under it
        self.line = line
        self.anchor = anchor
        self.nodes = 1
        self.key: str | _Key = _NO_KEY
        self.key_lines: dict[str, int] = {}
        self.merges: list[Any] = []
        self.merge_line = 0
        self.refused = False  # its tag was refused: it stands as UNRESOLVED


@dataclass
class Budget:
    """Counters shared by every piece of one file (see :func:`build`'s ``budget``)."""

    limits: YamlLimits = DEFAULT_LIMITS
    nodes: int = 0
    alias_nodes: int = 0
    anchors: dict[str, _Anchor] = field(default_factory=dict)


def parser_class(prefer_fast: bool = True) -> type[Any]:
    return FAST_PARSER if prefer_fast and FAST_PARSER is not None else PURE_PARSER


def build(
    text: str,
    *,
    first_line: int = 1,
    budget: Budget | None = None,
    parser: type[Any] | None = None,
) -> Built:
    """Build ``text`` into plain data; raises :class:`Stop` on a syntax error or a limit.

    ``first_line`` is the file line of the text's first line (for a piece of a file);
    ``budget`` carries counts and anchors across the pieces of one file.
    """
    return _Builder(text, first_line, budget or Budget(), parser or parser_class()).run()


class _Builder:
    def __init__(self, text: str, first_line: int, budget: Budget, parser: type[Any]) -> None:
        self.loader = parser(text)
        self.offset = first_line
        self.budget = budget
        self.limits = budget.limits
        self.out = Built()
        self.stack: list[_Frame] = []
        self.documents = 0
        self.plain: dict[str, Any] = {}  # plain scalars already resolved (names repeat a lot)

    def run(self) -> Built:
        handlers: dict[type[Any], Callable[[Any], None]] = {
            events.ScalarEvent: self._scalar,
            events.MappingStartEvent: self._mapping_start,
            events.SequenceStartEvent: self._sequence_start,
            events.MappingEndEvent: self._end,
            events.SequenceEndEvent: self._end,
            events.AliasEvent: self._alias,
            events.DocumentStartEvent: self._document,
        }
        get_event = self.loader.get_event
        try:
            while True:
                try:
                    event = get_event()
                except yaml.YAMLError as exc:
                    raise Stop(self._syntax_problem(exc)) from None
                kind = type(event)
                if kind is events.StreamEndEvent:
                    break
                handler = handlers.get(kind)
                if handler is not None:
                    handler(event)
        finally:
            self.loader.dispose()
        return self.out

    # --- events --------------------------------------------------------------------------

    def _document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            self._stop(event, "a file holds one YAML document; a second one starts here")

    def _scalar(self, event: Any) -> None:
        line = self._line(event)
        self._count(1, event)
        frame = self.stack[-1] if self.stack else None
        if frame is not None and frame.key is _NO_KEY and isinstance(frame.container, dict):
            self._take_key(frame, event, line)
            return
        value = self._scalar_value(event, line, frame)
        if event.anchor is not None:
            anchor = self.budget.anchors[event.anchor] = _Anchor()
            anchor.done, anchor.value, anchor.nodes = True, value, 1
        self._attach(value, line, 1)

    def _mapping_start(self, event: Any) -> None:
        self._open(event, {}, _MAP_TAG, "a mapping")

    def _sequence_start(self, event: Any) -> None:
        self._open(event, [], _SEQ_TAG, "a list")

    def _open(self, event: Any, container: Any, own_tag: str, what: str) -> None:
        line = self._line(event)
        self._count(1, event)
        if len(self.stack) >= self.limits.max_depth:
            self._stop(event, f"nested deeper than {self.limits.max_depth} levels")
        frame = self.stack[-1] if self.stack else None
        path: PathKey | None = ()
        if frame is not None:
            if frame.key is _NO_KEY and isinstance(frame.container, dict):
                self._problem(line, frame.path, f"a key must be plain text, not {what}")
                frame.key = _IN_KEY
            path = self._child_path(frame)
        anchor = None
        if event.anchor is not None:
            anchor = self.budget.anchors[event.anchor] = _Anchor()
        frame = _Frame(container, path, line, anchor)
        if event.tag not in (None, "!", own_tag):
            self._refuse_tag(event.tag, line, path)
            frame.refused = True
        self.stack.append(frame)

    def _end(self, event: Any) -> None:
        frame = self.stack.pop()
        if frame.merges:
            self._merge(frame)
        value = UNRESOLVED if frame.refused else frame.container
        if frame.anchor is not None:
            frame.anchor.done = True
            frame.anchor.value, frame.anchor.nodes = value, frame.nodes
        self._attach(value, frame.line, frame.nodes)

    def _alias(self, event: Any) -> None:
        line = self._line(event)
        frame = self.stack[-1] if self.stack else None
        name = event.anchor
        if frame is not None and frame.key is _NO_KEY and isinstance(frame.container, dict):
            self._problem(line, frame.path, "a key must be plain text, not an alias")
            frame.key = _BAD_KEY
            return
        anchor = self.budget.anchors.get(name)
        if anchor is None or not anchor.done:
            if anchor is None:
                text = f"undefined alias *{_short(name)}"
            else:
                text = f"recursive alias *{_short(name)}: it refers to a node that contains it"
            self._problem(line, self._child_path(frame), text)
            self._attach(UNRESOLVED, line, 1)
            return
        self.budget.alias_nodes += anchor.nodes
        if self.budget.alias_nodes > self.limits.max_alias_nodes:
            self._stop(
                event,
                f"aliases expand to more than {self.limits.max_alias_nodes:,} values"
                " (an alias bomb?); write the values out",
            )
        self._count(anchor.nodes, event)
        self._attach(anchor.value, line, anchor.nodes)

    # --- pieces ----------------------------------------------------------------------------

    def _take_key(self, frame: _Frame, event: Any, line: int) -> None:
        tag = event.tag
        key: str = event.value
        if tag is None and event.implicit[0] and key == "<<":
            if frame.merge_line:
                self._problem(line, frame.path, "a second merge key (<<) in one mapping")
                frame.key = _BAD_KEY
                return
            frame.key, frame.merge_line = _MERGE, line
            return
        if tag not in (None, "!") and tag not in _SCALAR_TAGS:
            self._refuse_tag(tag, line, frame.path)
        first = frame.key_lines.get(key)
        if first is not None:
            path = None if frame.path is None else (*frame.path, key)
            self._problem(line, path, f"duplicate key (first at line {first})")
            frame.key = _BAD_KEY
            return
        frame.key_lines[key] = line
        frame.key = key

    def _scalar_value(self, event: Any, line: int, frame: _Frame | None) -> Any:
        tag = event.tag
        value: str = event.value
        if tag is None:
            if not event.implicit[0]:
                return value  # quoted
            known = self.plain.get(value, _NOT_SEEN)
            if known is not _NOT_SEEN:
                return known
            known = self.plain[value] = self._construct(
                _RESOLVE(yaml.ScalarNode, value, event.implicit), value, line, frame, False
            )
            return known
        elif tag == "!":
            return value
        elif tag not in _SCALAR_TAGS:
            self._refuse_tag(tag, line, self._child_path(frame))
            return UNRESOLVED
        return self._construct(tag, value, line, frame, True)

    def _construct(
        self, tag: str, value: str, line: int, frame: _Frame | None, explicit: bool
    ) -> Any:
        construct = _CONSTRUCTORS.get(tag)
        if construct is None:  # str, or ``=`` and ``<<`` as values: plain text
            return value
        try:
            return construct(yaml.ScalarNode(tag, value))
        except (ValueError, TypeError, KeyError, OverflowError, yaml.YAMLError):
            if explicit:
                shown = "!!" + tag[len(_CORE) :]
                self._problem(line, self._child_path(frame), f"the value is not a valid {shown}")
            # e.g. 2025-13-45, or 5,000 digits: the model's field then says what is wrong
            return value

    def _attach(self, value: Any, line: int, nodes: int) -> None:
        if not self.stack:
            self.out.data = value
            self.out.lines[()] = line
            return
        frame = self.stack[-1]
        frame.nodes += nodes
        container = frame.container
        if isinstance(container, list):
            if frame.path is not None:
                self.out.lines[(*frame.path, len(container))] = line
            container.append(value)
            return
        key = frame.key
        if key is _IN_KEY:  # the refused key is complete; its value comes next
            frame.key = _BAD_KEY
            return
        frame.key = _NO_KEY
        if key is _MERGE:
            frame.merges.append(value)
        elif isinstance(key, str):
            container[key] = value
            if frame.path is not None:
                self.out.lines[(*frame.path, key)] = line

    def _merge(self, frame: _Frame) -> None:
        sources: list[Any] = []
        for value in frame.merges:
            sources.extend(value if isinstance(value, list) else [value])
        if not all(isinstance(s, dict) for s in sources):
            self._problem(
                frame.merge_line,
                frame.path,
                "a merge key (<<) takes a mapping, an alias of one, or a list of them",
            )
            return
        container: dict[str, Any] = frame.container
        for source in sources:
            for key, value in source.items():
                if key not in container:
                    container[key] = value
                    if frame.path is not None:
                        self.out.lines[(*frame.path, key)] = frame.merge_line

    def _refuse_tag(self, tag: str, line: int, path: PathKey | None) -> None:
        where = path or ()
        if holds_secret(where):
            text = "tags are not supported (egovnet reads plain YAML; the tag is not shown)"
        else:
            shown = "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag
            text = f"tag {_short(shown)} is not supported (egovnet reads plain YAML, no tags)"
        self._problem(line, where, text)

    def _problem(self, line: int, path: PathKey | None, text: str) -> None:
        self.out.problems.append(Problem(line, path or (), text))

    def _child_path(self, frame: _Frame | None) -> PathKey | None:
        """The path of the value the innermost open collection is about to receive."""
        if frame is None:
            return ()
        if frame.path is None:
            return None
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        key = frame.key
        return (*frame.path, key) if isinstance(key, str) else None

    def _path_here(self) -> PathKey:
        for frame in reversed(self.stack):
            if frame.path is not None:
                return frame.path
        return ()

    def _count(self, nodes: int, event: Any) -> None:
        self.budget.nodes += nodes
        if self.budget.nodes > self.limits.max_nodes:
            self._stop(event, f"more than {self.limits.max_nodes:,} values in one file")

    def _stop(self, event: Any, text: str) -> None:
        raise Stop(Problem(self._line(event), self._path_here(), text, fatal=True))

    def _line(self, event: Any) -> int:
        mark = event.start_mark
        return (mark.line if mark is not None else 0) + self.offset

    def _syntax_problem(self, exc: yaml.YAMLError) -> Problem:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = (mark.line if mark is not None else 0) + self.offset
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        if "maximum nesting depth" in problem:  # libyaml's own bound, met in its lookahead
            problem = f"nested deeper than {self.limits.max_depth} levels"
            return Problem(line, (), problem, fatal=True)
        return Problem(line, (), f"bad YAML: {problem}", fatal=True)


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def dotted(path: PathKey) -> str:
    """``("links", 3, "b", "device")`` -> ``links[3].b.device``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"
