"""Warnings on issue definitions that extraction cannot work with (docs/case-format.md, issues.yaml).

Extraction finds an issue by its name and keywords and places a clause on its scale by the words
of the anchor labels. A definition can be valid and still useless: a keyword that is also an
actor's name marks every sentence naming that actor as on the issue; an issue whose only words
are its id is never found. These are warnings, not errors: the folder still imports.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .models import Actor, Issue

if TYPE_CHECKING:
    from .folder import CaseProblem

# Words of three letters or more that carry no meaning for matching (shorter ones never count).
_STOP = frozenset({
    "the", "for", "and", "with", "without", "from", "are", "not", "any", "all", "its", "their", "his",
    "her", "our", "this", "that", "these", "those", "than", "then", "there", "only", "now", "own", "one",
})


def words(text: str) -> set[str]:
    """The content words of a text, lower-case (three letters or more, no stop words)."""
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2 and w not in _STOP}


def _actor_names(actors: list[tuple[Actor, int]]) -> dict[str, str]:
    names: dict[str, str] = {}
    for actor, _ in actors:
        for name in (actor.id, actor.name, *actor.aliases):
            names.setdefault(name.strip().lower(), actor.id)
    return names


def definition_warnings(loaded: dict[str, list[tuple[Any, int]]]) -> list[CaseProblem]:
    """CaseProblem warnings, with file and line, for issue definitions extraction cannot use."""
    from .folder import CaseProblem  # folder imports this module

    out: list[CaseProblem] = []
    issues: list[tuple[Issue, int]] = loaded.get("issues.yaml", [])
    if not issues:
        out.append(CaseProblem("issues.yaml", None, None, "no issues defined yet",
                               "Extraction only finds statements on the case's issues; define them."))
        return out
    names = _actor_names(loaded.get("actors.yaml", []))
    keyword_owner: dict[str, str] = {}
    for issue, line in issues:
        terms = [issue.name, *issue.keywords]
        for term in terms:
            actor = names.get(term.strip().lower())
            if actor:
                field = "name" if term is issue.name else "keywords"
                out.append(CaseProblem("issues.yaml", line, field,
                                       f"{term!r} is also a name of actor {actor!r}: every sentence naming the actor "
                                       f"would count as on issue {issue.id!r}",
                                       "Use words for the subject of the issue, not for who negotiates it."))
        for kw in issue.keywords:
            key = kw.strip().lower()
            other = keyword_owner.setdefault(key, issue.id)
            if other != issue.id:
                out.append(CaseProblem("issues.yaml", line, "keywords",
                                       f"keyword {kw!r} is also a keyword of issue {other!r}",
                                       "A keyword shared by two issues tells extraction nothing; keep it on one."))
            if len(key) < 3:
                out.append(CaseProblem("issues.yaml", line, "keywords", f"keyword {kw!r} is shorter than 3 letters",
                                       "So short a word matches inside many others; use a longer one."))
        own = words(issue.name) | words(" ".join(issue.keywords)) | words(issue.description or "")
        id_words = words(issue.id.replace("_", " ").replace("-", " "))
        if not own - id_words:
            out.append(CaseProblem("issues.yaml", line, None,
                                   f"issue {issue.id!r} has no words beyond its id",
                                   "Give it a name, a description and keywords: extraction finds an issue by them."))
        blank = [str(point) for point, label in issue.scale.items() if not words(label)]
        if blank:
            out.append(CaseProblem("issues.yaml", line, "scale",
                                   f"anchor label(s) {', '.join(blank)} have no words to match",
                                   "Extraction places a statement at the anchor whose label shares its words; "
                                   "describe each anchor in words."))
    return out
