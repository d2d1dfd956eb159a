"""PLOVER verb lexicon and the generic issue lexicon.

The verb lexicon maps a governing verb's lemma (plus, for light verbs, its object or particle)
to a PLOVER type. The issue lexicon holds keyword patterns for the flagship's issue ids
(docs/extraction.md) and two generic ones (humanitarian, prisoners); a case's own issues are matched
from their names, descriptions and scale labels instead (see `issues.py`).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Verbs that only report speech or belief: the stance is in their complement, not in them.
SPEECH_NEUTRAL = {
    "say", "tell", "state", "add", "note", "declare", "explain", "claim", "reveal", "write",
    "stress", "emphasize", "emphasise", "argue", "believe", "think", "report", "remark", "comment",
    "tweet", "post", "reiterate", "repeat", "insist", "assert", "announce", "confirm", "indicate",
    "acknowledge", "admit", "signal", "hint", "suggest", "recall", "point", "mention", "maintain",
    "underline", "underscore", "voice", "express", "describe", "call", "respond", "reply",
    "answer", "disclose", "predict", "estimate", "convey", "told", "brief", "testify", "observe",
}

# Governing verb lemma → PLOVER type. Speech verbs that carry a stance are here too.
VERB_TYPES = {
    # REQUEST: demands, appeals
    "demand": "REQUEST", "urge": "REQUEST", "ask": "REQUEST", "request": "REQUEST",
    "appeal": "REQUEST", "press": "REQUEST", "plead": "REQUEST", "seek": "REQUEST",
    "insist": "REQUEST", "require": "REQUEST", "petition": "REQUEST", "implore": "REQUEST",
    "exhort": "REQUEST", "condition": "REQUEST", "want": "REQUEST", "expect": "REQUEST",
    # REJECT
    "reject": "REJECT", "refuse": "REJECT", "dismiss": "REJECT", "rebuff": "REJECT",
    "veto": "REJECT", "decline": "REJECT", "spurn": "REJECT", "deny": "REJECT", "oppose": "REJECT",
    "resist": "REJECT", "disavow": "REJECT", "refute": "REJECT", "repudiate": "REJECT",
    "exclude": "REJECT", "block": "REJECT",
    # ACCUSE
    "accuse": "ACCUSE", "blame": "ACCUSE", "allege": "ACCUSE", "charge": "ACCUSE",
    # DISAPPROVE
    "condemn": "DISAPPROVE", "criticize": "DISAPPROVE", "criticise": "DISAPPROVE",
    "denounce": "DISAPPROVE", "slam": "DISAPPROVE", "decry": "DISAPPROVE", "deplore": "DISAPPROVE",
    "censure": "DISAPPROVE", "object": "DISAPPROVE", "lambast": "DISAPPROVE", "rebuke": "DISAPPROVE",
    "belittle": "DISAPPROVE", "mock": "DISAPPROVE", "regret": "DISAPPROVE", "protest": "PROTEST",
    # THREATEN
    "threaten": "THREATEN", "warn": "THREATEN", "vow": "THREATEN",
    # AGREE
    "agree": "AGREE", "accept": "AGREE", "sign": "AGREE", "ratify": "AGREE", "approve": "AGREE",
    "consent": "AGREE", "endorse": "SUPPORT", "conclude": "AGREE", "initial": "AGREE",
    # keeping to what was agreed is agreeing to it again
    "honor": "AGREE", "honour": "AGREE", "comply": "AGREE", "adhere": "AGREE", "abide": "AGREE",
    "fulfil": "AGREE", "fulfill": "AGREE", "undertake": "AGREE",
    "propose": "REQUEST", "offer": "AGREE", "suggest": "REQUEST",
    # SUPPORT
    "support": "SUPPORT", "welcome": "SUPPORT", "praise": "SUPPORT", "back": "SUPPORT",
    "commend": "SUPPORT", "hail": "SUPPORT", "applaud": "SUPPORT", "recognize": "SUPPORT",
    "recognise": "SUPPORT", "defend": "SUPPORT", "thank": "SUPPORT", "favor": "SUPPORT",
    "favour": "SUPPORT", "champion": "SUPPORT", "reaffirm": "SUPPORT",
    # CONSULT
    "meet": "CONSULT", "discuss": "CONSULT", "talk": "CONSULT", "negotiate": "CONSULT",
    "visit": "CONSULT", "host": "CONSULT", "consult": "CONSULT", "confer": "CONSULT",
    "convene": "CONSULT", "phone": "CONSULT", "mediate": "CONSULT", "receive": "CONSULT",
    "travel": "CONSULT", "welcome_visit": "CONSULT",
    # COOPERATE
    "cooperate": "COOPERATE", "collaborate": "COOPERATE", "coordinate": "COOPERATE",
    "partner": "COOPERATE", "ally": "COOPERATE", "join": "COOPERATE", "share": "COOPERATE",
    # AID
    "aid": "AID", "help": "AID", "assist": "AID", "supply": "AID", "deliver": "AID",
    "donate": "AID", "pledge": "AID", "fund": "AID", "finance": "AID", "provide": "AID",
    "equip": "AID", "train": "AID", "arm": "AID", "evacuate": "AID", "shelter": "AID",
    # CONCEDE
    "concede": "CONCEDE", "release": "CONCEDE", "free": "CONCEDE", "ease": "CONCEDE",
    "compromise": "CONCEDE", "yield": "CONCEDE", "relent": "CONCEDE", "pardon": "CONCEDE",
    "return": "CONCEDE", "exchange": "CONCEDE", "swap": "CONCEDE", "lift": "CONCEDE",
    "reopen": "CONCEDE", "allow": "CONCEDE", "cede": "CONCEDE", "surrender": "CONCEDE",
    # RETREAT
    "withdraw": "RETREAT", "retreat": "RETREAT", "pull": "RETREAT", "evacuate_troops": "RETREAT",
    "demobilize": "RETREAT", "demobilise": "RETREAT", "disarm": "RETREAT",
    # MOBILIZE
    "mobilize": "MOBILIZE", "mobilise": "MOBILIZE", "deploy": "MOBILIZE", "mass": "MOBILIZE",
    "amass": "MOBILIZE", "station": "MOBILIZE", "reinforce": "MOBILIZE", "conscript": "MOBILIZE",
    "draft": "MOBILIZE", "muster": "MOBILIZE",
    # SANCTION
    "sanction": "SANCTION", "impose": "SANCTION", "embargo": "SANCTION",
    "suspend": "SANCTION", "sever": "SANCTION", "boycott": "SANCTION",
    "freeze": "SANCTION", "penalize": "SANCTION", "penalise": "SANCTION", "halt": "SANCTION",
    "cut": "SANCTION", "tariff": "SANCTION", "recall": "SANCTION", "toughen": "SANCTION",
    # COERCE
    "arrest": "COERCE", "detain": "COERCE", "expel": "COERCE", "ban": "COERCE", "outlaw": "COERCE",
    "disperse": "COERCE", "crackdown": "COERCE", "evict": "COERCE", "prosecute": "COERCE", "deport": "COERCE", "blockade": "COERCE",
    "confiscate": "COERCE", "censor": "COERCE", "jail": "COERCE", "imprison": "COERCE",
    "besiege": "COERCE", "seize": "COERCE", "kidnap": "COERCE", "abduct": "COERCE",
    "pressure": "COERCE", "force": "COERCE", "annex": "COERCE",
    "occupy": "COERCE", "displace": "COERCE", "sentence": "COERCE", "execute": "COERCE",
    "torture": "COERCE", "hijack": "COERCE", "capture": "COERCE", "coerce": "COERCE",
    # ASSAULT
    "attack": "ASSAULT", "strike": "ASSAULT", "bomb": "ASSAULT", "shell": "ASSAULT",
    "kill": "ASSAULT", "shoot": "ASSAULT", "fire": "ASSAULT", "invade": "ASSAULT",
    "target": "ASSAULT", "hit": "ASSAULT", "wound": "ASSAULT", "assassinate": "ASSAULT",
    "massacre": "ASSAULT", "bombard": "ASSAULT", "pound": "ASSAULT", "destroy": "ASSAULT",
    "launch": "ASSAULT", "ambush": "ASSAULT", "raid": "ASSAULT", "shoot_down": "ASSAULT", "storm": "ASSAULT", "injure": "ASSAULT",
    "murder": "ASSAULT", "slaughter": "ASSAULT", "behead": "ASSAULT", "torch": "ASSAULT",
    "loot": "ASSAULT", "rape": "ASSAULT", "drone": "ASSAULT", "missile": "ASSAULT",
    # FIGHT
    "fight": "FIGHT", "clash": "FIGHT", "battle": "FIGHT", "engage": "FIGHT", "advance": "FIGHT",
    "capture_town": "FIGHT", "repel": "FIGHT", "counterattack": "FIGHT",
    # PROTEST
    "demonstrate": "PROTEST", "rally": "PROTEST", "march": "PROTEST", "picket": "PROTEST",
    "riot": "PROTEST", "occupy_square": "PROTEST",
    # INVESTIGATE
    "investigate": "INVESTIGATE", "probe": "INVESTIGATE", "inquire": "INVESTIGATE",
    "examine": "INVESTIGATE", "inspect": "INVESTIGATE", "monitor": "INVESTIGATE",
}

# Light verbs whose type is decided by their object ("hold talks", "impose sanctions").
LIGHT_VERBS = {"hold", "make", "take", "give", "put", "carry", "conduct", "issue", "reach",
               "have", "pay", "send", "launch", "open", "stage", "lodge", "file", "set",
               "present", "call", "submit", "begin", "start", "resume", "announce", "unveil",
               "table", "mount", "step", "keep", "continue", "receive", "extend", "grant", "approve",
               "provide", "deliver", "pledge", "supply", "impose", "offer", "deploy", "lift"}

# Object noun lemma → PLOVER type, for light verbs and for nominal events ("the attack on").
NOUN_TYPES = {
    "talk": "CONSULT", "negotiation": "CONSULT", "meeting": "CONSULT", "summit": "CONSULT",
    "visit": "CONSULT", "call": "CONSULT", "consultation": "CONSULT", "discussion": "CONSULT",
    "conversation": "CONSULT", "trip": "CONSULT", "round": "CONSULT",
    "sanction": "SANCTION", "tariff": "SANCTION", "embargo": "SANCTION", "duty": "SANCTION",
    "ban": "SANCTION", "restriction": "SANCTION", "penalty": "SANCTION",
    "aid": "AID", "weapon": "AID", "arm": "AID", "assistance": "AID", "support": "AID",
    "ammunition": "AID", "loan": "AID", "fund": "AID", "funding": "AID", "package": "AID",
    "shipment": "AID", "delivery": "AID", "system": "AID", "relief": "AID", "supply": "AID",
    "attack": "ASSAULT", "strike": "ASSAULT", "airstrike": "ASSAULT", "offensive": "ASSAULT",
    "bombardment": "ASSAULT", "raid": "ASSAULT", "assault": "ASSAULT", "fire": "ASSAULT",
    "shelling": "ASSAULT", "bombing": "ASSAULT", "invasion": "ASSAULT", "drone": "ASSAULT",
    "missile": "ASSAULT", "counteroffensive": "FIGHT", "operation": "FIGHT", "battle": "FIGHT",
    "proposal": "REQUEST", "demand": "REQUEST", "appeal": "REQUEST", "request": "REQUEST",
    "plan": "REQUEST", "ultimatum": "THREATEN", "deadline": "THREATEN", "threat": "THREATEN",
    "warning": "THREATEN", "protest": "PROTEST", "demonstration": "PROTEST", "rally": "PROTEST",
    "complaint": "ACCUSE", "accusation": "ACCUSE", "statement": "SUPPORT", "agreement": "AGREE",
    "deal": "AGREE", "accord": "AGREE", "truce": "AGREE", "ceasefire": "AGREE", "treaty": "AGREE",
    "concession": "CONCEDE", "step": "REQUEST", "troop": "MOBILIZE", "force": "MOBILIZE",
    "soldier": "MOBILIZE", "investigation": "INVESTIGATE", "inquiry": "INVESTIGATE",
    "criticism": "DISAPPROVE", "condemnation": "DISAPPROVE", "guarantee": "AID",
    "curfew": "COERCE", "crackdown": "COERCE", "warrant": "COERCE", "arrest": "COERCE",
    "martial": "COERCE", "emergency": "COERCE", "exercise": "MOBILIZE", "drill": "MOBILIZE",
    "maneuver": "MOBILIZE", "manoeuvre": "MOBILIZE", "alert": "MOBILIZE", "reinforcement": "MOBILIZE",
    "walkout": "PROTEST", "sit-in": "PROTEST", "march": "PROTEST", "boycott": "SANCTION",
    "donation": "AID", "grant": "AID", "help": "AID", "food": "AID", "medicine": "AID",
    "charge": "ACCUSE", "probe": "INVESTIGATE",
    "condition": "REQUEST", "precondition": "REQUEST", "pressure": "COERCE", "message": "SUPPORT",
}

# Verb + particle/prep that changes the meaning.
PHRASAL = {
    ("call", "for"): "REQUEST", ("call", "on"): "REQUEST", ("call", "upon"): "REQUEST",
    ("push", "for"): "REQUEST", ("press", "for"): "REQUEST", ("ask", "for"): "REQUEST",
    ("rule", "out"): "REJECT", ("turn", "down"): "REJECT", ("back", "away"): "RETREAT",
    ("pull", "out"): "RETREAT", ("pull", "back"): "RETREAT", ("back", "down"): "CONCEDE",
    ("step", "back"): "RETREAT", ("step", "down"): "CONCEDE", ("give", "up"): "CONCEDE",
    ("sit", "down"): "CONSULT", ("speak", "with"): "CONSULT", ("speak", "to"): "CONSULT",
    ("talk", "with"): "CONSULT", ("open", "fire"): "ASSAULT", ("crack", "down"): "COERCE",
    ("stand", "by"): "SUPPORT", ("side", "with"): "SUPPORT", ("walk", "out"): "PROTEST",
    ("hand", "over"): "CONCEDE", ("break", "off"): "REJECT", ("lash", "out"): "DISAPPROVE",
    ("speak", "out"): "DISAPPROVE", ("rally", "behind"): "SUPPORT", ("cut", "off"): "SANCTION",
    ("shut", "down"): "COERCE", ("take", "over"): "COERCE", ("fire", "on"): "ASSAULT",
    ("round", "up"): "COERCE", ("lock", "up"): "COERCE", ("shoot", "down"): "ASSAULT",
    ("blow", "up"): "ASSAULT", ("team", "up"): "COOPERATE", ("work", "with"): "COOPERATE",
    ("work", "together"): "COOPERATE", ("join", "forces"): "COOPERATE", ("pull", "away"): "RETREAT",
    ("hand", "back"): "CONCEDE", ("stand", "down"): "RETREAT", ("speak", "against"): "DISAPPROVE",
    ("look", "into"): "INVESTIGATE", ("warn", "against"): "THREATEN", ("wipe", "out"): "ASSAULT",
}

# "ban" is coercion of people and groups, a sanction when it bans trade.
TRADE_OBJECTS = {"import", "export", "trade", "oil", "gas", "good", "product", "sale", "flight",
                 "shipment", "investment", "transaction", "purchase", "grain", "coal", "steel"}
# "fire tear gas", "use water cannon": crowd control is coercion, not assault.
CROWD_CONTROL = {"tear", "gas", "teargas", "cannon", "rubber", "baton", "pepper", "stun"}
# what a process or a market hits or strikes without an attack ("hit a new snag", "strike a balance")
FIGURATIVE_TARGETS = {"snag", "obstacle", "roadblock", "hurdle", "wall", "impasse", "deadlock", "stalemate",
                      "record", "bump", "limit", "ceiling", "balance", "chord", "note", "tone"}
# "go on strike", "stage a walkout": labour and civic protest.
PROTEST_NOUNS = {"strike", "walkout", "protest", "sit-in", "boycott", "demonstration", "rally",
                 "march", "hunger"}

# Predicative adjectives and nouns that carry a stance in copular clauses ("X is unacceptable").
ADJ_TYPES = {
    "ready": "AGREE", "willing": "AGREE", "open": "AGREE", "prepared": "AGREE", "happy": "SUPPORT",
    "unacceptable": "REJECT", "impossible": "REJECT", "ridiculous": "DISAPPROVE",
    "wrong": "DISAPPROVE", "illegal": "ACCUSE", "essential": "REQUEST", "necessary": "REQUEST",
    "important": "SUPPORT", "grateful": "SUPPORT", "determined": "REQUEST", "committed": "SUPPORT",
    "responsible": "ACCUSE", "guilty": "ACCUSE", "opposed": "REJECT", "against": "REJECT",
    "unrealistic": "REJECT", "unjust": "DISAPPROVE",
    "needed": "REQUEST", "crucial": "REQUEST", "vital": "REQUEST", "key": "SUPPORT",
    "productive": "SUPPORT", "constructive": "SUPPORT", "dangerous": "DISAPPROVE",
    "concerned": "DISAPPROVE", "worried": "DISAPPROVE", "lie": "ACCUSE", "propaganda": "ACCUSE",
    "falsehood": "ACCUSE", "ploy": "ACCUSE", "mockery": "DISAPPROVE", "tragedy": "DISAPPROVE",
    "condition": "REQUEST", "precondition": "REQUEST", "goal": "REQUEST", "priority": "REQUEST",
    "threat": "ACCUSE",
    # evaluations of a deal or a proposal ("this is a bad deal", "the solutions are pragmatic")
    "bad": "DISAPPROVE", "terrible": "DISAPPROVE", "horrible": "DISAPPROVE", "disastrous": "DISAPPROVE",
    "flawed": "DISAPPROVE", "worst": "DISAPPROVE", "catastrophic": "DISAPPROVE", "mistake": "DISAPPROVE",
    "good": "SUPPORT", "historic": "SUPPORT", "excellent": "SUPPORT", "positive": "SUPPORT",
    "best": "SUPPORT", "pragmatic": "SUPPORT", "victory": "SUPPORT", "success": "SUPPORT",
    "successful": "SUPPORT", "achievement": "SUPPORT", "breakthrough": "SUPPORT",
}

# What one calls a thing ("called the decision disproportionate", "called the deal a capitulation"):
# the predicate of "call", "label", "brand", "dub", "deem" says the stance (`clauses.evaluation`).
EVALUATIONS = {
    **{w: "DISAPPROVE" for w in """disproportionate unjustified unjustifiable irresponsible provocative
        outrageous shameful absurd unacceptable ridiculous capitulation surrender betrayal escalation
        provocation farce sham illegitimate hypocritical cynical reckless unfair humiliating
        disgraceful scandalous insult insulting appeasement""".split()},
    **{w: "ACCUSE" for w in "theft robbery piracy blackmail terrorism genocide crime lie lies".split()},
    **{w: "SUPPORT" for w in """step milestone constructive productive fruitful useful encouraging
        historic breakthrough success positive good important welcome""".split()},
}
# What one says a thing is ("this is a bad deal", "the solutions are pragmatic"): the copula's
# predicate, or the word qualifying it, says the stance whatever the classifier reads
# (`clauses.copular_evaluation`); "important" or "necessary" say what matters, not a verdict.
VERDICTS = {
    **{w: ADJ_TYPES.get(w, t) for w, t in EVALUATIONS.items() if w not in ("important", "step", "welcome")},
    **{w: "DISAPPROVE" for w in """bad terrible horrible disastrous flawed worst catastrophic mistake
        dangerous wrong unjust""".split()},
    **{w: "SUPPORT" for w in "excellent best pragmatic victory achievement successful".split()},
}
CALLING_VERBS = {"call", "label", "brand", "dub", "deem", "term"}
# "X quoted Y as saying ...": Y says it
QUOTING_VERBS = {"quote", "cite"}

# Types that turn into THREATEN when only announced as possible ("might impose sanctions").
COERCIVE = {"SANCTION", "ASSAULT", "COERCE", "MOBILIZE", "FIGHT"}
# Acts of force: an attack, a clash or a troop movement holds no position on an issue unless the
# sentence names one beyond where it happened (annotation conventions, data/annotated/source/train.txt).
FORCE = {"ASSAULT", "FIGHT", "MOBILIZE"}
# Under negation these become a rejection ("did not agree", "will not accept").
NEGATABLE_TO_REJECT = {"AGREE", "SUPPORT", "CONCEDE", "COOPERATE", "CONSULT", "AID", "RETREAT",
                       "REQUEST"}
# Stance kinds that are statements; the rest are events for the chronology.
STATEMENT_TYPES = {"REQUEST", "REJECT", "ACCUSE", "DISAPPROVE", "THREATEN", "AGREE", "SUPPORT",
                   "CONCEDE", "PROTEST"}

# Generic issues: id → keyword regexes (matched case-insensitively on the clause text).
ISSUE_PATTERNS: dict[str, list[str]] = {
    # Keyword families per id: synonyms and inflections, matched on the sentence (minus
    # non-restrictive relative clauses) and on what a speaker is reported to have said.
    "territory": [
        r"\bterritor(y|ies|ial)\b", r"\blands?\b", r"\bborders?\b", r"\bline of contact\b",
        r"\bfront ?lines?\b", r"\bcontact line\b", r"\bannex(ation|ed|ing)?\b(?!.{0,20}\bcrimea)",
        r"\bdonbas+\b", r"\bdonetsk\b", r"\bluhansk\b", r"\bzaporizhzhia\b", r"\bkherson\b",
        r"\bcede[sd]?\b", r"\bceding\b", r"\bpartition\b", r"\bbuffer zones?\b",
        r"\boccup(y|ies|ied|ying|ation|ier|iers)\b", r"\boblasts?\b",
        r"\bwithdr(aw|ew|awn|awal|awals|awing|aws)\b.{0,40}\bfrom\b",
        r"\bwithdrawal of (all |the |its |their )?(\w+ )?(forces|troops|army|soldiers)\b",
        r"\bregions?\b(?! of influence)", r"\bdemarcat\w+\b", r"\bdelimitat\w+\b", r"\bsovereignty\b",
        r"\benclaves?\b", r"\bcorridor\b(?<!humanitarian corridor)",
        r"\b(seiz|captur|retak|recaptur)\w* (the |control of )?(\w+ )?(city|town|village|region|capital|territory|area|airport|province)\b",
        r"\b(take|took|taken|taking|seize\w*|gain\w*|regain\w*|los[te]\w*) (full )?control of\b",
        r"\bland swaps?\b", r"\bterritorial (concessions?|integrity|claims?)\b", r"\bhand over\b.{0,30}\b(rest|region|city|town|area)\b",
    ],
    "crimea": [r"\bcrimea\w*\b", r"\bsevastopol\b", r"\bkerch\b"],
    "nato": [
        r"\bnato\b.{0,40}\b(member\w*|accession|join\w*|bid|path|aspiration|integration|enlargement|expansion)\b",
        r"\b(member\w*|accession|join\w*|bid|path|aspiration|enlargement|expansion)\b.{0,25}\bnato\b",
        r"\bneutral(ity)?\b", r"\bnon-?aligned\b", r"\bnon-?membership\b", r"\bnon-?accession\b",
        r"\bmilitary alliances?\b", r"\bbloc status\b", r"\balliance membership\b", r"\bjoin(ing)? the alliance\b",
    ],
    "security_guarantees": [
        r"\bsecurity guarantees?\b", r"\bguarantee(s|d)?\b", r"\breassurance (force|mission)\b",
        r"\bpeace-?keep\w*\b", r"\bforeign troops\b", r"\btroops on the ground\b",
        r"\barticle 5\b", r"\bsecurity (assurances?|commitments?)\b", r"\bprotection force\b",
        r"\bstabili[sz]ation (force|mission)\b", r"\bmonitoring mission\b", r"\bsend (their |its )?troops\b",
        r"\bsecurity (arrangements?|framework|architecture)\b", r"\bbackstop\b",
        r"\b(deploy\w*|send\w*|station\w*|presence) (of )?(any )?(nato|western|european|foreign|allied|international|multinational) (troops|forces|soldiers|contingents?)\b",
        r"\b(troops|forces|soldiers) (in ukraine )?after (a |the )?(peace|ceasefire|war|settlement)\b",
    ],
    "army_limits": [
        r"\bdemilitari[sz]\w*\b", r"\breduce (its|the|their) (army|armed forces|military|forces)\b",
        r"\b(cap|caps|capped|ceiling|limits?|restrictions?|limitations?) on (the )?(\w+ )?(army|armed forces|troops|military|forces|weapons)\b",
        r"\b(size|strength) of (its|the|their) (\w+ )?(army|armed forces|military)\b", r"\bdisarm\w*\b",
        r"\bdecommission\w*\b", r"\bdemobili[sz]\w*\b", r"\barmy (size|cap)\b", r"\bweapons? handover\b",
        r"\btroop (caps?|ceilings?|limits?)\b", r"\blay(ing)? down (their |its )?(arms|weapons)\b",
    ],
    "military_aid": [
        r"\bmilitary (aid|support|assistance|help|packages?|supplies|equipment)\b", r"\bweapons?\b", r"\barms\b",
        r"\bammunition\b", r"\bair[- ]defen[cs]es?\b", r"\bpatriots?\b", r"\bmissiles? (for|to)\b",
        r"\btomahawks?\b", r"\bf-16s?\b", r"\btanks for\b", r"\bhimars\b",
        r"\barms (deliveries|supplies|shipments|sales)\b", r"\bdefen[cs]e aid\b", r"\bsecurity assistance\b",
        r"\bintelligence[- ]sharing\b", r"\blong-range (missiles|weapons|strikes)\b",
    ],
    "sanctions": [
        r"\bsanction\w*\b", r"\btariffs?\b", r"\bcustoms dut(y|ies)\b", r"\bembargo\w*\b",
        r"\bprice caps?\b", r"\bexport (controls?|bans?)\b", r"\bimport bans?\b", r"\bblacklist\w*\b",
        r"\btrade (restrictions|war|curbs)\b", r"\brestrictive measures\b", r"\basset freezes?\b",
        r"\bfr(ee|o)z\w* (the )?assets of\b", r"\bban(s|ned)? (on )?(\w+ )?(imports|exports)\b",
        r"\b(suspend|cut)\w* (off )?(some |all |its |the |their )?(development |economic |financial |budget |foreign |bilateral )?(aid|assistance|funding)\b(?! to ukraine)",
    ],
    "reparations": [
        r"\breparations?\b", r"\bcompensat\w*\b", r"\b(frozen|immobili[sz]ed|seized) (\w+ ){0,2}assets\b", r"\bassets\b",
        r"\breconstruction\b", r"\brebuild\w*\b", r"\bdamages?\b", r"\brestitution\b",
    ],
    "accountability": [
        r"\bwar crim\w+\b", r"\btribunal\b", r"\baccountab\w+\b", r"\bprosecut\w+\b",
        r"\bpunish\w*\b", r"\bimpunity\b", r"\bamnesty\b", r"\bgenocide\b", r"\barrest warrants?\b",
        r"\bcrimes against humanity\b", r"\bjustice for\b", r"\btried\b", r"\btrials?\b",
        r"\bbear responsibility\b", r"\bhold\w* .{0,20} responsible\b", r"\batrocit\w+\b",
        r"\btruth commission\b", r"\btransitional justice\b", r"\bindict\w*\b", r"\bethnic cleansing\b",
    ],
    "language": [r"\b(russian|official|state|native|minority) language\b", r"\blanguages?\b",
                 r"\blinguistic\b"],
    "church": [r"\bchurch\w*\b", r"\bpatriarch\w*\b", r"\borthodox\b", r"\bclergy\b",
               r"\bpriests?\b", r"\breligio\w+ (freedom|organi[sz]ations?|communit\w+)\b"],
    "elections": [r"\belections?\b", r"\belectoral\b", r"\bballots?\b", r"\breferend\w+\b",
                  r"\bvote\b(?! of confidence| on)", r"\bvoters?\b", r"\bpolling (stations|day)\b",
                  r"\bpresidential (race|vote|polls?)\b", r"\bgo(es|ing)? to the polls\b"],
    "ceasefire": [
        r"\bcease-?fires?\b", r"\btruces?\b", r"\barmistice\b",
        r"\bhalt(s|ed|ing)? (to )?(the )?(fighting|hostilities|attacks|strikes)\b",
        r"\bstop(s|ped|ping)? (the )?(war|fighting|killing|hostilities)\b", r"\bcessation of hostilities\b",
        r"\b(pause|moratorium|lull) (in|on) (the )?(fighting|attacks|strikes|hostilities)\b",
        r"\bend(s|ed|ing)? (to )?the (war|fighting|hostilities)\b", r"\b(war|fighting|hostilities) to (end|stop)\b",
        r"\b(just|unjust|lasting|durable|fair|sustainable|real) peace\b", r"\bwants? peace\b",
        r"\bcomprehensive (peace )?(deal|agreement|settlement)\b",
        r"\bpeace (deal|agreement|accord|settlement|treaty|pact|roadmap)\b",
        r"\bfreez\w+ (of )?the (conflict|front ?line|war)\b", r"\bhostilities\b", r"\bde-?escalat\w+\b",
        r"\bguns (fall|fell) silent\b",
    ],
    "talks_format": [
        r"\btalks\b", r"\bnegotiat\w+\b", r"\bface-to-face\b", r"\bsummits?\b", r"\bformat\b",
        r"\bmediat\w+\b", r"\bdelegations?\b", r"\bistanbul\b", r"\bnegotiating table\b",
        r"\btrilateral\b", r"\bbilateral (meeting|talks)\b", r"\bpeace (process|conference)\b",
        r"\bmeeting (with|between|of)\b", r"\bdirect (talks|meeting|negotiations|contacts?)\b", r"\bmeet\b",
        r"\bdialogue\b", r"\bvenue\b", r"\bhost\w* (the |a |new )?(\w+ )?(talks|meeting|negotiations|round|summit)\b",
        r"(?<!after the )(?<!before the )(?<!following the )\bmeeting\b", r"\bsit (down )?(at the table )?with\b",
        r"\bminsk group\b", r"\bround of (talks|negotiations|consultations)\b", r"\bshuttle diplomacy\b",
    ],
    "humanitarian": [
        r"\bhumanitarian\b", r"\baid (convoys?|access|deliveries|workers|trucks|agencies|groups|organi[sz]ations|flights)\b",
        r"\bfood (aid|supplies|insecurity|shortages)\b", r"\bfamine\b", r"\bstarvation\b", r"\bmalnutrition\b",
        r"\brelief (supplies|agencies|workers|trucks)\b", r"\bcrossings?\b", r"\bdisplace\w*\b",
        r"\brefugees?\b", r"\bevacuat\w+ of (the )?(civilians|wounded|residents)\b", r"\bcholera\b",
        r"\b(restor|resum)\w* (of )?(basic |essential |public )?services\b", r"\bmedical (supplies|aid|evacuations?)\b",
    ],
    "prisoners": [
        r"\bprisoners?\b", r"\bpows?\b", r"\bhostages?\b", r"\bdetainees?\b", r"\bcaptives?\b",
        r"\bprisoner (exchange|swap)\b", r"\bdeported children\b", r"\breturn of (the )?children\b",
        r"\bmissing persons\b", r"\bpolitical prisoners\b", r"\bkidnap\w*\b", r"\babduct\w*\b",
        r"\bexchange of (bodies|prisoners|captives)\b",
    ],
}

# one alternation per issue: a sentence is searched 16 times, not 211 (6 % of extraction time)
COMPILED_ISSUES = {k: [re.compile("|".join(f"(?:{p})" for p in v), re.I)] for k, v in ISSUE_PATTERNS.items()}


def keyword_issues(text: str) -> list[str]:
    """The issue ids whose keyword families match the text (no case: the built-in families)."""
    return list(_keyword_issues(text))


@lru_cache(maxsize=4096)
def _keyword_issues(text: str) -> tuple[str, ...]:
    # the rules (issues.IssueMatcher without a case) and the learned layer's features both ask
    # for a sentence's families: searched once
    return tuple(iid for iid, pats in COMPILED_ISSUES.items() if any(p.search(text) for p in pats))

# Built-in scale anchors for the flagship ids (the flagship case's scales), with cue phrases that
# say a clause asks for that point. Used to place a statement when no case gives its own scale.
FLAGSHIP_SCALES: dict[str, dict[int, str]] = {
    "territory": {0: "Russian forces leave all of Ukraine's 1991 territory",
                  50: "freeze on the current line of contact",
                  70: "Ukraine cedes the rest of Donbas, front frozen in the south",
                  100: "Ukraine cedes all of Donetsk, Luhansk, Zaporizhzhia and Kherson"},
    "crimea": {0: "returns to Ukraine", 50: "status left open / not recognised, frozen", 100: "recognised as Russian"},
    "nato": {0: "Ukraine joins NATO", 50: "path open, no membership now", 100: "neutrality; membership barred"},
    "security_guarantees": {0: "binding guarantees with foreign forces", 50: "declarations without forces", 100: "none"},
    "army_limits": {0: "no limits on Ukraine's forces", 50: "agreed caps", 100: "drastic reduction"},
    "military_aid": {0: "Western military support unrestricted", 50: "limited", 100: "completely halted"},
    "sanctions": {0: "strengthened (incl. secondary tariffs)", 50: "kept as they are", 100: "lifted"},
    "reparations": {0: "Russia pays; frozen assets go to Ukraine", 50: "assets stay frozen", 100: "no compensation, assets returned"},
    "accountability": {0: "international tribunal, leaders included", 50: "national trials only", 100: "amnesty"},
    "language": {0: "Russian has no official status", 50: "regional status", 100: "Russian a state language"},
    "church": {0: "Moscow-linked church restricted", 50: "left to courts", 100: "Russian Orthodox Church operates freely"},
    "elections": {0: "on Ukraine's own timetable", 50: "after a ceasefire, supervised", 100: "within 100 days on Russia's terms"},
    "ceasefire": {0: "ceasefire first, then talks", 50: "parallel", 100: "comprehensive peace deal before any ceasefire"},
    "talks_format": {0: "direct leaders' talks on neutral ground", 50: "mediated delegations", 100: "2022 Istanbul framework as the basis"},
}

# Cue regexes → anchor point, per flagship issue: what a clause says when it asks for that point.
SCALE_CUES: dict[str, list[tuple[str, int]]] = {
    "territory": [(r"not (give|cede) .{0,30}(land|territory|piece)|withdraw\w* .{0,40}(from )?(crimea, )?(from )?everywhere|1991 borders|territorial integrity|all (of )?(its|the) (occupied )?territor", 0),
                  (r"freez\w+ .{0,40}(front ?line|line of contact|conflict)|current (front ?line|line of contact)|existing line", 50),
                  (r"(withdraw|pull)\w* .{0,40}(from )?(the )?donbas|donbas\w* .{0,20}withdraw|(cede|surrender)\w* .{0,20}donetsk and luhansk", 70),
                  (r"donetsk, luhansk, zaporizhzhia,? and kherson|give up (its )?territories|(cede|leave|withdraw from) all (four|4|occupied) regions", 100)],
    "crimea": [(r"crimea must return|return\w* crimea|crimea .{0,20}(return|back) to ukraine|from crimea", 0),
               (r"(accept|recogni[sz]\w*|reconcil\w+ .{0,20}) .{0,30}(annexation of crimea|crimea as russian)|forget about crimea|give (up )?crimea|crimea (is|as) russian", 100)],
    "nato": [(r"nato membership is|join\w* nato|toward nato|path to nato|nato membership .{0,30}(goal|guarantee)|membership in nato", 0),
             (r"not close .{0,30}path to nato|path .{0,20}open", 50),
             (r"not join nato|non-?(membership|accession)|neutral|forget about .{0,20}nato|nato membership.{0,10}(barred|ruled out)", 100)],
    "security_guarantees": [(r"(send|deploy)\w* (their |its )?troops|reassurance force|(strong|real|binding) security guarantees|security guarantees are essential|foreign (troops|forces)", 0),
                            (r"guarantees? without (foreign )?(troops|forces)|political (assurances|declarations?)", 50),
                            (r"no (security )?guarantees|no foreign (troops|forces)", 100)],
    "army_limits": [(r"no restrictions .{0,40}(armed forces|army)|no limits", 0), (r"\bcaps?\b", 50),
                    (r"reduce (its|the) army|demilitari[sz]", 100)],
    "military_aid": [(r"weapons support|military support to ukraine|provide (ukraine with )?weapons|ready to provide military support", 0),
                     (r"military (aid|support) .{0,40}(completely )?halt\w*|halt\w* military aid", 100)],
    "sanctions": [(r"impose sanctions|toughen sanctions|(100 percent )?customs duty|secondary (sanctions|tariffs)|serious sanctions", 0),
                  (r"lift\w* (of )?(the )?sanctions|sanctions .{0,20}lifted", 100)],
    "reparations": [(r"compensate|frozen assets .{0,40}(given|transfer)\w*|(transfer|give)\w* .{0,30}assets", 0),
                    (r"assets (stay|remain) frozen", 50)],
    "accountability": [(r"international (tribunal|court)|special tribunal|punish\w* .{0,20}war crimes", 0),
                       (r"amnesty", 100)],
    "language": [(r"state(-language)? status|official status|russian as a state language", 100)],
    "church": [(r"russian orthodox church to operate|church .{0,20}operate (independently|freely)", 100),
               (r"renounce the moscow patriarchate|shut down", 0)],
    "elections": [(r"elections? .{0,20}within 100 days", 100)],
    "ceasefire": [(r"ceasefire first", 0), (r"peace talks|comprehensive", 100)],
    "talks_format": [(r"istanbul (format|framework|agreement)|2022 (istanbul )?(talks|format)", 100),
                     (r"face-to-face|meet\w* .{0,30}(putin|zelensky)|leaders'? talks", 0),
                     (r"delegation|mediat", 50)],
}
COMPILED_CUES = {k: [(re.compile(p, re.I), v) for p, v in cues] for k, cues in SCALE_CUES.items()}
