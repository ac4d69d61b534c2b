"""UIMA CAS XMI export for INCEpTION (and anything that reads UIMA, such as dkpro-cassis): a zip of
NAME.xmi per document and one TypeSystem.xml, written with dkpro-cassis.

The layers are those INCEpTION recognises when the type system is imported in a project's layer
settings (its TypeSystemAnalysis, inception-project/inception): a span layer is a direct subtype of
`uima.tcas.Annotation` whose features are primitive, string arrays or slot features, and a slot
feature is an FSArray of a link type (a direct subtype of TOP) with exactly two features, `role`
(a string) and `target` (an annotation). INCEpTION names a link type after its layer and feature,
`<layer><Feature>Link` (its LinkFeatureSupport.configureFeature), and "Link: <Any>" targets
`uima.tcas.Annotation`. So:

- entities are DKPro Core's `NamedEntity` (INCEpTION's built-in Named Entity layer), label in `value`;
- a claim is a `webanno.custom.Claim` on its evidence, its type in `claimType`, with one slot
  feature per slot name of the schema whose links (role: the slot) point at the slot's span: the
  entity's own NamedEntity when one of the same place, label and link is exported, else a
  `webanno.custom.ClaimValue` at the slot's place holding its kind, label, link and normalised
  value (JSON);
- what only Claimdesk needs to read its export back exactly (each span's annotator, status and
  link, each claim's id, status, annotator, note, slot values typed without a place, and whether
  it had an evidence: a claim without one stands on its slots' stretch) is in
  `claimdesk.Provenance` records, which are not annotations: INCEpTION makes no layer of them and
  leaves them out when it imports a document.

Offsets are characters in Python and UTF-16 units in UIMA; cassis converts them both ways.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from pathlib import Path

from annotations.exports.brat import file_name
from annotations.schema import ClaimSchema

NAMED_ENTITY = "de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"
DOCUMENT_METADATA = "de.tudarmstadt.ukp.dkpro.core.api.metadata.type.DocumentMetaData"
CLAIM = "webanno.custom.Claim"
CLAIM_VALUE = "webanno.custom.ClaimValue"
PROVENANCE = "claimdesk.Provenance"
CLAIM_TYPE = "claimType"
TYPE_SYSTEM = "TypeSystem.xml"
RESERVED = {"begin", "end", "sofa", CLAIM_TYPE}  # feature names a slot may not take as they are


def feature_name(slot: str) -> str:
    """The Claim feature of a slot: its name, or with `_` after it where the name is taken."""
    return slot + "_" if slot in RESERVED else slot


def link_type(slot: str) -> str:
    feature = feature_name(slot)
    return f"{CLAIM}{feature[:1].upper()}{feature[1:]}Link"


def type_system(schema: ClaimSchema):
    """The type system of an export: DKPro Core's NamedEntity and DocumentMetaData (their features
    as DKPro Core declares them), the Claim and ClaimValue layers, and Claimdesk's provenance."""
    from cassis import TypeSystem

    ts = TypeSystem()
    entity = ts.create_type(NAMED_ENTITY, "uima.tcas.Annotation")
    for feature in ("value", "identifier"):
        ts.create_feature(entity, feature, "uima.cas.String")
    meta = ts.create_type(DOCUMENT_METADATA, "uima.tcas.DocumentAnnotation")
    for feature in ("documentTitle", "documentId", "documentUri", "collectionId", "documentBaseUri"):
        ts.create_feature(meta, feature, "uima.cas.String")
    ts.create_feature(meta, "isLastSegment", "uima.cas.Boolean")
    kinds = "; ".join(f"{c.name}: {c.description}" for c in schema.claim_types.values())
    claim = ts.create_type(CLAIM, "uima.tcas.Annotation", description=f"A claim on its evidence. Types: {kinds}"[:4000])
    ts.create_feature(claim, CLAIM_TYPE, "uima.cas.String", description=", ".join(schema.claim_types))
    for slot in sorted({slot for c in schema.claim_types.values() for slot in c.slots}):
        link = ts.create_type(link_type(slot), "uima.cas.TOP")
        ts.create_feature(link, "role", "uima.cas.String")
        ts.create_feature(link, "target", "uima.tcas.Annotation")
        ts.create_feature(claim, feature_name(slot), "uima.cas.FSArray", elementType=link.name, multipleReferencesAllowed=False)
    value = ts.create_type(CLAIM_VALUE, "uima.tcas.Annotation", description="A claim's slot value with no entity of its own")
    for feature in ("kind", "label", "kbId", "value"):
        ts.create_feature(value, feature, "uima.cas.String")
    provenance = ts.create_type(PROVENANCE, "uima.cas.TOP", description="Claimdesk's record of who made an annotation")
    ts.create_feature(provenance, "annotation", "uima.tcas.Annotation")
    for feature in ("annotator", "status", "kbId", "claimId", "note", "evidence", "unplaced"):
        ts.create_feature(provenance, feature, "uima.cas.String")
    return ts


def document_cas(record: dict, schema: ClaimSchema, ts):
    """One export record as a CAS."""
    from cassis import Cas

    cas = Cas(typesystem=ts)
    text = record["text"]
    cas.sofa_string = text
    T = ts.get_type
    cas.add(T(DOCUMENT_METADATA)(begin=0, end=len(text), language=record.get("lang") or "x-unspecified",
                                 documentId=record["name"], documentTitle=record.get("title")))
    provenance, fs_array = T(PROVENANCE), T("uima.cas.FSArray")
    entities: dict[tuple[int, int, str], tuple[object, set]] = {}
    for span in record["spans"]:
        if span["status"] == "rejected":
            continue
        key = (span["start"], span["end"], span["label"])
        if key not in entities:
            entities[key] = (T(NAMED_ENTITY)(begin=span["start"], end=span["end"], value=span["label"]), set())
            cas.add(entities[key][0])
        entity, links = entities[key]
        links.add(span.get("kb_id"))
        cas.add(provenance(annotation=entity, annotator=span["annotator"], status=span["status"], kbId=span.get("kb_id")))
    for claim in record["claims"]:
        declared = schema.claim_types.get(claim["type"])
        features, unplaced, places = {}, {}, []
        for slot, values in claim["slots"].items():
            links = []
            for value in values if isinstance(values, list) else [values]:
                if value.get("start") is None:
                    unplaced.setdefault(slot, []).append({k: value[k] for k in ("text", "label", "kb_id", "value") if value.get(k) is not None})
                    continue
                places.append((value["start"], value["end"]))
                found = entities.get((value["start"], value["end"], value.get("label")))
                if found is not None and found[1] == {value.get("kb_id")} and value.get("value") is None:
                    target = found[0]
                else:
                    kind = declared.slots[slot].kind if declared and slot in declared.slots else "text"
                    target = T(CLAIM_VALUE)(begin=value["start"], end=value["end"], kind=kind, label=value.get("label"),
                                            kbId=value.get("kb_id"),
                                            value=json.dumps(value["value"], ensure_ascii=False) if value.get("value") is not None else None)
                    cas.add(target)
                links.append(T(link_type(slot))(role=slot, target=target))
            if links:
                features[feature_name(slot)] = fs_array(elements=links)
        evidence = claim.get("evidence")
        if evidence:
            begin, end = evidence["start"], evidence["end"]
        else:  # an INCEpTION span needs a place: the slots' stretch, or nothing at the start
            begin, end = (min(a for a, _ in places), max(b for _, b in places)) if places else (0, 0)
        annotation = T(CLAIM)(begin=begin, end=end, **{CLAIM_TYPE: claim["type"]}, **features)
        cas.add(annotation)
        cas.add(provenance(annotation=annotation, annotator=claim["annotator"], status=claim["status"], claimId=claim["id"],
                           note=claim.get("note"), evidence=None if evidence else "none",
                           unplaced=json.dumps(unplaced, ensure_ascii=False) if unplaced else None))
    return cas


class XmiWriter:
    """Writes the zip at the path it is given (the export stages it under a temporary name and
    renames it when complete)."""

    def __init__(self, out: Path, schema: ClaimSchema, types=None):
        self.out = Path(out)
        self.schema = schema

    def write(self, records: Iterable[dict]) -> int:
        ts = type_system(self.schema)
        count, taken = 0, set()
        with zipfile.ZipFile(self.out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(TYPE_SYSTEM, ts.to_xml())
            for record in records:
                name = file_name(record["name"], record["sha256"], taken)
                archive.writestr(f"{name}.xmi", document_cas(record, self.schema, ts).to_xmi())
                count += 1
        return count
