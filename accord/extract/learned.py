"""A learned layer over the rules: which candidates hold a sentence, its issues and its PLOVER type.

Three linear models over sparse features of the parsed sentence, of its paragraph and of what the
rules found in it: a binary logistic regression over candidate holders (holders.py), one-vs-rest
logistic regressions for issues, a multinomial one for the type of the main predicate. They are
trained on our own annotated data by `python -m accord.extract.train`, which writes
`learned_model.json` beside this file: vocabularies, idf weights, coefficients and the decision
thresholds chosen by cross-validation. At run time only numpy, scipy and that file are needed
(nothing is downloaded, nothing is trained).

Combination with the rules (per sentence):
  * holders: the rules' holders unless the holder model finds them unlikely, other candidates
    when it finds them likely;
  * issues: the rules' issues whose probability is at least `keep`, plus the classifier's at or
    above `add`; every holder of the sentence takes them;
  * type: the classifier's (the rules' type is one of its features) when it is confident enough,
    else the rules' (`combine_type`); a type the rules read from the structure stands.
Features are computed the same way at training and at run time (`document_features`).
"""

from __future__ import annotations

import base64
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy import sparse

from .lexicon import keyword_issues

MODEL_PATH = Path(__file__).with_name("learned_model.json")

_WORD = re.compile(r"[a-z][a-z'-]*|\d+")
STOP = set("""a an the of on in to for and or with by as at from is are was were be been being it its
this that these those he she they we i you his her their our my your them him us me has have had
do does did will would shall should can could may might must not no""".split())


def _content_verb(sent, lexicon_speech):
    """The predicate whose content the sentence reports: a neutral speech root passes to its
    complement; an aspectual/xcomp chain is followed one step."""
    root = sent.root
    verb = root
    if root.lemma_.lower() in lexicon_speech:
        for c in root.children:
            if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX"):
                verb = c
                break
        else:
            subs = [c for c in root.children if c.dep_ == "nsubj"]
            if len(subs) > 1:
                for c in subs[0].children:
                    if c.dep_ == "acl":
                        verb = c
                        break
    return root, verb


def _verb_feats(prefix: str, v, out: dict) -> None:
    lemma = v.lemma_.lower()
    out[f"{prefix}:{lemma}"] = 1.0
    for c in v.children:
        d = c.dep_
        if d == "neg" or c.lower_ in ("never",):
            out[f"{prefix}neg"] = 1.0
            out[f"{prefix}neg:{lemma}"] = 1.0
        elif d in ("aux", "auxpass") and c.lower_ in ("might", "may", "could", "would", "will", "must", "should", "can"):
            out[f"{prefix}aux:{c.lower_}"] = 1.0
        elif d in ("prt", "prep", "agent"):
            out[f"{prefix}prt:{lemma}_{c.lower_}"] = 1.0
            for g in c.children:
                if g.dep_ == "pobj":
                    out[f"{prefix}pobj:{g.lemma_.lower()}"] = 1.0
        elif d in ("dobj", "nsubjpass", "attr", "oprd", "acomp"):
            out[f"{prefix}obj:{c.lemma_.lower()}"] = 1.0
            out[f"{prefix}vo:{lemma}_{c.lemma_.lower()}"] = 1.0
        elif d == "xcomp":
            out[f"{prefix}x:{c.lemma_.lower()}"] = 1.0
            for g in c.children:
                if g.dep_ in ("dobj",):
                    out[f"{prefix}xobj:{g.lemma_.lower()}"] = 1.0


@dataclass
class SentenceInfo:
    """One sentence as the rules left it: their items, the candidate holders (holders.py) and
    where it sits (paragraph, inside a quotation, who speaks that quotation)."""

    sent: object  # spaCy Span
    items: list
    candidates: dict
    para: int
    in_quote: bool
    quote_holder: object
    date: str | None
    held_type: str | None = None  # DocState.held_type of this sentence
    dates: list = field(default_factory=list)  # its date expressions (dates.DateHit), period bounds included
    voice: object = None  # outside quotations, whose statement's text it is (DocState.voice), if any
    quote: int | None = None  # the index of the quotation it sits in (quotes.quote_regions), if any


def document_features(infos: list[SentenceInfo], lexicon_speech) -> tuple[list, list, list]:
    """Per sentence: issue features, type features and {candidate actor: holder features}.

    Issues read their context too, because readers code what a sentence is about from the
    paragraph ("We will not carry this risk alone" in a paragraph on frozen assets): the previous
    sentence's issues in the same paragraph and the paragraph's issues so far. (The issues of the
    whole document were tried: a long brief names every issue, and they drowned the sentence.)"""
    kws = [keyword_issues(info.sent.text) for info in infos]
    # what each sentence names: its keyword families and the rules' issues
    named = [set(kw) | {it["issue"] for it in info.items if it.get("issue")} for kw, info in zip(kws, infos)]
    fi, ft, fh = [], [], []
    para_issues: set = set()
    for n, info in enumerate(infos):
        same_para = n > 0 and infos[n - 1].para == info.para
        if not same_para:
            para_issues = set()
        a, b = sentence_features(info.sent, info.items, lexicon_speech, kws[n])
        if same_para:
            for i in named[n - 1]:
                a[f"pi:{i}"] = 1.0
        for i in para_issues:
            a[f"pa:{i}"] = 1.0
        if info.in_quote:
            b["ctx:quote"] = 1.0
        para_issues |= named[n]
        fi.append(a)
        ft.append(b)
        fh.append(info.candidates)
    return fi, ft, fh


def sentence_features(sent, rule_items: list[dict], lexicon_speech, kw: list[str] | None = None) -> tuple[dict, dict]:
    """(issue features, type features) of one parsed sentence and the rules' items in it."""
    raw = sent.text  # Span.text rebuilds the string on every access: read it once
    text = raw.lower()
    words = [w for w in _WORD.findall(text)]
    fi: dict = {}
    for w in words:
        if w not in STOP and len(w) > 1:
            fi["w:" + w] = 1.0
    for a, b in zip(words, words[1:]):
        if not (a in STOP and b in STOP):
            fi[f"b:{a}_{b}"] = 1.0
    for t in sent:
        if t.is_alpha and not t.is_stop and len(t) > 2:
            fi["l:" + t.lemma_.lower()] = 1.0
    rule_issues = {it.get("issue") for it in rule_items if it.get("issue")}
    for i in rule_issues:
        fi["ri:" + i] = 1.0
    for iid in (keyword_issues(raw) if kw is None else kw):
        fi["kw:" + iid] = 1.0
    firm = [it for it in rule_items if not it.get("_candidate")]
    if not firm:
        fi["r:none" if not rule_items else "r:candidate"] = 1.0

    ft: dict = {}
    root, verb = _content_verb(sent, lexicon_speech)
    _verb_feats("v", verb, ft)
    if verb is not root:
        _verb_feats("r", root, ft)
    main = next((it for it in firm if it.get("kind") in ("statement", "event")), None)
    rtype = main.get("event_type") if main else None
    ft["rt:" + str(rtype)] = 1.0
    if not firm:
        ft["r:none" if not rule_items else "r:candidate"] = 1.0
    if main and main.get("verb"):
        ft["rv:" + main["verb"]] = 1.0
    for t in sent:
        if t.is_alpha and not t.is_stop and len(t) > 2 and t.pos_ in ("VERB", "NOUN", "ADJ"):
            ft["l:" + t.lemma_.lower()] = 1.0
    if any(t.text in ("“", '"', "«") for t in sent):
        ft["quote"] = 1.0
    return fi, ft


STRUCTURAL = ("ri:", "kw:", "rt:", "r:", "v:", "vneg", "vprt:", "vobj:", "vx:", "vvo:", "pi:", "pa:", "ctx:")


def vectorise(feats: list[dict], vocab: dict[str, int], idf: np.ndarray | None) -> sparse.csr_matrix:
    """Sparse (n, |vocab|) matrix: word features × idf with rows l2-normalised, plus the structural
    features (what the rules found, the governing verb and its dependants) as plain 0/1.
    Without idf every feature is plain 0/1 (the holder model)."""
    data: list[float] = []
    cols: list[int] = []
    indptr = [0]
    for f in feats:
        known = sorted(j for j in (vocab.get(k) for k in f) if j is not None)
        if idf is None:
            vals = [1.0] * len(known)
        else:
            plain = {vocab[k] for k in f if k in vocab and k.startswith(STRUCTURAL)}
            weighted = [idf[j] for j in known if j not in plain]
            n = math.sqrt(sum(v * v for v in weighted)) or 1.0
            vals = [1.0 if j in plain else idf[j] / n for j in known]
        data.extend(vals)
        cols.extend(known)
        indptr.append(len(cols))
    return sparse.csr_matrix((np.asarray(data, dtype=np.float64), np.asarray(cols, dtype=np.int64), indptr),
                             shape=(len(feats), len(vocab)))


class _Linear:
    def __init__(self, spec: dict):
        self.vocab = {w: i for i, w in enumerate(spec["vocab"])}
        self.idf = np.asarray(spec["idf"], dtype=np.float64) if spec.get("idf") is not None else None
        self.plain = np.array([w.startswith(STRUCTURAL) for w in spec["vocab"]], dtype=bool)
        self.labels = list(spec["labels"])
        # float16 little-endian, base64, labels × vocabulary
        raw = np.frombuffer(base64.b64decode(spec["coef"]), dtype="<f2")
        self.coef = raw.astype(np.float64).reshape(len(self.labels), len(self.vocab))
        self.coef_t = np.ascontiguousarray(self.coef.T)  # a transposed view was copied on every product
        self.intercept = np.asarray(spec["intercept"], dtype=np.float64)
        self.multiclass = spec.get("multiclass", False)

    def _matrix(self, feats: list[dict]) -> sparse.csr_matrix:
        """`vectorise` for a whole document at once (numpy over all features instead of a Python
        loop per sentence; the training path keeps `vectorise`, whose output this equals)."""
        rows, cols = [], []
        get = self.vocab.get
        for r, f in enumerate(feats):
            for k in f:
                j = get(k)
                if j is not None:
                    rows.append(r)
                    cols.append(j)
        r_ = np.asarray(rows, dtype=np.int64)
        c_ = np.asarray(cols, dtype=np.int64)
        if self.idf is None:
            data = np.ones(len(c_))
        else:
            plain = self.plain[c_]
            w = np.where(plain, 0.0, self.idf[c_])
            norm = np.sqrt(np.bincount(r_, weights=w * w, minlength=len(feats)))
            norm[norm == 0] = 1.0
            data = np.where(plain, 1.0, w / norm[r_])
        return sparse.csr_matrix((data, (r_, c_)), shape=(len(feats), len(self.vocab)))

    def proba(self, feats: list[dict]) -> np.ndarray:
        if not feats:
            return np.zeros((0, len(self.labels)))
        z = self._matrix(feats) @ self.coef_t + self.intercept
        if self.multiclass:
            z = z - z.max(axis=1, keepdims=True)
            e = np.exp(z)
            return e / e.sum(axis=1, keepdims=True)
        return 1.0 / (1.0 + np.exp(-z))


class LearnedLayer:
    """Loaded once; `issues_and_type` for a batch of sentences."""

    def __init__(self, spec: dict):
        self.spec = spec
        self.issue_model = _Linear(spec["issues"])
        self.type_model = _Linear(spec["type"])
        self.holder_model = _Linear(spec["holders"])
        th = spec["thresholds"]
        self.add, self.keep = th["issue_add"], th["issue_keep"]
        self.override, self.fill = th["type_override"], th["type_fill"]
        self.hold_keep, self.hold_add = th["holder_keep"], th["holder_add"]

    def predict(self, fi: list[dict], ft: list[dict]):
        return self.issue_model.proba(fi), self.type_model.proba(ft)

    def holders(self, per_sentence: list[dict[str, dict]]) -> list[list[str]]:
        """Per sentence, the candidates that hold it, most probable first: the rules' holders unless
        the model finds them unlikely (below `holder_keep`), others when it finds them likely (at
        or above `holder_add`). One matrix for the whole document."""
        flat = [(n, a, f) for n, cands in enumerate(per_sentence) for a, f in cands.items()]
        p = self.holder_model.proba([f for _, _, f in flat])[:, 0] if flat else np.zeros(0)
        out: list[list[tuple[float, str]]] = [[] for _ in per_sentence]
        for (n, a, f), q in zip(flat, p):
            if holds(f, q, self.hold_keep, self.hold_add):
                out[n].append((-float(q), a))
        return [[a for _, a in sorted(x, key=lambda t: t[0])] for x in out]

    def combine_issues(self, probs: np.ndarray, rule_issues: list[str], allowed=None, add_keep=None) -> list[str]:
        labels = self.issue_model.labels
        add, keep = add_keep if add_keep is not None else (self.add, self.keep)
        # the classifier vetoes only issues it may name (a case's own meaning of a known id is not its)
        p = {lab: v for lab, v in zip(labels, probs) if allowed is None or lab in allowed}
        out = [i for i in rule_issues if p.get(i, 1.0) >= keep]
        for i in np.argsort(-probs):
            lab = labels[i]
            if probs[i] >= add and lab not in out and (allowed is None or lab in allowed):
                out.append(lab)
        return out

    def combine_type(self, probs: np.ndarray, rule_type: str | None) -> str | None:
        return combine_type(self.type_model.labels, probs, rule_type, self.override, self.fill)


def holds(features: dict, p: float, keep: float, add: float) -> bool:
    """A candidate the rules named stays unless p < keep; any other joins at p ≥ add."""
    return p >= (keep if "rule" in features or "rule_cand" in features else add)


def combine_type(labels: list[str], probs: np.ndarray, rule_type: str | None, override: float, fill: float) -> str | None:
    """The type of a sentence's main item. The classifier reads the rules' type among its features,
    so it decides: its most probable type (of those that are types) replaces the rules' when its
    share of the type probability reaches `override`. A clause the rules could not type takes it
    only when the classifier thinks the sentence says something at all (p ≥ `fill` against "None")."""
    p = np.array(probs, dtype=np.float64)
    none = labels.index("None") if "None" in labels else None
    p_none = 0.0
    if none is not None:
        p_none, p[none] = float(p[none]), 0.0
    k = int(np.argmax(p))
    lab, raw = labels[k], float(p[k])
    if rule_type is None:
        return lab if raw >= fill else None
    return lab if raw / max(1.0 - p_none, 1e-9) >= override else rule_type


@lru_cache(maxsize=1)
def load(path: str | None = None) -> LearnedLayer | None:
    p = Path(path) if path else MODEL_PATH
    if not p.exists():
        return None
    return LearnedLayer(json.loads(p.read_text(encoding="utf-8")))
