"""One source of key answers: the web overview shows the briefing's own sentences."""

from __future__ import annotations

from report_smallcase import small_case

from accord.analysis import analyze_case
from accord.report import build_briefing
from accord.report.answers import key_answers
from accord.web import views


def test_web_and_briefing_give_the_same_answers():
    case = small_case()
    analysis = analyze_case(case, "2025-09-10", draws=0)
    briefing = build_briefing(case, analysis)
    shared = key_answers(case, analysis)
    assert [a.question for a in shared] == [a.question for a in briefing.answers]
    assert [a.answer for a in shared] == [a.verdict for a in briefing.answers]
    assert [a.detail for a in shared] == [" ".join(s.text for s in a.sentences) for a in briefing.answers]
    web = views.key_answers(case, analysis)
    assert [w["detail"] for w in web] == [a.detail for a in shared] and all(w["evidence"] for w in web)
    assert views.key_answers(case, None) == []
