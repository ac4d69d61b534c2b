"""INCEpTION's UIMA CAS XMI: the type system Claimdesk exports is one INCEpTION turns into layers,
and XMI written the way INCEpTION writes it imports with its spans, claims and annotator."""

import zipfile

from cassis import Cas, TypeSystem, load_typesystem

from annotations.exports.xmi import CLAIM, CLAIM_VALUE, NAMED_ENTITY, PROVENANCE, link_type, type_system
from annotations.schema import load_claim_schema
from annotations.store import Store
from tests.conftest import ROOT, run_cli

SCHEMA = load_claim_schema(ROOT / "schemas" / "claims.yaml")
ANNOTATION, TOP = "uima.tcas.Annotation", "uima.cas.TOP"
PRIMITIVE = {"uima.cas.String", "uima.cas.Boolean", "uima.cas.Integer", "uima.cas.Float", "uima.cas.Long", "uima.cas.Double"}


def test_the_exported_type_system_is_what_inception_recognises_as_layers():
    # INCEpTION's rules (inception-project/inception, TypeSystemAnalysis.isSpanLayer and isSlotFeature,
    # run when a project imports a UIMA type system as layers; link types named as
    # LinkFeatureSupport.configureFeature names them: layer + capitalised feature + "Link")
    ts = load_typesystem(type_system(SCHEMA).to_xml())
    claim = ts.get_type(CLAIM)
    assert claim.supertype.name == ANNOTATION
    own = [f for f in claim.all_features if f.name not in ("sofa", "begin", "end")]
    slots = {slot for c in SCHEMA.claim_types.values() for slot in c.slots}
    assert {f.name for f in own} == slots | {"claimType"}
    for feature in own:
        if feature.name == "claimType":
            assert feature.rangeType.name == "uima.cas.String"
            continue
        assert feature.rangeType.name == "uima.cas.FSArray"
        link = ts.get_type(feature.elementType.name)
        assert link.name == f"{CLAIM}{feature.name[0].upper()}{feature.name[1:]}Link" == link_type(feature.name)
        assert link.supertype.name == TOP
        assert sorted((f.name, f.rangeType.name) for f in link.all_features) == [("role", "uima.cas.String"), ("target", ANNOTATION)]
    value = ts.get_type(CLAIM_VALUE)
    assert value.supertype.name == ANNOTATION
    assert all(f.rangeType.name in PRIMITIVE for f in value.all_features if f.name not in ("sofa", "begin", "end"))
    assert ts.get_type(PROVENANCE).supertype.name == TOP  # not an annotation: INCEpTION makes no layer of it
    assert ts.get_type(NAMED_ENTITY).get_feature("value").rangeType.name == "uima.cas.String"


TEXT = "📈 Week one\r\nXiaomi held 28.7% of the Indian smartphone market,\r\nsaid Canalys."
CASMETA = "de.tudarmstadt.ukp.clarin.webanno.api.type.CASMetadata"


def inception_zip(path, text=TEXT, drop=0):
    """One document as INCEpTION exports it in UIMA CAS XMI (XML 1.0): a zip of the XMI and its type
    system (inception-io-xmi, XmiFormatSupport_ImplBase.write). Its layers: the built-in Named Entity
    layer, a custom relation layer (Governor, Dependent and a label) and a custom span layer with
    slot features, as users define them; CASMetadata holds the user (its username feature)."""
    ts = TypeSystem()
    entity = ts.create_type(NAMED_ENTITY, ANNOTATION)
    ts.create_feature(entity, "value", "uima.cas.String")
    ts.create_feature(entity, "identifier", "uima.cas.String")
    meta = ts.create_type(CASMETA, ANNOTATION)
    ts.create_feature(meta, "username", "uima.cas.String")
    ts.create_feature(meta, "sourceDocumentName", "uima.cas.String")
    relation = ts.create_type("webanno.custom.Reports", ANNOTATION)
    ts.create_feature(relation, "Governor", NAMED_ENTITY)
    ts.create_feature(relation, "Dependent", NAMED_ENTITY)
    ts.create_feature(relation, "label", "uima.cas.String")
    deal = ts.create_type("webanno.custom.Share", ANNOTATION)
    for slot in ("holder", "amount"):
        link = ts.create_type(f"webanno.custom.Share{slot.capitalize()}Link", TOP)
        ts.create_feature(link, "role", "uima.cas.String")
        ts.create_feature(link, "target", ANNOTATION)
        ts.create_feature(deal, slot, "uima.cas.FSArray", elementType=link.name, multipleReferencesAllowed=False)
    cas = Cas(typesystem=ts)
    cas.sofa_string = text
    at = lambda word: (text.index(word) - drop, text.index(word) + len(word) - drop)
    T = ts.get_type
    xiaomi, share, canalys = (T(NAMED_ENTITY)(begin=a, end=b, value=label)
                              for (a, b), label in ((at("Xiaomi"), "ORG"), (at("28.7%"), "PERCENT"), (at("Canalys"), "ORG")))
    cas.add_all([xiaomi, share, canalys, T(CASMETA)(begin=0, end=0, username="ines", sourceDocumentName="week.txt")])
    cas.add(T("webanno.custom.Reports")(begin=canalys.begin, end=canalys.end, Governor=canalys, Dependent=share, label="REPORTS"))
    links = lambda slot, target: T("uima.cas.FSArray")(elements=[T(f"webanno.custom.Share{slot.capitalize()}Link")(role=None, target=target)])
    start, end = at("Xiaomi held 28.7%")
    cas.add(T("webanno.custom.Share")(begin=start, end=end, holder=links("holder", xiaomi), amount=links("amount", share)))
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("typesystem.xml", ts.to_xml())
        archive.writestr("week.xmi", cas.to_xmi())
    return path


MAPPING = """relations:
  REPORTS: {claim: market_share, head: source, tail: share}
events:
  Share: {claim: market_share, roles: {holder: subject, amount: share}}
"""


def test_inception_xmi_brings_its_entities_relations_slot_layers_and_user(tmp_path, capsys):
    path = inception_zip(tmp_path / "week.zip")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    db = tmp_path / "x.db"
    assert run_cli("import-annotations", "--db", db, "--from", "xmi", "--mapping", mapping, path) == 0, capsys.readouterr().err
    with Store(db) as store:
        [doc] = store.list_documents()
        text = store.document(doc["id"]).text
        spans = {(text[s["start"]:s["end"]], s["label"], s["annotator"]) for s in store.db["spans"].rows}
        claims = store.claims_of(doc["id"])
    assert text == TEXT.replace("\r\n", "\n")  # stored as every document is; UIMA's UTF-16 offsets and the CRs converted
    assert spans == {("Xiaomi", "ORG", "ines"), ("28.7%", "PERCENT", "ines"), ("Canalys", "ORG", "ines")}
    got = sorted((c["annotator"], text[c["evidence"]["start"]:c["evidence"]["end"]],
                  sorted((slot, text[v[0]["start"]:v[0]["end"]]) for slot, v in c["slots"].items())) for c in claims)
    reported = text[text.index("28.7%"):text.index("Canalys") + len("Canalys")]  # a relation's claim stands on head to tail
    assert got == [("ines", reported, [("share", "28.7%"), ("source", "Canalys")]),
                   ("ines", "Xiaomi held 28.7%", [("share", "28.7%"), ("subject", "Xiaomi")])]


def test_xmi_with_offsets_past_its_text_is_refused_by_file(tmp_path, capsys):
    good = inception_zip(tmp_path / "good.zip")
    with zipfile.ZipFile(good) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    # the text was cut after the annotations were made: they now point past its end
    files["week.xmi"] = files["week.xmi"].replace(b"said Canalys.", b"said.")
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    db = tmp_path / "bad.db"
    assert run_cli("import-annotations", "--db", db, "--from", "xmi", bad) == 1
    err = capsys.readouterr().err
    assert f"refused {bad}" in err
    assert "week.xmi: span ORG at 69..77 is outside the text" in err and "the offsets have drifted" in err
    with Store(db) as store:
        assert store.count_documents() == 0
