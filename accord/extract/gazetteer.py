"""Names → actor codes: countries, capitals, demonyms, metonyms, major organisations, titles.

Works without a case (countries, capitals, demonyms and major IGOs resolve to codes);
a case adds its own actors and aliases, which win over the built-in tables.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pycountry

# Capitals and seats of government stand for governments by metonymy. A name maps to a code.
CAPITALS = {
    "Kyiv": "UKR", "Kiev": "UKR", "Moscow": "RUS", "Washington": "USA", "Ankara": "TUR",
    "Paris": "FRA", "Berlin": "DEU", "London": "GBR", "Warsaw": "POL", "Budapest": "HUN",
    "Bratislava": "SVK", "Beijing": "CHN", "Brasilia": "BRA", "Brasília": "BRA", "Rome": "ITA",
    "Madrid": "ESP", "Tehran": "IRN", "Jerusalem": "ISR", "Tel Aviv": "ISR", "Cairo": "EGY",
    "Doha": "QAT", "Riyadh": "SAU", "Abu Dhabi": "ARE", "Amman": "JOR", "Beirut": "LBN",
    "Damascus": "SYR", "Baghdad": "IRQ", "Khartoum": "SDN", "Port Sudan": "SDN", "Juba": "SSD",
    "Addis Ababa": "ETH", "Asmara": "ERI", "Nairobi": "KEN", "Kampala": "UGA", "Kigali": "RWA",
    "Kinshasa": "COD", "Mogadishu": "SOM", "Yerevan": "ARM", "Baku": "AZE", "Tbilisi": "GEO",
    "Minsk": "BLR", "Chisinau": "MDA", "Vilnius": "LTU", "Riga": "LVA", "Tallinn": "EST",
    "Helsinki": "FIN", "Stockholm": "SWE", "Oslo": "NOR", "Copenhagen": "DNK", "Prague": "CZE",
    "Vienna": "AUT", "Bern": "CHE", "The Hague": "NLD", "Amsterdam": "NLD", "Lisbon": "PRT",
    "Athens": "GRC", "Bucharest": "ROU", "Sofia": "BGR", "Belgrade": "SRB", "Pristina": "XKX",
    "Zagreb": "HRV", "Sarajevo": "BIH", "Tokyo": "JPN", "Seoul": "KOR", "Pyongyang": "PRK",
    "New Delhi": "IND", "Delhi": "IND", "Islamabad": "PAK", "Kabul": "AFG", "Bogota": "COL",
    "Bogotá": "COL", "Caracas": "VEN", "Havana": "CUB", "Mexico City": "MEX", "Buenos Aires": "ARG",
    "Ottawa": "CAN", "Canberra": "AUS", "Pretoria": "ZAF", "Abuja": "NGA", "Tripoli": "LBY",
    "Sanaa": "YEM", "Aden": "YEM", "Muscat": "OMN", "Manama": "BHR", "Kuwait City": "KWT",
    "Naypyidaw": "MMR", "Dhaka": "BGD", "Hanoi": "VNM", "Manila": "PHL", "Jakarta": "IDN",
    "Taipei": "TWN", "Brussels": "EUR", "Ramallah": "PSE", "Gaza City": "PSE",
    "Bamako": "MLI", "Niamey": "NER", "Ouagadougou": "BFA", "N'Djamena": "TCD", "Dakar": "SEN",
}

# Seats and buildings used for governments (metonymy), and institutions of a state.
METONYMS = {
    "Kremlin": "RUS", "White House": "USA", "Pentagon": "USA", "State Department": "USA",
    "Downing Street": "GBR", "Foreign Office": "GBR", "Elysee": "FRA", "Élysée": "FRA",
    "Quai d'Orsay": "FRA", "Bundestag": "DEU", "Knesset": "ISR", "Verkhovna Rada": "UKR",
    "Rada": "UKR", "Duma": "RUS", "State Duma": "RUS", "Bankova": "UKR", "Zhongnanhai": "CHN",
    "Congress": "USA", "Capitol Hill": "USA", "Blue House": "KOR", "Mejlis": "UKR",
    "IDF": "ISR", "Israel Defense Forces": "ISR", "SAF": "SDN", "Sudanese Armed Forces": "SDN",
    "Tatmadaw": "MMR",
}

# Organisations, blocs and armed groups with short upper-case codes.
ORGANISATIONS = {
    "NATO": "NATO", "North Atlantic Treaty Organization": "NATO", "the Alliance": "NATO",
    "United Nations": "UN", "UN": "UN", "U.N.": "UN", "Security Council": "UN",
    "UN Security Council": "UN", "General Assembly": "UN", "UNHCR": "UN", "UNICEF": "UN",
    "World Food Programme": "UN", "WFP": "UN", "OCHA": "UN", "UNRWA": "UN",
    "European Union": "EUR", "EU": "EUR", "European Commission": "EUR", "European Council": "EUR",
    "European Parliament": "EUR", "Coalition of the Willing": "EUR", "Weimar Triangle": "EUR",
    "Weimar+": "EUR", "Weimar group": "EUR", "E3": "EUR",
    "OSCE": "OSCE", "IAEA": "IAEA", "International Atomic Energy Agency": "IAEA",
    "African Union": "AU", "AU": "AU", "IGAD": "IGAD", "ECOWAS": "ECOWAS", "Arab League": "ARL",
    "League of Arab States": "ARL", "ASEAN": "ASEAN", "Gulf Cooperation Council": "GCC", "GCC": "GCC",
    "International Criminal Court": "ICC", "ICC": "ICC", "International Court of Justice": "ICJ",
    "ICJ": "ICJ", "Red Cross": "ICRC", "ICRC": "ICRC", "IMF": "IMF", "World Bank": "WB",
    "G7": "G7", "G20": "G20", "Group of Seven": "G7", "Group of 7": "G7", "Group of Twenty": "G20", "BRICS": "BRICS", "Shanghai Cooperation Organization": "SCO", "SCO": "SCO",
    "CSTO": "CSTO", "Council of Europe": "COE", "WHO": "WHO", "World Health Organization": "WHO",
    "Hamas": "HAMAS", "Hezbollah": "HEZBOLLAH", "Houthis": "HOUTHI", "Houthi": "HOUTHI",
    "Ansar Allah": "HOUTHI", "Taliban": "TALIBAN", "FARC": "FARC", "ELN": "ELN",
    "TPLF": "TPLF", "Tigray People's Liberation Front": "TPLF", "Rapid Support Forces": "RSF",
    "RSF": "RSF", "M23": "M23", "Wagner": "WAGNER", "Wagner Group": "WAGNER", "Islamic Jihad": "PIJ",
    "Palestinian Authority": "PSE", "PLO": "PSE", "Fatah": "PSE", "Kurdistan Workers' Party": "PKK",
    "PKK": "PKK", "SDF": "SDF", "Syrian Democratic Forces": "SDF", "Islamic State": "ISIS", "ISIS": "ISIS",
}

# Adjectives of nationality. Regular "-an/-ian/-ese/-i/-ish" forms of pycountry names are derived
# below; this table holds what cannot be derived.
DEMONYMS = {
    "Ukrainian": "UKR", "Ukrainians": "UKR", "Russian": "RUS", "Russians": "RUS", "Soviet": "RUS",
    "American": "USA", "Americans": "USA", "U.S.": "USA", "US": "USA", "Turkish": "TUR", "Turks": "TUR",
    "French": "FRA", "German": "DEU", "Germans": "DEU", "British": "GBR", "UK": "GBR", "U.K.": "GBR",
    "Polish": "POL", "Poles": "POL", "Hungarian": "HUN", "Slovak": "SVK", "Slovakian": "SVK",
    "Chinese": "CHN", "Brazilian": "BRA", "Italian": "ITA", "Spanish": "ESP", "Iranian": "IRN",
    "Israeli": "ISR", "Israelis": "ISR", "Egyptian": "EGY", "Qatari": "QAT", "Saudi": "SAU",
    "Emirati": "ARE", "Jordanian": "JOR", "Lebanese": "LBN", "Syrian": "SYR", "Iraqi": "IRQ",
    "Sudanese": "SDN", "South Sudanese": "SSD", "Ethiopian": "ETH", "Eritrean": "ERI", "Kenyan": "KEN",
    "Ugandan": "UGA", "Rwandan": "RWA", "Congolese": "COD", "Somali": "SOM", "Armenian": "ARM",
    "Azerbaijani": "AZE", "Azeri": "AZE", "Georgian": "GEO", "Belarusian": "BLR", "Moldovan": "MDA",
    "Lithuanian": "LTU", "Latvian": "LVA", "Estonian": "EST", "Finnish": "FIN", "Swedish": "SWE",
    "Norwegian": "NOR", "Danish": "DNK", "Czech": "CZE", "Austrian": "AUT", "Swiss": "CHE",
    "Dutch": "NLD", "Portuguese": "PRT", "Greek": "GRC", "Romanian": "ROU", "Bulgarian": "BGR",
    "Serbian": "SRB", "Croatian": "HRV", "Bosnian": "BIH", "Japanese": "JPN", "South Korean": "KOR",
    "North Korean": "PRK", "Korean": "KOR", "Indian": "IND", "Pakistani": "PAK", "Afghan": "AFG",
    "Colombian": "COL", "Venezuelan": "VEN", "Cuban": "CUB", "Mexican": "MEX", "Argentine": "ARG",
    "Canadian": "CAN", "Australian": "AUS", "South African": "ZAF", "Nigerian": "NGA", "Libyan": "LBY",
    "Yemeni": "YEM", "Omani": "OMN", "Kuwaiti": "KWT", "Burmese": "MMR", "Myanmar": "MMR",
    "Bangladeshi": "BGD", "Vietnamese": "VNM", "Filipino": "PHL", "Indonesian": "IDN",
    "Taiwanese": "TWN", "Palestinian": "PSE", "Palestinians": "PSE", "European": "EUR",
    "Europeans": "EUR", "Malian": "MLI", "Nigerien": "NER", "Chadian": "TCD", "Kazakh": "KAZ",
    "Belgian": "BEL", "Irish": "IRL", "Tigrayan": "TPLF", "Kosovar": "XKX", "Crimean Tatar": "UKR",
}

# Familiar short names pycountry lacks or spells otherwise.
COUNTRY_ALIASES = {
    "Russia": "RUS", "Turkey": "TUR", "Turkiye": "TUR", "Türkiye": "TUR", "United States": "USA",
    "United States of America": "USA", "America": "USA", "USA": "USA", "United Kingdom": "GBR",
    "Britain": "GBR", "Great Britain": "GBR", "England": "GBR", "Iran": "IRN", "Syria": "SYR",
    "South Korea": "KOR", "North Korea": "PRK", "Korea": "KOR", "Vietnam": "VNM", "Laos": "LAO",
    "Moldova": "MDA", "Bolivia": "BOL", "Venezuela": "VEN", "Tanzania": "TZA", "Taiwan": "TWN",
    "Palestine": "PSE", "Gaza": "PSE", "Gaza Strip": "PSE", "West Bank": "PSE", "Kosovo": "XKX",
    "Czech Republic": "CZE", "Czechia": "CZE", "Ivory Coast": "CIV", "DRC": "COD", "DR Congo": "COD",
    "Democratic Republic of Congo": "COD", "Democratic Republic of the Congo": "COD", "Congo": "COD",
    "Holland": "NLD", "the Netherlands": "NLD", "Macedonia": "MKD", "Burma": "MMR", "UAE": "ARE",
    "Emirates": "ARE", "Vatican": "VAT", "Holy See": "VAT", "Cape Verde": "CPV", "Eswatini": "SWZ",
    "Brunei": "BRN", "Micronesia": "FSM", "Tigray": "TPLF",
}

# Contested regions are places, not parties: "Crimea is not a subject for negotiation" is said by
# someone else. `place` still knows which country they lie in (by international recognition).
REGIONS = {"Donbas": "UKR", "Donbass": "UKR", "Crimea": "UKR", "Nagorno-Karabakh": "AZE",
           "Karabakh": "AZE", "Darfur": "SDN", "Transnistria": "MDA", "Abkhazia": "GEO",
           "South Ossetia": "GEO"}

# "Ukraine's allies", "Russia's neighbours": someone else than the possessor.
RELATIONAL_NOUNS = {"ally", "allies", "partner", "enemy", "foe", "neighbour", "neighbor", "opponent",
                    "adversary", "rival", "critic", "backer", "sponsor", "supporter", "creditor", "donor"}

# Words for generic state agents: "police in Cairo", "the government" (resolved through a place).
STATE_AGENTS = {
    "government", "police", "army", "military", "troops", "forces", "soldiers", "authorities",
    "officials", "ministry", "navy", "air force", "president", "prime minister", "parliament",
    "cabinet", "regime", "junta", "security forces", "court", "leader", "delegation",
}

# Area of countries in km² (land + inland water, rounded, from national statistics / UN figures),
# used to catch a share of territory given in a unit that cannot be right for the magnitude.
COUNTRY_AREA_KM2 = {
    "UKR": 603_550, "RUS": 17_098_246, "USA": 9_833_517, "TUR": 783_562, "FRA": 551_695,
    "DEU": 357_588, "GBR": 242_495, "POL": 312_696, "HUN": 93_028, "SVK": 49_035, "CHN": 9_596_961,
    "BRA": 8_515_767, "ISR": 22_072, "PSE": 6_020, "SDN": 1_886_068, "SSD": 619_745, "ETH": 1_104_300,
    "ARM": 29_743, "AZE": 86_600, "GEO": 69_700, "SYR": 185_180, "IRQ": 438_317, "IRN": 1_648_195,
    "YEM": 527_968, "LBY": 1_759_540, "COL": 1_141_748, "KOR": 100_210, "PRK": 120_538,
    "COD": 2_344_858, "SOM": 637_657, "MDA": 33_846, "AFG": 652_230, "MMR": 676_578, "LBN": 10_452,
    "EGY": 1_002_450, "SAU": 2_149_690, "IND": 3_287_263, "PAK": 881_913, "MLI": 1_240_192,
}

# A legislature by the word that heads its name ("US Congress", "Iranian Parliament", "the
# Knesset"), and what its members and chambers are called: in a case with one such actor, "Republican
# senators", "lawmakers" and "the Senate" are it
LEGISLATURE_HEADS = {"congress", "parliament", "senate", "assembly", "knesset", "rada", "duma", "majlis",
                     "bundestag", "legislature", "house of representatives", "house of commons", "national assembly"}
LEGISLATORS = {"senator", "lawmaker", "legislator", "congressman", "congresswoman", "congressmen",
               "congresswomen", "parliamentarian", "mp"}
CHAMBERS = {"senate", "house", "congress", "parliament"}  # "the Senate", not "the White House"

# Words of a person's office: a noun phrase headed by one is a titled person ("the ambassador"),
# and a case alias that ends in one ("Ukraine's Prime Minister") names an office, not a surname
HUMAN_TITLES = {"spokesperson", "spokesman", "spokeswoman", "minister", "president", "ambassador",
                "diplomat", "envoy", "official", "leader", "chancellor", "premier", "secretary",
                "commander", "general", "chief", "negotiator", "mediator", "adviser", "advisor",
                "aide", "representative", "prime", "foreign", "king", "emir", "prince", "senator",
                "lawmaker", "speaker", "governor", "mayor", "head", "director", "officer",
                "delegate", "deputy", "source", "sources", "analyst", "chairman", "chair", "vice", "member"}

_STRIP_ARTICLE = re.compile(r"^(the|The)\s+")


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    """Compare names without accents, case, quotation marks or a leading article ("the Kremlin" =
    "Kremlin"); kept per process: a corpus names the same few places and people over and over."""
    text = _STRIP_ARTICLE.sub("", text.strip())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    # a name in quotation marks is the name ("the “Coalition of the Willing”")
    text = text.replace("’", "'").replace("'s", "").strip(" .,'\"“”«»„")
    # "E3 plus 3", "P5 + 1" are the case's "E3+3", "P5+1"
    text = re.sub(r"(?<=\w)\s*(?:\+|\s[Pp]lus\s)\s*(?=\d\b)", "+", text)
    return re.sub(r"\s+", " ", text).lower()


_PLUS = re.compile(r"^(\S+)\+(\d{1,2})$")  # a folded "E3+3": a bloc and a number of others

# A capital naming a format of talks is where they meet, not a party: "the Minsk talks", "the
# Minsk Group", "the Vienna round", "the Washington summit"
VENUE_HEADS = {"talk", "talks", "negotiation", "format", "group", "process", "agreement", "accord", "round",
               "summit", "framework", "conference", "platform", "meeting", "protocol", "formula", "track"}


def venue(tok) -> bool:
    """The token is a capital modifying a format of talks ("Minsk" of "the Minsk talks")."""
    return (tok.dep_ in ("compound", "nmod") and tok.head.lemma_.lower() in VENUE_HEADS
            and _fold(tok.text) in _capitals_folded())


@lru_cache(maxsize=1)
def _capitals_folded() -> frozenset:
    return frozenset(_fold(c) for c in CAPITALS)


@lru_cache(maxsize=1)
def builtin_names() -> dict[str, str]:
    """Folded name → code for every built-in table, countries from pycountry first."""
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names[_fold(value)] = c.alpha_3
                if "," in value:  # "Korea, Republic of" is never written that way in news
                    names.pop(_fold(value), None)
    # regular demonyms: Nicaragua → Nicaraguan, Morocco → Moroccan (the table wins when it differs)
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        if " " in name or "," in name:
            continue
        if name.endswith("a"):
            names.setdefault(_fold(name + "n"), c.alpha_3)
        elif name.endswith("o"):
            names.setdefault(_fold(name[:-1] + "an"), c.alpha_3)
    for table in (COUNTRY_ALIASES, CAPITALS, METONYMS, ORGANISATIONS, DEMONYMS):
        for name, code in table.items():
            names[_fold(name)] = code
    # "USA" must not be read as the pronoun "us" ("told us"), nor the WHO as "who": only upper-case
    # forms are kept there.
    names.pop("us", None)
    names.pop("who", None)
    return names


@lru_cache(maxsize=1 << 10)
def is_country(code: str) -> bool:
    """The code is a country's (ISO 3166 alpha-3), not a bloc's, an organisation's or a group's."""
    return pycountry.countries.get(alpha_3=code) is not None


# Well-known office holders (name → actor) live in known_persons.csv: data, not code.
PERSONS_FILE = Path(__file__).with_name("known_persons.csv")


@lru_cache(maxsize=1)
def known_persons() -> dict[str, str]:
    """name → actor code from PERSONS_FILE (a `name,actor` header; '#' lines are comments)."""
    out: dict[str, str] = {}
    lines = PERSONS_FILE.read_text(encoding="utf-8").splitlines()
    body = [(n, ln) for n, ln in enumerate(lines, start=1) if ln.strip() and not ln.lstrip().startswith("#")]
    for (n, _), row in zip(body[1:], csv.reader(ln for _, ln in body[1:])):
        if len(row) != 2 or not row[0].strip() or not row[1].strip():
            raise ValueError(f"{PERSONS_FILE}:{n} [name, actor]: expected two non-empty columns")
        out[row[0].strip()] = row[1].strip()
    return out


# Words naming a state's institutions after a country or demonym: "Chinese Foreign Ministry",
# "Kenyan police", "Iranian security forces", "Sudanese army" → the country's code.
INSTITUTION_WORDS = {
    "foreign", "ministry", "defence", "defense", "interior", "justice", "army", "police", "forces",
    "force", "armed", "security", "military", "government", "navy", "air", "coast", "guard",
    "guards", "border", "national", "parliament", "cabinet", "office", "presidency", "embassy",
    "delegation", "authorities", "officials", "troops", "soldiers", "special", "service", "services",
    "intelligence", "federal", "state", "regime", "junta", "prosecutors", "prosecutor", "court",
    "supreme", "general", "staff", "council", "revolutionary", "riot", "public", "prime", "minister",
    "president", "spokesperson", "spokesman", "of", "the", "and", "affairs", "health", "finance",
    "treasury", "department", "commerce", "trade", "command", "central", "agency", "administration",
    "pentagon", "secretary", "envoy", "ambassador", "diplomats", "lawmakers", "congress", "senate",
}


# Upper-case abbreviations read only as written in capitals ("us" is a pronoun).
_REGIONS_FOLDED = {_fold(k): v for k, v in REGIONS.items()}
UPPER_ABBREVIATIONS = {"US": "USA", "U.S.": "USA", "UK": "GBR", "U.K.": "GBR", "EU": "EUR", "UN": "UN", "U.N.": "UN",
                       "WHO": "WHO"}


@lru_cache(maxsize=1)
def _subdivisions() -> dict[str, str]:
    """Folded province/state name → alpha-3 of its country (pycountry), for places only."""
    alpha2 = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    out: dict[str, str] = {}
    ambiguous = set()
    for sd in pycountry.subdivisions:
        key = _fold(sd.name)
        code = alpha2.get(sd.country_code)
        if not code or len(key) < 4:
            continue
        if key in out and out[key] != code:
            ambiguous.add(key)
        out[key] = code
    for k in ambiguous:
        out.pop(k, None)
    return out


@lru_cache(maxsize=1)
def _folded_persons() -> dict[str, str]:
    """known_persons() by folded name, folded once per process (a resolver is made per document)."""
    return {_fold(k): v for k, v in known_persons().items()}


# plural heads that count the parties a case's bloc groups ("six world powers", "the six countries")
COLLECTIVE_NOUNS = {"powers", "countries", "nations", "states", "governments", "parties", "members", "partners"}
_NUMBER_WORDS = {w: n for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())} | {str(n): n for n in range(40)}


# what reporters call an office instead of its title: a country's "top diplomat" is its foreign
# minister (the United States': the secretary of state; the EU's: its high representative)
OFFICE_SYNONYMS = {
    "top diplomat": ("foreign minister", "secretary of state", "high representative", "foreign secretary"),
    "chief diplomat": ("foreign minister", "secretary of state", "high representative", "foreign secretary"),
    "foreign secretary": ("foreign minister",),
    "foreign minister": ("foreign secretary",),
    "head of state": ("president",),
}

# the term a case person's role gives: "(from November 2014)", "(to 2014)", "since 2013"
_ROLE_DATES = re.compile(r"\b(from|since|to|until)\s+((?:[A-Z][a-z]+\s+)?\d{4})\b")
_MONTHS = {m.lower(): i for i, m in enumerate(
    "January February March April May June July August September October November December".split(), 1)}


def _term_date(when: str) -> str:
    """"November 2014" → "2014-11", "2014" → "2014": as precise as the role says."""
    parts = when.split()
    month = _MONTHS.get(parts[0].lower()) if len(parts) == 2 else None
    return f"{parts[-1]}-{month:02d}" if month else parts[-1]


def _opens_with_us(text: str) -> bool:
    """"US Congress", "U.S. Senator": the capitals say the United States, not the pronoun."""
    return text.split()[:1] in (["US"], ["U.S."])


def _in_term(date: str | None, start: str | None, end: str | None) -> bool:
    """Whether an ISO date falls in a term given to the year or month (no date: any term)."""
    if date is None:
        return True
    return (start is None or date[:len(start)] >= start) and (end is None or date[:len(end)] <= end)


class ActorResolver:
    """Resolve a name, demonym, title or place to an actor code; a case's actors take precedence."""

    def __init__(self, case=None):
        self.names = dict(builtin_names())
        self.persons: dict[str, str] = dict(_folded_persons())
        self.case_persons: dict[str, str] = {}  # folded alias → person id (case persons only)
        self.principal: dict[str, str] = {}
        # (country code, office) → the case persons who hold it, each with the (from, to) of its term
        self.titled: dict[tuple[str, str], list[tuple[str, str | None, str | None]]] = {}
        self.blocs_by_size: dict[int, list[str]] = {}  # a case's blocs by their number of members
        self.blocs: dict[str, frozenset[str]] = {}  # the case's blocs that negotiate as their members: their members
        self.bodies: set[str] = set()  # the case's blocs and organisations ("the group" may be one)
        self.legislature: str | None = None  # the case's one legislature ("lawmakers" are it)
        # the case's two main parties: who "both sides" are when the text has named no pair yet
        self.parties: list[str] = []
        if case is not None:
            for actor in case.actors:
                principal = case.principal(actor.id)
                self.principal[actor.id] = principal
                for alias in [actor.id, actor.name, *actor.aliases]:
                    key = _fold(alias)
                    if actor.kind.value == "person":
                        self.case_persons[key] = actor.id
                        self.persons[key] = principal
                        # surname alone ("Peskov") is how news refers to a person after first mention
                        last = key.split()[-1] if key.split() else key
                        if len(last) > 3 and last not in HUMAN_TITLES:
                            self.case_persons.setdefault(last, actor.id)
                            self.persons.setdefault(last, principal)
                        if last in HUMAN_TITLES:
                            self._note_office(key, actor.id)
                    else:
                        self.names[key] = principal
            self._short_names(case)
            self._case_codes(case)
            houses = {self.principal[a.id] for a in case.actors if a.kind.value != "person"
                      and any(_fold(a.name).endswith(h) for h in LEGISLATURE_HEADS)}
            self.legislature = houses.pop() if len(houses) == 1 else None
            self.parties = [case.principal(p) for p in case.meta.parties]
            for actor in case.actors:
                if actor.kind.value == "person" and actor.role:
                    self._note_role(actor.role, actor.id)
                if actor.kind.value in ("bloc", "organisation"):
                    self.bodies.add(self.principal[actor.id])
                if actor.members:
                    self.blocs_by_size.setdefault(len(actor.members), []).append(actor.id)
                    self.blocs[actor.id] = frozenset(case.principal(m) for m in actor.members)

    def _short_names(self, case) -> None:
        """A case name that opens with a place's or an organisation's name ("US Congress", "UN
        Security Council") is met by the capitalised rest too ("Congress", "the Security
        Council"), as news shortens it, when no other case actor's name has that rest and it
        names nothing else. "Iranian government" gives nothing: "the government" is any."""
        rests: dict[str, set[str]] = {}
        named = {_fold(a) for actor in case.actors for a in [actor.id, actor.name, *actor.aliases]}
        for actor in case.actors:
            if actor.kind.value == "person":
                continue
            for alias in [actor.name, *actor.aliases]:
                alias = _STRIP_ARTICLE.sub("", alias.strip())  # as _fold reads it, so the words line up
                head = next(self._country_heads(_fold(alias).split(), _opens_with_us(alias)), None)
                rest = alias.split()[head[1]:] if head is not None else []
                if rest and head[0] != self.principal[actor.id] and all(w[:1].isupper() for w in rest):
                    rests.setdefault(_fold(" ".join(rest)), set()).add(self.principal[actor.id])
        for rest, owners in rests.items():
            # the case's reading of "Congress" goes before the built-in one (the United States)
            if len(owners) == 1 and rest not in named and rest not in HUMAN_TITLES:
                self.names[rest] = owners.pop()

    def _case_codes(self, case) -> None:
        """The built-in tables' code for what a case actor names is that actor: a case whose
        "European Union" is `EU` reads "Brussels" and a known EU office holder (built-in `EUR`) as
        `EU`, not as an actor it does not have. Only a code the case does not use itself and that
        one case actor's names lead to is rewritten."""
        builtin = builtin_names()
        ids = {self.principal[a.id] for a in case.actors} | {a.id for a in case.actors}
        owners: dict[str, set[str]] = {}
        for actor in case.actors:
            if actor.kind.value == "person" or actor.members:
                continue
            for alias in [actor.name, *actor.aliases]:
                code = builtin.get(_fold(alias))
                if code and code not in ids:
                    owners.setdefault(code, set()).add(self.principal[actor.id])
        remap = {code: next(iter(o)) for code, o in owners.items() if len(o) == 1}
        if remap:
            for table in (self.names, self.persons):
                for key, code in table.items():
                    if code in remap:
                        table[key] = remap[code]

    def grown_bloc(self, base: str, more: int) -> str | None:
        """"E3+3" when the case names its group of six otherwise ("P5+1"): the one bloc of the
        case that holds the members of the bloc `base` names and `more` others."""
        core = self.blocs.get(self.names.get(base, ""))
        if not core:
            return None
        grown = [b for b, m in self.blocs.items() if len(m) == len(core) + more and m >= core]
        return grown[0] if len(grown) == 1 else None

    def numbered_bloc(self, count: int) -> str | None:
        """The case's one bloc of `count` members ("six world powers"), if it has exactly one."""
        blocs = self.blocs_by_size.get(count, [])
        return blocs[0] if len(blocs) == 1 else None

    def _note_office(self, key: str, person: str, term: tuple[str | None, str | None] = (None, None)) -> None:
        """An alias or role that is a country and an office ("Iran's foreign minister", "Iranian
        Foreign Minister", "Foreign Minister of Russia") names the one who holds it: "the Foreign
        Minister of Iran" is that person. Words that name no country and office teach nothing."""
        words = key.split()
        head = next(self._country_heads(words), None)
        if head is not None:
            country, office = head[0], " ".join(words[head[1]:])
        elif " of " in key and (country := self.code(key.rsplit(" of ", 1)[1])):
            office = key.rsplit(" of ", 1)[0]
        else:
            return
        office = office.split(" to ")[0]  # "ambassador to Türkiye" is met as "Ukraine's ambassador"
        holders = self.titled.setdefault((country, office), [])
        if all(h[0] != person for h in holders):
            holders.append((person, *term))

    def _note_role(self, role: str, person: str) -> None:
        """A case person's `role` ("EU High Representative (from November 2014)", "President of
        Russia") is an office they hold, in the term its dates give: "the EU High Representative"
        in a text of 2015 is Mogherini, in one of 2013 Ashton."""
        term = [None, None]
        for word, when in _ROLE_DATES.findall(role):
            term[word in ("to", "until")] = _term_date(when)
        office = re.sub(r"\([^)]*\)", " ", role).split(",")[0].split(";")[0]
        self._note_office(_fold(office), person, (term[0], term[1]))

    def _country_heads(self, words: list[str], upper_us: bool = False):
        """(code, number of words) of a country or demonym that opens a phrase of more words
        ("chinese foreign ministry", "iran's foreign minister"), the two-word name first."""
        for n in (2, 1):
            head = " ".join(words[:n])
            code = self.names.get(head) or ("USA" if upper_us and head in ("us", "u.s") else None)
            if code and len(words) > n:
                yield code, n

    def office_holder(self, country: str | None, office: str, date: str | None = None) -> str | None:
        """The case person who holds `office` ("foreign minister", "Russian Foreign Minister") for
        `country` at `date` (the text's), if the case says and only one does."""
        if not country:
            return None
        words = _fold(office).split()
        head = next(self._country_heads(words, _opens_with_us(office)), None)
        if head is not None and head[0] == country:
            words = words[head[1]:]  # "the Russian Foreign Minister": Russia's "foreign minister"
        office = " ".join(words)
        for name in (office, *OFFICE_SYNONYMS.get(office, ())):
            holders = [h for h in self.titled.get((country, name), []) if _in_term(date, h[1], h[2])]
            if holders:
                return holders[0][0] if len(holders) == 1 else None
        return None

    def code(self, name: str) -> str | None:
        """A place, organisation, demonym or country name → code."""
        if not name:
            return None
        raw = name.strip()
        if raw[:4] in ("the ", "The ") and raw[4:] in UPPER_ABBREVIATIONS:
            raw = raw[4:]
        if raw in UPPER_ABBREVIATIONS:
            return self.names.get(_fold(raw)) or UPPER_ABBREVIATIONS.get(raw)
        key = _fold(raw)
        if key in self.names:
            return self.names[key]
        dotless = key.replace(".", "")
        if dotless != key and dotless != "us" and dotless in self.names:
            return self.names[dotless]  # "the E.U.", "U.N. Security Council" as "EU", "UN Security Council"
        # plural demonyms and possessives: "Ukrainians", "Russia's"
        for cand in (key.rstrip("s"), key[:-1] if key.endswith("'") else key):
            if cand in self.names:
                return self.names[cand]
        if m := _PLUS.match(key):
            return self.grown_bloc(m.group(1), int(m.group(2)))
        words = key.split()
        if len(words) > 1 and words[-1] in COLLECTIVE_NOUNS and _NUMBER_WORDS.get(words[0], 0) >= 3:
            # "six world powers", "three European countries"; "the two countries" are the two sides
            return self.numbered_bloc(_NUMBER_WORDS[words[0]])
        if 1 < len(words) <= 6:
            # "Chinese Foreign Ministry", "Kenyan police": a country or demonym and institution words
            upper_us = "US" in raw.split() or "U.S." in raw.split()
            return next((code for code, n in self._country_heads(words, upper_us)
                         if all(w in INSTITUTION_WORDS for w in words[n:])), None)
        return None

    def place(self, name: str) -> str | None:
        """A place → the country it is in: countries and capitals, else a province or state."""
        code = self.code(name)
        if code:
            return code
        return _REGIONS_FOLDED.get(_fold(name)) or _subdivisions().get(_fold(name))

    def titled_person(self, phrase: str) -> tuple[str | None, str | None]:
        """A case person one of whose names is this title phrase ("the Supreme Leader"), as
        (person id, actor); not a surname's match ("leader" is no one)."""
        key = _fold(phrase)
        pid = self.case_persons.get(key)
        return (pid, self.persons.get(key)) if pid else (None, None)

    def person(self, name: str) -> tuple[str | None, str | None]:
        """A person's name → (person id if the case knows them, actor code they speak for)."""
        key = _fold(name)
        parts = key.split()
        for cand in (key, parts[-1] if parts else key, " ".join(parts[-2:]) if len(parts) > 1 else key):
            if cand in self.persons:
                return self.case_persons.get(cand), self.persons[cand]
        return None, None
