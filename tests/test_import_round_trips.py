"""Claimdesk's own exports read back by import-annotations: brat (#20) and INCEpTION's XMI (#16)
bring the seeds' reviewed spans and claims back as they were, offsets to the character."""

import json

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.model


def records(db, out):
    assert run_cli("export", "--db", db, "--format", "jsonl", "--status", "all", "--out", out) == 0
    return {r["name"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}


def slot_values(values):
    return [values] if isinstance(values, dict) else values


def spans_of(record):
    return sorted((s["start"], s["end"], s["label"], s["kb_id"], s["status"], s["annotator"])
                  for s in record["spans"] if s["status"] != "rejected")


def claims_of(record, *, keep_values=True):
    found = []
    for c in record["claims"]:
        if not c["evidence"]:
            continue  # brat events need a trigger: a claim without evidence is not exported
        slots = sorted((name, v["text"], v["start"], v["end"], v.get("label"), v.get("kb_id"),
                        json.dumps(v.get("value"), sort_keys=True) if keep_values else None)
                       for name, values in c["slots"].items() for v in slot_values(values))
        found.append((c["id"], c["type"], c["status"], c["annotator"], c["note"], c["evidence"]["start"], c["evidence"]["end"], slots))
    return sorted(found)


def test_brat_export_reads_back_into_the_same_spans_and_claims(reviewed_db, tmp_path, capsys):
    """Issue #20: the brat importer reads Claimdesk's own brat export back into the same spans and claims."""
    before = records(reviewed_db, tmp_path / "before.jsonl")
    folder = tmp_path / "brat"
    assert run_cli("export", "--db", reviewed_db, "--format", "brat", "--status", "all", "--out", folder) == 0
    fresh = tmp_path / "fresh.db"
    assert run_cli("import-annotations", "--db", fresh, "--from", "brat", folder) == 0, capsys.readouterr().err
    after = records(fresh, tmp_path / "after.jsonl")
    assert after.keys() == before.keys()
    spans = claims = 0
    for name, record in before.items():
        assert after[name]["text"] == record["text"]
        assert spans_of(after[name]) == spans_of(record)
        assert claims_of(after[name]) == claims_of(record)
        spans += len(spans_of(record))
        claims += len(claims_of(record))
    assert spans > 300 and claims > 20  # the seeds, all statuses: something real came across
    statuses = {c["status"] for r in after.values() for c in r["claims"]}
    assert {"gold", "suggested", "rejected"} <= statuses
    assert run_cli("import-annotations", "--db", fresh, "--from", "brat", folder) == 0  # idempotent
    assert " 0 claims and 0 spans added, 0 new documents" in capsys.readouterr().out


def test_xmi_export_reads_back_with_cassis_at_the_same_offsets_and_imports_back_equal(reviewed_db, tmp_path, capsys):
    """Issue #16: XMI exported by Claimdesk is read back by dkpro-cassis with every span and slot at
    the same offsets, and imports back into Claimdesk equal."""
    import zipfile

    from cassis import load_cas_from_xmi, load_typesystem

    before = records(reviewed_db, tmp_path / "before.jsonl")
    out = tmp_path / "inception.zip"
    assert run_cli("export", "--db", reviewed_db, "--format", "xmi", "--status", "all", "--out", out) == 0
    assert not (tmp_path / "inception.zip.partial").exists() and (tmp_path / "inception.zip.card.json").is_file()
    with zipfile.ZipFile(out) as archive:
        ts = load_typesystem(archive.read("TypeSystem.xml").decode("utf-8"))
        cases = {name.removesuffix(".xmi"): load_cas_from_xmi(archive.read(name).decode("utf-8"), typesystem=ts)
                 for name in archive.namelist() if name.endswith(".xmi")}
    assert cases.keys() == before.keys()
    slots_seen = 0
    for name, cas in cases.items():
        record = before[name]
        assert cas.sofa_string == record["text"]
        entities = sorted((e.begin, e.end, e.value) for e in cas.select("de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity"))
        assert entities == sorted({(s["start"], s["end"], s["label"]) for s in record["spans"] if s["status"] != "rejected"})
        provenance = {p.annotation.xmiID: p for p in cas.select("claimdesk.Provenance") if p.claimId}
        claims = {c["id"]: c for c in record["claims"]}
        got = {}
        for annotation in cas.select("webanno.custom.Claim"):
            claim = claims[provenance[annotation.xmiID].claimId]
            if claim["evidence"]:
                assert (annotation.begin, annotation.end) == (claim["evidence"]["start"], claim["evidence"]["end"])
            links = sorted((link.role, link.target.begin, link.target.end, link.target.get_covered_text())
                           for slot in claim["slots"] for links in [annotation.get(slot)] if links is not None
                           for link in links.elements)
            got[claim["id"]] = links
        expected = {c["id"]: sorted((slot, v["start"], v["end"], v["text"]) for slot, values in c["slots"].items()
                                    for v in slot_values(values) if v["start"] is not None) for c in record["claims"]}
        assert got == expected
        slots_seen += sum(map(len, got.values()))
    assert slots_seen > 50  # a real round trip, not an empty one

    fresh = tmp_path / "fresh.db"
    assert run_cli("import-annotations", "--db", fresh, "--from", "xmi", out) == 0, capsys.readouterr().err
    after = records(fresh, tmp_path / "after.jsonl")
    assert after.keys() == before.keys()
    for name, record in before.items():
        assert after[name]["text"] == record["text"]
        assert spans_of(after[name]) == spans_of(record)
        assert claims_of(after[name]) == claims_of(record)
        assert len(after[name]["claims"]) == len(record["claims"])
    assert run_cli("import-annotations", "--db", fresh, "--from", "xmi", out) == 0  # idempotent
    assert " 0 claims and 0 spans added, 0 new documents" in capsys.readouterr().out
