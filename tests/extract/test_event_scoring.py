"""The event scorer's matching rule on tiny synthetic chronologies (docs/extraction.md)."""

from pathlib import Path

import pytest

from accord.training.event_score import (
    GoldEvent,
    dates_agree,
    events_from_annotation,
    events_from_csv,
    line_spans,
    score_events,
)


def ev(date, parts, spans=((0, 10),), id="g"):
    return GoldEvent(id=id, date=date, participants=frozenset(parts), spans=list(spans))


def item(date, actor=None, target=None, start=100, kind="event"):
    return {"kind": kind, "date": date, "actor": actor, "target": target, "start": start, "end": start + 5}


@pytest.mark.parametrize("gold, extracted, ok", [
    ("2025-07", "2025-07-14", True),      # a month-only gold date matches any day of that month
    ("2025-07", "2025-07", True),
    ("2025-07-14", "2025-07", False),     # less precise than the gold: not agreed
    ("2025-07-14", "2025-07-15", False),
    ("2025", "2025-12-31", True),
    ("2025-07", "2025-08-01", False),
    ("2025-07", None, False),
])
def test_dates_agree_to_the_golds_precision(gold, extracted, ok):
    assert dates_agree(gold, extracted) is ok


def test_match_needs_date_and_participant_or_place():
    gold = [ev("2025-08-15", {"USA", "RUS"}, id="alaska"), ev("2025-09", {"UKR"}, spans=[(200, 300)], id="kyiv")]
    items = [
        item("2025-08-15", actor="RUS"),             # date + participant → alaska
        item("2025-09-07", actor="FRA", start=250),  # date + place (no participant) → kyiv
        item("2025-08-15", actor="FRA"),             # right date, nobody and nowhere: no match
        item("2025-08-15", actor="USA", kind="statement"),  # not an event item: ignored
    ]
    s = score_events([(gold, items)], exhaustive=True)
    assert (s.gold, s.extracted, s.matched_gold) == (2, 3, 2)
    assert s.recall == 1.0
    assert s.precision == round(2 / 3, 3)


def test_wrong_date_counts_against_date_accuracy_not_as_a_match():
    gold = [ev("2025-07-14", {"USA"}, id="deadline"), ev("2025-08-06", {"RUS"}, id="witkoff"),
            ev("2025-09", {"TUR"}, spans=[(500, 600)], id="elsewhere")]
    items = [item("2025-07-29", actor="USA", start=3), item("2025-08-06", actor="khamenei", start=4)]
    s = score_events([(gold, items)], exhaustive=False, speaks_for={"khamenei": "RUS"})
    assert s.matched_gold == 1 and s.recall == round(1 / 3, 3)
    assert s.precision is None  # the gold is not exhaustive
    assert s.located == 2 and s.date_accuracy == 0.5


def test_no_events_gives_zero_recall():
    s = score_events([([ev("2025", {"USA"})], [])], exhaustive=True)
    assert s.recall == 0.0 and s.precision == 0.0 and s.date_accuracy is None


def test_csv_locators_are_lines_of_the_text(tmp_path: Path):
    text = "first line\nsecond line\nthird"
    p = tmp_path / "events.csv"
    p.write_text("id,date,type,actors,summary,source,locator\n"
                 "a,2025-09,CONSULT,USA; RUS,x,s,KHAR ¶2; ¶3\n"
                 "b,2025,CONSULT,USA,x,s,other ¶1\n", encoding="utf-8")
    gold = events_from_csv(p, text)
    assert [g.id for g in gold] == ["a"]
    assert gold[0].spans == [line_spans(text)[1], line_spans(text)[2]]
    assert text[slice(*gold[0].spans[0])] == "second line"
    assert gold[0].participants == {"USA", "RUS"}
    bad = tmp_path / "bad.csv"
    bad.write_text("id,date,type,actors,summary,source,locator\nz,2025,X,USA,x,s,KHAR ¶9\n", encoding="utf-8")
    with pytest.raises(ValueError, match="¶9"):
        events_from_csv(bad, text)


def test_annotated_events_keep_their_spans():
    g = events_from_annotation("d", [{"event": "meeting", "date": "2015-03-16", "participants": ["IRN"],
                                      "start": 5, "end": 9}])
    assert g[0].spans == [(5, 9)] and g[0].participants == {"IRN"}
