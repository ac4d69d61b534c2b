"""Label Studio's JSON export: a list of tasks, `{"id", "data": {"text": ...}, "annotations": [{"id",
"completed_by", "lead_time", "was_cancelled", "result": [...]}], "predictions": [...]}`. A result of
type `labels` is a region, `{"id", "from_name", "to_name", "type": "labels", "value": {"start",
"end", "text", "labels": [...]}}`; one of type `relation` joins two regions, `{"type": "relation",
"from_id", "to_id", "direction": "right" | "left" | "bi", "labels": [...]}` (shapes from Label
Studio's documentation: docs/source/guide/task_format and docs/source/includes/result_format.md in
HumanSignal/label-studio).

Each annotation is one annotator's work on the task: a source of its own, annotator
`completed_by` (a user id, named through the mapping's `annotators:`; an export that gives the user
as an object gives its email). Label Studio's offsets have been counted in UTF-16 units by some
versions (issues #1347 and #4988 of HumanSignal/label-studio) and with the browser's line breaks;
every region carries its text, so offsets.py finds how they were counted. Cancelled annotations,
predictions and other result types (choices, text areas) are listed as left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from annotations import jsontext
from annotations.errors import InputRefused
from annotations.imports import Mapping, Piece, Source
from annotations.imports.offsets import raw_text

SHAPE = "not the shape of Label Studio's JSON export (a list of tasks with data and annotations)"


def read(path: Path, mapping: Mapping) -> Iterator[Source]:
    if not path.is_file():
        raise InputRefused(str(path), "no such file")
    try:
        tasks = jsontext.parse(raw_text(path.read_bytes(), str(path)).lstrip("\ufeff"))
    except jsontext.NotJson as e:
        raise InputRefused(str(path), str(e)) from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise InputRefused(str(path), SHAPE)
    for n, task in enumerate(tasks, start=1):
        task_id = task.get("id", n) if isinstance(task, dict) else n
        where = f"task {task_id}"
        try:
            yield from _task(task, where, path, mapping)
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise InputRefused(str(path), f"{where}: {SHAPE} ({type(e).__name__}: {e})") from None


def _text(data: dict, mapping: Mapping, where: str) -> str:
    """The task's text: the mapping's `text_field`, else `text`, else the one string the data holds."""
    if mapping.text_field:
        return data[mapping.text_field]
    if isinstance(data.get("text"), str):
        return data["text"]
    strings = [key for key, value in data.items() if isinstance(value, str)]
    if len(strings) != 1:
        raise ValueError(f"{where}: which of the data fields {', '.join(strings) or '(none)'} holds the text? "
                         "Say it with `text_field:` in the mapping")
    return data[strings[0]]


def _annotator(completed_by) -> str:
    if isinstance(completed_by, dict):
        return str(completed_by.get("email") or completed_by.get("id"))
    return str(completed_by) if completed_by is not None else "label-studio"


def _task(task: dict, where: str, path: Path, mapping: Mapping) -> Iterator[Source]:
    text = _text(task["data"], mapping, where)
    if not isinstance(text, str):
        raise ValueError("the text is not a string")
    name = f"{path.stem}-{task['id']}" if task.get("id") is not None else None
    predictions = len(task.get("predictions") or [])
    annotations = task.get("annotations")
    if annotations is None:
        raise KeyError("annotations")
    for number, annotation in enumerate(annotations, start=1):
        here = f"{where} annotation {annotation.get('id', number)}"
        who = mapping.who(_annotator(annotation.get("completed_by")))
        if annotation.get("was_cancelled"):
            yield Source(here, text, who, name, left_out=[f"{here}: cancelled by {who}; left out"])
            continue
        regions: dict[str, Piece] = {}
        spans, relations, other = [], [], Counter()
        for result in annotation.get("result") or []:
            kind = result.get("type")
            if kind == "labels":
                value = result["value"]
                for label in value["labels"]:
                    piece = Piece(value["start"], value["end"], label, value.get("text"))
                    spans.append(piece)
                    regions.setdefault(result["id"], piece)
            elif kind != "relation":
                other[kind] += 1
        for result in annotation.get("result") or []:
            if result.get("type") != "relation":
                continue
            head, tail = regions.get(result["from_id"]), regions.get(result["to_id"])
            if head is None or tail is None:
                other["relation between regions that are not labelled spans"] += 1
                continue
            if result.get("direction") == "left":  # the arrow points from the second region to the first
                head, tail = tail, head
            for label in result.get("labels") or [""]:
                relations.append((label, head, tail))
        left_out = [f"{here}: {count} result(s) of type {kind} left out" for kind, count in sorted(other.items())]
        seconds = annotation.get("lead_time")
        yield Source(here, text, who, name, spans, relations, left_out=left_out,
                     seconds=float(seconds) if isinstance(seconds, (int, float)) else None)
    if predictions:
        yield Source(where, text, "label-studio", name,
                     left_out=[f"{where}: {predictions} prediction(s) left out (a model's, not an annotator's)"])
