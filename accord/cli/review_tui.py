"""The interactive `accord review`: one candidate per screen, single keys, the same keys as the web.

The screen shows the candidate's whole sentence highlighted inside its paragraph (wrapped to the
terminal by rich), its proposed fields with the ranked alternatives for issue and type, and the
keys. Keys (as on the web review page, accord/web/static/app.js):

  a accept · x reject · e edit a field · j or s next · k previous · u undo your last decision ·
  b batch accept above a confidence (after a preview, y/n) · m merge a name into an actor · q quit

Every decision is one audited store write through accord.review / accord.review_history.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .. import review as rv
from .. import review_history as rh
from ..store import Document, StaleWrite, Store
from .review_keys import KeyReader
from .review_learn import EVERY, WINDOW, Learner

KEYS = [("a", "accept"), ("x", "reject"), ("e", "edit"), ("j/s", "next"), ("k", "previous"),
        ("u", "undo"), ("b", "batch accept"), ("m", "merge alias"), ("q", "quit")]

# What the screen shows of each kind, in order (holder first: who said it).
FIELDS = {
    "statement": ("actor", "speaker", "reported_by", "issue", "event_type", "role", "position", "date", "red_line"),
    "event": ("event_type", "actors", "actor", "date", "summary"),
    "figure": ("quantity", "value", "unit", "date", "note"),
    "contradiction": ("why", "date"),
}
ALTERNATIVES = {"issue": "issue_alternatives", "event_type": "type_alternatives"}
CONTEXT = 1200  # characters of paragraph shown each side of the sentence, at most


def sentence_and_paragraph(text: str, start: int, end: int) -> tuple[str, str, str, str, str]:
    """(paragraph before, sentence before, span, sentence after, paragraph after) around a span.

    A paragraph ends at a line break, a sentence at . ! ? … and a space, as on the web page; the
    paragraph is cut to CONTEXT characters each side (at a space) so one screen holds it. Only a
    window around the span is searched, so a long document costs no more than a short one."""
    b = rv.span_bounds(text, start, end, reach=4 * CONTEXT)
    p_lo, s_lo, start, end, s_hi, p_hi = (b.paragraph_start, b.sentence_start, b.start, b.end,
                                           b.sentence_end, b.paragraph_end)
    before, after = text[p_lo:s_lo], text[s_hi:p_hi]
    if len(before) > CONTEXT or p_lo > 0 and text[p_lo - 1] != "\n":
        before = "… " + before[-CONTEXT:].split(" ", 1)[-1]
    if len(after) > CONTEXT or p_hi < len(text) and text[p_hi] != "\n":
        after = after[:CONTEXT].rsplit(" ", 1)[0] + " …"
    return before, text[s_lo:start], text[start:end], text[end:s_hi], after


# Control characters (ESC starts terminal commands) and bidi overrides in a document could
# restyle, move or disguise the screen: shown as U+FFFD instead. Newlines and tabs stay.
_UNSAFE = {c: "\ufffd" for c in [*range(0x09), *range(0x0b, 0x20), *range(0x7f, 0xa0),
                                  *range(0x202a, 0x202f), *range(0x2066, 0x206a)]}


def safe(s: object) -> str:
    """`s` as text that can only print itself on a terminal."""
    return str(s).translate(_UNSAFE)


def _t(s: object = "", style: str = "") -> Text:
    return Text(safe(s), style=style)


def _value(v: object) -> str:
    if v is None or v == "" or v == []:
        return "—"
    return "; ".join(map(str, v)) if isinstance(v, list) else str(v)


def keys_footer(width: int) -> Text:
    """The keys, wrapped between keys (never inside one) to `width` columns."""
    footer, used = _t(), 0
    for k, what in KEYS:
        size = len(k) + len(what) + 5
        if used and used + size > width:
            footer.append("\n")
            used = 0
        footer.append(f" {k} ", style="reverse")
        footer.append(f" {what}  ")
        used += size
    return footer


def screen(cand: rv.Candidate, doc: Document | None, n: int, total: int, note: Text | None = None,
           width: int = 80, counts: dict[str, int] | None = None, hint: str | None = None) -> Group:
    """Everything one candidate's screen shows (rich renderables; text made safe by `_t`/`safe`)."""
    text = doc.text if doc else ""
    pb, sb, span, sa, pa = sentence_and_paragraph(text, cand.start or 0, cand.end if cand.end is not None else 0)
    para = _t()
    para.append(safe(pb), style="dim")
    para.append(safe(sb), style="bold")
    para.append(safe(span), style="bold reverse")
    para.append(safe(sa), style="bold")
    para.append(safe(pa), style="dim")
    where = (doc.title or doc.path or doc.id[:16]) if doc else cand.document_id[:16]
    title = _t(f"{n}/{total} · {cand.kind} · {cand.id}")
    if cand.status != "pending":
        title.append(safe(f" · {cand.status}" + (f" by {cand.reviewer}" if cand.reviewer else "")), style="yellow")
    sub = _t(where + (f" · {doc.date}" if doc and doc.date else ""), style="dim")
    if counts:  # progress through a long session
        sub.append(safe("   " + " · ".join(f"{v} {k}" for k, v in sorted(counts.items()))))

    fields = Table(box=None, show_header=False, pad_edge=False)
    fields.add_column(style="bold", no_wrap=True)
    fields.add_column(overflow="fold")
    conf = cand.data.get("confidence", cand.confidence)
    fields.add_row("confidence", "—" if conf is None else f"{float(conf):.2f}")
    for f in FIELDS.get(cand.kind, ()):
        v = cand.data.get(f)
        if v in (None, "", []) and f not in ("actor", "issue", "event_type", "position", "date"):
            continue
        cell = _t(_value(v))
        alts = [a for a in cand.data.get(ALTERNATIVES.get(f, ""), None) or [] if a.get("value") != v]
        if alts:
            cell.append("   or " + ", ".join(f"{i}) {safe(a.get('value'))} {float(a.get('score') or 0):.2f}"
                                             for i, a in enumerate(alts, 1)), style="dim")
        fields.add_row(f, cell)
    footer = keys_footer(width)
    parts: list[RenderableType] = [Panel(Group(sub, _t(), para), title=title, title_align="left"), fields]
    if hint:
        parts.append(_t(hint, style="cyan"))
    if note is not None:
        parts.append(note)
    parts.append(footer)
    return Group(*parts)


@dataclass
class Session:
    store: Store
    case_id: str
    who: str
    out: Console
    keys: KeyReader
    queue: list[str] = field(default_factory=list)
    i: int = 0
    decided: int = 0
    learner: Learner | None = None
    _fitted_at: int = 0
    _doc: Document | None = None

    def run(self) -> int:
        self.queue = [c.id for c in rv.list_candidates(self.store, self.case_id)]
        if self.learner:  # decisions of earlier sessions count from the start
            self._learn()
        if not self.queue:
            self.out.print("nothing pending in the review queue")
            return 0
        note: Text | None = None
        while True:
            if self.i >= len(self.queue):
                self.i = len(self.queue)
                self._clear()
                self.out.print(_t(f"end of the queue ({len(self.queue)} seen). k previous · u undo · "
                                    "b batch accept · q quit"))
                if note is not None:
                    self.out.print(note)
            else:
                try:
                    cand = rv.get_candidate(self.store, self.case_id, self.queue[self.i])
                except KeyError:  # gone since the queue was read (its case was re-imported, say)
                    del self.queue[self.i]
                    continue
                self._clear()
                self.out.print(screen(cand, self._document(cand), self.i + 1, len(self.queue), note, self.out.width,
                                      rv.count_candidates(self.store, self.case_id),
                                      self.learner.hint(cand) if self.learner else None))
            key = self.keys.key()
            if key in ("", "q"):
                return 0
            try:
                note = self._act(key)
                if self.learner and self.decided - self._fitted_at >= EVERY:
                    self._learn()
            except (rv.ReviewError, StaleWrite, LookupError, ValueError) as exc:
                msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
                note = _t(f"error: {msg}", style="red")

    def _learn(self) -> None:
        """Refit the review model and re-rank the candidates not yet reached (review_learn.py)."""
        assert self.learner is not None
        self.learner.refit()
        self._fitted_at = self.decided
        rest = self.queue[self.i:]
        pending = {c.id for c in rv.list_candidates(self.store, self.case_id)}
        ahead = [x for x in rest if x in pending][:WINDOW]
        self.queue[self.i:] = self.learner.order(ahead) + [x for x in rest if x not in ahead]

    def _document(self, cand: rv.Candidate) -> Document | None:
        """The candidate's document; the last one is kept, as the queue goes document by document."""
        if self._doc is None or self._doc.id != cand.document_id:
            self._doc = self.store.document(cand.case_id, cand.document_id)
        return self._doc

    def _clear(self) -> None:
        if self.keys.tty:
            self.out.clear()
        else:
            self.out.rule()

    def _current(self) -> rv.Candidate:
        if self.i >= len(self.queue):
            raise LookupError("no candidate here (end of the queue): k goes back")
        return rv.get_candidate(self.store, self.case_id, self.queue[self.i])

    def _act(self, key: str) -> Text | None:
        if key in ("j", "s"):
            self.i = min(self.i + 1, len(self.queue))
            return None
        if key == "k":
            self.i = max(self.i - 1, 0)
            return None
        if key == "a":
            cand = self._current()
            res = rv.accept(self.store, self.case_id, cand.id, reviewer=self.who, expected_version=cand.version)
            self.i += 1
            self.decided += 1
            return _t(f"accepted {cand.id} → " + ", ".join(f"{k} {r}" for k, r in res.records), style="green")
        if key == "x":
            cand = self._current()
            rv.reject(self.store, self.case_id, cand.id, reviewer=self.who, expected_version=cand.version)
            self.i += 1
            self.decided += 1
            return _t(f"rejected {cand.id}", style="red")
        if key == "e":
            return self._edit(self._current())
        if key == "u":
            done = rh.undo_last(self.store, self.case_id, reviewer=self.who)
            if done.candidate.id in self.queue:
                self.i = self.queue.index(done.candidate.id)
            else:
                self.queue.insert(self.i, done.candidate.id)
            return _t(f"undid your {done.action.split('.')[1]} of {done.candidate.id}: it is "
                        f"{done.candidate.status} again" + (f" ({', '.join(done.records)} deleted)" if done.records else ""),
                        style="yellow")
        if key == "b":
            return self._batch()
        if key == "m":
            cand = self._current()
            name = self.keys.line(safe(f"name to merge [{cand.data.get('speaker') or cand.data.get('actor') or ''}]: "))
            if name is None:
                return _t("merge cancelled")
            name = name.strip() or str(cand.data.get("speaker") or cand.data.get("actor") or "")
            actor = self.keys.line("into actor id: ")
            if not actor or not actor.strip():
                return _t("merge cancelled")
            a, rewritten = rv.merge_alias(self.store, self.case_id, name, actor.strip(), reviewer=self.who)
            return _t(f"{name!r} is now an alias of {a.id} ({len(rewritten)} candidate(s) updated)")
        return _t(f"unknown key {key!r}: " + " · ".join(f"{k} {w}" for k, w in KEYS), style="yellow")

    def _edit(self, cand: rv.Candidate) -> Text:
        names = [f for f in FIELDS.get(cand.kind, ()) if f in rv.EDITABLE] + ["confidence"]
        listing = "  ".join(f"{n}) {f}" for n, f in enumerate(names, 1))
        got = self.keys.line(safe(f"field ({listing}; Enter cancels): "))
        if not got or not got.strip():
            return _t("edit cancelled")
        got = got.strip()
        name = names[int(got) - 1] if got.isdigit() and 0 < int(got) <= len(names) else got
        alts = [str(a.get("value")) for a in cand.data.get(ALTERNATIVES.get(name, ""), None) or []]
        hint = ("; " + ", ".join(f"{n}) {a}" for n, a in enumerate(alts, 1))) if alts else ""
        value = self.keys.line(safe(f"{name} [{_value(cand.data.get(name))}{hint}; empty clears, Esc+Enter cancels]: "))
        if value is None or "\x1b" in value:
            return _t("edit cancelled")
        value = value.strip()
        if alts and value.isdigit() and 0 < int(value) <= len(alts):
            value = alts[int(value) - 1]
        rv.edit(self.store, self.case_id, cand.id, {name: value}, reviewer=self.who, expected_version=cand.version)
        self.decided += 1
        return _t(f"edited {name} of {cand.id}", style="green")

    def _batch(self) -> Text:
        got = self.keys.line("batch accept at or above confidence [0.8]: ")
        if got is None:
            return _t("batch cancelled")
        threshold = float(got.strip() or "0.8")
        if not 0 <= threshold <= 1:
            raise ValueError("the confidence is between 0 and 1")
        preview = self.store.candidates(self.case_id, status="pending", min_confidence=threshold)
        if not preview:
            return _t(f"no pending candidate at or above {threshold}")
        self._clear()
        self.out.print(preview_table(self.store, preview))
        self.out.print(_t(f"accept these {len(preview)} candidate(s)? y/n", style="bold"))
        if self.keys.key() != "y":
            return _t("batch cancelled: nothing accepted")
        done, left = accept_previewed(self.store, self.case_id, preview, who=self.who)
        self.decided += len(done)
        if self.learner and done:  # a batch is a batch of decisions: learn from it now
            self._learn()
        msg = _t(f"accepted {len(done)} of {len(preview)}", style="green")
        for cid, why in left[:5]:
            msg.append(safe(f"\n  {cid} left pending: {why}"), style="yellow")
        return msg


def preview_table(store: Store, cands: list[rv.Candidate]) -> Group:
    """What a batch accept would accept: per candidate a line of its fields, then its text."""
    texts: dict[str, str] = {}
    lines = [_t(f"{len(cands)} pending candidate(s) would be accepted:", style="bold")]
    for c in cands:
        if c.document_id not in texts:
            doc = store.document(c.case_id, c.document_id)
            texts[c.document_id] = doc.text if doc else ""
        d, span = c.data, " ".join(texts[c.document_id][c.start or 0:c.end or 0].split())
        conf = "—" if c.confidence is None else f"{c.confidence:.2f}"
        head = _t(f"{c.id}  {c.kind}  {conf}  ")
        head.append(safe(" · ".join(_value(d.get(f)) for f in ("actor", "speaker", "issue", "event_type", "position")
                                    if d.get(f) not in (None, "", []))), style="bold")
        lines += [head, _t("    " + span[:240] + ("…" if len(span) > 240 else ""), style="dim")]
    return Group(*lines)


def accept_previewed(store: Store, case_id: str, preview: list[rv.Candidate], *, who: str
                     ) -> tuple[list[rv.AcceptResult], list[tuple[str, str]]]:
    """Accept exactly the previewed candidates at the versions previewed (as the web's batch does);
    one changed or unacceptable since stays pending, with why. Statements before contradictions."""
    done, left = [], []
    for c in sorted(preview, key=lambda c: (c.kind == "contradiction", c.id)):
        try:
            done.append(rv.accept(store, case_id, c.id, reviewer=who, expected_version=c.version))
        except (rv.ReviewError, StaleWrite, KeyError) as exc:
            left.append((c.id, str(exc)))
    return done, left


def interactive(store: Store, case_id: str, who: str) -> int:
    """Run the review screen until q, end of input or Ctrl-C; the exit code (130 on Ctrl-C)."""
    out = Console(highlight=False)
    with KeyReader() as keys:
        session = Session(store, case_id, who, out, keys, learner=Learner(store, case_id))
        try:
            session.run()
        except KeyboardInterrupt:
            code = 130
        else:
            code = 0
    left = rv.count_candidates(store, case_id).get("pending", 0)
    out.print(_t(f"{'interrupted: ' if code else ''}{session.decided} decision(s) this session; "
                   f"{left} candidate(s) still pending"))
    return code
