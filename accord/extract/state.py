"""What the reader remembers while going through one document, and who holds a clause."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import DateResolver
from .gazetteer import ActorResolver


@dataclass
class Holder:
    actor: str | None
    speaker: str | None = None  # the person (or titled human) who speaks
    speaker_id: str | None = None  # a case person id, when known
    start: int = 0
    end: int = 0


@dataclass
class DocState:
    """What the reader remembers while going through one document."""

    resolver: ActorResolver
    dates: DateResolver
    doc_date: str | None
    text: str = ""  # the document's text (spaCy's Doc.text rebuilds the string on every access)
    persons: dict = field(default_factory=dict)  # folded name or surname → (full name, actor)
    last_person: tuple | None = None  # (full name, actor) of the last person who held a clause
    last_named: tuple | None = None  # (full name, actor) of the last person named at all
    # (sentence number, (full name, actor)) of the person who last held a sentence's main clause
    main_person: tuple | None = None
    interviewee: tuple | None = None  # (full name, actor) of a person named with "interview"
    by_title: dict = field(default_factory=dict)  # title word → (full name, actor) of the last person so titled
    voice: Holder | None = None  # who a statement's text speaks for ("X issued the following statement:")
    # who opened the text speaking in the present ("The Central Committee of X welcomes ..."): the
    # voice of a statement, once its text says "we" outside quotations
    lede: Holder | None = None
    # the others a joint statement speaks for ("We, the EU High Representative and the Foreign
    # Minister of Iran, together with the Foreign Ministers of ..."): what the voice holds, they hold
    voice_with: list = field(default_factory=list)
    last_actor: str | None = None
    last_holders: list = field(default_factory=list)  # the actors of the last clause with holders ("they")
    quote_speaker: dict = field(default_factory=dict)  # quote index → Holder
    sent_no: int = 0
    actor_history: list = field(default_factory=list)  # holders of items, in order
    countries: dict = field(default_factory=dict)  # country code → mentions so far
    last_group: str | None = None  # the last non-state armed group named
    last_bloc: str | None = None  # the last of the case's blocs named ("six world powers"), for "the powers"
    last_body: str | None = None  # the last group, bloc or organisation named, for "the group", "the alliance"
    doc_author: str | None = None  # the author of the last document named ("Moscow's draft")
    recent_issues: tuple = (-9, ())  # (sentence number, issues) of the last sentence with issues
    # the type the structure gave a clause whose holder the rules could not name ("the aggressor
    # state must bear responsibility"): the holders the learned layer adds take it (this sentence)
    held_type: str | None = None

    def known_person(self, name: str) -> tuple | None:
        """(full name, actor) of a person met earlier in the document, by full name or surname."""
        key = fold(name)
        return self.persons.get(key) or (self.persons.get(key.split()[-1]) if key else None)

    def speak_as(self, voice: Holder, others: list | tuple = ()) -> None:
        """What follows, unquoted, is `voice`'s text (with `others` for a joint statement)."""
        self.voice, self.voice_with = voice, list(others)

    def main_country(self) -> str | None:
        """The country the document has named most so far."""
        return max(self.countries.items(), key=lambda kv: kv[1])[0] if self.countries else None


def fold(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("’", "'").strip(" ,.'\"")).lower()
