"""A small case for the briefing tests: two parties, a zigzagging mediator, a confidential source,
occupied-share figures with a contradiction, and hostile text in a summary and an actor name."""

from __future__ import annotations

from accord.case.models import (
    Actor,
    Case,
    CaseMeta,
    Contradiction,
    Event,
    Figure,
    Issue,
    Salience,
    Source,
    Statement,
)

SECRET_OUTLET = "Hushwire Dispatch"
SECRET_URL = "https://hushwire.example/kyiv-cable-2025"
SECRET_AUTHOR = "Ostap Quietly"
SECRET_TITLE = "Cable from the Kyiv desk"
PUBLIC_LABEL = "a diplomatic source in Kyiv"
SCRIPT = "<script>alert('x')</script>"


def _st(id, date, actor, issue, role, position, source, summary, **kw):
    stance = kw.pop("stance", "REQUEST" if role == "ideal" else "CONCEDE" if role == "fallback" else "SUPPORT")
    return Statement(id=id, date=date, actor=actor, issue=issue, role=role, position=position, stance=stance,
                     source=source, summary=summary, **kw)


def small_case() -> Case:
    territory = Issue(id="territory", name="Territory", scale={
        0: "Russian forces leave all of Ukraine", 50: "freeze on the current line of contact",
        70: "Ukraine cedes the rest of Donbas", 100: "Ukraine cedes four regions"})
    sanctions = Issue(id="sanctions", name="Sanctions", scale={0: "strengthened", 50: "kept", 100: "lifted"})
    ceasefire = Issue(id="ceasefire", name="Ceasefire", scale={0: "ceasefire first", 50: "parallel",
                                                               100: "peace deal before any ceasefire"})
    nato = Issue(id="nato", name="NATO", scale={0: "joins NATO", 50: "path open", 100: "neutrality"})
    actors = [
        Actor(id="UKR", name="Ukraine", kind="state", capability=40, capability_reason="defends; depends on aid"),
        Actor(id="RUS", name="Russia", kind="state", capability=60, capability_reason="holds the initiative"),
        Actor(id="USA", name="United States", kind="state", capability=80, capability_reason="mediator with leverage"),
        Actor(id="EUR", name="European allies " + SCRIPT, kind="bloc", capability=45, capability_reason="aid"),
        Actor(id="zelensky", name="Volodymyr Zelensky", kind="person", speaks_for="UKR"),
        Actor(id="trump", name="Donald Trump", kind="person", speaks_for="USA"),
    ]
    sources = [
        Source(id="ap-2025-08", outlet="AP", title="Zelensky rejects Donbas withdrawal", date="2025-08-18",
               url="https://apnews.example/article/1", reliability="B", credibility=2, cited_as="(AP, August 2025)"),
        Source(id="reuters-2025-08", outlet="Reuters", title="Outline of Putin's offer", date="2025-08-17",
               url="https://reuters.example/world/2", reliability="B", credibility=2),
        Source(id="khar-2025-09", outlet="KHAR Center", title="Peace negotiations", author="KHAR Center",
               date="2025-09", url="https://khar.example/peace", reliability="C", credibility=3),
        Source(id="hushwire-kyiv", outlet=SECRET_OUTLET, title=SECRET_TITLE, author=SECRET_AUTHOR, date="2025-09",
               url=SECRET_URL, confidential=True, public_label=PUBLIC_LABEL),
    ]
    st = [
        _st("s-ukr-terr-ideal", "2025-06-02", "UKR", "territory", "ideal", 0, "khar-2025-09",
            "Ukraine demands the withdrawal of all Russian forces.", speaker="zelensky",
            quote="KYIV, 2 June (Reuters) - Zelensky told reporters: “We will not give away even a piece of our "
                  "land.” He said the matter was not just one for Ukraine."),
        _st("s-ukr-terr-fb", "2025-09-01", "UKR", "territory", "fallback", 50, "hushwire-kyiv",
            "Kyiv is ready to freeze the conflict on the current line of contact."),
        _st("s-rus-terr-ideal-1", "2025-06-02", "RUS", "territory", "ideal", 100, "khar-2025-09",
            "Moscow demands all of four regions."),
        _st("s-rus-terr-ideal-2", "2025-08-15", "RUS", "territory", "ideal", 70, "reuters-2025-08",
            "Putin demands the rest of Donbas, freezing the south.",
            quote="ANCHORAGE, 15 August - Putin demanded the rest of Donbas at the summit, officials said."),
        _st("s-rus-terr-fb", "2025-08-15", "RUS", "territory", "fallback", 70, "reuters-2025-08",
            "Russia will not accept less than the rest of Donbas.", red_line=True, stance="REJECT"),
        _st("s-ukr-nato", "2025-06-02", "UKR", "nato", "ideal", 0, "khar-2025-09", "Ukraine will continue toward NATO."),
        _st("s-rus-nato", "2025-06-02", "RUS", "nato", "ideal", 100, "khar-2025-09", "Russia demands neutrality."),
        _st("s-rus-nato-fb", "2025-06-02", "RUS", "nato", "fallback", 90, "khar-2025-09",
            "Russia insists on no membership.", red_line=True, stance="REJECT"),
        _st("s-ukr-nato-fb", "2025-08-20", "UKR", "nato", "fallback", 30, "ap-2025-08",
            "Ukraine could accept no membership now. " + SCRIPT + " **bold** [x](http://evil.example)"),
        _st("s-ukr-ceasefire", "2025-06-02", "UKR", "ceasefire", "ideal", 0, "khar-2025-09", "Ceasefire first."),
        _st("s-rus-ceasefire", "2025-08-15", "RUS", "ceasefire", "ideal", 100, "reuters-2025-08", "Deal first."),
        # The mediator zigzags on sanctions and on the ceasefire: the volatility the briefing must show.
        _st("s-usa-sanc-1", "2025-07-14", "USA", "sanctions", "ideal", 10, "khar-2025-09",
            "Trump threatens secondary tariffs.", speaker="trump"),
        _st("s-usa-sanc-2", "2025-08-08", "USA", "sanctions", "ideal", 70, "khar-2025-09",
            "Summit instead of sanctions.", speaker="trump"),
        _st("s-usa-sanc-3", "2025-09-07", "USA", "sanctions", "ideal", 15, "khar-2025-09",
            "Sanctions could be imposed.", speaker="trump"),
        _st("s-usa-cf-1", "2025-07-29", "USA", "ceasefire", "ideal", 10, "khar-2025-09", "Ceasefire deadline."),
        _st("s-usa-cf-2", "2025-08-17", "USA", "ceasefire", "ideal", 90, "khar-2025-09", "Peace talks, not ceasefire."),
        _st("s-usa-cf-3", "2025-09-08", "USA", "ceasefire", "ideal", 30, "khar-2025-09", "Back to a ceasefire."),
        _st("s-rus-sanc", "2025-08-15", "RUS", "sanctions", "ideal", 100, "reuters-2025-08", "Lift all sanctions."),
        _st("s-ukr-sanc", "2025-06-02", "UKR", "sanctions", "ideal", 0, "khar-2025-09", "Strengthen sanctions."),
        _st("s-eur-sanc", "2025-08-16", "EUR", "sanctions", "ideal", 10, "reuters-2025-08", "Keep the pressure on."),
    ]
    events = [
        Event(id="e-alaska", date="2025-08-15", type="CONSULT", actors=["USA", "RUS"], summary="Alaska summit.",
              source="khar-2025-09"),
        Event(id="e-istanbul", date="2025-06-02", type="CONSULT", actors=["UKR", "RUS"], summary="Istanbul talks.",
              source="khar-2025-09"),
        Event(id="e-drones", date="2025-09-07", type="ASSAULT", actors=["RUS"], summary="805 drones launched.",
              source="hushwire-kyiv"),
    ]
    figures = [
        Figure(id="f-occ-2021", date="2021", quantity="occupied_share", value=7, unit="percent", source="khar-2025-09"),
        Figure(id="f-occ-2021-b", date="2021", quantity="occupied_share", value=26.5, unit="percent",
               source="khar-2025-09", note="the ambassador's 26–27%"),
        Figure(id="f-occ-2022-03", date="2022-03", quantity="occupied_share", value=27, unit="percent", source="khar-2025-09"),
        Figure(id="f-occ-2022-11", date="2022-11", quantity="occupied_share", value=18, unit="percent", source="khar-2025-09"),
        Figure(id="f-occ-2025-01", date="2025-01", quantity="occupied_share", value=19, unit="percent", source="khar-2025-09"),
        Figure(id="f-drones", date="2025-09-07", quantity="drones_launched", value=805, unit="drones", source="ap-2025-08"),
    ]
    saliences = [Salience(actor=a, issue=i, salience=v, reason="test") for a, i, v in [
        ("UKR", "territory", 95), ("RUS", "territory", 90), ("UKR", "nato", 70), ("RUS", "nato", 80),
        ("UKR", "ceasefire", 60), ("RUS", "ceasefire", 50), ("USA", "sanctions", 60), ("USA", "ceasefire", 80),
        ("RUS", "sanctions", 60), ("UKR", "sanctions", 50), ("EUR", "sanctions", 70)]]
    return Case(
        meta=CaseMeta(id="small-test", title="A small negotiation", as_of="2025-09-10", parties=["UKR", "RUS"],
                      description="Built for the report tests."),
        actors=actors, issues=[territory, sanctions, ceasefire, nato], sources=sources, statements=st,
        events=events, figures=figures, saliences=saliences,
        contradictions=[Contradiction(id="c-prewar", items=["f-occ-2021", "f-occ-2021-b"],
                                      why="7% and 26–27% are given for the same pre-2022 period")],
    )
