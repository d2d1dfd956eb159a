"""Issues from a case's own definitions, zero-shot: no training text for the case is needed.

Each issue of the case is described by what the analyst wrote: its name, description, keywords
(synonyms) and the wording of its scale anchors. A sentence is scored against those words (see
`ZeroShot`) with word vectors from a static embedding model (WordLlama `l2_supercat_256`, whose
256-d token vectors ship inside the `wordllama` wheel: numpy, `tokenizers` and `safetensors`, no
PyTorch, nothing downloaded; a word is the l2-normalised mean of its token vectors). An issue is
proposed when its score reaches `THRESHOLD` and lies within `MARGIN` of the sentence's best issue
(at most `MAX_ISSUES`). The numbers were chosen on our own training text
(`python -m accord.training.zeroshot`, docs/extraction.md), never on an evaluation split.

The name and keywords also match as whole phrases (case-insensitive, on word boundaries): an
issue named "Armenian constitution" matches that phrase, not every "Armenian". So does a rare word
of the description that no other issue uses, when the analyst gave the issue no keywords
(`rare_terms`: "centrifuges", "Fordow", "Qom"): a specialist term names its issue as a keyword
would, where one common word among twenty of a description is too weak a sign to reach the
threshold.
"""

from __future__ import annotations

import copy as _copy
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

THRESHOLD = 0.25
MARGIN = 3.0
MAX_ISSUES = 3
WORD_SIM = 0.8
PHRASE_SCORE = 2.0
WORD_CACHE = 50_000  # sentence words whose vectors a case's matcher keeps between documents
NORMALISE = True


@lru_cache(maxsize=1)
def encoder():
    """WordLlama's bundled model, loaded once per process from the installed wheel."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # tokenizers must never reach for a hub
    import wordllama
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer
    from wordllama.inference import WordLlamaInference

    root = Path(wordllama.__file__).parent
    weights, tok = root / "weights" / "l2_supercat_256.safetensors", root / "tokenizers" / "l2_supercat_tokenizer_config.json"
    for f in (weights, tok):
        if not f.exists():
            raise RuntimeError(f"{f} is missing: the wordllama wheel ships it; reinstall wordllama")
    return WordLlamaInference(load_file(str(weights))["embedding.weight"], Tokenizer.from_file(str(tok)))


def embed(texts: list[str]) -> np.ndarray:
    """(n, 256) float32 unit rows."""
    if not texts:
        return np.zeros((0, 256), dtype=np.float32)
    v = encoder().embed(list(texts), norm=True)
    return np.nan_to_num(v)  # an empty text has no tokens: a zero row, similar to nothing


# Little words a phrase may gain or lose between its words: "exchange of data" is met by
# "exchange data" and "exchange of their data", "fill the reservoir" by "fill the dam reservoir" not
LINK_WORDS = ("the", "a", "an", "of", "on", "for", "to", "in", "its", "their", "his", "her", "our", "with",
              "and", "by", "at", "from")
_GAP = r"\s+(?:(?:" + "|".join(LINK_WORDS) + r")\s+){0,2}"


def _with_plural(phrase: str) -> str:
    """A phrase as a pattern whose last word may be plural ("duration" meets "specified
    durations", "embargo" "arms embargoes", "treaty" "treaties") and whose words may have up to two
    little words (`LINK_WORDS`) between them, its own little words being optional."""
    words = phrase.split()
    core = ([w for w in words if w not in LINK_WORDS] or words) if len(words) > 1 else words
    last = core[-1]
    if len(last) < 3 or not last[-1].isalpha():
        tail = re.escape(last)
    elif last[-1] == "y" and last[-2] not in "aeiou":
        tail = re.escape(last)[:-1] + "(?:y|ies)"
    else:
        tail = re.escape(last) + "(?:s|es)?"
    return _GAP.join([*(re.escape(w) for w in core[:-1]), tail])


def phrase_pattern(phrases: list[str]) -> re.Pattern | None:
    """One alternation of whole phrases, a plural of each included."""
    alts = sorted({_with_plural(p.strip().lower()) for p in phrases if p and p.strip()}, key=len, reverse=True)
    if not alts:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])", re.I)


def name_phrases(name: str, shared: Callable[[str], bool] | None = None) -> list[str]:
    """An issue's name and, when it joins two things ("Inspections and access", "Enrichment level
    and stockpile", "Arms embargo and missiles"), each of them: the issue is about either. A proper
    name inside it is met as written or shortened from the front ("Dissolution of the OSCE Minsk
    Group": "OSCE Minsk Group", "Minsk Group"), as news writes it, unless it is `shared` with the
    rest of the case (`shared_names`)."""
    name = name.strip()
    parts = [p.strip() for p in re.split(r"\s+(?:and|&)\s+|,\s*", name) if p.strip()]
    out = [name, *parts] if len(parts) > 1 else [name]
    for part in parts:
        words = part.split()
        k = 1  # the name's first word is capitalised whatever it is
        while k < len(words):
            j = k
            while j < len(words) and words[j][:1].isupper():
                j += 1
            tails = (" ".join(words[i:j]) for i in range(k, j - 1))  # every tail of two words or more
            out.extend(t for t in tails if shared is None or not shared(t))
            k = j + 1
    return list(dict.fromkeys(out))


def shared_names(issues, issue_id: str, is_actor=None, topic: str = "") -> Callable[[str], bool]:
    """Whether a proper name inside issue `issue_id`'s name says which case rather than which issue:
    the case's title has it, another issue's name, description or keywords use it, or it names an
    actor. "Northern Ireland" of "Checks on goods from Great Britain to Northern Ireland" is in a
    Protocol case's every text and in its other issues ("Northern Ireland's say over EU rules"); the
    "Minsk Group" of "Dissolution of the OSCE Minsk Group" is that issue's alone."""
    others = " ".join(" ".join([i.name, getattr(i, "description", None) or "", *(getattr(i, "keywords", None) or [])])
                      for i in issues if i.id != issue_id)

    def shared(phrase: str) -> bool:
        rx = re.compile(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", re.I)
        return bool(rx.search(topic) or rx.search(others) or (is_actor is not None and is_actor(phrase)))
    return shared


STOP = set("""a an the of on in to for and or with without by as at from is are be not no any all its
their his her our it this that these those than then there only now own one before after into over
under per whether who whom what when where how which may can must will would should could might whose
about other more most less least some such while was were been being has have had do does did""".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]+|\d+(?:\.\d+)?%?")
# How much a definition word counts: the name and keywords are what the analyst chose to say
WEIGHTS = {"name": 2.0, "keyword": 2.0, "description": 1.0, "anchor": 0.5}


def content_words(text: str) -> list[str]:
    # a word's trailing apostrophe or hyphen is not part of it: "inspectors'" is "inspectors", and
    # the "IR-" of "IR-1" is no word (as "ir-" it stood near "Iran's" and named its issue in every
    # sentence about Iran)
    words = (w.lower().rstrip("'-") for w in _WORD.findall(text))
    return [w for w in words if w not in STOP and len(w) > 2]


def singular(word: str) -> str:
    """A plural noun's singular ("durations" → "duration", "countries" → "country", "taxes" →
    "tax"): the static vectors hold each form apart ("durations" stands at 0.35 to "duration"),
    so the definitions' words and a sentence's are compared in one form. Words in -ss, -us, -is
    ("access", "status", "crisis") are left alone."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "zes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        return word[:-1]
    return word


@dataclass
class Definition:
    """What the case says about one issue: its phrases (name and keywords, matched whole) and
    its words with the weight of where they come from."""

    id: str
    phrases: list[str]
    words: dict[str, float]


# Words of the negotiating itself: every sentence of a negotiation's news may use them, so they say
# that a text is about the talks, not which issue it is on (a phrase with them still matches whole).
PROCESS = set("""deal deals agreement agreements accord talks negotiation negotiations negotiate negotiating
negotiator negotiators framework sides side parties party text texts statement final interim comprehensive
issue issues question questions""".split())


# Below 3 on the Zipf scale (log10 of frequency per billion words) are the low-frequency words of
# English (van Heuven, Mandera, Keuleers & Brysbaert 2014, "SUBTLEX-UK", QJEP 67(6)): about one
# in a million words or rarer.
RARE_ZIPF = 3.0


# An everyday word of a definition ("much", "keep", "long", "work": Zipf 6 and more) says little
# about which issue a sentence is on; a specialist one ("centrifuges", Zipf 2.5) says much. A
# word's weight is scaled by (COMMON_ZIPF - zipf) / 2, between 0.2 and 1: 1 up to Zipf 3.75 (about
# six times in a million words), 0.5 at 4.75, 0.2 from 5.35. COMMON_ZIPF and THRESHOLD were chosen
# together on our training text (python -m accord.training.zeroshot; docs/extraction.md).
COMMON_ZIPF = 5.75


@lru_cache(maxsize=1 << 14)
def rarity(word: str) -> float:
    from wordfreq import zipf_frequency

    return min(1.0, max(0.2, (COMMON_ZIPF - zipf_frequency(word, "en")) / 2))


def rare_terms(text: str, is_actor=None) -> list[str]:
    """The words of `text` that are rare in English (wordfreq's Zipf frequency < `RARE_ZIPF`),
    not numbers and not names of actors."""
    from wordfreq import zipf_frequency

    return list(dict.fromkeys(w for w in content_words(text) if not any(c.isdigit() for c in w)
                              and zipf_frequency(w, "en") < RARE_ZIPF and (is_actor is None or not is_actor(w))))


def definitions(issues, is_actor=None, topic: str = "", names: dict[str, list[str]] | None = None) -> list[Definition]:
    """The definitions of case issues (accord.case.models.Issue: keywords and anchor wording are
    read when the model has them). Words that name an actor (`is_actor`: "Armenian", "Iran's")
    say who, not what, and the words of the case's `topic` (its title: "Iran nuclear talks") and
    of negotiating itself (`PROCESS`) say what every text of the case is about: all are left out of
    the scored words (a phrase still matches whole). An issue given no keywords also matches as
    a phrase each rare word of its name and description ("Syunik", "Fordow") that no other issue's
    has. `names`: each issue's name phrases, as the case's matcher read them (`name_phrases`),
    else read here against these issues."""
    skip = {singular(w) for w in PROCESS | set(content_words(topic))}
    rare = {issue.id: rare_terms(f"{issue.name} {issue.description or ''}", is_actor) for issue in issues}
    used = Counter(w for words in rare.values() for w in words)
    out = []
    for issue in issues:
        keywords = [w for key in ("keywords", "synonyms") for w in (getattr(issue, key, None) or [])]
        anchors = [a for a in list((issue.scale or {}).values()) + list(getattr(issue, "anchors", None) or [])
                   if isinstance(a, str)]
        words: dict[str, float] = {}
        for source, texts in (("name", [issue.name]), ("keyword", keywords),
                              ("description", [issue.description or ""]), ("anchor", anchors)):
            for t in texts:
                ws = content_words(t)
                # a word of a longer keyword ("time" of "breakout time") says no more than a word
                # of the description: the whole phrase is what the analyst chose
                weight = WEIGHTS["description"] if source == "keyword" and len(ws) > 1 else WEIGHTS[source]
                for w in ws:
                    one = singular(w)
                    if one not in skip and (is_actor is None or not is_actor(w)):
                        words[one] = max(words.get(one, 0.0), weight * rarity(w))
        # an issue given keywords matches what the analyst chose (as `issues.family_owners`)
        own = [] if keywords else [w for w in rare[issue.id] if used[w] == 1 and singular(w) not in skip]
        phrases = (names or {}).get(issue.id) or name_phrases(issue.name, shared_names(issues, issue.id, is_actor, topic))
        out.append(Definition(issue.id, [*phrases, *keywords, *own], words))
    return out


class ZeroShot:
    """Scores sentences against a case's issue definitions.

    A sentence's score for an issue: over the issue's definition words, the sum of weight ×
    idf (words shared by many issues count less: "Armenian" in every issue of an Armenia case) ×
    the best cosine between that word and a word of the sentence, when it reaches `WORD_SIM`
    (a near synonym or another form: "truce" for "ceasefire", "sanctioned" for "sanctions"),
    divided by the square root of the number of definition words. A phrase match scores as
    `PHRASE_SCORE`."""

    def __init__(self, defs: list[Definition], threshold: float = THRESHOLD, margin: float = MARGIN):
        self.ids = [d.id for d in defs]
        self.threshold, self.margin = threshold, margin
        self.vocab = sorted({w for d in defs for w in d.words})
        index = {w: k for k, w in enumerate(self.vocab)}
        df = np.zeros(len(self.vocab))
        self.weights = np.zeros((len(defs), len(self.vocab)))
        for i, d in enumerate(defs):
            for w, v in d.words.items():
                self.weights[i, index[w]] = v
                df[index[w]] += 1
        # 1 for a word only one issue has, less for shared words, whatever the number of issues
        idf = np.log(1 + len(defs) / np.maximum(df, 1)) / np.log(1 + len(defs))
        self.weights = self.weights * idf
        if NORMALISE:
            self.weights = self.weights / np.sqrt(np.maximum((self.weights > 0).sum(axis=1, keepdims=True), 1))
        self._words: dict[str, np.ndarray] = {}
        self.term_vecs = self._vectors(self.vocab)
        self.patterns = {d.id: phrase_pattern(d.phrases) for d in defs}
        self._cache: dict[str, np.ndarray] = {}
        self._ranked: dict[str, list[tuple[str, float]]] = {}

    def for_document(self) -> "ZeroShot":
        """The same definitions with a cache of sentence scores of its own. Word vectors stay
        shared across documents, up to `WORD_CACHE` words (a vector is 1 KB) beyond the
        definitions' own."""
        if len(self._words) > WORD_CACHE + len(self.vocab):
            self._words = {w: self._words[w] for w in self.vocab}
        copy = _copy.copy(self)
        copy._cache, copy._ranked = {}, {}
        return copy

    def _vectors(self, words: list[str]) -> np.ndarray:
        new = [w for w in words if w not in self._words]
        for w, v in zip(new, embed(new)):
            self._words[w] = v
        return np.array([self._words[w] for w in words]) if words else np.zeros((0, 256), dtype=np.float32)

    def scores(self, text: str) -> np.ndarray:
        """Per issue, the definition-word score of the text (cached per text)."""
        s = self._cache.get(text)
        if s is None:
            words = list(dict.fromkeys(singular(w) for w in content_words(text)))
            if not words or not self.vocab:
                s = np.zeros(len(self.ids))
            else:
                best = (self.term_vecs @ self._vectors(words).T).max(axis=1)
                s = self.weights @ np.where(best >= WORD_SIM, best, 0.0)
            self._cache[text] = s
        return s

    def ranked(self, text: str) -> list[tuple[str, float]]:
        """Every issue with its score, best first (a phrase match scores PHRASE_SCORE at least);
        kept per text, as a sentence is asked for per clause and again by the learned layer."""
        out = self._ranked.get(text)
        if out is None:
            out = self._ranked[text] = self._rank(text)
        return out

    def _rank(self, text: str) -> list[tuple[str, float]]:
        s = self.scores(text).copy()
        for k, iid in enumerate(self.ids):
            pat = self.patterns[iid]
            if pat is not None and pat.search(text):
                s[k] = max(s[k], PHRASE_SCORE)
        order = np.argsort(-s, kind="stable")
        return [(self.ids[k], round(float(s[k]), 3)) for k in order]

    def issues(self, text: str) -> list[str]:
        ranked = self.ranked(text)
        if not ranked:
            return []
        best = ranked[0][1]
        return [iid for iid, v in ranked[:MAX_ISSUES] if v >= self.threshold and v >= best - self.margin]
