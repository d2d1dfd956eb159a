"""The learned layer applied to one document's rule items (one matrix per document).

Per sentence: which candidates hold it (learned.LearnedLayer.holders), the main item's type
(the classifier's unless the rules read it from the structure) and the issues (the rules' kept
above `keep`, the classifier's added above `add`); then one item per holder and decided issue
(`_one_per_holder`): the first with its best-ranked issue and type and the ranked
`issue_alternatives` / `type_alternatives` for the reviewer, one more for each other issue the
holder speaks to at `SECOND_ISSUE` of the best's score; never one per holder × issue × clause.
"""

from __future__ import annotations

from . import learned as _learned
from .issues import IssueMatcher, placeless_text
from .lexicon import FORCE, SPEECH_NEUTRAL, STATEMENT_TYPES
from .quotes import QUOTE_MARKS


def _retype_main(its: list[dict], pt, layer) -> str | None:
    """The main clause's items (same verb) take the classifier's type; returns the final type."""
    main = next((it for it in its if it.get("kind") in ("statement", "event")), None)
    rule_type = main.get("event_type") if main else None
    new_type = rule_type if main is not None and main.get("_structural") else layer.combine_type(pt, rule_type)
    if main is not None and new_type != rule_type:
        for it in its:
            if it.get("verb") == main.get("verb") and it.get("event_type") == rule_type:
                it["event_type"] = new_type
                it["kind"] = "statement" if new_type in STATEMENT_TYPES else "event"
    return new_type


def lead_type(its: list[dict], infos: list) -> None:
    """A list item commits as its lead-in ("Iran has committed to:") does: the lead-in's decided
    type, kept from the classifier, which reads the bare item ("Not install additional
    centrifuges") as a refusal."""
    for it in its:
        if "_lead" in it and it.get("event_type") is None:
            lead = infos[it["_lead"]].items
            it["event_type"] = next((x["event_type"] for x in lead if x.get("actor") == it.get("actor")
                                     and x.get("event_type")), None)
            if it["event_type"] is not None:
                it["kind"] = "statement" if it["event_type"] in STATEMENT_TYPES else "event"
                it["_structural"] = True


def _add_holders(its: list[dict], info, holders: list[str], issues: list[str], new_type) -> None:
    """Holders the rules did not name take the sentence's type and issues (the quotation's
    speaker with their name), unless the rules gave the sentence to a named speaker. "Russia did
    not attack": the rules say nothing of a negated act, nor does the layer."""
    sent, qh = info.sent, info.quote_holder
    negated_act = new_type not in STATEMENT_TYPES and any(c.dep_ == "neg" for c in sent.root.children)
    # a sentence the rules give to a named speaker ("“... every pathway that Iran could take,” the
    # President said") is the speaker's: a party it only mentions does not join as a holder
    spoken = any(it.get("speaker") for it in its)
    for actor in holders:
        if any(it.get("actor") == actor for it in its) or (not issues and new_type is None) or negated_act:
            continue
        if spoken and (qh is None or qh.actor != actor):
            continue
        speaker = qh.speaker_id or qh.speaker if qh is not None and qh.actor == actor else None
        its.append({"kind": "statement" if new_type in STATEMENT_TYPES or new_type is None else "event",
                    "event_type": new_type, "actor": actor, "speaker": speaker, "reported_by": None,
                    "date": info.date, "start": sent.start_char, "end": sent.end_char,
                    "sentence": [sent.start_char, sent.end_char], "verb": sent.root.lemma_,
                    "confidence": 0.5, "issue": None, "position": None})


def _rebuild(its: list[dict], issues: list[str], text: str, matcher: IssueMatcher) -> list[dict]:
    """Per holder and clause, one item per final issue (the rules' item where it had that issue)."""
    groups: dict = {}
    for it in its:
        groups.setdefault((it.get("verb"), it.get("actor"), it.get("event_type")), it)
    out = []
    for base in groups.values():
        if not issues:
            if base.get("event_type") is not None:
                out.append({**base, "issue": None, "position": None})
            continue
        for issue in issues:
            old = next((x for x in its if x.get("verb") == base.get("verb") and x.get("actor") == base.get("actor")
                        and x.get("issue") == issue), None)
            if old is not None:
                out.append(old)
            else:
                position, role = matcher.position(issue, text, base.get("event_type"))
                out.append({**base, "issue": issue, "position": position, "role": role,
                            "confidence": round(min(base.get("confidence") or 0.5, 0.6), 2)})
    return out


ALTERNATIVES = 3  # ranked alternatives kept per item (issue and type each)
MIN_ALTERNATIVE = 0.1  # below this score an issue or type is not worth showing
SECOND_ISSUE = 0.5  # another decided issue of the holder becomes an item of its own at this share of the best's score


def _one_per_holder(items: list[dict], issue_score: dict[str, float], type_score: dict[str, float]) -> list[dict]:
    """Per holder of the sentence: the clause with its best issue (the first clause when none has
    an issue) with ranked alternatives for issue and type, and an item for each other decided
    issue of that holder scoring at least `SECOND_ISSUE` of the best."""
    by_actor: dict = {}
    for it in items:
        by_actor.setdefault(it.get("actor"), []).append(it)
    out = []
    for its in by_actor.values():
        # in the rules' order among equal scores (a set's order changes with the process's hash seed)
        issues = sorted(dict.fromkeys(x["issue"] for x in its if x.get("issue")), key=lambda i: -issue_score.get(i, 0.0))
        main = next((x for x in its if x.get("issue") == issues[0]), its[0]) if issues else its[0]
        more = [i for i, v in sorted(issue_score.items(), key=lambda kv: -kv[1])
                if v >= MIN_ALTERNATIVE and i not in issues]
        main["issue_alternatives"] = [{"value": i, "score": round(issue_score.get(i, 0.0), 3)}
                                      for i in (issues[1:] + more)[:ALTERNATIVES]]
        if main.get("event_type") is None and main.get("actor") and main.get("kind") == "statement":
            # a holder who speaks to the sentence says something: the most likely of the types
            main["event_type"] = max((t for t in type_score if t != "None"), key=type_score.__getitem__)
        types = [t for t, v in sorted(type_score.items(), key=lambda kv: -kv[1])
                 if v >= MIN_ALTERNATIVE and t not in (main.get("event_type"), "None")]
        main["type_alternatives"] = [{"value": t, "score": round(type_score[t], 3)} for t in types[:ALTERNATIVES]]
        out.append(main)
        # a holder who speaks to several issues in one sentence holds a position on each
        for issue in issues[1:]:
            if issue_score.get(issue, 0.0) >= SECOND_ISSUE * issue_score.get(issues[0], 0.0):
                item = next(x for x in its if x.get("issue") == issue)
                out.append({**item, "event_type": item.get("event_type") or main.get("event_type"),
                            "issue_alternatives": [], "type_alternatives": main["type_alternatives"]})
    return out


def _listed_issues(text: str, matcher: IssueMatcher) -> list[str]:
    """The issues a sentence lists one to an item ("demanded that the army withdraw from Donetsk
    ...; that the annexation of Crimea be accepted; that it reduce its army; ..."): an item of
    three or more between semicolons that names one issue names it for sure. The classifier
    reads the sentence whole, and seven issues in one sentence left some below its veto."""
    parts = text.split(";")
    if len(parts) < 3:
        return []
    out = []
    for part in parts:
        hits = matcher.issues(part.split(" that ", 1)[-1])  # what is demanded, not where ("At the talks, X demanded that")
        if len(hits) == 1 and hits[0] not in out:
            out.append(hits[0])
    return out


def apply_learned(infos: list, layer, embed, matcher: IssueMatcher, case) -> None:
    """Decide each sentence's holders, type and issues; rewrites `info.items` in place."""
    fi, ft, fh = _learned.document_features(infos, SPEECH_NEUTRAL)
    p_issue, p_type = layer.predict(fi, ft)
    add_keep = None
    if embed is not None:
        p_issue = embed.mix(p_issue, layer.issue_model.labels, [i.sent.text for i in infos])
        add_keep = (embed.add, embed.keep)
    allowed = set(matcher.patterns) - matcher.redefined if case is not None and getattr(case, "issues", None) else None
    for info, pi, pt, holders in zip(infos, p_issue, p_type, layer.holders(fh)):
        candidates = [it for it in info.items if it.pop("_candidate", False)]
        firm = [it for it in info.items if it not in candidates]
        # a list item's or a statement's given holder, or a named speaker the rules attributed a
        # typed clause to ("..., Rouhani said"), is the text's structure, not a guess
        its = [it for it in (firm or candidates) if it.get("actor") in holders or "_lead" in it or "_given" in it
               or (firm and it.get("speaker"))]
        lead_type(its, infos)
        new_type = _retype_main(its, pt, layer)
        if not its and info.held_type:
            new_type = info.held_type  # the structure's type, read where the rules named no holder
        rule_issues = list(dict.fromkeys(it["issue"] for it in its if it.get("issue")))
        if not its:
            rule_issues = matcher.issues(info.sent.text)
        issues = layer.combine_issues(pi, rule_issues, allowed, add_keep)
        listed = [i for i in _listed_issues(info.sent.text, matcher) if i in rule_issues]
        issues += [i for i in listed if i not in issues]
        _add_holders(its, info, holders, issues, new_type)
        # how likely each issue is: the classifier's probability, or the case matcher's score for
        # a case issue the classifier does not know
        score = {lab: float(v) for lab, v in zip(layer.issue_model.labels, pi) if allowed is None or lab in allowed}
        if case is not None:
            for iid, v in matcher.ranked(info.sent.text):
                score.setdefault(iid, v)
        for i in issues:
            score.setdefault(i, 1.0)
        score.update({i: 1.0 for i in listed})
        types = {lab: float(v) for lab, v in zip(layer.type_model.labels, pt)}
        info.items = _one_per_holder(_rebuild(its, issues, info.sent.text, matcher), score, types)


def force_without_issue(infos: list, matcher: IssueMatcher) -> None:
    """An attack, a clash or a troop movement is on an issue only when the sentence names the
    issue beyond the places it happened ("shelled Zaporizhzhia city" is no position on territory;
    "shelled a camp for displaced people" is on the humanitarian issue): the act stays, without
    the issue its places or the classifier lent it, one per holder."""
    for info in infos:
        if not any(it.get("event_type") in FORCE and it.get("issue") for it in info.items):
            continue
        named = set(matcher.issues(placeless_text(info.sent)))
        out, seen = [], set()
        for it in info.items:
            if it.get("event_type") in FORCE:
                if it.get("issue") and it["issue"] not in named:
                    it = {**it, "issue": None, "position": None, "issue_alternatives": []}
                key = (it.get("actor"), it.get("issue"), it["event_type"])
                if key in seen:
                    continue
                seen.add(key)
            out.append(it)
        info.items = out


def carry_issues(infos: list, matcher: IssueMatcher, speakers: dict | None = None, unattributed=None) -> None:
    """Sentences that go on about what their holder just said, sentence by sentence so that
    what one carries the next can carry on: `carry_topic`, then `carry_quote`. `speakers`
    (quote index → holder, as known at the document's end) names the speaker of a quotation's
    sentences before its attribution ("“We're not fixated on that. We know what they did,” he
    said."); `unattributed` speaks a quotation nobody is said to speak (an interview's answers:
    the interviewee)."""
    prev = None
    before: dict[str, str] = {}  # each holder's main issue in the sentence before
    quote_issue: dict[int, str] = {}  # quote index → the issue its speaker last held in it
    for info in infos:
        named = matcher.issues(info.sent.text)  # the issues the sentence's own words name
        if prev is not None and prev.para == info.para:
            carry_topic(info, before)
        if info.quote is not None:
            qh = info.quote_holder or (speakers or {}).get(info.quote) or unattributed
            if qh is not None and qh.actor:
                opens = prev is None or prev.quote != info.quote
                carry_quote(info, qh, quote_issue, before if opens else {}, named)
        prev, before = info, _held(info, named)


def _held(info, named: list[str]) -> dict[str, str]:
    """Each holder's main issue in a sentence: one the sentence names itself (`named`) before one
    its paragraph lent it ("As for the Church, ..." in a paragraph on language is on the church),
    then the surer."""
    best: dict[str, tuple] = {}
    for it in info.items:
        if it.get("actor") and it.get("issue"):
            key = (it["issue"] in named, it.get("confidence") or 0.0)
            if it["actor"] not in best or key > best[it["actor"]][0]:
                best[it["actor"]] = (key, it["issue"])
    return {a: issue for a, (_, issue) in best.items()}


def _carried(it: dict, issue: str) -> dict:
    return {**it, "issue": issue, "position": None, "role": "claim",
            "confidence": round(min(it.get("confidence") or 0.5, 0.5), 2)}


def carry_topic(info, before: dict[str, str]) -> None:
    """A holder who goes on in the next sentence of the same paragraph without naming an issue
    ("We cannot allow this.", "They must take their dead too.") is still on the issues they just
    spoke to: their issueless items take the main one (no position: the sentence does not place;
    "They must take their dead too." after a demand on territory and Crimea is on territory).
    `before`: each holder's main issue in the sentence before (`_held`)."""
    out = []
    for it in info.items:
        carried = before.get(it.get("actor") or "") if it.get("kind") == "statement" and not it.get("issue") \
            and not any(x.get("issue") for x in info.items if x.get("actor") == it.get("actor")) else None
        out.append(_carried(it, carried) if carried else it)
    info.items = out


def carry_quote(info, qh, quote_issue: dict[int, str], before: dict[str, str], named: list[str]) -> None:
    """A quotation goes on about what its speaker just said: a sentence of it that names no
    issue ("This is essential.", "But Russia is not like that.") is the speaker's (`qh`) on the
    issue of the quotation's last sentence that named one. Unlike `carry_topic`, this crosses
    paragraphs: a long answer quoted over several paragraphs is still one answer. A quotation
    that opens right after its speaker was reported on an issue ("Kerry said the US cares less
    about past work on a bomb." then "“We're not fixated on that.”") starts on that issue. The
    speaker's issueless item takes the issue; with none, a new one is made (no type: the
    sentence gives none the rules could read), on the sentence's own issue if it names one (a
    sentence before the attribution had no holder when the rules read it). A speaker's sentence
    whose issues its paragraph lent it (the classifier reads the paragraph) and its words do not
    name is on the quotation's topic instead. What the quotation tells another party did
    ("Trump pressured him", an act in the past, not a guess with "would") is that party's on the
    topic, not a new item of the speaker's. `before`: each holder's main issue in the sentence
    before the quotation opened here (empty inside it); `named`: the issues the sentence's words
    name."""
    if info.quote not in quote_issue and qh.actor in before:
        quote_issue[info.quote] = before[qh.actor]
    own = [it for it in info.items if it.get("actor") == qh.actor and it.get("kind") == "statement"]
    if any(it.get("issue") for it in own):
        topic = quote_issue.get(info.quote)
        if topic and not any(it.get("issue") in named for it in own) and all(it.get("issue") != topic for it in own):
            # what the sentence is on came from its paragraph, not its words: the quotation's
            # own topic is the nearer context
            lent = [it for it in own if it.get("issue")]
            info.items = [x for x in info.items if not any(x is y for y in lent[1:])]
            info.items[info.items.index(lent[0])] = _carried(lent[0], topic)
            return
        quote_issue[info.quote] = _held(info, named)[qh.actor]
        return
    if any(it.get("issue") for it in info.items):
        return
    if own:
        if info.quote in quote_issue:
            info.items[info.items.index(own[0])] = _carried(own[0], quote_issue[info.quote])
        return
    issue = next(iter(named), None) or quote_issue.get(info.quote)
    if issue is None:
        return
    quote_issue[info.quote] = issue
    root = info.sent.root
    acted = [bool(it.get("actor") and it.get("event_type")) for it in info.items]
    if any(acted) and root.tag_ == "VBD" and not any(c.tag_ == "MD" for c in root.children):
        info.items = [_carried(it, issue) if a else it for it, a in zip(info.items, acted)]
        return
    s, e = info.sent.start_char, info.sent.end_char
    info.items.append({"kind": "statement", "event_type": None, "actor": qh.actor,
                       "speaker": qh.speaker_id or qh.speaker, "reported_by": None, "date": info.date,
                       "start": s, "end": e, "sentence": [s, e], "verb": info.sent.root.lemma_,
                       "confidence": 0.4, "issue": issue, "position": None, "role": "claim"})


def drop_writer_questions(infos: list) -> None:
    """A question the writer asks ("How far is Ukraine ready to retreat from its demands?") asserts
    nothing: no party holds what it names. A question inside someone's words ("should Turkiye be a
    bridge?") is theirs, rhetorical or not, and stays; the sentence's dated events stay too."""
    for info in infos:
        text = info.sent.text.rstrip()
        if info.quote is None and text.endswith("?") and not any(m in text for m in QUOTE_MARKS):
            info.items = [it for it in info.items if it.get("kind") not in ("statement", "event")]
