"""Safe YAML loading that remembers the line of every mapping key, for error messages.

The loader is PyYAML's safe loader underneath (its C version, libyaml, when installed: four times
faster, which counts at launch): tags such as !!python/object are refused, nothing is executed.
Duplicate keys, which plain YAML silently collapses, are reported.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from annotations.errors import SchemaError


class LineDict(dict):
    """A mapping from YAML that knows the line (1-based) of each key, and its own."""

    line: int = 0
    lines: dict

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[int, str]] = []

    def construct_mapping(self, node, deep=False):
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, (str, int, float, bool)) and key is not None:
                raise yaml.constructor.ConstructorError(None, None, "a key must be a plain name, not a list or a mapping",
                                                        key_node.start_mark)
            if key in mapping:
                self.duplicates.append((line, str(key)))
            mapping[key] = self.construct_object(value_node, deep=deep)
            mapping.lines[key] = line
        return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)


def read_text(path: Path) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SchemaError([f"{path}: file not found"]) from None
    except UnicodeDecodeError as e:
        raise SchemaError([f"{path}: not UTF-8 text ({e.reason} at byte {e.start})"]) from None


MAX_NODES = 100_000  # values once aliases (*name) are expanded; the schema files hold a few thousand


def _refuse_alias_bomb(text: str, source: str) -> None:
    """Refuse a file whose aliases expand to more than MAX_NODES values before anything is built from
    it: 73 aliases nested nine deep ("billion laughs") are 387 million values, minutes and gigabytes."""
    if "*" not in text:
        return
    sizes: dict[str, int] = {}  # anchor -> values it expands to
    stack: list[list] = [[0, None]]  # per open collection: values so far, its anchor
    try:
        for event in yaml.parse(text, Loader=_LineLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                stack.append([0, event.anchor])
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                size, anchor = stack.pop()
                size += 1
            elif isinstance(event, yaml.AliasEvent):
                size, anchor = sizes.get(event.anchor, 1), None
            elif isinstance(event, yaml.ScalarEvent):
                size, anchor = 1, event.anchor
            else:
                continue
            if anchor:
                sizes[anchor] = size
            stack[-1][0] += size
            if stack[-1][0] > MAX_NODES:
                raise SchemaError([f"{source}, line {event.start_mark.line + 1}: its YAML aliases (*name) expand to more than "
                                   f"{MAX_NODES:,} values; a schema file needs few aliases or none, so this one is not read"])
    except yaml.YAMLError:
        return  # the load below reports it with its line


def load_yaml(text: str, source: str) -> LineDict:
    """Parse YAML text into LineDicts; any syntax problem, duplicate key or alias bomb raises SchemaError."""
    _refuse_alias_bomb(text, source)
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = f"{source}, line {mark.line + 1}" if mark else source
        raise SchemaError([f"{where}: {e.problem or e.context}"]) from None
    except yaml.YAMLError as e:
        raise SchemaError([f"{source}: {e}"]) from None
    finally:
        loader.dispose()
    problems = [f"{source}, line {line}: duplicate key {key!r}" for line, key in loader.duplicates]
    if data is None:
        problems.append(f"{source}, line 1: the file is empty")
    elif not isinstance(data, dict):
        problems.append(f"{source}, line 1: expected a mapping at the top level")
    if problems:
        raise SchemaError(problems)
    return data
