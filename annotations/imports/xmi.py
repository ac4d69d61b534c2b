"""UIMA CAS XMI as INCEpTION and WebAnno write it (and as Claimdesk's `export --format xmi` does),
read with dkpro-cassis: a zip (INCEpTION's per-document export, or Claimdesk's), a folder, or one
.xmi file, with the type system beside the XMI files (TypeSystem.xml or any .xml that is a
typeSystemDescription). The annotator is the user INCEpTION's metadata names (CASMetadata.username),
else the mapping's `annotator:`, else "inception".

What comes in (the layer rules are INCEpTION's, see annotations/exports/xmi.py):
- DKPro Core's NamedEntity and its subtypes: spans labelled with `value` (or the subtype's name);
- other `webanno.custom` span layers without slot features: spans labelled with their first string
  feature's value (or the layer's name), renamed or left out through the mapping's `entities:`;
- `webanno.custom` relation layers (Governor and Dependent): relations labelled as above, mapped
  by `relations:`;
- `webanno.custom` span layers with slot features: events labelled with the layer's name (or
  Claimdesk's `claimType`), each link an argument whose role is its role (else the feature's
  name), mapped by `events:`; Claimdesk's own Claim layer needs no mapping.
Claimdesk's provenance records, when present, give back annotators, statuses, links, claim ids,
notes and typed values. cassis turns UIMA's UTF-16 offsets into characters; CR LF in the text is
handled as in every import (offsets.py).
"""

from __future__ import annotations

import json
import warnings
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from annotations.errors import InputRefused
from annotations.exports.xmi import CLAIM_TYPE, CLAIM_VALUE, DOCUMENT_METADATA, NAMED_ENTITY, PROVENANCE
from annotations.imports import Event, Mapping, Piece, Source

CAS_METADATA = "de.tudarmstadt.ukp.clarin.webanno.api.type.CASMetadata"
MAX_MEMBER = 512 * 1024 * 1024  # bytes of one XMI or type system: more is not a document


def read(path: Path, mapping: Mapping) -> Iterator[Source]:
    from cassis import load_typesystem

    files = _files(path)
    systems = [(name, data) for name, data in files if name.lower().endswith(".xml") and b"typeSystemDescription" in data[:2000]]
    documents = sorted((name, data) for name, data in files if name.lower().endswith(".xmi"))
    if not documents:
        raise InputRefused(str(path), "holds no .xmi files")
    if not systems:
        raise InputRefused(str(path), "has no type system beside its XMI (TypeSystem.xml, as INCEpTION and Claimdesk write it)")
    try:
        ts = load_typesystem(systems[0][1].decode("utf-8"))
    except Exception as e:  # cassis raises plain exceptions for a bad type system
        raise InputRefused(f"{path}: {systems[0][0]}", f"not a UIMA type system cassis can read ({type(e).__name__}: {e})") from None
    for name, data in documents:
        yield _document(path, name, data, ts, mapping)


def _files(path: Path) -> list[tuple[str, bytes]]:
    """(name, content) of the XMI and XML files in a zip, a folder, or beside one .xmi file."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith((".xmi", ".xml"))]
            big = [m.filename for m in members if m.file_size > MAX_MEMBER]
            if big:
                raise InputRefused(str(path), f"{big[0]} is larger than {MAX_MEMBER // 2**20} MB: not a document")
            return [(m.filename, archive.read(m)) for m in members]
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.suffix.lower() in (".xmi", ".xml") and p.is_file())
        return [(p.relative_to(path).as_posix(), p.read_bytes()) for p in found]
    if path.suffix.lower() == ".xmi":
        found = [path] + sorted(p for p in path.parent.glob("*.xml") if p.is_file())
        return [(p.name, p.read_bytes()) for p in found]
    raise InputRefused(str(path), "give a zip, a folder of .xmi files with their type system, or an .xmi file")


def _document(path: Path, name: str, data: bytes, ts, mapping: Mapping) -> Source:
    from cassis import load_cas_from_xmi

    where = PurePosixPath(name).name
    try:
        with warnings.catch_warnings():  # cassis warns of offsets past the text; the import names them as drifted
            warnings.simplefilter("ignore", UserWarning)
            cas = load_cas_from_xmi(data.decode("utf-8"), typesystem=ts, lenient=True)
    except Exception as e:  # lxml and cassis errors: the file is not XMI of this type system
        raise InputRefused(f"{path}: {name}", f"not UIMA CAS XMI of its type system ({type(e).__name__}: {e})") from None
    text = cas.sofa_string
    if not isinstance(text, str) or not text:
        raise InputRefused(f"{path}: {name}", "holds no text (sofa string)")
    who = _first(cas, CAS_METADATA, "username") or mapping.annotator or "inception"
    title = _first(cas, DOCUMENT_METADATA, "documentId")
    source = Source(where, text, who, title or unquote(PurePosixPath(name).stem))
    provenance: dict[int, list] = {}
    if ts.contains_type(PROVENANCE):
        for record in cas.select(PROVENANCE):
            if record.annotation is not None:
                provenance.setdefault(record.annotation.xmiID, []).append(record)

    def piece(annotation) -> Piece:
        """An annotation as a slot value: its label and the link and value Claimdesk gave it."""
        label, kb_id, value = _label(annotation), None, None
        if annotation.type.name == CLAIM_VALUE:
            kb_id = annotation.kbId
            value = json.loads(annotation.value) if annotation.value else None
        else:
            links = {p.kbId for p in provenance.get(annotation.xmiID, [])}
            kb_id = links.pop() if len(links) == 1 else None
        return Piece(annotation.begin, annotation.end, label or "", text[annotation.begin:annotation.end], kb_id=kb_id,
                     value=value if isinstance(value, dict) else None)

    for annotation in cas.select_all_annotations():
        type_ = annotation.type
        if not (_is_entity(ts, type_) or type_.name.startswith("webanno.custom.")) or type_.name == CLAIM_VALUE:
            continue
        slots = _slot_features(ts, type_)
        if slots:
            source.events.append(_event(annotation, slots, piece, provenance.get(annotation.xmiID, []), where))
        elif type_.get_feature("Governor") is not None and type_.get_feature("Dependent") is not None:
            if annotation.Governor is not None and annotation.Dependent is not None:
                source.relations.append((_label(annotation), piece(annotation.Governor), piece(annotation.Dependent)))
        elif annotation.begin < annotation.end:
            label = _label(annotation)
            marks = provenance.get(annotation.xmiID) or [None]
            for mark in marks:
                source.spans.append(Piece(annotation.begin, annotation.end, label, text[annotation.begin:annotation.end],
                                          status=mark.status if mark else None, annotator=mark.annotator if mark else None,
                                          kb_id=mark.kbId if mark else None))
    return source


def _first(cas, type_name: str, feature: str) -> str | None:
    if not cas.typesystem.contains_type(type_name):
        return None
    for found in cas.select(type_name):
        if found.type.get_feature(feature) is not None and found.get(feature):
            return found.get(feature)
    return None


def _is_entity(ts, type_) -> bool:
    return ts.contains_type(NAMED_ENTITY) and ts.subsumes(ts.get_type(NAMED_ENTITY), type_)


def _label(annotation) -> str:
    """A layer's label: NamedEntity's value, Claimdesk's claim type or value label, else the first
    string feature that has a value, else the layer's short name."""
    type_ = annotation.type
    for feature in ("value", CLAIM_TYPE, "label"):
        if type_.get_feature(feature) is not None and isinstance(annotation.get(feature), str) and annotation.get(feature):
            return annotation.get(feature)
    for feature in type_.all_features:
        value = annotation.get(feature.name) if feature.rangeType.name == "uima.cas.String" and feature.name != "sofa" else None
        if isinstance(value, str) and value:
            return value
    return type_.name.rsplit(".", 1)[-1]


def _slot_features(ts, type_) -> list[str]:
    """The slot features of a layer, as INCEpTION recognises them: FSArrays of a link type with a
    string `role` and a `target`."""
    found = []
    for feature in type_.all_features:
        element = feature.elementType
        name = getattr(element, "name", element)
        if feature.rangeType.name != "uima.cas.FSArray" or not name or not ts.contains_type(name):
            continue
        element = ts.get_type(name)  # the feature may hold a stub made before the link type was read
        if element.get_feature("role") is not None and element.get_feature("target") is not None:
            found.append(feature.name)
    return found


def _event(annotation, slots: list[str], piece, marks: list, where: str) -> Event:
    mark = marks[0] if marks else None
    label = _label(annotation)
    bare = mark is not None and mark.evidence == "none"
    event = Event(label, None if bare else piece(annotation), [],
                  f"{annotation.type.name.rsplit('.', 1)[-1]} at {annotation.begin}..{annotation.end}", without_evidence=bare)
    if event.evidence is not None:
        event.evidence.label = label
    for feature in slots:
        links = annotation.get(feature)
        for link in (links.elements if links is not None else []) or []:
            if link is None or link.target is None:
                continue
            event.arguments.append((link.role or feature.rstrip("_"), piece(link.target)))
    if mark is not None:
        event.id, event.status, event.annotator, event.note = mark.claimId, mark.status, mark.annotator, mark.note
        for role, values in (json.loads(mark.unplaced) if mark.unplaced else {}).items():
            for value in values:
                event.arguments.append((role, Piece(None, None, str(value.get("label") or ""), value.get("text", ""),
                                                    kb_id=value.get("kb_id"), value=value.get("value"))))
    return event
