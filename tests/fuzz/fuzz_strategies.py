"""Hypothesis strategies: case folders (valid, then damaged), documents for ingest, record edits.

A valid case is drawn record by record from the case models' rules (accord/case/models.py): ids
that match the id pattern and are unique across kinds, references only to what exists, a person
always speaking for a non-person, scales with 0 and 100, partial dates that exist. The folder is
written by this module (YAML and CSV, not by `write_case`), so the code under test never makes its
own input. Damage comes in two layers:

* data: a field with a wrong type, a NUL, a huge string, inf/nan, an impossible date, an unknown
  reference, a duplicate id, an over-long id, an unknown field, a missing required field;
* bytes: invalid UTF-8, UTF-16, a truncated file, a YAML bomb (aliases), deep nesting, an
  unbalanced CSV quote, a cell past the CSV field limit, a directory or nothing where a file was.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import string
from dataclasses import dataclass, field
from typing import Any

import yaml
from hypothesis import strategies as st

from accord.case.models import (
    PLOVER_TYPES,
    Actor,
    CaseMeta,
    Contradiction,
    Event,
    Figure,
    Issue,
    Salience,
    Source,
    Statement,
)

# -- scalars -------------------------------------------------------------------------------------
ID_CHARS = string.ascii_letters + string.digits + "_.-"
ids = st.builds(lambda a, b: a + b, st.sampled_from(string.ascii_letters + string.digits),
                st.text(ID_CHARS, max_size=12))
# Any text the stores can hold: no NUL, no lone surrogate (neither can be UTF-8 in a file).
storable_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)
plain_text = st.text(string.ascii_letters + string.digits + " ,;:'\"-()", min_size=1, max_size=30).filter(str.strip)
# Never blank: blank text where a value is required is refused (F5, fixed in the case models; an
# empty cell reads back as "missing"), so a valid folder holds none. Blanks stay in WRONG_VALUES.
words = st.one_of(plain_text, plain_text, storable_text.filter(str.strip))


@st.composite
def partial_dates(draw) -> str:
    y = draw(st.integers(1900, 2100))
    precision = draw(st.integers(1, 3))
    if precision == 1:
        return f"{y:04d}"
    m = draw(st.integers(1, 12))
    if precision == 2:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{draw(st.integers(1, 28)):02d}"


scale_points = st.floats(0, 100, allow_nan=False)
finite = st.floats(allow_nan=False, allow_infinity=False)


def maybe(strategy):
    return st.one_of(st.none(), strategy)


# An optional text: absent, a value, or blank (which reads as absent, like an empty cell).
optional_text = st.one_of(st.none(), words, st.sampled_from(["", " ", "\t"]))


# -- a valid case, as the raw content of its files -------------------------------------------------
@dataclass
class Folder:
    """A case folder before it is written: file name -> content (a mapping or a list of rows)."""

    files: dict[str, Any]
    # Byte-level damage applied when written: file name -> bytes (replaces the rendering) or
    # the markers DIRECTORY / MISSING.
    raw: dict[str, Any] = field(default_factory=dict)
    damage: list[str] = field(default_factory=list)  # what was done, for the failure report

    def copy(self) -> "Folder":
        return Folder(copy.deepcopy(self.files), dict(self.raw), list(self.damage))


DIRECTORY, MISSING = "<directory>", "<missing>"
CSV_MODELS = {"sources.csv": Source, "statements.csv": Statement, "events.csv": Event,
              "figures.csv": Figure, "salience.csv": Salience}
YAML_MODELS = {"actors.yaml": Actor, "issues.yaml": Issue, "contradictions.yaml": Contradiction}


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


@st.composite
def valid_folders(draw, max_records: int = 4) -> Folder:
    used: set[str] = set()

    def take() -> str:
        # Ids are unique across kinds: a drawn id already taken gets a counter.
        rid = draw(ids)
        if rid in used:
            rid = f"{rid}.{len(used)}"
        used.add(rid)
        return rid

    # actors: at least one that is not a person; persons speak for a non-person
    n_states = draw(st.integers(1, 3))
    actors = []
    for _ in range(n_states):
        cap = draw(maybe(scale_points))
        actors.append(_drop_none({
            "id": take(), "name": draw(words), "kind": draw(st.sampled_from(["state", "bloc", "organisation"])),
            "aliases": draw(st.lists(words, max_size=2)) or None, "role": draw(optional_text),
            "capability": cap, "capability_reason": draw(words) if cap is not None else None}))
    principals = [a["id"] for a in actors]
    for _ in range(draw(st.integers(0, 2))):
        actors.append(_drop_none({"id": take(), "name": draw(words), "kind": "person",
                                  "speaks_for": draw(st.sampled_from(principals)), "role": draw(optional_text)}))
    everyone = [a["id"] for a in actors]
    issues = []
    for _ in range(draw(st.integers(1, 3))):
        inner = draw(st.dictionaries(st.integers(1, 99), words, max_size=2))
        issues.append(_drop_none({"id": take(), "name": draw(words), "description": draw(optional_text),
                                  "keywords": draw(st.lists(words, max_size=2)) or None,
                                  "scale": {0: draw(words), **inner, 100: draw(words)}}))
    issue_ids = [i["id"] for i in issues]
    sources = []
    for _ in range(draw(st.integers(1, 3))):
        conf = draw(st.booleans())
        sources.append(_drop_none({
            "id": take(), "outlet": draw(words), "title": draw(optional_text), "author": draw(optional_text),
            "date": draw(maybe(partial_dates())), "url": draw(maybe(st.just("https://example.org/a?b=1"))),
            "language": draw(st.sampled_from(["en", "ru", "uk"])),
            "reliability": draw(st.sampled_from("ABCDEF")), "credibility": draw(st.integers(1, 6)),
            "confidential": conf, "public_label": draw(words) if conf else draw(optional_text),
            "cited_as": draw(optional_text), "note": draw(optional_text)}))
    source_ids = [s["id"] for s in sources]
    statements = []
    for _ in range(draw(st.integers(0, max_records))):
        role = draw(st.sampled_from(["ideal", "fallback", "claim"]))
        issue = draw(st.sampled_from(issue_ids)) if role != "claim" else draw(maybe(st.sampled_from(issue_ids)))
        statements.append(_drop_none({
            "id": take(), "date": draw(partial_dates()), "actor": draw(st.sampled_from(principals)),
            "speaker": draw(maybe(st.sampled_from(everyone))), "reported_by": draw(maybe(st.sampled_from(everyone))),
            "issue": issue, "stance": draw(st.sampled_from(PLOVER_TYPES)), "role": role,
            "position": draw(scale_points) if role != "claim" else draw(maybe(scale_points)),
            "red_line": draw(st.booleans()), "source": draw(st.sampled_from(source_ids)),
            "locator": draw(optional_text), "quote": draw(optional_text), "summary": draw(words),
            "confidence": draw(st.floats(0, 1)), "status": draw(st.sampled_from(["accepted", "pending", "rejected"]))}))
    events = [_drop_none({
        "id": take(), "date": draw(partial_dates()), "type": draw(st.sampled_from(PLOVER_TYPES)),
        "actors": draw(st.lists(st.sampled_from(everyone), max_size=3, unique=True)),
        "summary": draw(words), "source": draw(st.sampled_from(source_ids)), "locator": draw(optional_text),
    }) for _ in range(draw(st.integers(0, max_records)))]
    figures = [_drop_none({
        "id": take(), "date": draw(partial_dates()), "quantity": draw(st.sampled_from(["occupied_share", "troops"])),
        "value": draw(finite), "unit": draw(st.sampled_from(["percent", "people"])), "note": draw(optional_text),
        "source": draw(st.sampled_from(source_ids)), "locator": draw(optional_text),
    }) for _ in range(draw(st.integers(0, max_records)))]
    pairs = draw(st.lists(st.tuples(st.sampled_from(everyone), st.sampled_from(issue_ids)), max_size=4, unique=True))
    saliences = [{"actor": a, "issue": i, "salience": draw(scale_points), "reason": draw(words)} for a, i in pairs]
    evidence = [x["id"] for x in statements + events + figures]
    contradictions = []
    if len(evidence) >= 2:
        for _ in range(draw(st.integers(0, 2))):
            contradictions.append({"id": take(), "items": draw(st.lists(st.sampled_from(evidence), min_size=2,
                                                                        max_size=3, unique=True)),
                                   "why": draw(words)})
    meta = _drop_none({"id": take(), "title": draw(words), "description": draw(optional_text),
                       "as_of": draw(maybe(partial_dates())),
                       "parties": draw(st.lists(st.sampled_from(principals), max_size=2, unique=True)) or None,
                       "questions": draw(st.lists(words, max_size=2)) or None})
    return Folder({"case.yaml": meta, "actors.yaml": actors, "issues.yaml": issues, "sources.csv": sources,
                   "statements.csv": statements, "events.csv": events, "figures.csv": figures,
                   "salience.csv": saliences, "contradictions.yaml": contradictions})


# -- rendering -----------------------------------------------------------------------------------
def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    return str(value)


def render(folder: Folder) -> dict[str, Any]:
    """file name -> bytes (or DIRECTORY / MISSING)."""
    out: dict[str, Any] = {}
    for name, content in folder.files.items():
        if name.endswith(".yaml"):
            out[name] = yaml.safe_dump(content, sort_keys=False, allow_unicode=True).encode("utf-8")
        else:
            model = CSV_MODELS[name]
            cols = list(model.model_fields)
            for row in content:
                cols += [k for k in row if k not in cols]  # an unknown field becomes an unknown column
            buf = io.StringIO()
            w = csv.writer(buf)  # CRLF rows, as a spreadsheet writes them (a bare CR must be quoted)
            w.writerow(cols)
            for row in content:
                w.writerow([_cell(row.get(c)) for c in cols])
            out[name] = buf.getvalue().encode("utf-8")
    out.update(folder.raw)
    return out


def write_folder(folder: Folder, path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    for name, data in render(folder).items():
        target = path / name
        if data is MISSING or data == MISSING:
            continue
        if data == DIRECTORY:
            target.mkdir()
        else:
            target.write_bytes(data)


# -- data damage -----------------------------------------------------------------------------------
WRONG_VALUES = st.one_of(
    st.integers(-10**30, 10**30), st.floats(), st.booleans(), st.none(),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just("\x00"), st.just("a\x00b"), st.just("x" * 5000), st.just("y" * 201),
    st.sampled_from(["inf", "-inf", "nan", "NaN", "1e999", "-1e999", "1e-400", "0x10", "1_000", "١٢"]),
    st.sampled_from(["2025-02-30", "2025-13", "2025-00-10", "0000", "99999", "20250910", "2025-9-1", "yesterday"]),
    st.sampled_from(["\ufeff", "'", '"', "- x", "{a: 1}", "[1, 2", "*ref", "&a x"]),
    st.sampled_from(["9" * 25, "-1", "100.0000001", "1e308", "5e-324"]),
    st.text(max_size=20), st.sampled_from(["", " ", "\t", "\r\n", "\u2028"]),
)


@st.composite
def damaged_data(draw, folder: Folder) -> Folder:
    """One to three data-level faults in a valid folder."""
    f = folder.copy()
    for _ in range(draw(st.integers(1, 3))):
        name = draw(st.sampled_from(sorted(f.files)))
        content = f.files[name]
        rows = [content] if isinstance(content, dict) else content
        if not rows:
            continue
        row = draw(st.sampled_from(rows))
        model = CaseMeta if name == "case.yaml" else (CSV_MODELS.get(name) or YAML_MODELS[name])
        fields = sorted(model.model_fields)
        kind = draw(st.sampled_from(["wrong", "wrong", "drop", "extra", "dup", "ref", "longid"]))
        key = draw(st.sampled_from(fields))
        if kind == "wrong":
            row[key] = draw(WRONG_VALUES)
        elif kind == "drop":
            row.pop(key, None)
        elif kind == "extra":
            row[draw(st.sampled_from(["colour", "Id", "id ", "", "\x00"]))] = draw(WRONG_VALUES)
        elif kind == "dup" and isinstance(content, list):
            content.append(copy.deepcopy(row))
        elif kind == "ref":
            row[key] = draw(st.sampled_from(["nobody", "NOBODY", "a" * 200, "z" * 5000]))
        elif kind == "longid":
            row[key] = draw(st.sampled_from(["i" * 199, "i" * 200, "i" * 201, "i" * 5000]))
        f.damage.append(f"{kind} {name} {key}")
    return f


# -- byte damage -----------------------------------------------------------------------------------
def _bomb(levels: int) -> bytes:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i-1}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


@st.composite
def damaged_bytes(draw, folder: Folder) -> Folder:
    """One byte-level fault: encoding, truncation, YAML bombs and nesting, CSV quoting, file type."""
    f = folder.copy()
    name = draw(st.sampled_from(sorted(f.files)))
    data = render(Folder({name: f.files[name]}))[name]
    kind = draw(st.sampled_from(["utf16", "latin1", "bytes", "truncate", "bomb", "nest", "quote", "bigcell",
                                 "dir", "missing", "crlf", "bom", "empty", "tabs", "binary"]))
    if kind == "utf16":
        data = data.decode("utf-8").encode(draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be"])))
    elif kind == "latin1":
        data = data + "café, Košice\n".encode("latin-1", errors="replace")
    elif kind == "bytes":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]
    elif kind == "truncate":
        data = data[:draw(st.integers(0, max(0, len(data) - 1)))]
    elif kind == "bomb":
        data = _bomb(draw(st.integers(2, 9)))
    elif kind == "nest":
        n = draw(st.sampled_from([60, 1000, 20000]))
        data = ("[" * n + "]" * n).encode() if draw(st.booleans()) else ("{a: " * n + "1" + "}" * n).encode()
    elif kind == "quote":
        data = data + b'x,"unbalanced\n'
    elif kind == "bigcell":
        data = data + b"y," + b"z" * draw(st.sampled_from([131_073, 200_000])) + b"\n"
    elif kind == "dir":
        data = DIRECTORY
    elif kind == "missing":
        data = MISSING
    elif kind == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif kind == "bom":
        data = b"\xef\xbb\xbf" + data
    elif kind == "empty":
        data = b""
    elif kind == "tabs":
        data = data.replace(b"  ", b"\t")
    elif kind == "binary":
        data = draw(st.binary(min_size=1, max_size=64))
    f.raw[name] = data
    f.damage.append(f"{kind} {name}")
    return f


@st.composite
def any_folder(draw) -> Folder:
    """A valid folder, or one with data or byte damage (the mix the suite runs)."""
    base = draw(valid_folders())
    how = draw(st.sampled_from(["valid", "data", "data", "bytes", "both"]))
    if how in ("data", "both"):
        base = draw(damaged_data(base))
    if how in ("bytes", "both"):
        base = draw(damaged_bytes(base))
    return base


# -- documents for ingest --------------------------------------------------------------------------
PROSE = ("Aland and Borduria met in Geneva on 2 May 2025. The President of Aland demanded the whole valley. "
         "Borduria rejected the demand and asked for a ceasefire.")
doc_text = st.one_of(
    st.just(PROSE), st.text(max_size=200),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=200),
    st.builds(lambda a, b: a + "\x00" + b, st.just(PROSE), st.text(max_size=20)),
    st.builds(lambda n: "word " * n, st.integers(0, 60_000)),
    st.builds(lambda n: "x" * n, st.sampled_from([0, 1, 100_000, 300_000])),
    st.sampled_from(["", " ", "\n\n", "\ufeff", "2025-09-01\n", "2025-02-30\nTitle\n" + PROSE]),
)


@st.composite
def documents(draw) -> tuple[str, bytes]:
    """(file name, bytes) of one document: text, markdown, HTML or JSON lines, clean or damaged."""
    kind = draw(st.sampled_from(["txt", "md", "html", "jsonl"]))
    text = draw(doc_text)
    if kind in ("txt", "md"):
        data = text.encode("utf-8", errors="surrogatepass")
    elif kind == "html":
        title = draw(st.sampled_from(["A report", "<script>x</script>", "\x00", ""]))
        data = (f"<html><head><title>{title}</title><meta name='date' content='{draw(partial_dates())}'>"
                f"</head><body><article><p>{text}</p></article></body></html>").encode("utf-8", errors="surrogatepass")
    else:
        lines = []
        for _ in range(draw(st.integers(0, 3))):
            obj = {"text": draw(doc_text), "title": draw(maybe(storable_text)),
                   "date": draw(st.one_of(st.none(), partial_dates(), st.sampled_from(["2025-02-30", "soon", "2025"]))),
                   "url": draw(maybe(st.sampled_from(["https://example.org/x", "javascript:alert(1)", "\x00"]))),
                   "outlet": draw(maybe(storable_text)), "language": draw(maybe(st.sampled_from(["en", "xx", ""]))),
                   "page": draw(st.one_of(st.none(), st.integers(-2**70, 2**70)))}
            lines.append(json.dumps(obj, ensure_ascii=draw(st.booleans())).encode())
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from([b"{not json", b"[1,2]", b"\xff\xfe bad", b'{"text": 5}', b"null"])))
        data = b"\n".join(lines)
    damage = draw(st.sampled_from(["none", "none", "invalid-utf8", "utf16", "nul", "truncate"]))
    if damage == "invalid-utf8":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\xc3\x28\xff" + data[at:]
    elif damage == "utf16":
        data = data.decode("utf-8", errors="replace").encode("utf-16")
    elif damage == "nul":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    elif damage == "truncate":
        data = data[:draw(st.integers(0, len(data)))]
    return f"doc.{kind}", data
