"""A new case folder: a commented skeleton that `accord case validate` accepts (docs/tutorial.md).

The YAML files carry comments saying what each field holds; the CSV files get their header row
only (CSV has no comments; docs/case-format.md has the columns). The parties are written as
actors so the folder validates at once; everything else is for the case author to fill in.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from pydantic import BaseModel, ValidationError

from .folder import CSV_FILES, CaseError, CaseProblem, check_folder
from .models import Actor, ActorKind, CaseMeta


class Party(BaseModel):
    id: str
    name: str


def parse_parties(text: str) -> list[Party]:
    """`IRN=Iran, USA=United States` (or bare ids, `IRN, USA`) → parties; the name defaults to the id."""
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        pid, _, name = part.partition("=")
        out.append(Party(id=pid.strip(), name=name.strip() or pid.strip()))
    return out


def _quote(text: str) -> str:
    # A JSON string is a valid YAML scalar: safe for any title a user types, and an id such as
    # NO or 2015 stays text instead of becoming a boolean or a number.
    return json.dumps(text, ensure_ascii=False)


def _case_yaml(meta: CaseMeta) -> str:
    parties = ", ".join(_quote(p) for p in meta.parties)
    as_of = f"as_of: {meta.as_of}" if meta.as_of else "# as_of: 2025-01-31"
    return f"""# The case: what accord analyses. Every field is described in docs/case-format.md.
id: {_quote(meta.id):<36}# the case's id in the store (letters, digits, _ - .)
title: {_quote(meta.title)}
# description: >-
#   Two or three sentences: which negotiation, which period, from which evidence.
{as_of:<40}# the default analysis date (YYYY-MM-DD)
parties: [{parties}]  # the two main parties, ids from actors.yaml
# stale_after_days: 365                # evidence older than this before the analysis date is marked stale
# The key questions the briefing answers, in your words.
questions: []
"""


def _actors_yaml(parties: list[Party]) -> str:
    entries = "\n".join(
        f"- id: {_quote(p.id)}\n  name: {_quote(p.name)}\n  kind: state            # state, bloc, organisation or person\n"
        f"  aliases: []            # other names reporters use: capital, 'the Kremlin', 'Tehran'\n"
        f"  # capability: 50       # 0-100, your assumption of its power over the outcome\n"
        f"  # capability_reason: one line on why (required with capability)"
        for p in parties)
    return f"""# Actors: states, blocs, organisations and the persons who speak for them.
# Extraction attributes a sentence to an actor when it names the actor or one of its aliases,
# so list every name, title and metonym the texts use. A person needs `speaks_for`:
#
# - id: zarif                   # persons: a lower-case slug
#   name: Javad Zarif
#   kind: person
#   speaks_for: IRN
#   role: Foreign Minister of Iran
#   aliases: [Zarif, the foreign minister]
{entries}
"""


ISSUES_YAML = """# Issues: what is negotiated, each on a 0-100 scale. These definitions drive extraction:
# a sentence is on an issue when it contains the issue's name or one of its keywords, and it is
# placed at the scale anchor whose label shares its words. So:
#   - keywords: the other words reporters use for the issue (never an actor's name);
#   - scale: describe each anchor in the words a text would use; 0 and 100 are required.
# Orient every issue the same way (e.g. 0 = what the first party asks, 100 = what the second asks)
# and say so in the description. `accord case validate` warns where a definition cannot work.
#
# - id: sanctions
#   name: Sanctions relief
#   description: Whether and when sanctions on the first party are lifted.
#   keywords: [sanctions, embargo, restrictive measures]
#   scale:
#     0: all sanctions stay in force
#     50: sanctions suspended step by step
#     100: all sanctions lifted at once
[]
"""

CONTRADICTIONS_YAML = """# Evidence that cannot all be true; both items are kept. An entry:
# - id: c-casualties
#   items: [fig-a, fig-b]        # statement, event or figure ids
#   why: the two sources give different totals for the same day
[]
"""


def _csv_header(model: type[BaseModel]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(list(model.model_fields))
    return buf.getvalue()


def new_case(folder: str | Path, *, case_id: str, title: str, parties: list[Party],
             as_of: str | None = None) -> list[Path]:
    """Write a skeleton case folder; refuse a folder that has files in it (nothing is overwritten).

    Raises `CaseError` (with field names) when the values given cannot make a valid case.
    """
    folder = Path(folder)
    problems: list[CaseProblem] = []
    try:
        meta = CaseMeta(id=case_id, title=title, as_of=as_of, parties=[p.id for p in parties])
    except ValidationError as exc:
        problems += [CaseProblem("case.yaml", None, ".".join(map(str, e["loc"])),
                                 e["msg"].removeprefix("Value error, "), "Give another value.") for e in exc.errors()]
        meta = None
    for p in parties:
        try:
            Actor(id=p.id, name=p.name, kind=ActorKind.state)
        except ValidationError as exc:
            problems += [CaseProblem("actors.yaml", None, f"parties.{p.id}.{'.'.join(map(str, e['loc']))}",
                                     e["msg"], "Party ids use letters, digits, '_', '-' and '.'.") for e in exc.errors()]
    if len({p.id for p in parties}) != len(parties):
        problems.append(CaseProblem("case.yaml", None, "parties", "a party is named twice", "Name each party once."))
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        problems.append(CaseProblem(str(folder), None, None, "exists and is not an empty folder",
                                    "Choose a new folder; `case new` never overwrites files."))
    if problems or meta is None:
        raise CaseError(problems)
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "case.yaml": _case_yaml(meta),
        "actors.yaml": _actors_yaml(parties),
        "issues.yaml": ISSUES_YAML,
        "contradictions.yaml": CONTRADICTIONS_YAML,
        **{name: _csv_header(model) for name, model in CSV_FILES.items()},
    }
    written = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    check_folder(folder)  # the skeleton must validate; a failure here is a bug, not user error
    return written
