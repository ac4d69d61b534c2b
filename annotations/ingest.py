"""Document import: .txt files, folders of them, and JSONL lines of {"text": ..., "meta": {...}}.

Text is decoded (UTF-8 with or without BOM, or an encoding the user names), CRLF and lone CR become
LF, and the language is detected offline. Each input is checked whole before anything is stored;
refused inputs are reported with their reason and the rest goes in. Documents are stored in
batches, each one transaction, so a killed import leaves whole documents only and a second run
completes it (re-importing a text is a no-op, by its SHA-256).
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotations import jsontext
from annotations.errors import InputRefused
from annotations.nlp.language import detect_language
from annotations.nlp.values import find_publication_date
from annotations.store import Store

TEXT_SUFFIXES = {".txt", ".text", ".md"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
BATCH = 500
MAX_TITLE = 200
BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16's: FF FE starts both
        (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
MAX_TEXT = 5_000_000  # characters: a whole book is 1-2 million; more is a mistake (a dump, a binary)


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    refused: list[InputRefused] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused


def decode(data: bytes, source: str, encoding: str | None = None) -> str:
    """Bytes to stored text: BOM dropped, newlines made LF; refuses empty, binary and undecodable data.
    A UTF-16 or UTF-32 byte-order mark says the encoding (such text is full of NUL bytes)."""
    if not data.strip():
        raise InputRefused(source, "the file is empty")
    marked = next((codec for bom, codec in BOMS if data.startswith(bom)), None)
    if marked:
        try:
            return normalise_text(data.decode(marked))
        except UnicodeDecodeError as e:
            raise InputRefused(source, f"starts with a {marked.upper()} byte-order mark but is not {marked.upper()} ({e.reason} at byte {e.start})") from None
    if b"\x00" in data:
        raise InputRefused(source, "binary data (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        if not encoding:
            raise InputRefused(
                source,
                f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}); "
                "if you know the encoding, import again with --encoding (for example --encoding latin-1)",
            ) from None
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as e2:
            raise InputRefused(source, f"cannot be decoded as {encoding} ({e2})") from None
    return normalise_text(text)


def normalise_text(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def make_document(text: str, name: str, source: str, meta: dict | None = None, lang: str = "auto") -> dict:
    meta = dict(meta or {})
    if not text.strip():
        raise InputRefused(source, "the text is empty")
    if "\x00" in text:
        raise InputRefused(source, "the text contains NUL characters")
    if len(text) > MAX_TEXT:
        raise InputRefused(source, f"the text is {len(text):,} characters long; {MAX_TEXT:,} is the most an article may have")
    title = meta.get("title")
    if not isinstance(title, str) or not title.strip():
        title = next((line.strip() for line in text.splitlines() if line.strip()), name)
    published = meta.get("published") or meta.get("date")
    lang = detect_language(text) if lang == "auto" else lang
    if not isinstance(published, str):
        found = find_publication_date(text, lang)
        published = found.isoformat() if found else None
    return {
        "name": name,
        "title": title[:MAX_TITLE],
        "text": text,
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "lang": lang,
        "meta": meta,
        "published": published,
        "source": source,
    }


def expand_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and the text and JSONL files inside named folders (sorted, recursive)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES | JSONL_SUFFIXES and not p.name.startswith(".")
            )
        else:
            yield path


def read_inputs(paths: Iterable[str | Path], lang: str = "auto", encoding: str | None = None) -> Iterator[dict | InputRefused]:
    """Every document the paths hold, or the reason an input was refused, in order. A JSONL file is
    read a line at a time, so a corpus file of any size is imported in little memory."""
    for path in expand_paths(paths):
        if not _printable(str(path)):
            yield InputRefused(str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"),
                               "the file name is not UTF-8 (it was written in another encoding); rename the file")
            continue
        try:
            if path.suffix.lower() in JSONL_SUFFIXES:
                with path.open("rb") as f:
                    yield from _read_jsonl(path, f, lang, encoding)
                continue
            data = path.read_bytes()
        except FileNotFoundError:
            yield InputRefused(str(path), "no such file or folder")
            continue
        except OSError as e:
            yield InputRefused(str(path), f"cannot be read ({e.strerror})")
            continue
        try:
            yield make_document(decode(data, str(path), encoding), path.stem, str(path), lang=lang)
        except InputRefused as e:
            yield e


def _printable(name: str) -> bool:
    """Whether a file name can be stored and shown: a name not in UTF-8 reaches Python with
    surrogates standing for its bytes."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read_jsonl(path: Path, lines: Iterable[bytes], lang: str, encoding: str | None) -> Iterator[dict | InputRefused]:
    """One document per line ({"text": ..., "meta": {...}}); each bad line is refused with its number."""
    empty = True
    for number, raw in enumerate(lines, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        empty = False
        source = f"{path}:line {number}"
        try:
            record = jsontext.parse(decode(raw, source, encoding))
        except InputRefused as e:
            yield e
            continue
        except jsontext.NotJson as e:
            yield InputRefused(source, str(e))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            yield InputRefused(source, 'expected an object with a string "text"')
            continue
        meta = record.get("meta", {})
        if not isinstance(meta, dict):
            yield InputRefused(source, '"meta" must be an object')
            continue
        if jsontext.too_deep(meta):
            yield InputRefused(source, f'"meta" nests objects and lists more than {jsontext.MAX_DEPTH} levels deep')
            continue
        name = meta.get("name") or record.get("name") or meta.get("id") or f"{path.stem}-{number}"
        try:
            yield make_document(normalise_text(record["text"]), str(name), source, meta, lang)
        except InputRefused as e:
            yield e
    if empty:
        yield InputRefused(str(path), "the file is empty")


def import_paths(store: Store, paths: Iterable[str | Path], lang: str = "auto",
                 encoding: str | None = None, progress=None) -> ImportReport:
    """Import everything the paths hold; `progress`, if given, is called with each document's name."""
    report = ImportReport()
    batch: list[dict] = []

    def flush() -> None:
        added, present = store.add_documents(batch)
        report.added.extend(doc["name"] for doc in added)
        report.present.extend(doc["name"] for doc in present)
        batch.clear()

    for item in read_inputs(paths, lang, encoding):
        if isinstance(item, InputRefused):
            report.refused.append(item)
        else:
            batch.append(item)
        if progress:
            progress(item)
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return report
