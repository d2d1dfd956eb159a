"""Invariants of the flagship case folder, examples/russia-ukraine-2025.

The case is hand-encoded from KHAR Center's September 2025 article; these tests pin the facts the
analysis relies on (dated positions, the confidential source, the article's contradictions) so that
an edit that breaks them fails loudly.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from accord.case.folder import read_case, write_case
from accord.case.models import ActorKind, date_ceiling, date_floor
from accord.positions import derive_positions, position_history

ROOT = Path(__file__).resolve().parents[2]
CASE_DIR = ROOT / "examples" / "russia-ukraine-2025"
# shared/ sits beside the repo (work tree and CI clone alike); the article is optional for the tests.
ARTICLE = ROOT.parent / "shared" / "corpus" / "khar-2025-09-peace-negotiations.txt"

# docs/design.md §3: ids and anchor labels are a contract.
DESIGN_ISSUES = {
    "territory": ("Russian forces leave all of Ukraine's 1991 territory", "freeze on the current line of contact",
                  "Ukraine cedes all of Donetsk, Luhansk, Zaporizhzhia and Kherson"),
    "crimea": ("returns to Ukraine", "status left open / not recognised, frozen", "recognised as Russian"),
    "nato": ("Ukraine joins NATO", "path open, no membership now", "neutrality; membership barred"),
    "security_guarantees": ("binding guarantees with foreign forces", "declarations without forces", "none"),
    "army_limits": ("no limits on Ukraine's forces", "agreed caps", "drastic reduction"),
    "military_aid": ("Western military support unrestricted", "limited", "completely halted"),
    "sanctions": ("strengthened (incl. secondary tariffs)", "kept as they are", "lifted"),
    "reparations": ("Russia pays; frozen assets go to Ukraine", "assets stay frozen", "no compensation, assets returned"),
    "accountability": ("international tribunal, leaders included", "national trials only", "amnesty"),
    "language": ("Russian has no official status", "regional status", "Russian a state language"),
    "church": ("Moscow-linked church restricted", "left to courts", "Russian Orthodox Church operates freely"),
    "elections": ("on Ukraine's own timetable", "after a ceasefire, supervised", "within 100 days on Russia's terms"),
    "ceasefire": ("ceasefire first, then talks", "parallel", "comprehensive peace deal before any ceasefire"),
    "talks_format": ("direct leaders' talks on neutral ground", "mediated delegations",
                     "2022 Istanbul framework as the basis"),
}


@pytest.fixture(scope="module")
def case():
    return read_case(CASE_DIR)


def in_force(case, actor, issue, role, as_of):
    """The position in force for `role` as of a date, as accord derives it."""
    for p in derive_positions(case, as_of):
        if p.actor == actor and p.issue == issue:
            return p.ideal if role == "ideal" else p.fallback
    return None


def history(case, actor, issue):
    return [v for _, v, _ in position_history(case, "2025-12-31").get((actor, issue), [])]


# ---------------------------------------------------------------- meta, issues, actors

def test_meta(case):
    assert case.meta.id == "russia-ukraine-2025"
    assert case.meta.as_of == "2025-09-10"
    assert case.meta.parties == ["UKR", "RUS"]
    assert len(case.meta.questions) == 4


def test_exactly_the_design_issues_with_their_anchors(case):
    assert {i.id for i in case.issues} == set(DESIGN_ISSUES)
    for issue in case.issues:
        low, mid, high = DESIGN_ISSUES[issue.id]
        assert {0, 50, 100} <= set(issue.scale), issue.id
        assert issue.scale[0].startswith(low), issue.id
        assert issue.scale[50] == mid, issue.id
        assert issue.scale[100] == high, issue.id
    territory = case.issue("territory")
    assert 70 in territory.scale and "Donbas" in territory.scale[70]


def test_pax_codes_are_not_misleading(case):
    # PA-X's `Terr` is terrorism: it must not label the territory issue.
    assert case.issue("territory").pax_code != "Terr"
    assert case.issue("ceasefire").pax_code == "Ce"


def test_aliases_resolve_to_one_actor(case):
    owner: dict[str, str] = {}
    for actor in case.actors:
        for alias in [actor.name, *actor.aliases]:
            key = alias.casefold()
            assert owner.setdefault(key, actor.id) == actor.id, f"{alias!r} names {owner[key]} and {actor.id}"
    expect = {"Kyiv": "UKR", "Moscow": "RUS", "the Kremlin": "RUS", "Ankara": "TUR", "Washington": "USA",
              "the White House": "USA", "the U.S. administration": "USA", "Ambassador Celal": "dzhelialov",
              "Ukraine's ambassador in Ankara": "dzhelialov", "Erdogan": "erdogan", "Coalition of the Willing": "EUR",
              "Weimar+": "EUR"}
    for alias, actor_id in expect.items():
        assert owner.get(alias.casefold()) == actor_id, alias
    # the incompatible title is recorded as a contradiction, not resolved as an alias
    assert "turkiye's ambassador to ukraine" not in owner


def test_persons_speak_for_principals_and_positioned_actors_have_capability(case):
    by_id = {a.id: a for a in case.actors}
    for a in case.actors:
        if a.kind is ActorKind.person:
            assert by_id[a.speaks_for].kind is not ActorKind.person
            assert a.capability is None
    positioned = {s.actor for s in case.statements if s.role in ("ideal", "fallback")}
    for actor_id in positioned:
        assert by_id[actor_id].capability is not None, actor_id
        assert "ssumption" in by_id[actor_id].capability_reason, actor_id


# ---------------------------------------------------------------- sources

def test_every_reference_has_a_source(case):
    sources = {s.id for s in case.sources}
    for item in [*case.statements, *case.events, *case.figures]:
        assert item.source in sources, item.id
    assert {s.id for s in case.sources if s.outlet == "Reuters"} >= {"reuters-2025-08a", "reuters-2025-08b",
                                                                      "reuters-2025-09"}


def test_confidential_source_is_protected(case):
    conf = [s for s in case.sources if s.confidential]
    assert len(conf) == 1
    src = conf[0]
    assert src.public_label == "a diplomatic source in Kyiv"
    assert not src.url and not src.author and not src.title
    assert src.display_name(public=True) == "a diplomatic source in Kyiv"


def test_article_itself_is_a_source_and_notes_the_interview_language(case):
    article = case.source("khar-2025-09")
    assert article.outlet == "KHAR Center" and article.date == "2025-09" and article.language == "en"
    assert "Turkish" in article.note


# ---------------------------------------------------------------- statements and positions

def test_russia_territory_moved_from_istanbul_to_alaska(case):
    june = [s for s in case.statements if s.actor == "RUS" and s.issue == "territory" and s.role == "ideal"
            and s.date.startswith("2025-06")]
    august = [s for s in case.statements if s.actor == "RUS" and s.issue == "territory" and s.role == "ideal"
              and s.date.startswith("2025-08")]
    assert june and all(s.position == 100 for s in june)
    assert august and all(s.position == 70 for s in august)
    assert in_force(case, "RUS", "territory", "ideal", "2025-06-30") == 100
    assert in_force(case, "RUS", "territory", "ideal", "2025-09-10") == 70
    assert in_force(case, "RUS", "territory", "fallback", "2025-09-10") == 70


def test_ukraine_territory_fallback_retreated_to_the_current_line(case):
    fallbacks = [s for s in case.statements if s.actor == "UKR" and s.issue == "territory" and s.role == "fallback"]
    current = [s for s in fallbacks if s.source == "conf-kyiv" and s.position == 50]
    assert current, "the confidential source's freeze on the current line"
    earlier = [s for s in fallbacks if s.position < 50]
    assert earlier and all(date_ceiling(e.date) < date_floor(current[0].date) for e in earlier)


def test_ukraine_ideals_from_the_interview(case):
    ideals = {s.issue: s.position for s in case.statements
              if s.actor == "UKR" and s.speaker == "dzhelialov" and s.role == "ideal"}
    for issue in ("territory", "crimea", "nato", "security_guarantees", "reparations", "accountability",
                  "language", "church", "talks_format"):
        assert ideals.get(issue) == 0, issue


def test_red_lines_are_rejections_with_a_position(case):
    red = [s for s in case.statements if s.red_line]
    assert red
    for s in red:
        assert s.stance == "REJECT" and s.position is not None, s.id


def test_positioned_statements_have_salience(case):
    positioned = {(s.actor, s.issue) for s in case.statements if s.role in ("ideal", "fallback")}
    salience = {(s.actor, s.issue) for s in case.saliences}
    assert positioned == salience


def test_us_is_the_most_erratic_on_sanctions_and_ceasefire(case):
    def travel(actor, issue):
        h = history(case, actor, issue)
        return sum(abs(b - a) for a, b in itertools.pairwise(h))

    for issue in ("sanctions", "ceasefire"):
        by_actor = {a: travel(a, issue) for a in {s.actor for s in case.statements if s.issue == issue}}
        assert max(by_actor, key=by_actor.get) == "USA", (issue, by_actor)
    assert history(case, "USA", "sanctions")[:4] == [100, 0, 0, 50]
    assert history(case, "USA", "ceasefire") == [0, 100]


def test_quotes_are_short_and_verbatim_in_the_located_paragraph(case):
    paragraphs = ARTICLE.read_text(encoding="utf-8").split("\n") if ARTICLE.exists() else None
    for s in case.statements:
        assert re.fullmatch(r"KHAR ¶\d+( \(reference title\))?(; ¶\d+)*", s.locator or ""), (s.id, s.locator)
        if not s.quote:
            continue
        assert len(s.quote.split()) <= 12, s.id
        if paragraphs:
            cited = [int(n) for n in re.findall(r"¶(\d+)", s.locator)]
            assert any(s.quote in paragraphs[n - 1] for n in cited), s.id


# ---------------------------------------------------------------- events, figures, contradictions

def test_occupied_share_figures_are_dated_in_order(case):
    occ = [f for f in case.figures if f.quantity == "occupied_share"]
    assert len(occ) >= 6
    for f in occ:
        assert f.unit == "percent" and 0 <= f.value <= 100
        assert date_floor(f.date) <= date_ceiling(f.date)
    ordered = sorted(occ, key=lambda f: date_ceiling(f.date))
    assert ordered[-1].id == "fig-occ-2025-08"
    values = {f.id: f.value for f in occ}
    assert values["fig-occ-2014-2022-a"] == 7 and values["fig-occ-2014-2022-b"] == 26
    assert values["fig-occ-2022-03"] == 27 and values["fig-occ-2025-01"] == 19


def test_september_attack_figures(case):
    by_q = {f.quantity: f for f in case.figures if f.date == "2025-09-07"}
    assert by_q["drones_launched"].value == 805 and by_q["ballistic_missiles_launched"].value == 13
    assert by_q["killed"].value == 5 and by_q["injured"].value == 44


def test_the_article_contradictions_are_recorded(case):
    kinds = {**{s.id: "statement" for s in case.statements}, **{e.id: "event" for e in case.events},
             **{f.id: "figure" for f in case.figures}}
    by_id = {c.id: c for c in case.contradictions}
    for cid in ("c-occupied-prewar", "c-occupied-area-unit", "c-ambassador-title", "c-2022-guarantees",
                "c-2022-agreement", "c-deadline"):
        assert cid in by_id, cid
        assert all(item in kinds for item in by_id[cid].items), cid
    assert set(by_id["c-occupied-prewar"].items) >= {"fig-occ-2014-2022-a", "fig-occ-2014-2022-b"}
    assert "114,500" in by_id["c-occupied-area-unit"].why
    speakers = {s.speaker or s.reported_by for s in case.statements if s.id in by_id["c-ambassador-title"].items}
    assert speakers == {"dzhelialov"}


def test_key_events_are_dated(case):
    dates = {e.id: e.date for e in case.events}
    assert dates["ev-alaska-summit"] == "2025-08-15"
    assert dates["ev-weimar-plus-statement"] == "2025-08-16"
    assert dates["ev-deadline-50-days"] == "2025-07-14"
    assert dates["ev-coalition-paris"] == "2025-09-04"
    assert dates["ev-largest-air-attack"] == "2025-09-07"


# ---------------------------------------------------------------- round trip

def test_write_then_read_is_lossless(case, tmp_path):
    write_case(case, tmp_path)
    assert read_case(tmp_path) == case


def test_issue_definitions_give_no_warnings():
    """Every flagship issue can be found and placed by extraction (docs/case-format.md)."""
    from accord.case.folder import check_folder
    assert [str(w) for w in check_folder(CASE_DIR).warnings] == []
