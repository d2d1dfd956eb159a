"""Issue detection and placement on the issue's scale.

Without a case the generic lexicon (lexicon.ISSUE_PATTERNS) is used, with the flagship's scales
(docs/extraction.md). With a case only the case's issues are reported: ids known to the lexicon keep
its patterns, every issue matches its name and keywords as whole phrases (and a stated span of
time when its scale is in years: spans.py), and an issue the lexicon
does not know is found zero-shot from the case's definitions (zeroshot.py); positions come from the
case's scale.

Beyond keywords (`clause_issues`): the predicate itself (meeting → talks format, seizing a named
place → territory) and anaphoric nouns ("rejected the demands" takes the issues of the last
sentence with any, two sentences back at most).

Position method: a clause is placed at a scale anchor when (a) a cue regex for that anchor
matches (flagship ids), or (b) the anchors' distinguishing wording places it, with negation
handled (placement.py). Rejections, accusations and disapprovals of an anchor give no position
(they say where the holder is not). Everything else stays null: no guess.
"""

from __future__ import annotations

import copy as _copy
import re

from .lexicon import COMPILED_CUES, COMPILED_ISSUES, FLAGSHIP_SCALES, ISSUE_PATTERNS, keyword_issues
from .placement import place
from .spans import span_pattern
from .zeroshot import content_words, name_phrases, shared_names

SPAN_SCORE = 0.5
NEGATIVE_TYPES = {"REJECT", "DISAPPROVE", "ACCUSE", "PROTEST"}


# what comes before it is the head of an issue's name ("Accountability | for war crimes")
_NAME_PREPOSITION = re.compile(r"\s(?:of|for|on|in|over|through|to|with|about|between|from|by|at|under)\s", re.I)


def _proper(m: re.Match) -> bool:
    """The family's words in an issue's name are a proper name ("Minsk Group", one format the talks
    family lists), not the family's concept ("Ceasefire", "Sanctions relief"): every word
    capitalised, past the name's first word or two words long (`m`: the family's match in the name)."""
    words = m.group(0).split()
    return all(w[:1].isupper() for w in words) and (m.start() > 0 or len(words) > 1)


# A case issue whose id the lexicon knows is the lexicon's issue when its scale is worded as the
# flagship's (at least this share of their anchors' words in common, Jaccard): the flagship case's
# issues share 0.88 to 1.0; a Bangsamoro case's "territory" (core territory and plebiscite) 0.02.
SAME_SCALE = 0.5


def lexicon_issue(issue) -> bool:
    """Whether a case issue is the lexicon's issue of that id (its keyword family, cue phrases and
    learned classifier apply), not a new issue that happens to share the id."""
    if issue.id not in COMPILED_ISSUES:
        return False
    builtin = FLAGSHIP_SCALES.get(issue.id)
    if not builtin:
        return True  # a generic family with no flagship scale ("prisoners"): the id says it

    def words(scale) -> set[str]:
        return {w for a in (scale or {}).values() if isinstance(a, str) for w in content_words(a)}

    mine, theirs = words(issue.scale), words(builtin)
    return len(mine & theirs) >= SAME_SCALE * max(len(mine | theirs), 1)


def family_owners(issues) -> dict[str, list[re.Pattern]]:
    """The built-in keyword family a case's issue inherits, when the analyst gave it no keywords:
    a family whose words make up at least half of the issue's name ("Ceasefire", "Accountability
    for war crimes") belongs to that issue, unless another issue of the case claims it too
    ("Sanctions relief" and "Sanctions snapback": neither gets it). The family's synonyms and
    inflections ("truce", "tried", "prosecuted") say what a bare name does not; an issue with
    keywords of its own is what the analyst chose to match ("Sanctions relief" inheriting
    "embargo" took every sentence of an "Arms embargo" issue). The family must also meet the
    name's head, before its first preposition: "Dissolution of the OSCE Minsk Group" is not every
    sentence on talks, though the talks family lists "Minsk Group"; nor is an issue named "Minsk
    Group", a proper name of the family's (`_proper`)."""
    claims: dict[str, list[str]] = {}
    for issue in issues:
        if lexicon_issue(issue) or getattr(issue, "keywords", None):
            continue
        words = content_words(issue.name)
        head = _NAME_PREPOSITION.split(issue.name, maxsplit=1)[0]
        for fam, (rx,) in COMPILED_ISSUES.items():
            covered = {w for m in rx.finditer(issue.name) if not _proper(m)
                       for w in content_words(m.group(0))}
            if words and 2 * len(covered & set(words)) >= len(words) and rx.search(head):
                claims.setdefault(fam, []).append(issue.id)
    taken = {i.id for i in issues if lexicon_issue(i)}
    return {ids[0]: _without_others(fam, ids[0], issues) for fam, ids in claims.items()
            if len(ids) == 1 and fam not in taken}


def _without_others(fam: str, owner: str, issues) -> list[re.Pattern]:
    """The family's patterns less those another issue of the case defines itself with and the
    inheriting one does not: "corridor" of the territory family an issue "Border delimitation"
    inherits is the word of a "Transit route" issue described as "a transport corridor", and names
    that issue, not the border ("sanctions" stays with "Sanctions relief", though "Snapback" is
    described as sanctions returning)."""
    def words(i) -> str:
        return " ".join([i.name, getattr(i, "description", None) or "", *(getattr(i, "keywords", None) or [])])
    own = " ".join(words(i) for i in issues if i.id == owner)
    others = " ".join(words(i) for i in issues if i.id != owner)
    keep = [p for p in ISSUE_PATTERNS[fam] if re.search(p, own, re.I) or not re.search(p, others, re.I)]
    if len(keep) == len(ISSUE_PATTERNS[fam]):
        return COMPILED_ISSUES[fam]
    return [re.compile("|".join(f"(?:{p})" for p in keep), re.I)] if keep else []


# a keyword's head noun that is an everyday word ("time" of "breakout time") refers to too much
HEAD_ZIPF = 5.5


def keyword_heads(issues, is_actor, names: dict[str, list[str]]) -> dict[str, re.Pattern]:
    """Issue → "the <head>" for the last noun of its names and keywords of two words or more ("the
    law" for "Basic Law", "the Bill" for "Protocol Bill", "the brake" for "Stormont brake"), when
    that head is one issue's only, no word of negotiating itself, no actor's name and no everyday
    word. A later "the law" in a text that named "the Basic Law" is that law. `names`: each
    issue's name phrases (`name_phrases`)."""
    from wordfreq import zipf_frequency

    from .zeroshot import PROCESS, singular

    process = {singular(w) for w in PROCESS}
    owners: dict[str, set[str]] = {}
    for issue in issues:
        for phrase in [*names[issue.id], *(getattr(issue, "keywords", None) or [])]:
            words = phrase.split()
            head = singular(words[-1].lower()) if len(words) > 1 else ""
            if head.isalpha() and head not in process and not is_actor(head) and zipf_frequency(head, "en") < HEAD_ZIPF:
                owners.setdefault(head, set()).add(issue.id)
    out: dict[str, list[str]] = {}
    for head, ids in owners.items():
        if len(ids) == 1:
            out.setdefault(next(iter(ids)), []).append(head)
    return {iid: re.compile(r"\bthe\s+(?:" + "|".join(map(re.escape, heads)) + r")s?\b", re.I)
            for iid, heads in out.items()}


class IssueMatcher:
    """Which of the known issues a text is about, and where on an issue's scale it stands.

    Without a case: the built-in keyword families (flagship ids and a few generic ones). With a
    case: only the case's issues — an id the lexicon knows keeps its keyword family; every issue
    matches its name and keywords as whole phrases; an issue the lexicon does not know is found
    zero-shot from the case's own definitions (zeroshot.py), and, given no keywords, by the
    built-in family its name stands for (`family_owners`)."""

    def __init__(self, case=None, resolver=None):
        self.scales: dict[str, dict[int, str]] = {}
        self.patterns: dict[str, list[re.Pattern]] = {}
        self.spans: dict[str, re.Pattern] = {}  # a case issue's stated span of time (spans.py)
        self.own: dict[str, re.Pattern] = {}  # a case issue's name and keywords
        self.family: dict[str, list[re.Pattern]] = {}  # the built-in keyword family it keeps or inherits
        self.named_elsewhere: dict[str, set[str]] = {}  # the words of the other case issues' names
        self.builtin_cues: set[str] = set()
        self.zeroshot = None
        # ids the lexicon knows that the case gives a meaning of its own (`lexicon_issue`): the
        # learned classifier, trained on the lexicon's meaning, does not name them
        self.redefined: set[str] = set()
        # a case issue's keyword head met again with "the" ("the law" after "the Basic Law") names
        # the issue in a document that named it whole: issue → "the <head>", issues named so far
        self.heads: dict[str, re.Pattern] = {}
        self._named: set[str] = set()
        self._memo: dict[str, list[str]] = {}
        self.builtin = case is None or not case.issues
        if self.builtin:
            self.patterns = dict(COMPILED_ISSUES)
            self.scales = dict(FLAGSHIP_SCALES)
            self.builtin_cues = set(COMPILED_CUES)
            return
        from .zeroshot import ZeroShot, definitions, phrase_pattern

        new = []
        families = family_owners(case.issues)
        if resolver is None:
            from .gazetteer import ActorResolver

            resolver = ActorResolver(case)

        def is_actor(w: str) -> bool:
            return resolver.code(w) is not None

        names = {i.id: name_phrases(i.name, shared_names(case.issues, i.id, is_actor, case.meta.title))
                 for i in case.issues}
        for issue in case.issues:
            known = lexicon_issue(issue)
            if issue.id in COMPILED_ISSUES and not known:
                self.redefined.add(issue.id)
            self.family[issue.id] = list(COMPILED_ISSUES[issue.id] if known else families.get(issue.id, []))
            pats = list(self.family[issue.id])
            # the case's own words for the issue (docs/case-format.md), as whole phrases
            phrases = phrase_pattern([*names[issue.id], *(getattr(issue, "keywords", None) or [])])
            if phrases is not None:
                pats.append(phrases)
                self.own[issue.id] = phrases
            span = span_pattern([a for a in (issue.scale or {}).values() if isinstance(a, str)])
            if span is not None:
                self.spans[issue.id] = span  # "for 15 years" is on an issue whose scale is in years
            # one alternation per issue, as COMPILED_ISSUES
            self.patterns[issue.id] = [re.compile("|".join(f"(?:{p.pattern})" for p in pats), re.I)] if pats else []
            self.scales[issue.id] = dict(issue.scale)
            if not known:
                new.append(issue)
            builtin = FLAGSHIP_SCALES.get(issue.id)
            if known and builtin and set(builtin) >= {0, 100} and issue.id in COMPILED_CUES:
                # the case uses the flagship's issue: its cue phrases still apply
                self.builtin_cues.add(issue.id)
        self.heads = keyword_heads(case.issues, is_actor, names)
        for issue in case.issues:
            self.named_elsewhere[issue.id] = {w for other in case.issues if other.id != issue.id
                                              for w in content_words(other.name)}
        if new:
            self.zeroshot = ZeroShot(definitions(new, is_actor, topic=case.meta.title, names=names))

    def for_document(self) -> "IssueMatcher":
        """This case's matcher with a memo of its own: the case's tables (patterns, scales, the
        zero-shot definitions' vectors) are built once per case, the answers kept per document."""
        copy = _copy.copy(self)
        copy._memo, copy._named = {}, set()
        if self.zeroshot is not None:
            copy.zeroshot = self.zeroshot.for_document()
        return copy

    def _hits(self, text: str) -> list[str]:
        """The issues whose patterns match the text; a sentence is asked for per clause and again
        by the learned layer, so the answer is kept for the document (`for_document`)."""
        hits = self._memo.get(text)
        if hits is None:
            if self.builtin:
                hits = self._memo[text] = keyword_issues(text)  # the learned layer asks for the same
            else:
                hits = self._memo[text] = self._case_hits(text)
        return hits

    def _case_hits(self, text: str) -> list[str]:
        """A case's issues met by their own words, a stated span, or their built-in family. A
        family word that another issue's name has is that issue's: the "embargo" of an "Arms
        embargo" issue does not also make a "Sanctions relief" issue that inherited the
        sanctions family ("embargo", "lifted") — the case's own naming is the more specific."""
        out = []
        for iid in self.patterns:
            if iid in self.own and self.own[iid].search(text):
                out.append(iid)
                self._named.add(iid)
                continue
            if (iid in self.spans and self.spans[iid].search(text)) or (
                    iid in self._named and iid in self.heads and self.heads[iid].search(text)):
                out.append(iid)
                continue
            named = self.named_elsewhere[iid]
            if any(not all(w in named or w[:-1] in named or w[:-2] in named for w in content_words(m.group(0)))
                   for p in self.family[iid] for m in p.finditer(text)):  # "embargoes" is an "embargo"
                out.append(iid)
        return out

    def issues(self, text: str) -> list[str]:
        found = list(self._hits(text))
        if self.zeroshot is not None:
            found.extend(i for i in self.zeroshot.issues(text) if i not in found)
        return found

    def ranked(self, text: str) -> list[tuple[str, float]]:
        """The case's issues with a score, best first, for the alternatives shown to a reviewer:
        a keyword or phrase match scores 1, a zero-shot score is scaled to [0, 1). A span of time
        alone ("for 15 years") scores `SPAN_SCORE`: it mostly qualifies another term ("limits on
        the stockpile for 15 years"), so a definition's words can outrank it."""
        hits = self._hits(text)
        out = {iid: 1.0 for iid in hits if any(p.search(text) for p in self.patterns[iid])}
        if self.zeroshot is not None:
            from .zeroshot import PHRASE_SCORE

            for iid, v in self.zeroshot.ranked(text):
                out.setdefault(iid, round(min(v / PHRASE_SCORE, 0.99), 3))
        for iid in hits:
            out[iid] = max(out.get(iid, 0.0), SPAN_SCORE)
        return sorted(out.items(), key=lambda kv: -kv[1])

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
            point = place(self.scales[issue], text)[0]
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


PLACE_LABELS = {"GPE", "LOC", "FAC"}
PLACE_NOUNS = {"region", "city", "town", "village", "oblast", "province", "district", "area", "border", "port"}


def placeless_text(sent) -> str:
    """The sentence without the places it names ("shelled Zaporizhzhia city", "in Russia's Kursk
    region"): what is left says what an act was about, not where it happened."""
    drop = set()
    for e in sent.ents:
        if e.label_ in PLACE_LABELS:
            drop.update(t.i for t in e)
    for t in sent:
        if t.lemma_.lower() in PLACE_NOUNS and any(c.i in drop for c in t.children):
            drop.add(t.i)
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
