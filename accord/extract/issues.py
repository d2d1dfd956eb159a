"""Issue detection and placement on the issue's scale.

Without a case the generic lexicon (lexicon.ISSUE_PATTERNS) is used, with the flagship's scales
(docs/extraction.md). With a case only the case's issues are reported: ids known to the lexicon keep
its patterns, and every issue also matches its own name; positions come from the case's scale.

Beyond keywords (`clause_issues`): the predicate itself (meeting → talks format, seizing a named
place → territory) and anaphoric nouns ("rejected the demands" takes the issues of the last
sentence with any, two sentences back at most).

Position method: a clause is placed at a scale anchor when (a) a cue regex for that anchor
matches (flagship ids), or (b) the clause shares at least two content words (one for one-word
labels) with exactly one anchor label more than with any other. Rejections, accusations and
disapprovals of an anchor give no position (they say where the holder is not). Everything
else stays null: no guess.
"""

from __future__ import annotations

import re

from .lexicon import COMPILED_CUES, COMPILED_ISSUES, FLAGSHIP_SCALES

STOP = set("""a an the of on in to for and or with without by as at from is are be not no any all
its their his her our it this that these those than then first there only now own ones one
before after into over under per""".split())
NEGATIVE_TYPES = {"REJECT", "DISAPPROVE", "ACCUSE", "PROTEST"}


def _words(text: str) -> set[str]:
    return {w.rstrip("s") for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP and len(w) > 2}


class IssueMatcher:
    def __init__(self, case=None):
        self.scales: dict[str, dict[int, str]] = {}
        self.patterns: dict[str, list[re.Pattern]] = {}
        self.builtin_cues: set[str] = set()
        if case is None or not case.issues:
            self.patterns = dict(COMPILED_ISSUES)
            self.scales = dict(FLAGSHIP_SCALES)
            self.builtin_cues = set(COMPILED_CUES)
            return
        for issue in case.issues:
            pats = list(COMPILED_ISSUES.get(issue.id, []))
            name = issue.name.strip()
            if name:
                pats.append(re.compile(r"\b" + re.escape(name.lower()).replace(r"\ ", r"\s+") + r"\b", re.I))
            for kw in issue.keywords:  # the case's own words for the issue (docs/case-format.md)
                pats.append(re.compile(r"\b" + re.escape(kw.lower()).replace(r"\ ", r"\s+") + r"\b", re.I))
            if issue.id not in COMPILED_ISSUES:
                for w in re.findall(r"[A-Za-z][A-Za-z-]{4,}", name):
                    if w.lower() not in STOP:
                        pats.append(re.compile(r"\b" + re.escape(w.lower()) + r"\w*\b", re.I))
            # one alternation per issue, as COMPILED_ISSUES
            self.patterns[issue.id] = [re.compile("|".join(f"(?:{p.pattern})" for p in pats), re.I)] if pats else []
            self.scales[issue.id] = dict(issue.scale)
            builtin = FLAGSHIP_SCALES.get(issue.id)
            if builtin and set(builtin) >= {0, 100} and issue.id in COMPILED_CUES:
                # the case uses the flagship's issue: its cue phrases still apply
                self.builtin_cues.add(issue.id)

    def issues(self, text: str) -> list[str]:
        return [iid for iid, pats in self.patterns.items() if any(p.search(text) for p in pats)]

    def position(self, issue: str, text: str, ptype: str | None) -> tuple[float | None, str]:
        point = None
        negative_cue = False
        if issue in self.builtin_cues:
            for rx, value in COMPILED_CUES[issue]:
                m = rx.search(text)
                if m:
                    point = float(value)
                    negative_cue = bool(re.search(r"\b(not|no|never|non)\b", m.group(0), re.I))
                    break
        if point is None and issue in self.scales:
            words = _words(text)
            scored = []
            for anchor, label in self.scales[issue].items():
                lw = _words(label)
                if lw:
                    scored.append((len(lw & words), len(lw), anchor))
            scored.sort(reverse=True)
            if scored:
                best = scored[0]
                need = 1 if best[1] <= 1 else 2
                if best[0] >= need and (len(scored) == 1 or scored[1][0] < best[0]):
                    point = float(best[2])
        if point is None:
            return None, "claim"
        if ptype in NEGATIVE_TYPES and not negative_cue:
            return None, "claim"
        if ptype in ("CONCEDE",) or (ptype == "AGREE" and re.search(r"\b(ready|willing|prepared|accept|open to)\b", text, re.I)):
            return point, "fallback"
        if ptype in ("REQUEST", "THREATEN", "SUPPORT", "AGREE") or negative_cue:
            return point, "ideal"
        return point, "claim"


# ---------------------------------------------------------------- issues beyond keywords

# Definite nouns that point back at what was just reported ("rejected the demands", "welcomed the
# agreement", "block the package"): the clause inherits the issues of the last sentence with any.
ANAPHORIC_NOUNS = {"demand", "proposal", "plan", "agreement", "deal", "package", "treaty",
                   "memorandum", "accord", "offer", "term", "condition", "initiative", "text",
                   "document", "framework", "draft", "arrangement", "measure", "decision", "idea",
                   "roadmap", "pact", "proposals", "ultimatum", "request", "move", "step",
                   "declaration", "resolution", "compromise", "settlement"}
TALK_VERBS = {"meet", "negotiate", "mediate", "confer", "convene", "talk"}
TAKE_VERBS = {"seize", "capture", "occupy", "annex", "overrun", "retake", "recapture"}
_BACK_DETERMINERS = ("the", "this", "that", "these", "those", "such", "its", "their")


def issue_text(sent) -> str:
    """The sentence without its non-restrictive relative clauses (", who led the delegation,")."""
    drop = set()
    for t in sent:
        if t.dep_ == "relcl" and t.i > sent.start and any(
                x.text == "," for x in t.doc[max(sent.start, t.left_edge.i - 1):t.left_edge.i + 1]):
            drop.update(x.i for x in t.subtree)
    if not drop:
        return sent.text
    return "".join(t.text_with_ws for t in sent if t.i not in drop)


def predicate_issues(content) -> list[str]:
    """Issues the predicate itself implies: meeting → talks format; seizing a place → territory."""
    out = []
    lemma = content.lemma_.lower()
    if lemma in TALK_VERBS:
        out.append("talks_format")
    if lemma in TAKE_VERBS and any(c.dep_ == "dobj" and c.ent_type_ in ("GPE", "LOC", "FAC") for c in content.children):
        out.append("territory")
    return out


def anaphoric_issues(content, state) -> list[str]:
    """The issues of the last sentence with any (two back at most) when the clause points back
    at it with a definite bare noun ("the demands")."""
    sent_no, issues = state.recent_issues
    if not issues or state.sent_no - sent_no > 2:
        return []
    for t in content.subtree:
        if t.pos_ == "NOUN" and t.lemma_.lower() in ANAPHORIC_NOUNS and any(
                c.dep_ in ("det", "poss") and c.lower_ in _BACK_DETERMINERS
                for c in t.children) and not any(c.dep_ in ("amod", "compound", "prep") for c in t.children):
            return list(issues)
    return []


def clause_issues(content, sent, state, matcher: IssueMatcher) -> list[str]:
    """A clause's issues: keywords on the whole sentence (minus asides), what the predicate
    implies, else what an anaphoric noun points back at."""
    issues = matcher.issues(issue_text(sent))
    for extra in predicate_issues(content):
        if extra not in issues and extra in matcher.patterns:
            issues.append(extra)
    return issues or anaphoric_issues(content, state)
