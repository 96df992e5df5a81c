"""Reading hand-edited YAML (configuration, codebooks, catalog entries) without surprises.

A YAML file a user edits is refused with one line, before anything uses it, when it is not a
file, too large, not UTF-8, not valid YAML, repeats a key (YAML parsers silently keep the last
one), or expands aliases into more nodes than any configuration needs (an "alias bomb").
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from analysis.core.errors import InputError

MAX_BYTES = 2 * 1024 * 1024  # the largest codebook is about 14 kB
MAX_NODES = 200_000          # after expanding aliases; every file of the project has fewer than 3 000

_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: several times faster


class _UniqueKeyLoader(_BASE):  # type: ignore[misc, valid-type]
    """SafeLoader that refuses a key written twice in one mapping."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(None, None, "a mapping key that is a list or mapping",
                                                        key_node.start_mark) from None
            if key in seen:
                raise _DuplicateKey(key, seen[key], key_node.start_mark.line + 1)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


class OctalNumber(int):
    """An unquoted number with a leading zero that YAML 1.1 reads as octal (``0114`` is 76), kept with its text
    so that a message can say what happened (a kommun code must be quoted: ``"0114"``)."""

    text: str


def _construct_int(loader, node):
    value = loader.construct_yaml_int(node)
    if re.fullmatch(r"[-+]?0[0-7_]+", node.value):
        value = OctalNumber(value)
        value.text = node.value
    return value


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


class _DuplicateKey(Exception):
    def __init__(self, key, first_line: int, line: int) -> None:
        self.key, self.first_line, self.line = key, first_line, line


def read_text(path: Path, what: str) -> str:
    """The file's text, decoded as UTF-8; every other case is a one-line ``InputError`` naming the cause."""
    path = Path(path)
    if path.is_dir():
        raise InputError(path, f"a {what} file, but this path is a directory")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(path, f"an existing {what}") from None
    if size > MAX_BYTES:
        raise InputError(path, f"a {what} of at most {MAX_BYTES // (1024 * 1024)} MB, but the file has "
                               f"{size / (1024 * 1024):.0f} MB (is this the right file?)")
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (data and data.count(b"\x00") > len(data) // 4):
        raise InputError(path, "UTF-8 text, but the file is UTF-16 (Notepad's 'Unicode'); save it again with "
                               "the encoding UTF-8", row=1)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start: exc.start + 1]
        try:
            data.decode("cp1252")
            cause = "the file looks like Windows-1252 (ANSI)"
        except UnicodeDecodeError:
            cause = "the file is in some other encoding"
        raise InputError(path, f"UTF-8 text, but {cause}; save it again with the encoding UTF-8",
                         row=row, value=bad) from None


def _expanded_size(path: Path, text: str) -> None:
    """Refuse YAML whose aliases expand to more than ``MAX_NODES`` nodes, before constructing anything."""
    sizes: dict[str, int] = {}
    stack: list[list] = [[None, 0]]
    for event in yaml.parse(text, Loader=_BASE):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            stack.append([event.anchor, 1])
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            anchor, size = stack.pop()
            if anchor:
                sizes[anchor] = size
            stack[-1][1] += size
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                sizes[event.anchor] = 1
            stack[-1][1] += 1
        elif isinstance(event, yaml.AliasEvent):
            stack[-1][1] += sizes.get(event.anchor, 1)
        else:
            continue
        if stack[-1][1] > MAX_NODES:
            line = event.start_mark.line + 1 if event.start_mark else None
            raise InputError(path, f"YAML that expands to at most {MAX_NODES:,} values, but its aliases (*name) "
                                   "expand to more (an 'alias bomb'?); write the values out instead", row=line)


def load_yaml(path: Path, what: str) -> Any:
    """The YAML document in ``path`` (None when empty); any problem is a one-line ``InputError``."""
    text = read_text(path, what)
    try:
        _expanded_size(path, text)
        return yaml.load(text, Loader=_UniqueKeyLoader)
    except _DuplicateKey as dup:
        raise InputError(path, f"each key once in its mapping, but {dup.key!r} is also on row {dup.first_line} "
                               "(YAML would silently keep only the last; delete or merge one)",
                         row=dup.line, key=str(dup.key)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or exc.__class__.__name__
        lines = text.splitlines()
        line = lines[mark.line] if mark and mark.line < len(lines) else ""
        hint = "; YAML indents with spaces, never tabs" if "\t" in line[: len(line) - len(line.lstrip())] else ""
        raise InputError(path, f"valid YAML ({problem}{hint})", row=mark.line + 1 if mark else None) from None
    except RecursionError:
        raise InputError(path, "YAML nested at most a few hundred levels deep") from None
