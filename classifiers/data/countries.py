"""Per-country facts geography needs, compiled by hand for this project.

- ``CONTINENTS``: the world region of every ISO 3166-1 country.
- ``COUNTRY_FACTS``: for the countries forum members mostly come from, their
  main UTC offsets (standard time, population-weighted), the languages people
  there write in, and a rough prior: the relative share of members of
  English-language technical forums. Countries absent from it get a small
  default prior and no offset or language evidence.
- ``GENERIC_TLDS``: country-code domains used worldwide as generic ones
  (.io, .co, .ai …), which say nothing about where their owner lives.
"""

from __future__ import annotations

from dataclasses import dataclass

REGION_NAMES = {
    "AF": "Africa",
    "AN": "Antarctica",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
}

_CONTINENT_TABLE = """
AF: DZ AO BJ BW BF BI CM CV CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN GW KE LS LR LY MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ZA SS SD TZ TG TN UG EH ZM ZW
AS: AF AM AZ BH BD BT BN KH CN CY GE HK IN ID IR IQ IL JP JO KZ KW KG LA LB MO MY MV MN MM NP KP OM PK PS PH QA SA SG KR LK SY TW TJ TH TL TR TM AE UZ VN YE IO CC CX
EU: AX AL AD AT BY BE BA BG HR CZ DK EE FO FI FR DE GI GR GG HU IS IE IM IT JE LV LI LT LU MT MD MC ME NL MK NO PL PT RO RU SM RS SK SI ES SJ SE CH UA GB VA
NA: AI AG AW BS BB BZ BM BQ VG CA KY CR CU CW DM DO SV GL GD GP GT HT HN JM MQ MX MS NI PA PR BL KN LC MF PM VC SX TT TC US VI UM
SA: AR BO BR CL CO EC FK GF GY PY PE SR UY VE
OC: AS AU CK FJ PF GU KI MH FM NR NC NZ NU NF MP PW PG PN WS SB TK TO TV VU WF
AN: AQ BV GS HM TF
"""

CONTINENTS: dict[str, str] = {
    code: continent
    for line in _CONTINENT_TABLE.strip().splitlines()
    for continent, codes in [line.split(":")]
    for code in codes.split()
}


@dataclass(frozen=True, slots=True)
class CountryFacts:
    offsets: tuple[tuple[float, float], ...]
    languages: tuple[str, ...]
    prior: float


# code | offsets (hours:share) | languages | prior (relative share of members)
_FACTS_TABLE = """
US | -5:.47 -6:.29 -7:.07 -8:.17 | en | 25
IN | 5.5:1 | en hi bn ta te mr | 8
GB | 0:1 | en | 6
DE | 1:1 | de | 5
CA | -5:.6 -8:.15 -7:.12 -6:.07 -4:.06 | en fr | 3.5
FR | 1:1 | fr | 3
BR | -3:.9 -4:.1 | pt | 3
AU | 10:.62 8:.12 9.5:.1 10.5:.08 9:.08 | en | 2.5
NL | 1:1 | nl | 2
ES | 1:.95 0:.05 | es ca gl eu | 2
IT | 1:1 | it | 2
RU | 3:.7 5:.1 7:.1 4:.05 10:.05 | ru | 2
PL | 1:1 | pl | 1.5
SE | 1:1 | sv | 1
CH | 1:1 | de fr it | 1
UA | 2:1 | uk ru | 1
JP | 9:1 | ja | 1.2
CN | 8:1 | zh | 1.2
MX | -6:.8 -7:.12 -8:.05 -5:.03 | es | 1
TR | 3:1 | tr | 0.8
PK | 5:1 | en ur | 0.8
BE | 1:1 | nl fr de | 0.8
AT | 1:1 | de | 0.8
CZ | 1:1 | cs | 0.7
PT | 0:1 | pt | 0.7
AR | -3:1 | es | 0.7
ID | 7:.6 8:.3 9:.1 | id | 0.8
NG | 1:1 | en | 0.7
PH | 8:1 | en tl | 0.7
IL | 2:1 | he en | 0.6
DK | 1:1 | da | 0.5
NO | 1:1 | no nb nn | 0.5
FI | 2:1 | fi sv | 0.5
IE | 0:1 | en ga | 0.5
NZ | 12:1 | en | 0.5
ZA | 2:1 | en af | 0.6
RO | 2:1 | ro | 0.6
GR | 2:1 | el | 0.5
HU | 1:1 | hu | 0.5
BG | 2:1 | bg | 0.4
SG | 8:1 | en zh ms | 0.5
KR | 9:1 | ko | 0.5
VN | 7:1 | vi | 0.6
TH | 7:1 | th | 0.4
MY | 8:1 | ms en | 0.4
BD | 6:1 | bn en | 0.5
KE | 3:1 | en sw | 0.4
EG | 2:1 | ar | 0.4
CO | -5:1 | es | 0.4
CL | -4:1 | es | 0.4
PE | -5:1 | es | 0.3
VE | -4:1 | es | 0.2
UY | -3:1 | es | 0.1
EC | -5:1 | es | 0.1
IR | 3.5:1 | fa | 0.4
AE | 4:1 | ar en | 0.4
SA | 3:1 | ar | 0.3
MA | 1:1 | ar fr | 0.2
DZ | 1:1 | ar fr | 0.1
TN | 1:1 | ar fr | 0.1
HR | 1:1 | hr | 0.3
RS | 1:1 | sr | 0.3
SK | 1:1 | sk | 0.3
SI | 1:1 | sl | 0.2
LT | 2:1 | lt | 0.2
LV | 2:1 | lv | 0.1
EE | 2:1 | et | 0.2
BY | 3:1 | be ru | 0.2
KZ | 5:.5 6:.5 | kk ru | 0.1
GE | 4:1 | ka | 0.1
AM | 4:1 | hy | 0.1
AZ | 4:1 | az | 0.1
BA | 1:1 | bs hr sr | 0.1
MK | 1:1 | mk | 0.1
AL | 1:1 | sq | 0.1
IS | 0:1 | is | 0.05
LU | 1:1 | fr de lb | 0.05
CY | 2:1 | el tr | 0.05
MT | 1:1 | mt en | 0.05
HK | 8:1 | zh en | 0.3
TW | 8:1 | zh | 0.4
LK | 5.5:1 | si ta en | 0.2
NP | 5.75:1 | ne en | 0.2
JM | -5:1 | en | 0.05
DO | -4:1 | es | 0.1
PR | -4:1 | es en | 0.05
CR | -6:1 | es | 0.05
GT | -6:1 | es | 0.05
PA | -5:1 | es | 0.05
GH | 0:1 | en | 0.2
ET | 3:1 | am en | 0.1
TZ | 3:1 | sw en | 0.1
UG | 3:1 | en sw | 0.1
CM | 1:1 | fr en | 0.1
SN | 0:1 | fr | 0.05
CI | 0:1 | fr | 0.05
ZW | 2:1 | en | 0.05
LB | 2:1 | ar fr en | 0.05
JO | 3:1 | ar | 0.05
IQ | 3:1 | ar | 0.05
QA | 3:1 | ar en | 0.05
KW | 3:1 | ar | 0.05
UZ | 5:1 | uz ru | 0.05
MN | 8:1 | mn | 0.05
KH | 7:1 | km | 0.05
MM | 6.5:1 | my | 0.05
"""


def _parse_facts() -> dict[str, CountryFacts]:
    facts = {}
    for line in _FACTS_TABLE.strip().splitlines():
        code, offsets, languages, prior = (part.strip() for part in line.split("|"))
        pairs = tuple(
            (float(offset), float(share))
            for offset, share in (item.split(":") for item in offsets.split())
        )
        facts[code] = CountryFacts(pairs, tuple(languages.split()), float(prior))
    return facts


COUNTRY_FACTS: dict[str, CountryFacts] = _parse_facts()
DEFAULT_PRIOR = 0.02

GENERIC_TLDS = frozenset(
    ["io", "co", "me", "tv", "ai", "ly", "fm", "gg", "to", "cc", "ws", "sh", "so", "la", "nu", "tk", "ml", "ga", "cf", "gq", "ac", "vc", "gl", "ms", "am", "dj", "ad", "ag", "bz", "cx", "cd", "fo", "gs", "im", "je", "ki", "la", "lc", "mu", "mn", "nf", "pw", "sc", "st", "tc", "tt", "vg", "xyz", "app", "dev", "eu"]
)
