"""Read, validate and write a case folder (YAML for the described entities, CSV for the evidence).

Layout (docs/case-format.md has the columns)::

    case.yaml          meta: id, title, as_of, parties, questions
    actors.yaml        actors, persons and their aliases
    issues.yaml        issues with labelled 0–100 scales
    sources.csv        citable items with provenance
    statements.csv     attributed statements
    events.csv         dated events
    figures.csv        dated quantities
    salience.csv       salience of each issue to each actor, with a reason
    contradictions.yaml  evidence that cannot all be true
    outcomes.csv       the known outcome of each issue, for backtests (read here, not stored)

Every problem is reported with its file, line and field and a sentence on how to fix it, all at
once, and nothing is returned unless the whole folder is valid.
"""

from __future__ import annotations

import csv
import io
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .definitions import definition_warnings
from .limits import MAX_ID_LENGTH
from .models import (
    Actor,
    ActorKind,
    Case,
    CaseMeta,
    Contradiction,
    Event,
    Figure,
    Issue,
    Outcome,
    Salience,
    Source,
    Statement,
)

YAML_FILES: dict[str, type[BaseModel]] = {"actors.yaml": Actor, "issues.yaml": Issue, "contradictions.yaml": Contradiction}
CSV_FILES: dict[str, type[BaseModel]] = {
    "sources.csv": Source,
    "statements.csv": Statement,
    "events.csv": Event,
    "figures.csv": Figure,
    "salience.csv": Salience,
}
# CSV cells that hold lists are written as `a; b; c`.
LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class CaseProblem:
    file: str
    line: int | None
    field: str | None
    message: str
    hint: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}. {self.hint}"


class CaseError(Exception):
    """A case folder that cannot be imported; `problems` lists every reason."""

    def __init__(self, problems: list[CaseProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


_HINTS = {
    "missing": "Add this field; see docs/case-format.md for what it holds.",
    "extra_forbidden": "Remove this field or check its spelling against docs/case-format.md.",
    "greater_than_equal": "Positions, salience and capability are on a 0–100 scale.",
    "less_than_equal": "Positions, salience and capability are on a 0–100 scale.",
    "string_pattern_mismatch": "Ids use letters, digits, '_', '-' and '.', and start with a letter or digit.",
    "literal_error": "Use one of the values listed in the message.",
    "float_parsing": "Write a plain number such as 70 or 12.5.",
    "bool_parsing": "Write true or false.",
}


def _hint(err_type: str, msg: str) -> str:
    if "NUL character" in msg:
        return "Remove the NUL character: the PostgreSQL store cannot hold one."
    if err_type == "finite_number" or "finite" in msg:
        return "Write a finite number: inf and nan cannot be stored."
    if err_type == "string_too_long" and "200" in msg:
        return "Ids and references to them fit the store's 200-character column; use a shorter id."
    if "date" in msg:
        return "Write dates as YYYY, YYYY-MM or YYYY-MM-DD."
    return _HINTS.get(err_type, "Correct the value and import again.")


def _problems_from_validation(file: str, line: int | None, exc: ValidationError,
                              field_lines: dict[str, int] | None = None) -> list[CaseProblem]:
    out = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err["loc"]) or None
        top = str(err["loc"][0]) if err["loc"] else None
        at = (field_lines or {}).get(top, line) if top else line
        msg = err["msg"].removeprefix("Value error, ")
        out.append(CaseProblem(file, at, field, msg, _hint(err["type"], msg)))
    return out


# ---------------------------------------------------------------- reading

# Limits on what a case file may be: a case is hand-edited text, never this large or deep.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_YAML_DEPTH = 50


class _FileRefused(Exception):
    """A case file that cannot be read at all; carries the one problem to report."""

    def __init__(self, problem: CaseProblem):
        self.problem = problem


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _read_text(path: Path) -> str:
    """The text of a case file, or `_FileRefused` saying why not (type checked before opening)."""
    name = path.name
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        raise _FileRefused(CaseProblem(name, None, None, f"cannot be read ({exc.strerror})",
                                       "Check the file's permissions.")) from None
    # A FIFO or device would block or never end: look at the type before opening anything.
    if stat.S_ISDIR(mode):
        raise _FileRefused(CaseProblem(name, None, None, "is a directory, not a file",
                                       "Replace it with the file docs/case-format.md describes."))
    if not stat.S_ISREG(mode):
        raise _FileRefused(CaseProblem(name, None, None, "not a regular file (a pipe, socket or device)",
                                       "Replace it with a plain text file."))
    if path.stat().st_size > MAX_FILE_BYTES:
        raise _FileRefused(CaseProblem(name, None, None, f"larger than {MAX_FILE_BYTES // 2**20} MiB",
                                       "A case file holds evidence rows, not documents; ingest documents instead."))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _FileRefused(CaseProblem(name, None, None, f"cannot be read ({exc.strerror})",
                                       "Check the file's permissions.")) from None
    # UTF-16 is mostly NUL bytes in English text: recognise it before calling it binary.
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) >= 4 and (data[1::2][:2] == b"\0\0" or data[0::2][:2] == b"\0\0")):
        raise _FileRefused(CaseProblem(name, 1, None, "UTF-16 text", "Save the file as UTF-8."))
    nul = data.find(b"\0")
    if nul >= 0:
        raise _FileRefused(CaseProblem(name, _line_of(data, nul), None, "binary data: a NUL character",
                                       "A case file is UTF-8 text; remove the NUL or replace the file."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _FileRefused(CaseProblem(name, _line_of(data, exc.start), None, f"not UTF-8 text ({exc.reason})",
                                       "Save the file as UTF-8.")) from None


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text: an impossible date (2025-02-30) then gets a located
    message from the model instead of a crash inside the YAML library."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml_problem(name: str, exc: Exception) -> CaseProblem:
    mark = getattr(exc, "problem_mark", None)
    return CaseProblem(name, mark.line + 1 if mark else None, None, f"not valid YAML ({getattr(exc, 'problem', None) or exc})",
                       "Check indentation and quoting around this line.")


def _line(event: yaml.Event) -> int | None:
    return event.start_mark.line + 1 if event.start_mark else None


def _check_depth(name: str, text: str) -> None:
    """Refuse nesting deeper than a case needs before the (recursive) YAML composer sees it."""
    depth = 0
    events = yaml.parse(text, Loader=_Loader)
    for event in events:
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise _FileRefused(CaseProblem(name, _line(event), None,
                                               f"nested more than {MAX_YAML_DEPTH} levels deep",
                                               "Case files are flat lists and mappings; check the brackets."))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        elif isinstance(event, yaml.AliasEvent):
            raise _FileRefused(CaseProblem(name, _line(event), None,
                                           "YAML anchors and aliases (& and *) are not supported",
                                           "Write each entry out in full."))


def _load_yaml(path: Path) -> tuple[yaml.Node | None, Any]:
    """(node tree for line numbers, plain data) of a YAML file, or `_FileRefused`."""
    text = _read_text(path)
    try:
        _check_depth(path.name, text)
        root = yaml.compose(text, Loader=_Loader)
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise _FileRefused(_yaml_problem(path.name, exc)) from None
    except ValueError as exc:  # a constructor refusing a value (e.g. a malformed number)
        raise _FileRefused(CaseProblem(path.name, None, None, f"not valid YAML ({exc})",
                                       "Quote values that are meant as text.")) from None
    return root, data


def _note_invalid_id(raw: Any, invalid: set[str]) -> None:
    # References to an entry that failed validation are not reported again as "unknown":
    # one typo gives one problem, not a cascade.
    if isinstance(raw, dict) and raw.get("id"):
        invalid.add(str(raw["id"]))


def _field_lines(node: yaml.Node | None) -> dict[str, int]:
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def _read_yaml_list(path: Path, model: type[BaseModel], problems: list[CaseProblem],
                    invalid: set[str]) -> list[Any]:
    name = path.name
    try:
        root, data = _load_yaml(path)
    except _FileRefused as exc:
        problems.append(exc.problem)
        return []
    if root is None:
        return []
    if not isinstance(root, yaml.SequenceNode):
        problems.append(CaseProblem(name, root.start_mark.line + 1, None, "expected a list of entries",
                                    "Start each entry with '- '."))
        return []
    items = []
    for node, raw in zip(root.value, data):
        line = node.start_mark.line + 1
        if not isinstance(raw, dict):
            problems.append(CaseProblem(name, line, None, "expected a mapping of fields", "Write `field: value` lines."))
            continue
        try:
            items.append((model.model_validate(raw), line))
        except ValidationError as exc:
            problems.extend(_problems_from_validation(name, line, exc, _field_lines(node)))
            _note_invalid_id(raw, invalid)
    return items


def _read_meta(path: Path, problems: list[CaseProblem]) -> CaseMeta | None:
    try:
        root, raw = _load_yaml(path)
    except _FileRefused as exc:
        problems.append(exc.problem)
        return None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        problems.append(CaseProblem(path.name, root.start_mark.line + 1 if root else None, None,
                                    "expected a mapping of fields (id, title, ...)", "Write `field: value` lines."))
        return None
    try:
        return CaseMeta.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_problems_from_validation(path.name, None, exc, _field_lines(root)))
        return None


def _list_fields(model: type[BaseModel]) -> set[str]:
    return {n for n, f in model.model_fields.items() if getattr(f.annotation, "__origin__", None) is list}


def _read_csv(path: Path, model: type[BaseModel], problems: list[CaseProblem],
              invalid: set[str]) -> list[Any]:
    name = path.name
    try:
        text = _read_text(path)
    except _FileRefused as exc:
        problems.append(exc.problem)
        return []
    if "\r" in text and "\n" not in text:
        # Old Mac line ends (\r only). Other files are read as they are, so a quoted \r\n inside a
        # cell survives export → import unchanged.
        text = text.replace("\r", "\n")
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
    except csv.Error as exc:
        problems.append(_csv_problem(name, reader.line_num or 1, exc))
        return []
    known = set(model.model_fields)
    unknown = [c for c in header if c not in known]
    for col in unknown:
        problems.append(CaseProblem(name, 1, col, f"unknown column {col!r}",
                                    f"Columns are: {', '.join(model.model_fields)}."))
    if unknown:
        return []
    lists = _list_fields(model)
    items = []
    while True:
        start = reader.line_num + 1  # where the next record begins, for a record too broken to read
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            # The reader cannot resume after a malformed row: report it and stop reading this file.
            problems.append(_csv_problem(name, start, exc))
            break
        line = reader.line_num
        if None in row:
            problems.append(CaseProblem(name, line, None, "more cells than columns", "Quote cells that contain commas."))
            continue
        raw = {k: v for k, v in row.items() if v not in ("", None)}
        for key in lists & raw.keys():
            raw[key] = [p.strip() for p in raw[key].split(LIST_SEPARATOR) if p.strip()]
        try:
            items.append((model.model_validate(raw), line))
        except ValidationError as exc:
            problems.extend(_problems_from_validation(name, line, exc))
            _note_invalid_id(raw, invalid)
    return items


def _csv_problem(name: str, line: int, exc: csv.Error) -> CaseProblem:
    if "field larger than field limit" in str(exc):
        return CaseProblem(name, line, None, f"a cell is longer than {csv.field_size_limit():,} characters",
                           "Shorten it: a case cell holds a quote or a summary, not a document.")
    return CaseProblem(name, line, None, f"not valid CSV ({exc})", "Check the quoting on this line.")


# A case cannot be worked on without these; the rest are optional and start empty.
REQUIRED_FILES = ("case.yaml", "actors.yaml", "issues.yaml")
# Read from the folder only (never imported into the store): the known outcome of a closed
# negotiation, for backtests (docs/case-format.md, "outcomes.csv").
OUTCOMES_FILE = "outcomes.csv"


@dataclass(frozen=True)
class CaseFolder:
    """A valid case folder: the case, what may not work (warnings) and any known outcomes."""

    case: Case
    warnings: list[CaseProblem]
    outcomes: list[Outcome]


def read_case(folder: str | Path) -> Case:
    """Read and validate a case folder; raise `CaseError` listing every problem."""
    return check_folder(folder).case


def check_folder(folder: str | Path) -> CaseFolder:
    """Read and validate a case folder with its warnings; raise `CaseError` listing every problem."""
    folder = Path(folder)
    problems: list[CaseProblem] = []
    notes: list[CaseProblem] = []
    if (folder / "case.yaml").exists() or (folder / "case.yaml").is_symlink():
        meta = _read_meta(folder / "case.yaml", problems)
    elif any((folder / f).exists() for f in ("actors.yaml", "issues.yaml")):
        # a new negotiation defined by its actors and issues only: extraction needs no more
        meta, note = _meta_from_name(folder)
        notes.append(note)
    else:
        raise CaseError([CaseProblem(str(folder), None, None, "no case.yaml here",
                                     f"A case folder holds {', '.join(REQUIRED_FILES)} (required) and the optional "
                                     "files in docs/case-format.md; `accord case new DIR` writes a skeleton.")])
    loaded: dict[str, list[tuple[Any, int]]] = {}
    invalid: set[str] = set()
    files: dict[str, type[BaseModel]] = {**YAML_FILES, **CSV_FILES, OUTCOMES_FILE: Outcome}
    for fname, model in files.items():
        path = folder / fname
        if not path.exists() and not path.is_symlink():
            loaded[fname] = []
            if fname in REQUIRED_FILES[1:]:
                problems.append(CaseProblem(fname, None, None, "missing: a case needs "
                                            + ", ".join(REQUIRED_FILES),
                                            "Create it (an empty list `[]` is valid) or start with `accord case new DIR`."))
            continue
        reader = _read_yaml_list if fname.endswith(".yaml") else _read_csv
        loaded[fname] = reader(path, model, problems, invalid)
    problems.extend(_check_references(meta, loaded, invalid))
    if problems:
        raise CaseError(problems)
    assert meta is not None  # _read_meta reports a problem whenever it has no meta to give
    case = Case(
        meta=meta,
        actors=[a for a, _ in loaded["actors.yaml"]],
        issues=[i for i, _ in loaded["issues.yaml"]],
        sources=[s for s, _ in loaded["sources.csv"]],
        statements=[s for s, _ in loaded["statements.csv"]],
        events=[e for e, _ in loaded["events.csv"]],
        figures=[f for f, _ in loaded["figures.csv"]],
        saliences=[s for s, _ in loaded["salience.csv"]],
        contradictions=[c for c, _ in loaded["contradictions.yaml"]],
    )
    return CaseFolder(case, notes + definition_warnings(loaded), [o for o, _ in loaded[OUTCOMES_FILE]])


def _meta_from_name(folder: Path) -> tuple[CaseMeta, CaseProblem]:
    """Id and title from the folder's name, for a folder without case.yaml, and the warning saying so."""
    name = folder.resolve().name
    case_id = re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-._")[:MAX_ID_LENGTH] or "case"
    return CaseMeta(id=case_id, title=name), CaseProblem(
        "case.yaml", None, None, f"missing: the case is {case_id!r}, titled after its folder",
        "Write case.yaml (id, title, parties, questions) before analysing or publishing the case.")


def _check_references(meta: CaseMeta | None, loaded: dict[str, list[tuple[Any, int]]],
                      invalid: set[str]) -> list[CaseProblem]:
    """Duplicate ids and references to ids that do not exist."""
    problems: list[CaseProblem] = []
    seen: dict[str, str] = {}
    for fname in ("actors.yaml", "issues.yaml", "sources.csv", "statements.csv", "events.csv",
                  "figures.csv", "contradictions.yaml"):
        for item, line in loaded[fname]:
            where = f"{fname}:{line}"
            if item.id in seen:
                problems.append(CaseProblem(fname, line, "id", f"duplicate id {item.id!r} (first used at {seen[item.id]})",
                                            "Give every actor, issue, source and piece of evidence its own id."))
            else:
                seen[item.id] = where
    actors = {a.id: a for a, _ in loaded["actors.yaml"]}
    issues = {i.id for i, _ in loaded["issues.yaml"]}
    sources = {s.id for s, _ in loaded["sources.csv"]}
    evidence = {x.id for f in ("statements.csv", "events.csv", "figures.csv") for x, _ in loaded[f]}

    def need(ok: bool, fname: str, line: int | None, field: str, value: str, what: str, where: str) -> None:
        if not ok and value not in invalid:
            problems.append(CaseProblem(fname, line, field, f"unknown {what} {value!r}",
                                        f"Use an id defined in {where}, or add it there."))

    for a, line in loaded["actors.yaml"]:
        if a.speaks_for:
            need(a.speaks_for in actors, "actors.yaml", line, "speaks_for", a.speaks_for, "actor", "actors.yaml")
        for m in a.members:
            need(m in actors, "actors.yaml", line, "members", m, "actor", "actors.yaml")
    for s, line in loaded["statements.csv"]:
        need(s.actor in actors, "statements.csv", line, "actor", s.actor, "actor", "actors.yaml")
        if s.actor in actors and actors[s.actor].kind is ActorKind.person:
            problems.append(CaseProblem("statements.csv", line, "actor", f"{s.actor!r} is a person",
                                        "Put the person in `speaker` and the actor they speak for in `actor`."))
        for field in ("speaker", "reported_by"):
            value = getattr(s, field)
            if value:
                need(value in actors, "statements.csv", line, field, value, "actor", "actors.yaml")
        if s.issue:
            need(s.issue in issues, "statements.csv", line, "issue", s.issue, "issue", "issues.yaml")
        need(s.source in sources, "statements.csv", line, "source", s.source, "source", "sources.csv")
    for e, line in loaded["events.csv"]:
        need(e.source in sources, "events.csv", line, "source", e.source, "source", "sources.csv")
        for a in e.actors:
            need(a in actors, "events.csv", line, "actors", a, "actor", "actors.yaml")
    for f, line in loaded["figures.csv"]:
        need(f.source in sources, "figures.csv", line, "source", f.source, "source", "sources.csv")
    first_salience: dict[tuple[str, str], int] = {}
    for s, line in loaded["salience.csv"]:
        need(s.actor in actors, "salience.csv", line, "actor", s.actor, "actor", "actors.yaml")
        need(s.issue in issues, "salience.csv", line, "issue", s.issue, "issue", "issues.yaml")
        # The store keys a salience by actor and issue: a second row could not be imported.
        key = (s.actor, s.issue)
        if key in first_salience:
            problems.append(CaseProblem("salience.csv", line, "issue",
                                        f"a second salience of {s.issue!r} for {s.actor!r} (first at line {first_salience[key]})",
                                        "Keep one row per actor and issue."))
        else:
            first_salience[key] = line
    for c, line in loaded["contradictions.yaml"]:
        for ref in c.items:
            need(ref in evidence, "contradictions.yaml", line, "items", ref, "evidence id",
                 "statements.csv, events.csv or figures.csv")
    first_outcome: dict[str, int] = {}
    for o, line in loaded[OUTCOMES_FILE]:
        need(o.issue in issues, OUTCOMES_FILE, line, "issue", o.issue, "issue", "issues.yaml")
        need(o.source in sources, OUTCOMES_FILE, line, "source", o.source, "source", "sources.csv")
        if o.issue in first_outcome:
            problems.append(CaseProblem(OUTCOMES_FILE, line, "issue",
                                        f"a second outcome for {o.issue!r} (first at line {first_outcome[o.issue]})",
                                        "Keep one outcome per issue."))
        else:
            first_outcome[o.issue] = line
    if meta:
        for p in meta.parties:
            need(p in actors, "case.yaml", None, "parties", p, "actor", "actors.yaml")
    return problems


# ---------------------------------------------------------------- writing

def _dump_model(m: BaseModel) -> dict[str, Any]:
    return m.model_dump(mode="json", exclude_defaults=True)


def write_case(case: Case, folder: str | Path) -> None:
    """Write a case as a folder that `read_case` reads back to an equal `Case`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)

    def dump_yaml(path: Path, data: Any) -> None:
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")

    dump_yaml(folder / "case.yaml", _dump_model(case.meta))
    dump_yaml(folder / "actors.yaml", [_dump_model(a) for a in case.actors])
    dump_yaml(folder / "issues.yaml", [_dump_model(i) for i in case.issues])
    dump_yaml(folder / "contradictions.yaml", [_dump_model(c) for c in case.contradictions])
    for fname, items in (("sources.csv", case.sources), ("statements.csv", case.statements),
                         ("events.csv", case.events), ("figures.csv", case.figures),
                         ("salience.csv", case.saliences)):
        model = CSV_FILES[fname]
        with open(folder / fname, "w", newline="", encoding="utf-8") as fh:
            # `reviewed` only where a record has it false: hand-coded folders export as they were.
            writer = csv.DictWriter(fh, fieldnames=[f for f in model.model_fields if f != "reviewed"
                                                    or any(not getattr(i, f) for i in items)], extrasaction="ignore")
            writer.writeheader()
            for item in items:
                row = item.model_dump(mode="json")
                for key, value in row.items():
                    if isinstance(value, list):
                        row[key] = f"{LIST_SEPARATOR} ".join(value)
                    elif value is None:
                        row[key] = ""
                    elif isinstance(value, bool):
                        row[key] = "true" if value else "false"
                writer.writerow(row)
