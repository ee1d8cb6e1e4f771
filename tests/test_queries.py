"""Every research question in queries/ has a title, a description and an exact expected answer.

The expected answers below were checked by hand against the sources in ../shared/sources/ (the
TWAS article, reference-facts.md, countries-reference.csv), not only against what the queries
return: a wrong or missing fact in data/ makes its question fail here.

Rows are tuples of plain values in the order of the query's SELECT variables (None when a
variable is unbound), in the order of the query's ORDER BY.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import scidip_graph
from scidip_graph.api import KnowledgeGraph, python_value
from scidip_graph.resources import DATA_DIR

QUERIES = Path(__file__).parent.parent / "queries"
QUERY_FILES = sorted(QUERIES.glob("*.rq"))

ID = "https://w3id.org/scidip/id/"
GRAPH = "https://w3id.org/scidip/graph/"


def country(code: str) -> str:
    return f"{ID}country/{code}"


def graph(name: str) -> str:
    return f"{GRAPH}{name}"


def source(name: str) -> str:
    return f"{ID}source/{name}"


def resource(path: str) -> str:
    return f"{ID}{path}"


def wikidata(qid: str) -> str:
    return f"http://www.wikidata.org/entity/{qid}"


def geonames(number: str) -> str:
    return f"https://sws.geonames.org/{number}/"


# --------------------------------------------------------------------------------------------
# Expected answers, one entry per query file (by file name without .rq)
# --------------------------------------------------------------------------------------------

EXPECTED: dict[str, list[tuple[Any, ...]]] = {}

# The article's definitions and examples of science diplomacy and its three categories.
SD_DEFINITION = (
    "Science diplomacy is a broad way of describing how scientific teamwork between nations "
    "can solve societal problems and improve international relations, and how diplomacy can "
    "also open doors for scientific cooperation. It can be thought of as a feedback loop, in "
    "which the fields of science and diplomacy continually support one another, and by doing "
    "so they also help society as well."
)
DFS_DEFINITION = (
    "The use of diplomatic action to facilitate international scientific collaboration."
)
SFD_DEFINITION = "Using science cooperation to improve international relations between countries."
SID_DEFINITION = "Informing foreign policy objectives with scientific advice."
DFS_EXAMPLE = (
    "Foreign ministries might negotiate exchange programmes in which each country’s "
    "scientists work together."
)
SFD_EXAMPLE = (
    "Scientists work across national borders to produce work that protects people from "
    "natural disasters. The work also creates new networks for engagement and good will, "
    "which then improves diplomatic relations."
)
SID_EXAMPLE = (
    "A scientist might advise a policymaker on how a decision could impact or be hindered by "
    "climate change."
)
GRADUATES_ARTICLE = (
    "Article showcasing graduates of the AAAS-TWAS training from Kenya, South Africa and Lao PDR"
)


# Israel is the only full member of both: CERN Member State since 2014, SESAME Member (2022).
# Cyprus, Pakistan and Türkiye are SESAME Members but only associate members of CERN.
EXPECTED["cern-and-sesame-members"] = [
    (country("IL"), "Israel", graph("cern-member-states"), graph("sesame-members")),
]

ARTICLE_GRAPH_TITLE = "Facts stated in the TWAS article 'What is science diplomacy?'"
CERN_GRAPH_TITLE = (
    "CERN Member States, Associate Member States and Observers, from CERN's page"
    " 'Our Member States'"
)
EDITORIAL_GRAPH_TITLE = "Editorial decisions of the scidip-graph curators"
IDENTIFIERS_GRAPH_TITLE = (
    "Identifier crosswalk: Wikidata, ROR and GeoNames links confirmed by the sources"
)
ISO_GRAPH_TITLE = "ISO 3166-1 countries and the former countries the sources need, from pycountry"
NOTES_GRAPH_TITLE = "Reference notes: where the sources disagree or the TWAS article is silent"
SESAME_GRAPH_TITLE = (
    "SESAME Members and Observers (2022), history and official opening, from"
    " kooperation-international.de"
)
ARTICLE_TITLE = "What is science diplomacy?"
CERN_PAGE_TITLE = "Our Member States"
REFERENCE_FACTS_TITLE = "Reference facts beyond the article"
SESAME_PAGE_TITLE = "SESAME institution page, kooperation-international.de"
PYCOUNTRY_TITLE = (
    "pycountry 26.2.16: the ISO 3166-1 country codes and ISO 3166-3 former country codes,"
    " with their gettext translations (from Debian iso-codes)"
)
# Only graph:article is stated by the article; graph:editorial reads it (and the member lists)
# but holds the curators' judgements: an sd:EditorialGraph, so not "stated by the article". The
# member lists, identifiers and notes come from the reference facts and the pages they cite.
# The triple counts change with any edit of data/: update them with the edit. The rows of the
# case graphs (data/cases/) and of graph:regions are not listed here yet.
DOC, EDIT = "documentary", "editorial"
EDITORIAL_TRIPLES = 342
"""The triples of graph:editorial: categories, themes, roles, hosts and participants."""

EXPECTED["facts-by-source"] = [
    (
        graph("article"),
        ARTICLE_GRAPH_TITLE,
        DOC,
        454,
        source("twas-article"),
        ARTICLE_TITLE,
        True,
    ),
    (
        graph("cern-member-states"),
        CERN_GRAPH_TITLE,
        DOC,
        463,
        source("cern-member-states-page"),
        CERN_PAGE_TITLE,
        False,
    ),
    (
        graph("cern-member-states"),
        CERN_GRAPH_TITLE,
        DOC,
        463,
        source("reference-facts"),
        REFERENCE_FACTS_TITLE,
        False,
    ),
    (
        graph("editorial"),
        EDITORIAL_GRAPH_TITLE,
        EDIT,
        EDITORIAL_TRIPLES,
        source("cern-member-states-page"),
        CERN_PAGE_TITLE,
        False,
    ),
    (
        graph("editorial"),
        EDITORIAL_GRAPH_TITLE,
        EDIT,
        EDITORIAL_TRIPLES,
        source("kooperation-international-sesame"),
        SESAME_PAGE_TITLE,
        False,
    ),
    (
        graph("editorial"),
        EDITORIAL_GRAPH_TITLE,
        EDIT,
        EDITORIAL_TRIPLES,
        source("twas-article"),
        ARTICLE_TITLE,
        False,
    ),
    (
        graph("identifiers"),
        IDENTIFIERS_GRAPH_TITLE,
        DOC,
        92,
        source("countries-reference"),
        "countries-reference.csv",
        False,
    ),
    (
        graph("identifiers"),
        IDENTIFIERS_GRAPH_TITLE,
        DOC,
        92,
        source("reference-facts"),
        REFERENCE_FACTS_TITLE,
        False,
    ),
    (
        graph("iso3166"),
        ISO_GRAPH_TITLE,
        DOC,
        2705,
        source("iso3166-pycountry"),
        PYCOUNTRY_TITLE,
        False,
    ),
    (
        graph("reference-notes"),
        NOTES_GRAPH_TITLE,
        DOC,
        23,
        source("reference-facts"),
        REFERENCE_FACTS_TITLE,
        False,
    ),
    (
        graph("regions"),
        "UN M49 regions, continents and groupings of countries, from country-converter",
        DOC,
        3014,
        source("country-converter"),
        "country-converter 1.3.2: country classifications and memberships",
        False,
    ),
    (
        graph("sesame-members"),
        SESAME_GRAPH_TITLE,
        DOC,
        291,
        source("kooperation-international-sesame"),
        SESAME_PAGE_TITLE,
        False,
    ),
    (
        graph("sesame-members"),
        SESAME_GRAPH_TITLE,
        DOC,
        291,
        source("reference-facts"),
        REFERENCE_FACTS_TITLE,
        False,
    ),
]


# The article: the 2024 call "is currently closed"; the 11th edition "is currently seeking
# applications", deadline 5 February 2024. Opening 2023-12-04: reference-facts.md.
EXPECTED["calls-for-applications"] = [
    (
        "Call for applications to the 11th edition of the AAAS-TWAS Course on Science Diplomacy",
        "11th edition of the AAAS-TWAS Course on Science Diplomacy",
        "open",
        "2024-02-05",
        "2023-12-04",
        graph("reference-notes"),
    ),
    (
        "Call for applications to the 2024 AAAS-TWAS Course on Science Diplomacy",
        "2024 AAAS-TWAS Course on Science Diplomacy",
        "closed",
        None,
        None,
        None,
    ),
]

# Definitions as the article words them; the assignments are the curators' (graph:editorial):
# the article classifies none of its five examples. Seven assignments: CERN 1, SESAME 2,
# Mt. Paektu 1, Vaccines for Peace 1, Virunga 2; one primary category per example (SESAME:
# diplomacy for science, Virunga: science in diplomacy).
EXPECTED["categories-and-examples"] = [
    (
        "diplomacy for science",
        DFS_DEFINITION,
        "CERN (institution-building)",
        True,
        graph("editorial"),
        "scidip-graph curators",
    ),
    (
        "diplomacy for science",
        DFS_DEFINITION,
        "SESAME (institution-building)",
        True,
        graph("editorial"),
        "scidip-graph curators",
    ),
    (
        "science for diplomacy",
        SFD_DEFINITION,
        "Mt. Paektu study",
        True,
        graph("editorial"),
        "scidip-graph curators",
    ),
    (
        "science for diplomacy",
        SFD_DEFINITION,
        "SESAME (institution-building)",
        False,
        graph("editorial"),
        "scidip-graph curators",
    ),
    (
        "science for diplomacy",
        SFD_DEFINITION,
        "Vaccines for Peace",
        True,
        graph("editorial"),
        "scidip-graph curators",
    ),
    (
        "science for diplomacy",
        SFD_DEFINITION,
        "Virunga National Park (shared territory)",
        False,
        graph("editorial"),
        "scidip-graph curators",
    ),
    (
        "science in diplomacy",
        SID_DEFINITION,
        "Virunga National Park (shared territory)",
        True,
        graph("editorial"),
        "scidip-graph curators",
    ),
]

# The article's definition of science diplomacy and of its three categories, each with the
# example the article gives in brackets.
EXPECTED["category-definitions"] = [
    (
        "science diplomacy",
        None,
        SD_DEFINITION,
        None,
    ),
    (
        "diplomacy for science",
        "science diplomacy",
        DFS_DEFINITION,
        DFS_EXAMPLE,
    ),
    (
        "science for diplomacy",
        "science diplomacy",
        SFD_DEFINITION,
        SFD_EXAMPLE,
    ),
    (
        "science in diplomacy",
        "science diplomacy",
        SID_DEFINITION,
        SID_EXAMPLE,
    ),
]

# reference-facts.md: pre-stage Cyprus (Estonia's and Slovenia's ended); associate members
# Brazil, Croatia, India, Latvia, Lithuania, Pakistan, Türkiye, Ukraine; observers Japan, the
# United States, the European Union, UNESCO.
EXPECTED["cern-associates-and-observers"] = [
    ("associate member", "Brazil", "2024"),
    ("associate member", "Croatia", "2024"),
    ("associate member", "India", "2024"),
    ("associate member", "Latvia", "2024"),
    ("associate member", "Lithuania", "2024"),
    ("associate member", "Pakistan", "2024"),
    ("associate member", "Türkiye", "2024"),
    ("associate member", "Ukraine", "2024"),
    ("associate member in the pre-stage to membership", "Cyprus", "2024"),
    ("observer", "European Union", "2024"),
    ("observer", "Japan", "2024"),
    ("observer", "UNESCO", "2024"),
    ("observer", "United States", "2024"),
]

# The article: "counting 23 European nations as its member states". The list of early 2024
# has 23 (Israel among them: not all European); 25 now with Estonia and Slovenia.
EXPECTED["cern-member-count-article-vs-list"] = [
    (23, "23 European nations", graph("article"), 23, 25, graph("cern-member-states")),
]

# From reference-facts.md: 12 founders (1954); 1961 Yugoslavia leaves, Austria (1959) and
# Spain join: 13; 1970 Spain has left (1969): 12; 1983 Spain rejoins: 13; 1992 + Portugal,
# Finland, Poland, Hungary, Czechoslovakia: 18; 1993 Czechoslovakia -> Czech and Slovak
# Republics: 19; 2000 + Bulgaria: 20; 2014 + Israel: 21; 2019 + Romania (2016), Serbia: 23;
# 2023: 23 (the page of early 2024 lists 23); 2024 + Estonia: 24; 2025 + Slovenia: 25.
EXPECTED["cern-member-count-by-year"] = [
    (1954, 12),
    (1961, 13),
    (1970, 12),
    (1983, 13),
    (1992, 18),
    (1993, 19),
    (2000, 20),
    (2014, 21),
    (2019, 23),
    (2023, 23),
    (2024, 24),
    (2025, 25),
]

# The 23 Member States of early 2024 plus Estonia and Slovenia, QIDs from
# countries-reference.csv (the Netherlands as Q29999, the Kingdom).
EXPECTED["cern-member-states-wikidata"] = [
    ("AT", wikidata("Q40"), "Q40"),
    ("BE", wikidata("Q31"), "Q31"),
    ("BG", wikidata("Q219"), "Q219"),
    ("CH", wikidata("Q39"), "Q39"),
    ("CZ", wikidata("Q213"), "Q213"),
    ("DE", wikidata("Q183"), "Q183"),
    ("DK", wikidata("Q35"), "Q35"),
    ("EE", wikidata("Q191"), "Q191"),
    ("ES", wikidata("Q29"), "Q29"),
    ("FI", wikidata("Q33"), "Q33"),
    ("FR", wikidata("Q142"), "Q142"),
    ("GB", wikidata("Q145"), "Q145"),
    ("GR", wikidata("Q41"), "Q41"),
    ("HU", wikidata("Q28"), "Q28"),
    ("IL", wikidata("Q801"), "Q801"),
    ("IT", wikidata("Q38"), "Q38"),
    ("NL", wikidata("Q29999"), "Q29999"),
    ("NO", wikidata("Q20"), "Q20"),
    ("PL", wikidata("Q36"), "Q36"),
    ("PT", wikidata("Q45"), "Q45"),
    ("RO", wikidata("Q218"), "Q218"),
    ("RS", wikidata("Q403"), "Q403"),
    ("SE", wikidata("Q34"), "Q34"),
    ("SI", wikidata("Q215"), "Q215"),
    ("SK", wikidata("Q214"), "Q214"),
]

# On 2024-01-01 (when the article, saying "23 European nations", was written): the 23 Member
# States of CERN's page of early 2024, i.e. the 25 of the sd:memberOf shortcuts (as of
# 2025-06-21) without Estonia (2024-08-30) and Slovenia (2025-06-21); Spain since 1983.
EXPECTED["members-on-date"] = [
    (country("BE"), "Belgium", "1954-09-29", graph("cern-member-states")),
    (country("DK"), "Denmark", "1954-09-29", graph("cern-member-states")),
    (country("FR"), "France", "1954-09-29", graph("cern-member-states")),
    (country("DE"), "Germany", "1954-09-29", graph("cern-member-states")),
    (country("GR"), "Greece", "1954-09-29", graph("cern-member-states")),
    (country("IT"), "Italy", "1954-09-29", graph("cern-member-states")),
    (country("NL"), "Netherlands", "1954-09-29", graph("cern-member-states")),
    (country("NO"), "Norway", "1954-09-29", graph("cern-member-states")),
    (country("SE"), "Sweden", "1954-09-29", graph("cern-member-states")),
    (country("CH"), "Switzerland", "1954-09-29", graph("cern-member-states")),
    (country("GB"), "United Kingdom", "1954-09-29", graph("cern-member-states")),
    (country("AT"), "Austria", "1959", graph("cern-member-states")),
    (country("ES"), "Spain", "1983", graph("cern-member-states")),
    (country("PT"), "Portugal", "1985", graph("cern-member-states")),
    (country("FI"), "Finland", "1991", graph("cern-member-states")),
    (country("PL"), "Poland", "1991", graph("cern-member-states")),
    (country("HU"), "Hungary", "1992", graph("cern-member-states")),
    (country("CZ"), "Czechia", "1993", graph("cern-member-states")),
    (country("SK"), "Slovakia", "1993", graph("cern-member-states")),
    (country("BG"), "Bulgaria", "1999", graph("cern-member-states")),
    (country("IL"), "Israel", "2014", graph("cern-member-states")),
    (country("RO"), "Romania", "2016", graph("cern-member-states")),
    (country("RS"), "Serbia", "2019", graph("cern-member-states")),
]

# reference-facts.md: the 11 founders still members (Yugoslavia left in 1961), Austria 1959,
# Spain since rejoining in 1983, Portugal 1985, Finland and Poland 1991, Hungary 1992, Czech
# Republic and Slovak Republic 1993 (Czechoslovakia 1992-1993 no longer), Bulgaria 1999: 20.
EXPECTED["cern-members-in-2000"] = [
    (country("BE"), "Belgium", "1954-09-29"),
    (country("DK"), "Denmark", "1954-09-29"),
    (country("FR"), "France", "1954-09-29"),
    (country("DE"), "Germany", "1954-09-29"),
    (country("GR"), "Greece", "1954-09-29"),
    (country("IT"), "Italy", "1954-09-29"),
    (country("NL"), "Netherlands", "1954-09-29"),
    (country("NO"), "Norway", "1954-09-29"),
    (country("SE"), "Sweden", "1954-09-29"),
    (country("CH"), "Switzerland", "1954-09-29"),
    (country("GB"), "United Kingdom", "1954-09-29"),
    (country("AT"), "Austria", "1959"),
    (country("ES"), "Spain", "1983"),
    (country("PT"), "Portugal", "1985"),
    (country("FI"), "Finland", "1991"),
    (country("PL"), "Poland", "1991"),
    (country("HU"), "Hungary", "1992"),
    (country("CZ"), "Czechia", "1993"),
    (country("SK"), "Slovakia", "1993"),
    (country("BG"), "Bulgaria", "1999"),
]

# The article: CERN near Geneva in Switzerland; SESAME based in Jordan; scientists in the UK
# with the DPRK; India and Pakistan; Rwanda, Uganda and DR Congo (with the article's aliases).
# Roles, the curators' (graph:editorial): Switzerland and Jordan host; the others take part (the
# article names none of CERN's or SESAME's members).
A, E = graph("article"), graph("editorial")
VIRUNGA = "Virunga National Park (shared territory)"
EXPECTED["countries-by-example"] = [
    ("CERN (institution-building)", country("CH"), "Switzerland", None, A, "host", E),
    (
        "Mt. Paektu study",
        country("KP"),
        "Korea, Democratic People's Republic of",
        "Democratic People's Republic of Korea",
        A,
        "participant",
        E,
    ),
    ("Mt. Paektu study", country("GB"), "United Kingdom", "UK", A, "participant", E),
    ("SESAME (institution-building)", country("JO"), "Jordan", None, A, "host", E),
    ("Vaccines for Peace", country("IN"), "India", None, A, "participant", E),
    ("Vaccines for Peace", country("PK"), "Pakistan", None, A, "participant", E),
    (
        VIRUNGA,
        country("CD"),
        "Congo, The Democratic Republic of the",
        "DR Congo",
        A,
        "participant",
        E,
    ),
    (VIRUNGA, country("RW"), "Rwanda", None, A, "participant", E),
    (VIRUNGA, country("UG"), "Uganda", None, A, "participant", E),
]

# The 13 countries the article names (named_in_article in countries-reference.csv); English
# names as name_iso there, the other languages from pycountry's translations.
EXPECTED["country-names-in-un-languages"] = [
    (
        "CD",
        "الكونغو، جمهوريّة الكونغو الدّيموقراطيّة",
        "刚果民主共和国",
        "Congo, The Democratic Republic of the",
        "République démocratique du Congo",
        "Демократическая Республика Конго",
        "Congo, República Democrática del",
    ),
    ("CH", "سويسرا", "瑞士", "Switzerland", "Suisse", "Швейцария", "Suiza"),
    (
        "GB",
        "المملكة المتّحدة",
        "英国",
        "United Kingdom",
        "Royaume-Uni",
        "Соединённое Королевство",
        "Reino Unido",
    ),
    ("IN", "الهند", "印度", "India", "Inde", "Индия", "India"),
    ("IT", "إيطاليا", "意大利", "Italy", "Italie", "Италия", "Italia"),
    ("JO", "الأردن", "约旦", "Jordan", "Jordanie", "Иордания", "Jordania"),
    ("KE", "كينيا", "肯尼亚", "Kenya", "Kenya", "Кения", "Kenia"),
    (
        "KP",
        "كوريا، جمهورية كوريا الشّعبيّة الدّيموقراطيّة",
        "朝鲜民主主义人民共和国",
        "Korea, Democratic People's Republic of",
        "Corée, République populaire démocratique de",
        "Корейская Народно-Демократическая Республика",
        "Corea, República Democrática Popular de",
    ),
    (
        "LA",
        "جمهوريّة لاو الدّيموقراطيّة الشّعبيّة",
        "老挝人民民主共和国",
        "Lao People's Democratic Republic",
        "Lao, République démocratique populaire",
        "Лаосская Народно-Демократическая Республика",
        "República Democrática Popular de Lao",
    ),
    ("PK", "باكستان", "巴基斯坦", "Pakistan", "Pakistan", "Пакистан", "Pakistán"),
    ("RW", "رواندا", "卢旺达", "Rwanda", "Rwanda", "Руанда", "Ruanda"),
    ("UG", "أوغندا", "乌干达", "Uganda", "Ouganda", "Уганда", "Uganda"),
    ("ZA", "جنوب إفريقيا", "南非", "South Africa", "Afrique du Sud", "Южная Африка", "Sudáfrica"),
]

# Editions the article names: 2017, 2019, 2023 (photo captions), 2024 (the call) and the 11th
# (no year: never derived). Photos: 2019 twice, 2023 three times, 2017 once.
EXPECTED["course-editions"] = [
    ("11th edition of the AAAS-TWAS Course on Science Diplomacy", None, 11, "Trieste", 0),
    ("2017 AAAS-TWAS Course on Science Diplomacy", "2017", None, "Trieste", 1),
    ("2019 AAAS-TWAS Course on Science Diplomacy", "2019", None, "Trieste", 2),
    ("2023 AAAS-TWAS Course on Science Diplomacy", "2023", None, "Trieste", 3),
    ("2024 AAAS-TWAS Course on Science Diplomacy", "2024", None, "Trieste", 0),
]

# Yugoslavia 1954-1961, Spain's first membership 1961-1969, Czechoslovakia 1992 (until its
# successors joined in 1993); Estonia's and Slovenia's pre-stage until their accession.
EXPECTED["ended-memberships"] = [
    (
        "CERN",
        "Yugoslavia, (Socialist) Federal Republic of",
        "member state",
        "1954-09-29",
        "1961",
        graph("cern-member-states"),
    ),
    ("CERN", "Spain", "member state", "1961", "1969", graph("cern-member-states")),
    (
        "CERN",
        "Czechoslovakia, Czechoslovak Socialist Republic",
        "member state",
        "1992",
        "1993",
        graph("cern-member-states"),
    ),
    (
        "CERN",
        "Estonia",
        "associate member in the pre-stage to membership",
        "2024",
        "2024-08-30",
        graph("cern-member-states"),
    ),
    (
        "CERN",
        "Slovenia",
        "associate member in the pre-stage to membership",
        "2024",
        "2025-06-21",
        graph("cern-member-states"),
    ),
]

# countries-reference.csv row by row (name_iso, wikidata_qid, geonames_id), then CERN (Q42944,
# ROR 01ggx4157), UNESCO (Q7809), Geneva (2660646) and Trieste (3165185) from reference-facts.md.
EXPECTED["identifier-crosswalk"] = [
    (country("AT"), "Austria", wikidata("Q40"), None, geonames("2782113")),
    (country("BE"), "Belgium", wikidata("Q31"), None, geonames("2802361")),
    (country("BG"), "Bulgaria", wikidata("Q219"), None, geonames("732800")),
    (country("BH"), "Bahrain", wikidata("Q398"), None, geonames("290291")),
    (
        country("CD"),
        "Congo, The Democratic Republic of the",
        wikidata("Q974"),
        None,
        geonames("203312"),
    ),
    (country("CH"), "Switzerland", wikidata("Q39"), None, geonames("2658434")),
    (country("CN"), "China", wikidata("Q148"), None, geonames("1814991")),
    (country("CY"), "Cyprus", wikidata("Q229"), None, geonames("146669")),
    (country("CZ"), "Czechia", wikidata("Q213"), None, geonames("3077311")),
    (country("DE"), "Germany", wikidata("Q183"), None, geonames("2921044")),
    (country("DK"), "Denmark", wikidata("Q35"), None, geonames("2623032")),
    (country("EE"), "Estonia", wikidata("Q191"), None, geonames("453733")),
    (country("EG"), "Egypt", wikidata("Q79"), None, geonames("357994")),
    (country("ES"), "Spain", wikidata("Q29"), None, geonames("2510769")),
    (country("FI"), "Finland", wikidata("Q33"), None, geonames("660013")),
    (country("FR"), "France", wikidata("Q142"), None, geonames("3017382")),
    (country("GB"), "United Kingdom", wikidata("Q145"), None, geonames("2635167")),
    (country("GR"), "Greece", wikidata("Q41"), None, geonames("390903")),
    (country("HU"), "Hungary", wikidata("Q28"), None, geonames("719819")),
    (country("IL"), "Israel", wikidata("Q801"), None, geonames("294640")),
    (country("IN"), "India", wikidata("Q668"), None, geonames("1269750")),
    (country("IR"), "Iran, Islamic Republic of", wikidata("Q794"), None, geonames("130758")),
    (country("IT"), "Italy", wikidata("Q38"), None, geonames("3175395")),
    (country("JO"), "Jordan", wikidata("Q810"), None, geonames("248816")),
    (country("KE"), "Kenya", wikidata("Q114"), None, geonames("192950")),
    (
        country("KP"),
        "Korea, Democratic People's Republic of",
        wikidata("Q423"),
        None,
        geonames("1873107"),
    ),
    (
        country("LA"),
        "Lao People's Democratic Republic",
        wikidata("Q819"),
        None,
        geonames("1655842"),
    ),
    (country("NL"), "Netherlands", wikidata("Q29999"), None, geonames("2750405")),
    (country("NO"), "Norway", wikidata("Q20"), None, geonames("3144096")),
    (country("PK"), "Pakistan", wikidata("Q843"), None, geonames("1168579")),
    (country("PL"), "Poland", wikidata("Q36"), None, geonames("798544")),
    (country("PS"), "Palestine, State of", wikidata("Q219060"), None, geonames("6254930")),
    (country("PT"), "Portugal", wikidata("Q45"), None, geonames("2264397")),
    (country("RO"), "Romania", wikidata("Q218"), None, geonames("798549")),
    (country("RS"), "Serbia", wikidata("Q403"), None, geonames("6290252")),
    (country("RW"), "Rwanda", wikidata("Q1037"), None, geonames("49518")),
    (country("SE"), "Sweden", wikidata("Q34"), None, geonames("2661886")),
    (country("SI"), "Slovenia", wikidata("Q215"), None, geonames("3190538")),
    (country("SK"), "Slovakia", wikidata("Q214"), None, geonames("3057568")),
    (country("TR"), "Türkiye", wikidata("Q43"), None, geonames("298795")),
    (country("UG"), "Uganda", wikidata("Q1036"), None, geonames("226074")),
    (country("US"), "United States", wikidata("Q30"), None, geonames("6252001")),
    (country("ZA"), "South Africa", wikidata("Q258"), None, geonames("953987")),
    (resource("organization/cern"), "CERN", wikidata("Q42944"), "https://ror.org/01ggx4157", None),
    (resource("organization/unesco"), "UNESCO", wikidata("Q7809"), None, None),
    (resource("place/geneva"), "Geneva", None, None, geonames("2660646")),
    (resource("place/trieste"), "Trieste", None, None, geonames("3165185")),
]

# CERN near Geneva in Switzerland, SESAME based in Jordan, TWAS in Trieste, Italy (article);
# SESAME opened in Allan, Jordan (kooperation-international.de). No source locates the others.
EXPECTED["organisations-and-locations"] = [
    ("AAAS Center for Science Diplomacy", None, None, None),
    ("American Association for the Advancement of Science", None, None, None),
    ("BRIC", None, None, None),
    ("CERN", "Geneva", "Switzerland", graph("article")),
    ("CERN", "Switzerland", "Switzerland", graph("article")),
    ("Council of Europe", None, None, None),
    ("European Union", None, None, None),
    ("Group of Seven", None, None, None),
    ("Group of Twenty", None, None, None),
    ("Organisation for Economic Co-operation and Development", None, None, None),
    ("Royal Society", None, None, None),
    ("Swedish International Development Cooperation Agency", None, None, None),
    (
        "Synchrotron-light for Experimental Science and Applications in the Middle East",
        "Allan",
        "Jordan",
        graph("sesame-members"),
    ),
    (
        "Synchrotron-light for Experimental Science and Applications in the Middle East",
        "Jordan",
        "Jordan",
        graph("article"),
    ),
    ("TWAS press room", None, None, None),
    ("The World Academy of Sciences", "Trieste", "Italy", graph("article")),
    ("UNESCO", None, None, None),
    ("United Nations", None, None, None),
]

# The six photos in page order, credits as in the captions; "G. Ortolani" is probably Giovanni
# Ortolani (reference-facts.md), kept apart.
EXPECTED["photo-credits"] = [
    (1, "2019 AAAS-TWAS Course on Science Diplomacy", "P. Di Bella/TWAS", "P. Di Bella", None),
    (
        2,
        "2023 AAAS-TWAS Course on Science Diplomacy",
        "G. Ortolani/TWAS",
        "G. Ortolani",
        "Giovanni Ortolani",
    ),
    (3, "2019 AAAS-TWAS Course on Science Diplomacy", "P. Di Bella/TWAS", "P. Di Bella", None),
    (
        4,
        "2023 AAAS-TWAS Course on Science Diplomacy",
        "G. Ortolani/TWAS",
        "G. Ortolani",
        "Giovanni Ortolani",
    ),
    (5, "2017 AAAS-TWAS Course on Science Diplomacy", "P. Di Bella/TWAS", "P. Di Bella", None),
    (
        6,
        "2023 AAAS-TWAS Course on Science Diplomacy",
        "G. Ortolani/TWAS",
        "G. Ortolani",
        "Giovanni Ortolani",
    ),
]

# The press-room block heading the article, telephone numbers exactly as written.
EXPECTED["press-room-contacts"] = [
    (
        "Cristina Serra",
        "Staff writer",
        "Enrico Fermi Building, Room 113",
        "Via Beirut, 6",
        "phone",
        "+39 040 2240-429",
    ),
    (
        "Cristina Serra",
        "Staff writer",
        "Enrico Fermi Building, Room 113",
        "Via Beirut, 6",
        "mobile",
        "+39 338 430-5210",
    ),
    (
        "Giovanni Ortolani",
        "Public Information Officer",
        "Enrico Fermi Building, Room 112",
        "Via Beirut, 6",
        "office",
        "+39 040 2240-324",
    ),
    (
        "Sean Treacy",
        "Staff Writer",
        "Enrico Fermi Building, Room T8/2",
        "Via Beirut, 6",
        "office",
        "+39 040 2240-538",
    ),
]

# The article: Sida "provides key funding for the Academy's science diplomacy programme"; the
# flagship AAAS-TWAS course, a TWAS-AAAS collaboration, is held in Trieste.
EXPECTED["programme-funder"] = [
    (
        "TWAS science diplomacy programme",
        "Swedish International Development Cooperation Agency",
        "Sida",
        "The World Academy of Sciences",
        "AAAS-TWAS Course on Science Diplomacy",
        "AAAS",
        "Trieste",
    ),
    (
        "TWAS science diplomacy programme",
        "Swedish International Development Cooperation Agency",
        "Sida",
        "The World Academy of Sciences",
        "AAAS-TWAS Course on Science Diplomacy",
        "TWAS",
        "Trieste",
    ),
]

# The article: "New Frontiers in Science Diplomacy" report by AAAS and the Royal Society;
# Science & Diplomacy published by the AAAS Center for Science Diplomacy; the TWAS page; the
# linked article on graduates (no publisher stated); the TWAS Newsletter.
EXPECTED["publications-and-publishers"] = [
    (
        GRADUATES_ARTICLE,
        "Article",
        None,
        None,
    ),
    (
        "New Frontiers in Science Diplomacy",
        "Report",
        None,
        "American Association for the Advancement of Science",
    ),
    ("New Frontiers in Science Diplomacy", "Report", None, "Royal Society"),
    ("Science & Diplomacy", "Periodical", "AAAS Center for Science Diplomacy", None),
    ("TWAS Newsletter", "Periodical", "The World Academy of Sciences", None),
    ("TWAS science diplomacy coverage", "WebPage", "The World Academy of Sciences", None),
]

# reference-facts.md: Cyprus is in the pre-stage, Pakistan and Türkiye are associate members,
# Israel is a Member State; Egypt, Iran, Jordan and Palestine are not on CERN's list.
EXPECTED["sesame-members-roles-at-cern"] = [
    ("Cyprus", "associate member in the pre-stage to membership"),
    ("Egypt", None),
    ("Iran, Islamic Republic of", None),
    ("Israel", "member state"),
    ("Jordan", None),
    ("Pakistan", "associate member"),
    ("Palestine, State of", None),
    ("Türkiye", "associate member"),
]

# reference-facts.md, SESAME observers (2022): CERN and the European Union are the two
# organisations; the other 17 observers are countries.
EXPECTED["sesame-observer-organisations"] = [
    (resource("organization/cern"), "CERN", "2022", graph("sesame-members")),
    (resource("organization/european-union"), "European Union", "2022", graph("sesame-members")),
]

# The article: "two TWAS Fellows, Dorairajan Balasubramanian of India and Anwar Nasim of
# Pakistan".
EXPECTED["vaccines-for-peace-people"] = [
    (resource("person/anwar-nasim"), "Anwar Nasim", "Pakistan", "TWAS", graph("article")),
    (
        resource("person/dorairajan-balasubramanian"),
        "Dorairajan Balasubramanian",
        "India",
        "TWAS",
        graph("article"),
    ),
]

# reference-facts.md: the article says Rwanda, Uganda and DR Congo share the park; the UNESCO
# listing places it in DR Congo only.
EXPECTED["virunga-countries-by-source"] = [
    (
        graph("article"),
        "Facts stated in the TWAS article 'What is science diplomacy?'",
        country("CD"),
        "Congo, The Democratic Republic of the",
    ),
    (
        graph("article"),
        "Facts stated in the TWAS article 'What is science diplomacy?'",
        country("RW"),
        "Rwanda",
    ),
    (
        graph("article"),
        "Facts stated in the TWAS article 'What is science diplomacy?'",
        country("UG"),
        "Uganda",
    ),
    (
        graph("reference-notes"),
        "Reference notes: where the sources disagree or the TWAS article is silent",
        country("CD"),
        "Congo, The Democratic Republic of the",
    ),
]


# --------------------------------------------------------------------------------------------
# Issue 10: the first batch of cases (../shared/sources/cases/, 37 sheets)
# --------------------------------------------------------------------------------------------

# The sheets' involves: lines, as the curators read them (participants, not hosts; former
# participants not counted). The United States takes part in 19 of the 37; Sweden in 8 (Arctic
# Council, Belmont Forum, EMBL, ESO, ESA, IIASA, the ISS agreement, the seed vault: the IAEA,
# IPCC, MEDRC and SKAO sheets name Sweden only as a DG's nationality, an observer or a negotiator).
# Hosted: France hosts EMBL, ESA, HFSP, ITER and the Belmont Forum's secretariat.
EXPECTED["countries-taking-part-in-most-cases"] = [
    (country("US"), "United States", 19, 3),
    (country("FR"), "France", 12, 5),
    (country("GB"), "United Kingdom", 12, 4),
    (country("JP"), "Japan", 11, 1),
    (country("DE"), "Germany", 10, 5),
    (country("AU"), "Australia", 9, 1),
    (country("NO"), "Norway", 9, 2),
    (country("CA"), "Canada", 8, 3),
    (country("IT"), "Italy", 8, 4),
    (country("NL"), "Netherlands", 8, 1),
    (country("SE"), "Sweden", 8, 0),
    (country("PL"), "Poland", 7, 0),
    (country("BE"), "Belgium", 6, 1),
    (country("CN"), "China", 6, 1),
    (country("DK"), "Denmark", 6, 0),
    (country("FI"), "Finland", 6, 0),
    (country("IL"), "Israel", 6, 0),
    (country("RU"), "Russian Federation", 6, 1),
    (country("ES"), "Spain", 6, 2),
    (country("CH"), "Switzerland", 6, 2),
    (country("AT"), "Austria", 5, 3),
    (country("EG"), "Egypt", 5, 0),
    (country("IN"), "India", 5, 0),
    (country("NZ"), "New Zealand", 5, 1),
    (country("ZA"), "South Africa", 5, 1),
]

# Counted from the hosts and participants of the editorial graphs and graph:regions. The
# Apollo-Soyuz case counts for Northern America only (the USSR is in no region). A region is
# in the continent most of its countries are in; Australia and New Zealand has none
# (country-converter puts Christmas and Cocos Islands in Asia, Heard Island in Antarctica).
EXPECTED["regions-by-number-of-cases"] = [
    (resource("region/europe"), "Europe", None, 28, 23),
    (resource("region/america"), "America", None, 28, 10),
    (resource("region/northern-america"), "Northern America", "America", 24, 6),
    (resource("region/western-europe"), "Western Europe", "Europe", 23, 14),
    (resource("region/asia"), "Asia", None, 19, 4),
    (resource("region/northern-europe"), "Northern Europe", "Europe", 16, 6),
    (resource("region/eastern-asia"), "Eastern Asia", "Asia", 14, 2),
    (resource("region/eastern-europe"), "Eastern Europe", "Europe", 13, 1),
    (resource("region/southern-europe"), "Southern Europe", "Europe", 12, 5),
    (resource("region/africa"), "Africa", None, 12, 4),
    (resource("region/middle-east"), "Middle East", None, 12, 2),
    (resource("region/oceania"), "Oceania", None, 12, 2),
    (resource("region/australia-and-new-zealand"), "Australia and New Zealand", None, 11, 2),
    (resource("region/western-asia"), "Western Asia", "Asia", 11, 2),
    (resource("region/southern-asia"), "Southern Asia", "Asia", 7, 0),
    (resource("region/southern-africa"), "Southern Africa", "Africa", 6, 1),
    (resource("region/northern-africa"), "Northern Africa", "Africa", 6, 0),
    (resource("region/south-america"), "South America", "America", 5, 2),
    (resource("region/south-eastern-asia"), "South-eastern Asia", "Asia", 4, 0),
    (resource("region/eastern-africa"), "Eastern Africa", "Africa", 3, 3),
    (resource("region/caribbean"), "Caribbean", "America", 3, 1),
    (resource("region/central-america"), "Central America", "America", 2, 1),
    (resource("region/central-asia"), "Central Asia", "Asia", 2, 0),
    (resource("region/western-africa"), "Western Africa", "Africa", 2, 0),
    (resource("region/melanesia"), "Melanesia", "Oceania", 1, 0),
    (resource("region/middle-africa"), "Middle Africa", "Africa", 1, 0),
]

# The sheets' category: lines (7 diplomacy for science, 20 science for diplomacy, 10 science in
# diplomacy) and their also: lines; the Belmont Forum's and INGSA's also: is capacity building, a
# theme, not a category; the Jefferson Science Fellowship has no also: line; the Arctic Council
# has two.
EXPECTED["cases-by-primary-category"] = [
    (
        resource("concept/diplomacy-for-science"),
        "diplomacy for science",
        resource("example/belmont-forum"),
        "Belmont Forum",
        0,
    ),
    (
        resource("concept/diplomacy-for-science"),
        "diplomacy for science",
        resource("example/european-molecular-biology-laboratory"),
        "European Molecular Biology Laboratory (EMBL)",
        1,
    ),
    (
        resource("concept/diplomacy-for-science"),
        "diplomacy for science",
        resource("example/european-southern-observatory"),
        "European Southern Observatory (ESO)",
        1,
    ),
    (
        resource("concept/diplomacy-for-science"),
        "diplomacy for science",
        resource("example/european-space-agency"),
        "European Space Agency (ESA)",
        1,
    ),
    (
        resource("concept/diplomacy-for-science"),
        "diplomacy for science",
        resource("example/ska-observatory"),
        "SKA Observatory (SKAO)",
        1,
    ),
    (
        resource("concept/diplomacy-for-science"),
        "diplomacy for science",
        resource("example/scar"),
        "Scientific Committee on Antarctic Research (SCAR)",
        1,
    ),
    (
        resource("concept/diplomacy-for-science"),
        "diplomacy for science",
        resource("example/uk-science-and-innovation-network"),
        "UK Science and Innovation Network",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/aaas-cuba-scientific-cooperation"),
        "AAAS–Cuban Academy of Sciences scientific cooperation",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/ictp-trieste"),
        "Abdus Salam International Centre for Theoretical Physics (ICTP), Trieste",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/antarctic-treaty"),
        "Antarctic Treaty",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/apollo-soyuz-test-project"),
        "Apollo–Soyuz Test Project",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/arctic-council"),
        "Arctic Council",
        2,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/cern-sesame"),
        "CERN's role in founding SESAME",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/hfsp"),
        "Human Frontier Science Program (HFSP)",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/iter"),
        "ITER",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/international-geophysical-year"),
        "International Geophysical Year 1957-58",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/iiasa"),
        "International Institute for Applied Systems Analysis (IIASA)",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/iss-intergovernmental-agreement"),
        "International Space Station Intergovernmental Agreement (1998)",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/israeli-palestinian-science-organization"),
        "Israeli-Palestinian Science Organization (IPSO)",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/jinr-dubna"),
        "Joint Institute for Nuclear Research (JINR), Dubna",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/lacy-zarubin-agreement"),
        "Lacy–Zarubin Agreement",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/medrc"),
        "Middle East Desalination Research Center (MEDRC), Muscat",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/nile-basin-initiative"),
        "Nile Basin Initiative (NBI) and the Nile Cooperative Framework Agreement",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/smallpox-eradication"),
        "Smallpox eradication",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/svalbard-global-seed-vault"),
        "Svalbard Global Seed Vault",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/twas"),
        "The World Academy of Sciences (TWAS)",
        1,
    ),
    (
        resource("concept/science-for-diplomacy"),
        "science for diplomacy",
        resource("example/us-science-envoy-program"),
        "U.S. Science Envoy Program",
        1,
    ),
    (
        resource("concept/science-in-diplomacy"),
        "science in diplomacy",
        resource("example/ipcc"),
        "Intergovernmental Panel on Climate Change (IPCC)",
        1,
    ),
    (
        resource("concept/science-in-diplomacy"),
        "science in diplomacy",
        resource("example/ipbes"),
        (
            "Intergovernmental Science-Policy Platform on Biodiversity and Ecosystem "
            "Services (IPBES)"
        ),
        1,
    ),
    (
        resource("concept/science-in-diplomacy"),
        "science in diplomacy",
        resource("example/iaea"),
        "International Atomic Energy Agency (IAEA)",
        1,
    ),
    (
        resource("concept/science-in-diplomacy"),
        "science in diplomacy",
        resource("example/ingsa"),
        "International Network for Government Science Advice (INGSA)",
        0,
    ),
    (
        resource("concept/science-in-diplomacy"),
        "science in diplomacy",
        resource("example/jefferson-science-fellowship"),
        "Jefferson Science Fellowship",
        0,
    ),
    (
        resource("concept/science-in-diplomacy"),
        "science in diplomacy",
        resource("example/montreal-protocol"),
        "Montreal Protocol",
        1,
    ),
    (
        resource("concept/science-in-diplomacy"),
        "science in diplomacy",
        resource("example/test-ban-treaties-ctbto-ims"),
        (
            "Nuclear test bans and their verification: the 1958 Conference of Experts, "
            "the Partial Test Ban Treaty and the CTBTO's International Monitoring "
            "System"
        ),
        1,
    ),
    (
        resource("concept/science-in-diplomacy"),
        "science in diplomacy",
        resource("example/pugwash-conferences"),
        "Pugwash Conferences on Science and World Affairs",
        1,
    ),
    (
        resource("concept/science-in-diplomacy"),
        "science in diplomacy",
        resource("example/oporto-plague-1899"),
        "The 1899 plague epidemic in Oporto",
        1,
    ),
    (
        resource("concept/science-in-diplomacy"),
        "science in diplomacy",
        resource("example/unclos"),
        "UN Convention on the Law of the Sea (UNCLOS)",
        1,
    ),
]

# The sheets' themes: lines mapped to the eleven themes (physics/big science -> big science,
# oceans/polar -> oceans and polar regions, agriculture/food -> food and agriculture); heritage:
# smallpox eradication (Memory of the World records) and the Svalbard seed vault.
EXPECTED["themes-of-the-cases"] = [
    (resource("theme/capacity-building"), "capacity building", 17, 4, 10, 3),
    (resource("theme/security"), "security", 17, 0, 12, 5),
    (resource("theme/environment"), "environment", 14, 3, 8, 3),
    (resource("theme/science-advice"), "science advice", 13, 3, 3, 7),
    (resource("theme/health"), "health", 11, 1, 6, 4),
    (resource("theme/big-science"), "big science", 9, 2, 5, 2),
    (resource("theme/oceans-and-polar"), "oceans and polar regions", 9, 1, 6, 2),
    (resource("theme/energy"), "energy", 6, 1, 4, 1),
    (resource("theme/space"), "space", 6, 3, 3, 0),
    (resource("theme/food-and-agriculture"), "food and agriculture", 4, 0, 3, 1),
    (resource("theme/heritage"), "heritage", 2, 0, 2, 0),
]

# antarctic-treaty.md: original signatories with SU (S1, S2), party dates (S11, S13); scar.md:
# founding full members with SU (S10); iiasa.md: founding signatories (S1, S2);
# lacy-zarubin-agreement.md: SU party (S1), Zarubin signatory for the Soviet side (S3);
# test-ban-treaties-ctbto-ims.md: PTBT original parties (S1); apollo-soyuz-test-project.md:
# the 1972 agreement signed by Nixon and Kosygin (S1). JINR had the USSR but not the US.
EXPECTED["cold-war-bodies-with-us-and-ussr"] = [
    (
        resource("treaty/lacy-zarubin-agreement"),
        "Lacy–Zarubin Agreement",
        "treaty",
        1958,
        "party",
        graph("lacy-zarubin-agreement-s1"),
        "https://en.wikipedia.org/wiki/Lacy-Zarubin_Agreement",
    ),
    (
        resource("treaty/lacy-zarubin-agreement"),
        "Lacy–Zarubin Agreement",
        "treaty",
        1958,
        "party",
        graph("lacy-zarubin-agreement-s3"),
        "https://discovery.researcher.life/article/lacy-zarubin-agreement-of-1958-origins-of-soviet-american-science-diplomacy/0647fa98c3173867bdd74a504d4503d5",
    ),
    (
        resource("organization/scar"),
        "Scientific Committee on Antarctic Research",
        "organisation",
        1958,
        "founding member",
        graph("scar-s10"),
        "https://es.stringtranslate.com/Comit%C3%A9%20Cient%C3%ADfico%20de%20Investigaciones%20Ant%C3%A1rticas/Scientific_Committee_on_Antarctic_Research",
    ),
    (
        resource("treaty/antarctic-treaty"),
        "Antarctic Treaty",
        "treaty",
        1959,
        "party",
        graph("antarctic-treaty-s1"),
        "https://referenceworks.brillonline.com/entries/international-law-and-world-order/vd1-antarctic-treaty-SIM_032751",
    ),
    (
        resource("treaty/antarctic-treaty"),
        "Antarctic Treaty",
        "treaty",
        1959,
        "party",
        graph("antarctic-treaty-s11"),
        "https://mail.coolantarctica.com/Antarctica%20fact%20file/science/antarctic-treaty-countries.php",
    ),
    (
        resource("treaty/antarctic-treaty"),
        "Antarctic Treaty",
        "treaty",
        1959,
        "party",
        graph("antarctic-treaty-s13"),
        "http://www.antarctica.gov.au/law-and-treaty/treaty-partners",
    ),
    (
        resource("treaty/antarctic-treaty"),
        "Antarctic Treaty",
        "treaty",
        1959,
        "party",
        graph("antarctic-treaty-s2"),
        "https://wiki.studentb.eu/view_html.php?lang=en&q=Antarctic_Treaty_System&sq=Google",
    ),
    (
        resource("treaty/partial-test-ban-treaty"),
        "Partial Test Ban Treaty",
        "treaty",
        1963,
        "party",
        graph("test-ban-treaties-ctbto-ims-s1"),
        "https://worldhistoryproject.org/1963/10/7/president-kennedy-ratifies-the-limited-nuclear-test-ban-treaty",
    ),
    (
        resource("treaty/iiasa-charter"),
        "IIASA Charter",
        "treaty",
        1972,
        "party",
        graph("iiasa-s1"),
        "https://iiasa.ac.at/web/home/about/news/171004-birthday.html",
    ),
    (
        resource("treaty/iiasa-charter"),
        "IIASA Charter",
        "treaty",
        1972,
        "party",
        graph("iiasa-s2"),
        "https://iiasa.ac.at/about-iiasa/governance/iiasa-charter",
    ),
    (
        resource("organization/iiasa"),
        "International Institute for Applied Systems Analysis",
        "organisation",
        1972,
        "founding member",
        graph("iiasa-s1"),
        "https://iiasa.ac.at/web/home/about/news/171004-birthday.html",
    ),
    (
        resource("organization/iiasa"),
        "International Institute for Applied Systems Analysis",
        "organisation",
        1972,
        "founding member",
        graph("iiasa-s2"),
        "https://iiasa.ac.at/about-iiasa/governance/iiasa-charter",
    ),
    (
        resource("treaty/us-ussr-space-cooperation-agreement-1972"),
        (
            "US-USSR agreement on cooperation in the exploration and use of outer "
            "space for peaceful purposes (1972)"
        ),
        "treaty",
        1972,
        "party",
        graph("apollo-soyuz-test-project-s1"),
        "https://clyx.com/books/murphy/rockets_missiles_and_spacecraft_of_the_national_air_and/apollo-soyuz_test_project.htm",
    ),
]

# The sheets whose involves: line names both US and SU. The curators record the USSR as a former
# participant except in Apollo-Soyuz, where it is a participant.
EXPECTED["cases-with-us-and-ussr"] = [
    (
        resource("example/antarctic-treaty"),
        "Antarctic Treaty",
        "science for diplomacy",
        "participant",
        "former participant",
        graph("antarctic-treaty-editorial"),
    ),
    (
        resource("example/apollo-soyuz-test-project"),
        "Apollo–Soyuz Test Project",
        "science for diplomacy",
        "participant",
        "participant",
        graph("apollo-soyuz-test-project-editorial"),
    ),
    (
        resource("example/international-geophysical-year"),
        "International Geophysical Year 1957-58",
        "science for diplomacy",
        "participant",
        "former participant",
        graph("international-geophysical-year-editorial"),
    ),
    (
        resource("example/iiasa"),
        "International Institute for Applied Systems Analysis (IIASA)",
        "science for diplomacy",
        "participant",
        "former participant",
        graph("iiasa-editorial"),
    ),
    (
        resource("example/lacy-zarubin-agreement"),
        "Lacy–Zarubin Agreement",
        "science for diplomacy",
        "participant",
        "former participant",
        graph("lacy-zarubin-agreement-editorial"),
    ),
    (
        resource("example/test-ban-treaties-ctbto-ims"),
        (
            "Nuclear test bans and their verification: the 1958 Conference of Experts, "
            "the Partial Test Ban Treaty and the CTBTO's International Monitoring "
            "System"
        ),
        "science in diplomacy",
        "participant",
        "former participant",
        graph("test-ban-treaties-ctbto-ims-editorial"),
    ),
    (
        resource("example/pugwash-conferences"),
        "Pugwash Conferences on Science and World Affairs",
        "science in diplomacy",
        "participant",
        "former participant",
        graph("pugwash-conferences-editorial"),
    ),
    (
        resource("example/scar"),
        "Scientific Committee on Antarctic Research (SCAR)",
        "diplomacy for science",
        "participant",
        "former participant",
        graph("scar-editorial"),
    ),
    (
        resource("example/smallpox-eradication"),
        "Smallpox eradication",
        "science for diplomacy",
        "participant",
        "former participant",
        graph("smallpox-eradication-editorial"),
    ),
]

# antarctic-treaty.md S2 (the United States); iter.md S1, S2 (the IAEA's Director General);
# cern-sesame.md S2 (UNESCO, for the SESAME Statutes); ska-observatory.md S7 (the FCDO);
# test-ban-treaties-ctbto-ims.md S3 (SU, US, GB). The ISS, Montreal Protocol and Nile sheets name
# none.
EXPECTED["treaties-by-depositary"] = [
    (
        resource("organization/foreign-commonwealth-and-development-office"),
        "Foreign, Commonwealth and Development Office",
        resource("treaty/ska-observatory-convention"),
        "SKA Observatory Convention",
        2019,
        1,
        "https://www.atnf.csiro.au/ATNF-DailyImage/archive/2020/23-Dec-2020.html",
    ),
    (
        resource("organization/iaea"),
        "International Atomic Energy Agency",
        resource("treaty/iter-agreement"),
        "ITER Agreement",
        2006,
        2,
        "https://iter.org/node/20687/iter-organization-gets-go-ahead",
    ),
    (
        resource("organization/unesco"),
        "UNESCO",
        resource("treaty/sesame-statutes"),
        "SESAME Statutes",
        None,
        1,
        "http://ncp.edu.pk/sesame.php",
    ),
    (
        country("SUHH"),
        "USSR, Union of Soviet Socialist Republics",
        resource("treaty/partial-test-ban-treaty"),
        "Partial Test Ban Treaty",
        1963,
        1,
        "https://www.blogen.wiki/blog/uk/%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D1%96%D1%80_%D0%BF%D1%80%D0%BE_%D0%B7%D0%B0%D0%B1%D0%BE%D1%80%D0%BE%D0%BD%D1%83_%D0%B2%D0%B8%D0%BF%D1%80%D0%BE%D0%B1%D1%83%D0%B2%D0%B0%D0%BD%D1%8C_%D1%8F%D0%B4%D0%B5%D1%80%D0%BD%D0%BE%D1%97_%D0%B7%D0%B1%D1%80%D0%BE%D1%97_%D0%B2_%D0%B0%D1%82%D0%BC%D0%BE%D1%81%D1%84%D0%B5%D1%80%D1%96,_%D0%BA%D0%BE%D1%81%D0%BC%D1%96%D1%87%D0%BD%D0%BE%D0%BC%D1%83_%D0%BF%D1%80%D0%BE%D1%81%D1%82%D0%BE%D1%80%D1%96_%D0%B9_%D0%BF%D1%96%D0%B4_%D0%B2%D0%BE%D0%B4%D0%BE%D1%8E",
    ),
    (
        country("GB"),
        "United Kingdom",
        resource("treaty/partial-test-ban-treaty"),
        "Partial Test Ban Treaty",
        1963,
        1,
        "https://www.blogen.wiki/blog/uk/%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D1%96%D1%80_%D0%BF%D1%80%D0%BE_%D0%B7%D0%B0%D0%B1%D0%BE%D1%80%D0%BE%D0%BD%D1%83_%D0%B2%D0%B8%D0%BF%D1%80%D0%BE%D0%B1%D1%83%D0%B2%D0%B0%D0%BD%D1%8C_%D1%8F%D0%B4%D0%B5%D1%80%D0%BD%D0%BE%D1%97_%D0%B7%D0%B1%D1%80%D0%BE%D1%97_%D0%B2_%D0%B0%D1%82%D0%BC%D0%BE%D1%81%D1%84%D0%B5%D1%80%D1%96,_%D0%BA%D0%BE%D1%81%D0%BC%D1%96%D1%87%D0%BD%D0%BE%D0%BC%D1%83_%D0%BF%D1%80%D0%BE%D1%81%D1%82%D0%BE%D1%80%D1%96_%D0%B9_%D0%BF%D1%96%D0%B4_%D0%B2%D0%BE%D0%B4%D0%BE%D1%8E",
    ),
    (
        country("US"),
        "United States",
        resource("treaty/antarctic-treaty"),
        "Antarctic Treaty",
        1959,
        1,
        "https://wiki.studentb.eu/view_html.php?lang=en&q=Antarctic_Treaty_System&sq=Google",
    ),
    (
        country("US"),
        "United States",
        resource("treaty/partial-test-ban-treaty"),
        "Partial Test Ban Treaty",
        1963,
        1,
        "https://www.blogen.wiki/blog/uk/%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D1%96%D1%80_%D0%BF%D1%80%D0%BE_%D0%B7%D0%B0%D0%B1%D0%BE%D1%80%D0%BE%D0%BD%D1%83_%D0%B2%D0%B8%D0%BF%D1%80%D0%BE%D0%B1%D1%83%D0%B2%D0%B0%D0%BD%D1%8C_%D1%8F%D0%B4%D0%B5%D1%80%D0%BD%D0%BE%D1%97_%D0%B7%D0%B1%D1%80%D0%BE%D1%97_%D0%B2_%D0%B0%D1%82%D0%BC%D0%BE%D1%81%D1%84%D0%B5%D1%80%D1%96,_%D0%BA%D0%BE%D1%81%D0%BC%D1%96%D1%87%D0%BD%D0%BE%D0%BC%D1%83_%D0%BF%D1%80%D0%BE%D1%81%D1%82%D0%BE%D1%80%D1%96_%D0%B9_%D0%BF%D1%96%D0%B4_%D0%B2%D0%BE%D0%B4%D0%BE%D1%8E",
    ),
]

# Abdus Salam founded ICTP and TWAS; Atish Dabholkar directs ICTP and became TWAS executive
# director in 2023; Koichiro Matsuura was UNESCO's Director-General in the SESAME and IPSO
# sheets; Michael Atiyah a TWAS founding member and on IPSO's council; Pavel Kabat HFSPO
# Secretary-General after leading IIASA; Robert Watson chaired the IPCC and IPBES (the curators
# take them to be one person); Sigvard Eklund the IAEA's Director-General in the IAEA and ICTP
# sheets; Antonio Rodota ESA's Director-General in the ESA and ISS sheets.
EXPECTED["people-with-roles-in-several-cases"] = [
    (
        resource("person/abdus-salam"),
        "Abdus Salam",
        2,
        "Abdus Salam International Centre for Theoretical Physics (ICTP), Trieste",
        "The Abdus Salam International Centre for Theoretical Physics",
        "director",
        3,
    ),
    (
        resource("person/abdus-salam"),
        "Abdus Salam",
        2,
        "Abdus Salam International Centre for Theoretical Physics (ICTP), Trieste",
        "The Abdus Salam International Centre for Theoretical Physics",
        "founder",
        4,
    ),
    (
        resource("person/abdus-salam"),
        "Abdus Salam",
        2,
        "The World Academy of Sciences (TWAS)",
        "The World Academy of Sciences",
        "founder",
        3,
    ),
    (
        resource("person/antonio-rodota"),
        "Antonio Rodotà",
        2,
        "European Space Agency (ESA)",
        "European Space Agency",
        "director-general",
        1,
    ),
    (
        resource("person/antonio-rodota"),
        "Antonio Rodotà",
        2,
        "International Space Station Intergovernmental Agreement (1998)",
        "European Space Agency",
        "director-general",
        1,
    ),
    (
        resource("person/atish-dabholkar"),
        "Atish Dabholkar",
        2,
        "Abdus Salam International Centre for Theoretical Physics (ICTP), Trieste",
        "The Abdus Salam International Centre for Theoretical Physics",
        "director",
        3,
    ),
    (
        resource("person/atish-dabholkar"),
        "Atish Dabholkar",
        2,
        "The World Academy of Sciences (TWAS)",
        "The Abdus Salam International Centre for Theoretical Physics",
        "director",
        1,
    ),
    (
        resource("person/atish-dabholkar"),
        "Atish Dabholkar",
        2,
        "The World Academy of Sciences (TWAS)",
        "The World Academy of Sciences",
        "executive director",
        1,
    ),
    (
        resource("person/koichiro-matsuura"),
        "Koïchiro Matsuura",
        2,
        "CERN's role in founding SESAME",
        "UNESCO",
        "director-general",
        1,
    ),
    (
        resource("person/koichiro-matsuura"),
        "Koïchiro Matsuura",
        2,
        "Israeli-Palestinian Science Organization (IPSO)",
        "UNESCO",
        "director-general",
        2,
    ),
    (
        resource("person/michael-atiyah"),
        "Michael Atiyah",
        2,
        "Israeli-Palestinian Science Organization (IPSO)",
        "IPSO International Scientific Council",
        "member",
        1,
    ),
    (
        resource("person/michael-atiyah"),
        "Michael Atiyah",
        2,
        "The World Academy of Sciences (TWAS)",
        "The World Academy of Sciences",
        "founding member",
        3,
    ),
    (
        resource("person/pavel-kabat"),
        "Pavel Kabat",
        2,
        "Human Frontier Science Program (HFSP)",
        "International Human Frontier Science Program Organization",
        "secretary-general",
        2,
    ),
    (
        resource("person/pavel-kabat"),
        "Pavel Kabat",
        2,
        "Human Frontier Science Program (HFSP)",
        "International Institute for Applied Systems Analysis",
        "director",
        1,
    ),
    (
        resource("person/pavel-kabat"),
        "Pavel Kabat",
        2,
        "International Institute for Applied Systems Analysis (IIASA)",
        "International Institute for Applied Systems Analysis",
        "director-general",
        1,
    ),
    (
        resource("person/robert-watson"),
        "Robert Watson",
        2,
        "Intergovernmental Panel on Climate Change (IPCC)",
        "Intergovernmental Panel on Climate Change",
        "chair",
        1,
    ),
    (
        resource("person/robert-watson"),
        "Robert Watson",
        2,
        (
            "Intergovernmental Science-Policy Platform on Biodiversity and Ecosystem "
            "Services (IPBES)"
        ),
        ("Intergovernmental Science-Policy Platform on Biodiversity and Ecosystem Services"),
        "chair",
        2,
    ),
    (
        resource("person/sigvard-eklund"),
        "Sigvard Eklund",
        2,
        "Abdus Salam International Centre for Theoretical Physics (ICTP), Trieste",
        "International Atomic Energy Agency",
        "director-general",
        1,
    ),
    (
        resource("person/sigvard-eklund"),
        "Sigvard Eklund",
        2,
        "International Atomic Energy Agency (IAEA)",
        "International Atomic Energy Agency",
        "director-general",
        2,
    ),
]

# belmont-forum.md S6 (QNRF, Qatar, joined the Forum); cern-sesame.md S2 (SESAME in Jordan);
# medrc.md S1, S2, S8 (Al Hail, Muscat, Oman); svalbard-global-seed-vault.md S7, S8 (ICARDA,
# Beirut). IPSO (Jerusalem) is missing: the sheet gives Jerusalem no country.
EXPECTED["cases-with-middle-east-institutions"] = [
    (
        resource("example/belmont-forum"),
        "Belmont Forum",
        resource("organization/qnrf"),
        "QNRF",
        "Qatar",
        country("QA"),
        "Qatar",
        graph("belmont-forum-s6"),
    ),
    (
        resource("example/cern-sesame"),
        "CERN's role in founding SESAME",
        resource("organization/sesame"),
        ("Synchrotron-light for Experimental Science and Applications in the Middle East"),
        "Jordan",
        country("JO"),
        "Jordan",
        graph("cern-sesame-s2"),
    ),
    (
        resource("example/medrc"),
        "Middle East Desalination Research Center (MEDRC), Muscat",
        resource("organization/medrc"),
        "Middle East Desalination Research Center",
        "Al Hail",
        country("OM"),
        "Oman",
        graph("medrc-s1"),
    ),
    (
        resource("example/medrc"),
        "Middle East Desalination Research Center (MEDRC), Muscat",
        resource("organization/medrc"),
        "Middle East Desalination Research Center",
        "Al Hail",
        country("OM"),
        "Oman",
        graph("medrc-s2"),
    ),
    (
        resource("example/medrc"),
        "Middle East Desalination Research Center (MEDRC), Muscat",
        resource("organization/medrc"),
        "Middle East Desalination Research Center",
        "Al Hail",
        country("OM"),
        "Oman",
        graph("medrc-s8"),
    ),
    (
        resource("example/svalbard-global-seed-vault"),
        "Svalbard Global Seed Vault",
        resource("organization/icarda"),
        "International Center for Agricultural Research in the Dry Areas",
        "Beirut",
        country("LB"),
        "Lebanon",
        graph("svalbard-global-seed-vault-s7"),
    ),
    (
        resource("example/svalbard-global-seed-vault"),
        "Svalbard Global Seed Vault",
        resource("organization/icarda"),
        "International Center for Agricultural Research in the Dry Areas",
        "Beirut",
        country("LB"),
        "Lebanon",
        graph("svalbard-global-seed-vault-s8"),
    ),
]

# reference-facts.md: Israel a Member State (2014); associate members Brazil, India, Pakistan,
# Turkiye (Croatia, Latvia, Lithuania, Ukraine are in Europe); Cyprus in the pre-stage; observers
# Japan and the United States. By UN M49 Cyprus and Turkiye are in Western Asia.
EXPECTED["cern-members-outside-europe"] = [
    (country("IL"), "Israel", "Member State", "Asia", "Western Asia", True),
    (country("BR"), "Brazil", "Associate Member State", "America", "South America", False),
    (country("IN"), "India", "Associate Member State", "Asia", "Southern Asia", False),
    (country("PK"), "Pakistan", "Associate Member State", "Asia", "Southern Asia", False),
    (country("TR"), "Türkiye", "Associate Member State", "Asia", "Western Asia", True),
    (
        country("CY"),
        "Cyprus",
        "Associate Member State in the pre-stage to membership",
        "Asia",
        "Western Asia",
        True,
    ),
    (country("JP"), "Japan", "Observer", "Asia", "Eastern Asia", False),
    (country("US"), "United States", "Observer", "America", "Northern America", False),
]

# The notes: lines of the sheets, as the curators word them in the editorial graphs.
EXPECTED["case-source-disagreements"] = [
    (
        "Antarctic Treaty",
        resource("membership/atcm-ua-consultative-party-1992"),
        None,
        (
            "'The 2005 CIA World Factbook' gives Ukraine '(1992)' in its list of "
            "consultative parties, where the year is meant to be the year consultative "
            "status was granted; the curators could not confirm it and it may be "
            "Ukraine's year of accession instead."
        ),
        graph("antarctic-treaty-editorial"),
    ),
    (
        "Antarctic Treaty",
        resource("treaty/antarctic-treaty"),
        "Antarctic Treaty",
        (
            "'Treaty partners' (Australian Antarctic Division) gives the original "
            "signatories' dates in its 'Consultative Party' column; 'Antarctic Treaty "
            "Signatory Countries' gives the same dates as the deposit of their "
            "ratification. Both are recorded as sd:consentDate."
        ),
        graph("antarctic-treaty-editorial"),
    ),
    (
        "Antarctic Treaty",
        resource("treaty/antarctic-treaty"),
        "Antarctic Treaty",
        (
            "The sources disagree on the number of parties: 57 as of 2024 ('Antarctic "
            "Treaty System (Wikipedia mirror)' and 'Antarctic Treaty Signatory "
            "Countries'), 58 as of 2024 ('The Antarctic Treaty Parties'), 52 on the "
            "undated 'Treaty partners' page and 45 at the end of 2003 ('The 2005 CIA "
            "World Factbook'). The counts are of different dates; none is picked."
        ),
        graph("antarctic-treaty-editorial"),
    ),
    (
        "Apollo–Soyuz Test Project",
        resource("event/apollo-soyuz-docking"),
        "Docking of Apollo and Soyuz",
        (
            "Sources disagree on the date of the link-up: the JSC news release log and "
            "Infogalactic give 17 July 1975; the NASM book entry (clyx.com) says "
            "around noon on 18 July, maybe a time-zone or editing difference."
        ),
        graph("apollo-soyuz-test-project-editorial"),
    ),
    (
        "Arctic Council",
        resource("treaty/agreement-on-enhancing-international-arctic-scientific-cooperation"),
        "Agreement on Enhancing International Arctic Scientific Cooperation",
        (
            "Entry into force: 23 May 2018 on the blog 'Arctic Council Scientific "
            "Cooperation Agreement' (not confirmed by an official page), while ARCUS "
            "Witness the Arctic says it enters into force 30 days after all eight "
            "states ratify."
        ),
        graph("arctic-council-editorial"),
    ),
    (
        "Arctic Council",
        resource("organization/arctic-council"),
        "Arctic Council",
        (
            "The observer years come from an exam-preparation site ('Arctic Council', "
            "IASforIAS); its 13 observer states match those of the World Factbook "
            "appendix. 'China's Arctic Ambitions' shows six of them, with Mongolia, as "
            "applicants at the May 2013 Kiruna meeting."
        ),
        graph("arctic-council-editorial"),
    ),
    (
        "Arctic Council",
        resource("organization/arctic-council"),
        "Arctic Council",
        (
            "The sources disagree on the founding day: 19 September 1996 in 'Arctic "
            "Council - Backgrounder', '20 years of the Arctic Council' and the "
            "reproduced joint communiqué; 18 September 1996 in the World Factbook "
            "appendix 'Arctic Council'."
        ),
        graph("arctic-council-editorial"),
    ),
    (
        "Arctic Council",
        resource("organization/sctf"),
        "Task Force for Enhancing Scientific Cooperation in the Arctic",
        (
            "The sources disagree on who led the task force: Russia, Sweden and the "
            "United States as co-chairs (the Arctic Council's SCTF page), the United "
            "States and Russia (ARCUS Witness the Arctic)."
        ),
        graph("arctic-council-editorial"),
    ),
    (
        "Belmont Forum",
        resource("publication/belmont-challenge"),
        "Belmont Challenge",
        (
            "The sources word the Belmont Challenge slightly differently: knowledge to "
            "'avoid and adapt' to harmful environmental change (the DKN and "
            "SecureSustain pages) against 'mitigate and adapt' (the FAPESP memorandum "
            "page). Both are kept in their graphs."
        ),
        graph("belmont-forum-editorial"),
    ),
    (
        "Belmont Forum",
        resource("organization/belmont-forum"),
        "Belmont Forum",
        (
            "Founding size and later membership are counted differently by date: "
            "started by 15 countries (the Forum's history page) against 13 nations, "
            "the European Union and 2 councils in 2013 (the CliC update); these are "
            "different dates, not a contradiction. The date of the 10th plenary in "
            "Oslo is not given."
        ),
        graph("belmont-forum-editorial"),
    ),
    (
        "CERN's role in founding SESAME",
        resource("person/chris-llewellyn-smith"),
        "Chris Llewellyn Smith",
        (
            "Sources disagree on his term as CERN Director-General: the CERN biography "
            "gives January 1994 until Luciano Maiani succeeded him in January 1999; "
            "the CERN update Rolf Heuer to become President of SESAME gives 1994-1997 "
            "while saying Maiani succeeded him in January 1999; Science & Diplomacy "
            "(CERN and SESAME) gives 1994-1998."
        ),
        graph("cern-sesame-editorial"),
    ),
    (
        "CERN's role in founding SESAME",
        resource("person/herwig-schopper"),
        "Herwig Schopper",
        (
            "Sources disagree on his SESAME presidency: SESAME (The world has lost a "
            "towering figure...) gives President of the Council 2004-2008 after the "
            "Interim Council; the World Science Forum 2019 page gives 1999-2008 "
            "(interim then permanent council); the IUCr news item says he was elected "
            "in January 2003 to continue as President. The World Science Forum page "
            "also gives his CERN directorate as 1981-2008, against CERN press office "
            "(Herwig Franz Schopper): January 1981 to January 1989."
        ),
        graph("cern-sesame-editorial"),
    ),
    (
        "CERN's role in founding SESAME",
        resource("organization/sesame"),
        ("Synchrotron-light for Experimental Science and Applications in the Middle East"),
        (
            "Sources disagree on the founding members: the IUCr news item (2003) lists "
            "eight (Egypt, Palestine, Bahrain, Turkey, Iran, Israel, Jordan, "
            "Pakistan); the US cable 03AMMAN4807 says Pakistan and the United Arab "
            "Emirates joined after the January 2003 meeting, making nine; News.az "
            "(Sesame brings Iran, Israel together) names Iran, Jordan, Israel, Turkey, "
            "Palestine and Pakistan as founders and Bahrain, Egypt and Cyprus as later "
            "members. Unresolved."
        ),
        graph("cern-sesame-editorial"),
    ),
    (
        "European Southern Observatory (ESO)",
        resource("organization/eso"),
        "European Southern Observatory",
        (
            "Sources disagree on when this country joined ESO: the Supernova page "
            "Member state flags gives 1982, the Simple English Wikipedia and "
            "KidzSearch pages European Southern Observatory give 1981."
        ),
        graph("european-southern-observatory-editorial"),
    ),
    (
        "European Southern Observatory (ESO)",
        resource("organization/eso"),
        "European Southern Observatory",
        (
            "Sources disagree on when this country joined ESO: the Supernova page "
            "Member state flags gives 2001, the Simple English Wikipedia and "
            "KidzSearch pages give 2000-06-27."
        ),
        graph("european-southern-observatory-editorial"),
    ),
    (
        "European Southern Observatory (ESO)",
        resource("organization/eso"),
        "European Southern Observatory",
        (
            "Sources disagree on when this country joined ESO: the Supernova page "
            "Member state flags gives 2007, the Simple English Wikipedia and "
            "KidzSearch pages give 2004-07-01."
        ),
        graph("european-southern-observatory-editorial"),
    ),
    (
        "European Southern Observatory (ESO)",
        resource("organization/eso"),
        "European Southern Observatory",
        (
            "Sources disagree on when this country joined ESO: the Supernova page "
            "Member state flags gives 2007, the Simple English Wikipedia and "
            "KidzSearch pages give 2006-07-01."
        ),
        graph("european-southern-observatory-editorial"),
    ),
    (
        "European Southern Observatory (ESO)",
        resource("organization/eso"),
        "European Southern Observatory",
        (
            "Sources disagree on when this country joined ESO: the Supernova page "
            "Member state flags gives 2009, the Simple English Wikipedia and "
            "KidzSearch pages give 2008-07-01."
        ),
        graph("european-southern-observatory-editorial"),
    ),
    (
        "European Southern Observatory (ESO)",
        resource("organization/eso"),
        "European Southern Observatory",
        (
            "Sources disagree on when this country joined ESO: the Supernova page "
            "Member state flags gives 2015 (as does the Urania article), the "
            "KidzSearch page gives 2014-10-28."
        ),
        graph("european-southern-observatory-editorial"),
    ),
    (
        "European Southern Observatory (ESO)",
        resource("organization/eso"),
        "European Southern Observatory",
        (
            "The accession years on the Supernova page Member state flags often fall a "
            "year after the dates on the Wikipedia-derived pages (Simple English "
            "Wikipedia, KidzSearch); it may give the year membership took effect. Both "
            "are kept; which is the legal accession date is not confirmed. For Italy, "
            "the United Kingdom and Czechia the pages agree on the year and the "
            "Wikipedia-derived pages add the day. KidzSearch dates Ireland from "
            "2018-09-28."
        ),
        graph("european-southern-observatory-editorial"),
    ),
    (
        "Human Frontier Science Program (HFSP)",
        resource("programme/human-frontier-science-program"),
        "Human Frontier Science Program",
        (
            "The sources disagree on when the programme was first proposed: at the G7 "
            "Venice Economic Summit of June 1987 according to '30 years of support for "
            "frontier life science research' (HFSP), 'Human Frontier Science Program' "
            "(Wikipedia, which gives 10 June 1987), 'Human Frontier Science Program: "
            "past, present and future promise' (HFSP) and 'Human frontier advances as "
            "Japan funds brain science' (New Scientist); in 1986, at a summit of the "
            "seven leading industrial nations, according to 'Japanese Researchers Take "
            "Spotlight In International Biomedical Program' (The Scientist)."
        ),
        graph("hfsp-editorial"),
    ),
    (
        "Human Frontier Science Program (HFSP)",
        resource("organization/hfspo"),
        "International Human Frontier Science Program Organization",
        (
            "Its supporting members differ between pages of different dates: Norway is "
            "on the governance page and in the FY 2019 annual report but not in the "
            "2021 IIASA list; Israel is in the FY 2019 report and the 2021 list but "
            "not on the governance page. Each list is kept with its source. A May 2024 "
            "Strasbourg page calls Pavel Kabat HFSP's 'Präsident', where the other "
            "pages make him Secretary-General and Yoshihiro Yoneda President from "
            "2024; only the Secretary-General title is recorded."
        ),
        graph("hfsp-editorial"),
    ),
    (
        "ITER",
        resource("person/anil-kakodkar"),
        "Anil Kakodkar",
        (
            "One of the pages reporting the signing (ITER Organization gets the "
            "go-ahead; the Fusion Power Associates press release) spells his name "
            "Kakodhar."
        ),
        graph("iter-editorial"),
    ),
    (
        "Intergovernmental Panel on Climate Change (IPCC)",
        resource("membership/ipcc-jim-skea-chair"),
        None,
        (
            "Election day: the Belga News Agency page says 'on Wednesday'; the day "
            "2023-07-26 is the date of the WMO release 'WMO welcomes election of Jim "
            "Skea as IPCC Chair'."
        ),
        graph("ipcc-editorial"),
    ),
    (
        "Intergovernmental Panel on Climate Change (IPCC)",
        resource("event/ipcc-58th-session"),
        "58th session of the IPCC",
        (
            "Dates: the IPCC page 'AR6 Synthesis Report: Climate Change 2023' gives "
            "13-19 March 2023; press notices read by the sheet's compiler (not sources "
            "of the sheet) gave 13-17 March as scheduled. The IPCC page's dates are "
            "recorded."
        ),
        graph("ipcc-editorial"),
    ),
    (
        "Intergovernmental Panel on Climate Change (IPCC)",
        resource("organization/ipcc"),
        "Intergovernmental Panel on Climate Change",
        (
            "Founding: a Christian Science Monitor page (not a source of the sheet) "
            "says the UN General Assembly established the IPCC in 1988; the UN library "
            "page ('1988 - Protecting the global climate...') and the Nobel page say "
            "the WMO and UNEP set it up and the General Assembly endorsed it. Only the "
            "latter is recorded."
        ),
        graph("ipcc-editorial"),
    ),
    (
        "Intergovernmental Panel on Climate Change (IPCC)",
        resource("person/robert-watson"),
        "Robert Watson",
        (
            "The curators take the IPCC chair Robert T. Watson (the Down To Earth "
            "page, which gives US) and the IPBES chair Robert Watson (IPBES pages, "
            "which give GB) to be one person; each page's nationality is kept in its "
            "graph."
        ),
        graph("ipcc-editorial"),
    ),
    (
        (
            "Intergovernmental Science-Policy Platform on Biodiversity and Ecosystem "
            "Services (IPBES)"
        ),
        resource("organization/ipbes"),
        ("Intergovernmental Science-Policy Platform on Biodiversity and Ecosystem Services"),
        (
            "The sources disagree on the founding year: 2012 (the IISD summary of the "
            "second session of the plenary meeting, and Wikipedia) against 2007 (the "
            "Institution of Environmental Sciences page 'IPBES Nexus and "
            "Transformative Change Assessments'), which is probably wrong. Both claims "
            "are kept in their graphs."
        ),
        graph("ipbes-editorial"),
    ),
    (
        (
            "Intergovernmental Science-Policy Platform on Biodiversity and Ecosystem "
            "Services (IPBES)"
        ),
        resource("person/robert-watson"),
        "Robert Watson",
        (
            "The curators take the IPCC chair Robert T. Watson (the Down To Earth "
            "page, which gives US) and the IPBES chair Robert Watson (IPBES pages, "
            "which give GB) to be one person; each page's nationality is kept in its "
            "graph."
        ),
        graph("ipbes-editorial"),
    ),
    (
        (
            "Intergovernmental Science-Policy Platform on Biodiversity and Ecosystem "
            "Services (IPBES)"
        ),
        resource("event/ipbes-plenary-meeting-2012-second-session"),
        "Second session of the plenary meeting on IPBES",
        (
            "The sources disagree on the dates of the session: 16-21 April 2012 (the "
            "IISD Earth Negotiations Bulletin summary) against 15-21 April 2012 (the "
            "IISD SDG Knowledge Hub page). Both are kept in their graphs."
        ),
        graph("ipbes-editorial"),
    ),
    (
        "International Atomic Energy Agency (IAEA)",
        resource("organization/iaea"),
        "International Atomic Energy Agency",
        (
            "The member counts are of different dates: 171 member states in December "
            "2019 (IAEA press release on Grossi) and 178 on an undated "
            "Wikipedia-derived page."
        ),
        graph("iaea-editorial"),
    ),
    (
        "International Atomic Energy Agency (IAEA)",
        resource("treaty/statute-of-the-iaea"),
        "Statute of the IAEA",
        (
            "The sources disagree on how many states signed the Statute: 70 on 26 "
            "October 1956 in the Kremlin glossary entry, '80 original signatory "
            "states' in the US delegation's report on the first General Conference "
            "(FRUS 1955-57 vol. XX doc. 306). They also give two dates that are not in "
            "conflict: 23 October 1956, when the Conference approved the Statute ('The "
            "Statute of the IAEA'), and 26 October 1956, when it was concluded and "
            "signed."
        ),
        graph("iaea-editorial"),
    ),
    (
        "International Geophysical Year 1957-58",
        resource("organization/csagi"),
        "Comité Spécial de l'Année Géophysique Internationale",
        (
            "On CSAGI's first meeting the blog summary of IGY Bulletin no. 2 says "
            "October 1952, while the WMO report 'International Polar Year 2007-2008' "
            "lists the first general assembly (CSAGI-1) in Brussels, July 1953; these "
            "may be different meetings. The officer list comes from the blog summary "
            "and was not checked against a primary source."
        ),
        graph("international-geophysical-year-editorial"),
    ),
    (
        "International Geophysical Year 1957-58",
        resource("event/international-geophysical-year"),
        "International Geophysical Year",
        (
            "The sources disagree on the number of disciplines: eleven in "
            "'International Geophysical Year (Wikipedia snapshot)' (and the "
            "'explained' copy), fourteen in the later text of sagapedia.com's "
            "'International Geophysical Year'."
        ),
        graph("international-geophysical-year-editorial"),
    ),
    (
        "International Institute for Applied Systems Analysis (IIASA)",
        resource("treaty/iiasa-charter"),
        "IIASA Charter",
        (
            "The IIASA page 'IIASA celebrates 45 years' says the Charter had 12 "
            "original signatories but names only 11; no page read names the twelfth, "
            "and none is guessed."
        ),
        graph("iiasa-editorial"),
    ),
    (
        "International Institute for Applied Systems Analysis (IIASA)",
        resource("organization/iiasa"),
        "International Institute for Applied Systems Analysis",
        (
            "Member counts differ by date, not by source: 17 (1982), 16 (August 2005), "
            "24 (end of 2016 and of 2020)."
        ),
        graph("iiasa-editorial"),
    ),
    (
        "International Network for Government Science Advice (INGSA)",
        resource("event/ingsa2021"),
        "INGSA2021",
        (
            "Start: the Fonds de recherche du Québec page gives 29 August 2021; a blog "
            "the sheet does not list as a source has sessions starting on 30 August. "
            "Only the listed source is recorded."
        ),
        graph("ingsa-editorial"),
    ),
    (
        "International Network for Government Science Advice (INGSA)",
        resource("event/ingsa2024"),
        "INGSA2024",
        (
            "The sources disagree on the dates: 1-3 May 2024 (the INGSA page "
            "'INGSA2024 - The Transformation Imperative') against 1-2 May 2024 (the "
            "University of Rwanda page). Both are kept in their graphs; an earlier "
            "'save the date' (not a source) said 6-9 May."
        ),
        graph("ingsa-editorial"),
    ),
    (
        "International Space Station Intergovernmental Agreement (1998)",
        resource("treaty/iss-intergovernmental-agreement"),
        "ISS Intergovernmental Agreement",
        (
            "Sources disagree on the signature date: Partners Sign ISS Agreements "
            "(NASA), ESA DG signs ISS agreement (ESA) and TIAS 12927 give 29 January "
            "1998; Politics of the International Space Station (Piglix) gives 28 "
            "January 1998."
        ),
        graph("iss-intergovernmental-agreement-editorial"),
    ),
    (
        "Israeli-Palestinian Science Organization (IPSO)",
        resource("organization/ipso-international-scientific-council"),
        "IPSO International Scientific Council",
        (
            "The sources give the council's size differently: UNESCO's 'Science for "
            "Peace' page calls Wiesel one of its eight members but lists 13 names; "
            "ISRAEL21c says fifteen members, seven of them Nobel laureates. The "
            "13-name list is recorded as given, and both counts in their graphs."
        ),
        graph("israeli-palestinian-science-organization-editorial"),
    ),
    (
        "Israeli-Palestinian Science Organization (IPSO)",
        resource("organization/ipso"),
        "Israeli-Palestinian Science Organization",
        (
            "Grant counts differ by date and source: 15 projects approved by June 2005 "
            "(ISRAEL21c), 10 first grants in 2005 (Science), 11 projects funded since "
            "2004 (UNESCO). Science calls IPSO UNESCO's organisation, while UNESCO "
            "says it supported its creation. Whether IPSO is still active was not "
            "found."
        ),
        graph("israeli-palestinian-science-organization-editorial"),
    ),
    (
        "Israeli-Palestinian Science Organization (IPSO)",
        resource("event/ipso-launch"),
        "Launch of the Israeli-Palestinian Science Organization",
        (
            "The sources date the launch differently: April 2004 (UNESCO's 'Science "
            "for Peace' page), November 2004 (SciDev.Net), and 'last April' at the "
            "National Academy of Sciences in an ISRAEL21c article of June 2005, which "
            "could mean April 2005. Each claim is kept in its graph."
        ),
        graph("israeli-palestinian-science-organization-editorial"),
    ),
    (
        "Israeli-Palestinian Science Organization (IPSO)",
        resource("person/menahem-yaari"),
        "Menahem Yaari",
        (
            "The sources give Menahem Yaari different affiliations: the Hebrew "
            "University of Jerusalem (UNESCO's 'Science for Peace' page), President of "
            "the Israel Academy of Sciences and Humanities (ISRAEL21c), Chair of the "
            "Israeli Academy of Sciences and Humanities (UNESCO's 'IPSO helping to "
            "improve Palestinians' lives'). Each is kept in its graph."
        ),
        graph("israeli-palestinian-science-organization-editorial"),
    ),
    (
        "Jefferson Science Fellowship",
        resource("programme/jefferson-science-fellowship"),
        "Jefferson Science Fellowship",
        (
            "The pages describe the funding differently with their dates: 'Apply by "
            "Dec. 21 for State Department's Jefferson Science Fellows program' (2007) "
            "names the State Department, the MacArthur Foundation and the Carnegie "
            "Corporation; 'About the Jefferson Science Fellowship' (National "
            "Academies, current) describes costs shared by the home universities with "
            "the State Department and USAID. The 2007 page names only the State "
            "Department as host; when USAID joined is not known."
        ),
        graph("jefferson-science-fellowship-editorial"),
    ),
    (
        "Joint Institute for Nuclear Research (JINR), Dubna",
        resource("organization/jinr"),
        "Joint Institute for Nuclear Research",
        (
            "The JINR pages (About JINR; Dubna Worldwide Glory) count 11 founding "
            "states, Vietnam joining in September 1956; the PAP report (Czechy "
            "zakończyły współpracę z ZIBJ w Dubnej) calls Poland one of 12 founding "
            "states, probably counting Vietnam. Hungary, a founder, is among the "
            "states associated by agreement in the Russian government directive of "
            "about 2016; when it left full membership is not known."
        ),
        graph("jinr-dubna-editorial"),
    ),
    (
        "Lacy–Zarubin Agreement",
        resource("treaty/lacy-zarubin-agreement"),
        "Lacy–Zarubin Agreement",
        (
            "The sources disagree on how long the agreement governed the exchanges: "
            "until the collapse of the USSR (infobox expiry 25 December 1991) "
            "according to 'Lacy-Zarubin Agreement' (Wikipedia); from 1958 to 1973 "
            "according to 'Forgotten and Unforgettable Science Diplomacy' (RIAC)."
        ),
        graph("lacy-zarubin-agreement-editorial"),
    ),
    (
        "Lacy–Zarubin Agreement",
        resource("person/william-s-b-lacy"),
        "William S. B. Lacy",
        (
            "The sources disagree on whose special assistant he was: the US "
            "President's according to 'Lacy-Zarubin Agreement' (Wikipedia), the "
            "Secretary of State's according to 'Lacy–Zarubin Agreement of 1958: "
            "Origins of Soviet-American Science Diplomacy' (R Discovery)."
        ),
        graph("lacy-zarubin-agreement-editorial"),
    ),
    (
        "Middle East Desalination Research Center (MEDRC), Muscat",
        resource("organization/medrc"),
        "Middle East Desalination Research Center",
        (
            "The founding is dated differently: December 1996 (MEDRC's home page and "
            "the US Bureau of Reclamation page) against countries signing the "
            "Establishment Agreement 'since 1997' (MEDRC's Executive Council page). "
            "Both are kept in their graphs. Only the US is confirmed as a founding "
            "member."
        ),
        graph("medrc-editorial"),
    ),
    (
        "Montreal Protocol",
        resource("treaty/kigali-amendment"),
        "Kigali Amendment",
        (
            "The sources disagree on the warming the Kigali Amendment is expected to "
            "avoid this century: up to 0.5°C (Foreign Economic Cooperation Office, "
            "'Kigali Amendment to enter into force 1 January 2019') and up to 0.4°C "
            "(IISD, 'Kigali Amendment Enters into Force, Bringing Promise of Reduced "
            "Global Warming')."
        ),
        graph("montreal-protocol-editorial"),
    ),
    (
        "Montreal Protocol",
        resource("treaty/montreal-protocol"),
        "Montreal Protocol on Substances that Deplete the Ozone Layer",
        (
            "The party counts are of different dates: 196 in September 2009, when "
            "participation became universal (UNEP Ozone Secretariat), and 197 later "
            "(InforMEA)."
        ),
        graph("montreal-protocol-editorial"),
    ),
    (
        "Nile Basin Initiative (NBI) and the Nile Cooperative Framework Agreement",
        resource("treaty/nile-basin-cooperative-framework-agreement"),
        "Nile Basin Cooperative Framework Agreement",
        (
            "The sources disagree on the ratifying parties: five (Ethiopia, Rwanda, "
            "Uganda, Tanzania, Burundi) in the Assayha page, six with South Sudan in "
            "the InternationalWaterLaw.org, APA News and Eye Radio pages. The TRT "
            "World page lists DR Congo among the signatories, which no other page "
            "confirms. Each claim is kept in its graph."
        ),
        graph("nile-basin-initiative-editorial"),
    ),
    (
        "Nile Basin Initiative (NBI) and the Nile Cooperative Framework Agreement",
        resource("organization/nile-sec"),
        "Nile Basin Secretariat",
        (
            "The sources date the secretariat's start differently: formed on 3 "
            "September 1999 (the Water Power Magazine page) against opened 'last week' "
            "in the World Bank release of 13 September 1999. Both are kept in their "
            "graphs."
        ),
        graph("nile-basin-initiative-editorial"),
    ),
    (
        (
            "Nuclear test bans and their verification: the 1958 Conference of Experts, "
            "the Partial Test Ban Treaty and the CTBTO's International Monitoring "
            "System"
        ),
        resource("organization/ims"),
        "International Monitoring System",
        (
            "On the first fully certified technology the abstracts differ slightly: "
            "the hydroacoustic network, certified in 2016 ('Performance variability of "
            "the hydroacoustic and infrasound IMS stations') or 'as of 2017' ('The "
            "CTBT's global International Monitoring System ...')."
        ),
        graph("test-ban-treaties-ctbto-ims-editorial"),
    ),
    (
        (
            "Nuclear test bans and their verification: the 1958 Conference of Experts, "
            "the Partial Test Ban Treaty and the CTBTO's International Monitoring "
            "System"
        ),
        resource("treaty/partial-test-ban-treaty"),
        "Partial Test Ban Treaty",
        (
            "The count of 131 parties comes only from a Ukrainian-language wiki page; "
            "no depositary's list was read."
        ),
        graph("test-ban-treaties-ctbto-ims-editorial"),
    ),
    (
        "Pugwash Conferences on Science and World Affairs",
        resource("person/cyrus-eaton"),
        "Cyrus Eaton",
        (
            "The sources describe Cyrus Eaton differently: 'American philanthropist' "
            "(Britannica), 'Canadian-born American philanthropist' (EncyclopediaHub), "
            "'industrialist and philanthropist' (know.cf); a UC Davis page, not a "
            "source of the sheet, calls him a Canadian industrialist. Each description "
            "is kept in its graph."
        ),
        graph("pugwash-conferences-editorial"),
    ),
    (
        "Pugwash Conferences on Science and World Affairs",
        resource("organization/pugwash-conferences-on-science-and-world-affairs"),
        "Pugwash Conferences on Science and World Affairs",
        (
            "Founders: the know.cf mirror names Joseph Rotblat and Bertrand Russell as "
            "founders, while Britannica and NobelPrize.org stress Cyrus Eaton as host "
            "and financier and the Russell–Einstein Manifesto as the initiative; no "
            "single authoritative statement of the founders was read. Headquarters and "
            "offices were not confirmed and are left out."
        ),
        graph("pugwash-conferences-editorial"),
    ),
    (
        "Pugwash Conferences on Science and World Affairs",
        resource("publication/russell-einstein-manifesto"),
        "Russell–Einstein Manifesto",
        (
            "Wikipedia says Einstein signed shortly before his death on 18 April 1955; "
            "other pages read for the sheet (not its sources) say 'just days before'. "
            "Neither is recorded as data."
        ),
        graph("pugwash-conferences-editorial"),
    ),
    (
        "SKA Observatory (SKAO)",
        resource("organization/skao"),
        "Square Kilometre Array Observatory",
        (
            "Sources disagree on the number of members at the end of 2024: The SKAO "
            "grows: Canada, India and Germany bring membership to 12 (SKAO Contact, "
            "issue 16) counts 12 with India (member since July 2024); Germany becomes "
            "the SKAO newest member (CSIRO ATNF, 2024-11-05) lists 11 full members "
            "without India. Unresolved."
        ),
        graph("ska-observatory-editorial"),
    ),
    (
        "Scientific Committee on Antarctic Research (SCAR)",
        resource("event/scar-first-meeting-1958"),
        "First meeting of SCAR, The Hague, 1958",
        (
            "The sources disagree on the dates of SCAR's first meeting: 3-6 February "
            "1958 in 'The History of SCAR' (SCAR), 3-5 February 1958 in '60 years "
            "SCAR' (AWI)."
        ),
        graph("scar-editorial"),
    ),
    (
        "Scientific Committee on Antarctic Research (SCAR)",
        resource("organization/scar"),
        "Scientific Committee on Antarctic Research",
        (
            "Membership counts are of different dates and are not comparable: 26 full "
            "members in 1999 and 27 in 2002 (IAGA report), 30 full, 9 union and 13 "
            "associate (undated 'SCAR Members and Officers'), 43 member countries in "
            "2018 (AWI), 32 full and 12 associate (undated WikiMili mirror)."
        ),
        graph("scar-editorial"),
    ),
    (
        "Scientific Committee on Antarctic Research (SCAR)",
        resource("organization/scar"),
        "Scientific Committee on Antarctic Research",
        (
            "The sources disagree on when SCAR was founded: 'The History of SCAR' puts "
            "the decision at the ICSU meeting of September 1957 and the first meeting "
            "in February 1958, while memim.com's 'Scientific Committee on Antarctic "
            "Research' gives 28 June 1958, a date not confirmed elsewhere."
        ),
        graph("scar-editorial"),
    ),
    (
        "Smallpox eradication",
        resource("person/ali-maow-maalin"),
        "Ali Maow Maalin",
        (
            "The two dates of the last natural case are different events, not a "
            "disagreement: the onset of the rash on 26 October 1977 (Nature) and the "
            "diagnosis on 30 October 1977 (Life Science History)."
        ),
        graph("smallpox-eradication-editorial"),
    ),
    (
        "Smallpox eradication",
        resource("person/d-a-henderson"),
        "D. A. Henderson",
        (
            "The sources disagree on when he began to head the programme: 1966 (to "
            "1977) according to 'Tribute: The Man Who Led The War To Kill Smallpox' "
            "(WNYC / NPR), 1967, as the unit's first chief, according to 'Remembering "
            "D.A. Henderson' (The Atlantic)."
        ),
        graph("smallpox-eradication-editorial"),
    ),
    (
        "Smallpox eradication",
        resource("programme/smallpox-eradication-programme"),
        "Smallpox Eradication Programme",
        (
            "The sources date the programme's start differently: proposed in 1958 "
            "according to 'Smallpox eradication: December 9 was the 40th anniversary' "
            "(Outbreak News Today) and 'Re-assessing the Foundations' (Medical "
            "History); set up by WHO in 1959 according to 'Pox on Your Narrative' "
            "(Bunk History); launched as a global programme in 1966 according to the "
            "UNESCO Memory of the World page; intensified from 1967 according to GS "
            "Times. Each date is kept in its source's graph."
        ),
        graph("smallpox-eradication-editorial"),
    ),
    (
        "Svalbard Global Seed Vault",
        resource("organization/cgn"),
        "Centre for Genetic Resources, the Netherlands",
        ("Part of Wageningen University & Research, as the source's publisher line says."),
        graph("svalbard-global-seed-vault-editorial"),
    ),
    (
        "Svalbard Global Seed Vault",
        resource("organization/icarda"),
        "International Center for Agricultural Research in the Dry Areas",
        (
            "The sources disagree on how much of ICARDA's collection had been "
            "duplicated: about 80% (Icepeople, 'Syria makes first withdrawal from "
            "Svalbard seed vault...') and around 83% (ISAAA, 'International Rescue "
            "Brings Syria's Seed Collection Back to Svalbard')."
        ),
        graph("svalbard-global-seed-vault-editorial"),
    ),
    (
        "Svalbard Global Seed Vault",
        resource("organization/svalbard-global-seed-vault"),
        "Svalbard Global Seed Vault",
        (
            "Sample counts are of different dates: more than 860,000 in 2015 (CBC "
            "News), about 1 million in 2018 (Asdal and Guarino)."
        ),
        graph("svalbard-global-seed-vault-editorial"),
    ),
    (
        "The 1899 plague epidemic in Oporto",
        resource("event/oporto-plague-1899"),
        "1899 Oporto plague epidemic",
        (
            "The sources date the epidemic differently: June 1899 to February 1900 "
            "according to 'Dealing with the plague in Oporto' (Universidade de "
            "Lisboa); broke out in June and ended about six months later according to "
            "'The Appearance of Bubonic Plague in Oporto, 1899' (Vesalius); first case "
            "recorded on 9 July 1899 according to 'The Siege – On the 1899 Bubonic "
            "Plague Epidemic in Porto' (INESC TEC)."
        ),
        graph("oporto-plague-1899-editorial"),
    ),
    (
        "The 1899 plague epidemic in Oporto",
        resource("event/porto-cordon-sanitaire-1899"),
        "Cordon sanitaire around Porto",
        (
            "The sources disagree on the extent of the cordon: 'that part of town', "
            "the Ribeira, according to 'Porto demonstrated what a resilient city looks "
            "like' (Porto City Council); a wide cordon around the whole city according "
            "to 'The Appearance of Bubonic Plague in Oporto, 1899' (Vesalius) and "
            "'1899 Porto Plague Outbreak' (TheInfoList)."
        ),
        graph("oporto-plague-1899-editorial"),
    ),
    (
        "The World Academy of Sciences (TWAS)",
        resource("person/mohamed-h-a-hassan"),
        "Mohamed H.A. Hassan",
        (
            "The sources disagree on how long he was Executive Director: about 26 "
            "years according to 'Hassan to serve as interim TWAS director' (TWAS), 25 "
            "years' service according to 'Rwanda: Romain Murenzi appointed as next "
            "TWAS director' (African Brains)."
        ),
        graph("twas-editorial"),
    ),
    (
        "The World Academy of Sciences (TWAS)",
        resource("organization/twas"),
        "The World Academy of Sciences",
        (
            "Member counts differ with the date of the page: 42 at founding, about "
            "1,000 in 2010-2012, 1,416 Fellows in January 2024; each count is kept in "
            "the graph of its page."
        ),
        graph("twas-editorial"),
    ),
    (
        "U.S. Science Envoy Program",
        resource("programme/us-science-envoy-program"),
        "U.S. Science Envoy Program",
        (
            "The sources disagree on when the programme began: announced in June 2009 "
            "with its first envoys named in November 2009 according to 'U.S. Science "
            "Envoy Program (Fact Sheet)' (State Department, 2010) and 'Second U.S. "
            "Science Envoy Begins Travel' (The White House), 'established in 2010' "
            "according to 'From Health to Space' (State Magazine). Their counts of "
            "envoys also differ with the date of the page: 18 envoys and 41 countries "
            "on the 2009-2017 archive page, 23 envoys and more than 60 trips on the "
            "current page."
        ),
        graph("us-science-envoy-program-editorial"),
    ),
    (
        "UK Science and Innovation Network",
        resource("organization/sin"),
        "UK Science and Innovation Network",
        (
            "The sources disagree on the name given at the 2025 relaunch: 'Science and "
            "Technology Network (STN)' according to 'UK's global science and tech "
            "ambitions refreshed under new brand' (bbcworldnewstoday.com) and 'UK "
            "revitalises global science and technology ambitions with new network' "
            "(op300statusdev.site); 'Science, Technology and Innovation Network' "
            "according to 'From SINners to SaiNTs' (RUSI). Its staff counts differ "
            "with the dates of the pages (2013, 2016, 2020, 2025); each is kept in its "
            "page's graph."
        ),
        graph("uk-science-and-innovation-network-editorial"),
    ),
    (
        "UN Convention on the Law of the Sea (UNCLOS)",
        resource("treaty/united-nations-convention-on-the-law-of-the-sea"),
        "United Nations Convention on the Law of the Sea",
        (
            "The party counts are of different dates: 157 as of October 2002 ('Law of "
            "the Sea - UN Convention on the Law of the Sea', Encyclopedia of the "
            "Nations), 168 in the 2019 Chronicle Year Book, and an ISA membership of "
            "170 (169 States and the EU) as of 2 September 2024 ('About ISA'); "
            "equating ISA membership with the parties rests on article 156(2) as "
            "'About ISA' quotes it."
        ),
        graph("unclos-editorial"),
    ),
]

# iter.md: 14 sources (S1..S14) and the editorial graph. Triple counts change with any edit of
# data/cases/iter.trig: update them with the edit.
EXPECTED["case-facts-by-source"] = [
    (
        graph("iter-s1"),
        "documentary",
        "About / legal status of the ITER Organization",
        "ITER Organization",
        "https://www.iter.org/legal/status",
        122,
        34,
    ),
    (
        graph("iter-s2"),
        "documentary",
        "ITER Organization gets the go-ahead",
        "ITER Organization",
        "https://iter.org/node/20687/iter-organization-gets-go-ahead",
        85,
        30,
    ),
    (
        graph("iter-s3"),
        "documentary",
        "ITER Organization",
        "QST, ITER Japan Domestic Agency",
        "https://www.fusion.qst.go.jp/ITER/english/iter/page1_3.html",
        21,
        5,
    ),
    (
        graph("iter-s4"),
        "documentary",
        "Conceived in Geneva, born in Reykjavik, baptized in Vienna",
        "ITER Newsline",
        "http://iter.org/newsline/-/2323",
        15,
        3,
    ),
    (
        graph("iter-s5"),
        "documentary",
        "(Newsline article on Velikhov, Gorbachev and the 1985 Geneva Summit)",
        "ITER Newsline",
        "https://www.iter.org/newsline/-/3786",
        28,
        9,
    ),
    (
        graph("iter-s6"),
        "documentary",
        "ITER - Organization History",
        "LiquiSearch (Wikipedia-derived)",
        "http://www.liquisearch.com/iter/organization_history",
        75,
        22,
    ),
    (
        graph("iter-s7"),
        "documentary",
        "(press release on the signing of the ITER Agreement)",
        "Fusion Power Associates",
        "https://qedfusion.org/FPA/ARC06/fpn06-77.shtml",
        80,
        29,
    ),
    (
        graph("iter-s8"),
        "documentary",
        "France and ITER Organization sign Headquarters Agreement",
        "ITER Newsline",
        "https://www.iter.org/newsline/14/1626",
        35,
        11,
    ),
    (
        graph("iter-s9"),
        "documentary",
        "Headquarters Agreement enters into force",
        "ITER Newsline",
        "https://www.iter.org/newsline/27/898",
        22,
        7,
    ),
    (
        graph("iter-s10"),
        "documentary",
        "Le Conseil Iter nomme Pietro Barabaschi à la tête d'Iter Organization",
        "Destimed",
        "https://destimed.fr/Le-Conseil-Iter-nomme-Pietro-Barabaschi-a-la-tete-d-Iter-Organization",
        60,
        18,
    ),
    (
        graph("iter-s11"),
        "documentary",
        "(Bernard Bigot succède à Osamu Motojima)",
        "Destimed",
        "https://destimed.fr/pierre-bigot-succede-a-osamu",
        31,
        10,
    ),
    (
        graph("iter-s12"),
        "documentary",
        "ITER senior management team completed",
        "EUROfusion",
        "https://www.euro-fusion.org/2006/07/iter-senior-management-team-completed/",
        18,
        6,
    ),
    (
        graph("iter-s13"),
        "documentary",
        '"Back in time" Gallery',
        "ITER Organization",
        "https://iter.org/iter-image-galleries/back-time",
        30,
        9,
    ),
    (
        graph("iter-s14"),
        "documentary",
        "(bilingual concordance quoting EU text on the ITER Agreement)",
        "Wordscope",
        "http://wordscope.be/anglais/francais/iter+fusion+energy+advanced+tokamak.html",
        18,
        5,
    ),
    (graph("iter-editorial"), "editorial", None, None, None, 114, 23),
]

# Sources: the S lines of each sheet (18 for the test bans down to 5 for Lacy-Zarubin).
# Triple counts change with any edit of a first-batch case file: update them with the edit.
EXPECTED["case-evidence-base"] = [
    (
        resource("example/test-ban-treaties-ctbto-ims"),
        (
            "Nuclear test bans and their verification: the 1958 Conference of Experts, "
            "the Partial Test Ban Treaty and the CTBTO's International Monitoring "
            "System"
        ),
        18,
        12,
        496,
        2,
    ),
    (resource("example/unclos"), "UN Convention on the Law of the Sea (UNCLOS)", 17, 12, 192, 1),
    (resource("example/arctic-council"), "Arctic Council", 16, 13, 1103, 4),
    (
        resource("example/ipbes"),
        (
            "Intergovernmental Science-Policy Platform on Biodiversity and Ecosystem "
            "Services (IPBES)"
        ),
        16,
        10,
        447,
        3,
    ),
    (resource("example/cern-sesame"), "CERN's role in founding SESAME", 15, 11, 1031, 3),
    (
        resource("example/ingsa"),
        "International Network for Government Science Advice (INGSA)",
        15,
        10,
        608,
        2,
    ),
    (resource("example/montreal-protocol"), "Montreal Protocol", 15, 13, 305, 2),
    (resource("example/ska-observatory"), "SKA Observatory (SKAO)", 15, 15, 666, 1),
    (resource("example/twas"), "The World Academy of Sciences (TWAS)", 15, 12, 589, 2),
    (resource("example/iter"), "ITER", 14, 8, 640, 1),
    (resource("example/ipcc"), "Intergovernmental Panel on Climate Change (IPCC)", 14, 14, 468, 4),
    (
        resource("example/nile-basin-initiative"),
        "Nile Basin Initiative (NBI) and the Nile Cooperative Framework Agreement",
        14,
        14,
        616,
        2,
    ),
    (resource("example/scar"), "Scientific Committee on Antarctic Research (SCAR)", 14, 11, 400, 3),
    (resource("example/antarctic-treaty"), "Antarctic Treaty", 13, 12, 938, 3),
    (resource("example/iaea"), "International Atomic Energy Agency (IAEA)", 13, 9, 312, 2),
    (
        resource("example/iiasa"),
        "International Institute for Applied Systems Analysis (IIASA)",
        13,
        8,
        778,
        2,
    ),
    (
        resource("example/jinr-dubna"),
        "Joint Institute for Nuclear Research (JINR), Dubna",
        13,
        11,
        588,
        1,
    ),
    (resource("example/belmont-forum"), "Belmont Forum", 12, 11, 580, 2),
    (
        resource("example/european-southern-observatory"),
        "European Southern Observatory (ESO)",
        12,
        10,
        833,
        7,
    ),
    (resource("example/european-space-agency"), "European Space Agency (ESA)", 12, 8, 811, 0),
    (resource("example/hfsp"), "Human Frontier Science Program (HFSP)", 12, 9, 641, 2),
    (resource("example/smallpox-eradication"), "Smallpox eradication", 12, 12, 265, 3),
    (
        resource("example/ictp-trieste"),
        "Abdus Salam International Centre for Theoretical Physics (ICTP), Trieste",
        11,
        9,
        406,
        0,
    ),
    (
        resource("example/european-molecular-biology-laboratory"),
        "European Molecular Biology Laboratory (EMBL)",
        11,
        8,
        869,
        0,
    ),
    (resource("example/svalbard-global-seed-vault"), "Svalbard Global Seed Vault", 11, 11, 208, 3),
    (
        resource("example/international-geophysical-year"),
        "International Geophysical Year 1957-58",
        10,
        9,
        254,
        2,
    ),
    (
        resource("example/pugwash-conferences"),
        "Pugwash Conferences on Science and World Affairs",
        10,
        10,
        391,
        3,
    ),
    (resource("example/oporto-plague-1899"), "The 1899 plague epidemic in Oporto", 10, 9, 252, 2),
    (
        resource("example/iss-intergovernmental-agreement"),
        "International Space Station Intergovernmental Agreement (1998)",
        9,
        8,
        409,
        1,
    ),
    (
        resource("example/medrc"),
        "Middle East Desalination Research Center (MEDRC), Muscat",
        8,
        5,
        265,
        1,
    ),
    (
        resource("example/uk-science-and-innovation-network"),
        "UK Science and Innovation Network",
        8,
        8,
        141,
        1,
    ),
    (
        resource("example/aaas-cuba-scientific-cooperation"),
        "AAAS–Cuban Academy of Sciences scientific cooperation",
        7,
        6,
        360,
        0,
    ),
    (resource("example/apollo-soyuz-test-project"), "Apollo–Soyuz Test Project", 7, 7, 201, 1),
    (resource("example/us-science-envoy-program"), "U.S. Science Envoy Program", 7, 7, 290, 1),
    (
        resource("example/israeli-palestinian-science-organization"),
        "Israeli-Palestinian Science Organization (IPSO)",
        6,
        4,
        401,
        4,
    ),
    (
        resource("example/jefferson-science-fellowship"),
        "Jefferson Science Fellowship",
        6,
        6,
        103,
        1,
    ),
    (resource("example/lacy-zarubin-agreement"), "Lacy–Zarubin Agreement", 5, 5, 154, 2),
]

# iter.md (Canada ended its participation at the end of 2003), european-molecular-biology-
# laboratory.md (Argentina, associate 2014-2020), jinr-dubna.md (Ukraine, Czechia, Poland left in
# 2022; Slovakia and Bulgaria ended cooperation in 2022; the founding GDR, Czechoslovakia, USSR),
# iiasa.md (founding CS, DD, SU), and the USSR in the Cold War cases.
EXPECTED["former-participants-of-cases"] = [
    (
        country("AR"),
        "Argentina",
        False,
        "European Molecular Biology Laboratory (EMBL)",
        graph("european-molecular-biology-laboratory-editorial"),
    ),
    (
        country("BG"),
        "Bulgaria",
        False,
        "Joint Institute for Nuclear Research (JINR), Dubna",
        graph("jinr-dubna-editorial"),
    ),
    (country("CA"), "Canada", False, "ITER", graph("iter-editorial")),
    (
        country("CZ"),
        "Czechia",
        False,
        "Joint Institute for Nuclear Research (JINR), Dubna",
        graph("jinr-dubna-editorial"),
    ),
    (
        country("PL"),
        "Poland",
        False,
        "Joint Institute for Nuclear Research (JINR), Dubna",
        graph("jinr-dubna-editorial"),
    ),
    (
        country("SK"),
        "Slovakia",
        False,
        "Joint Institute for Nuclear Research (JINR), Dubna",
        graph("jinr-dubna-editorial"),
    ),
    (
        country("UA"),
        "Ukraine",
        False,
        "Joint Institute for Nuclear Research (JINR), Dubna",
        graph("jinr-dubna-editorial"),
    ),
    (
        country("CSHH"),
        "Czechoslovakia, Czechoslovak Socialist Republic",
        True,
        "International Institute for Applied Systems Analysis (IIASA)",
        graph("iiasa-editorial"),
    ),
    (
        country("CSHH"),
        "Czechoslovakia, Czechoslovak Socialist Republic",
        True,
        "Joint Institute for Nuclear Research (JINR), Dubna",
        graph("jinr-dubna-editorial"),
    ),
    (
        country("CSHH"),
        "Czechoslovakia, Czechoslovak Socialist Republic",
        True,
        (
            "Nuclear test bans and their verification: the 1958 Conference of Experts, "
            "the Partial Test Ban Treaty and the CTBTO's International Monitoring "
            "System"
        ),
        graph("test-ban-treaties-ctbto-ims-editorial"),
    ),
    (
        country("DDDE"),
        "German Democratic Republic",
        True,
        "International Institute for Applied Systems Analysis (IIASA)",
        graph("iiasa-editorial"),
    ),
    (
        country("DDDE"),
        "German Democratic Republic",
        True,
        "Joint Institute for Nuclear Research (JINR), Dubna",
        graph("jinr-dubna-editorial"),
    ),
    (
        country("SUHH"),
        "USSR, Union of Soviet Socialist Republics",
        True,
        "Antarctic Treaty",
        graph("antarctic-treaty-editorial"),
    ),
    (
        country("SUHH"),
        "USSR, Union of Soviet Socialist Republics",
        True,
        "International Geophysical Year 1957-58",
        graph("international-geophysical-year-editorial"),
    ),
    (
        country("SUHH"),
        "USSR, Union of Soviet Socialist Republics",
        True,
        "International Institute for Applied Systems Analysis (IIASA)",
        graph("iiasa-editorial"),
    ),
    (
        country("SUHH"),
        "USSR, Union of Soviet Socialist Republics",
        True,
        "Joint Institute for Nuclear Research (JINR), Dubna",
        graph("jinr-dubna-editorial"),
    ),
    (
        country("SUHH"),
        "USSR, Union of Soviet Socialist Republics",
        True,
        "Lacy–Zarubin Agreement",
        graph("lacy-zarubin-agreement-editorial"),
    ),
    (
        country("SUHH"),
        "USSR, Union of Soviet Socialist Republics",
        True,
        (
            "Nuclear test bans and their verification: the 1958 Conference of Experts, "
            "the Partial Test Ban Treaty and the CTBTO's International Monitoring "
            "System"
        ),
        graph("test-ban-treaties-ctbto-ims-editorial"),
    ),
    (
        country("SUHH"),
        "USSR, Union of Soviet Socialist Republics",
        True,
        "Pugwash Conferences on Science and World Affairs",
        graph("pugwash-conferences-editorial"),
    ),
    (
        country("SUHH"),
        "USSR, Union of Soviet Socialist Republics",
        True,
        "Scientific Committee on Antarctic Research (SCAR)",
        graph("scar-editorial"),
    ),
    (
        country("SUHH"),
        "USSR, Union of Soviet Socialist Republics",
        True,
        "Smallpox eradication",
        graph("smallpox-eradication-editorial"),
    ),
]

# iaea.md S4, S10; ipcc.md S2, S3; pugwash-conferences.md S1, S2; montreal-protocol.md S13;
# ictp-trieste.md S1, S2; twas.md S2, S4, S13; us-science-envoy-program.md S1, S5;
# israeli-palestinian-science-organization.md S1, S2; cern-sesame.md S6.
EXPECTED["awards-in-the-cases"] = [
    (
        "AAAS Award for Science and Diplomacy (2019)",
        resource("person/chris-llewellyn-smith"),
        "Chris Llewellyn Smith",
        "person",
        "CERN's role in founding SESAME",
        1,
    ),
    (
        "Nobel Peace Prize 1995",
        resource("organization/pugwash-conferences-on-science-and-world-affairs"),
        "Pugwash Conferences on Science and World Affairs",
        "organisation",
        "Pugwash Conferences on Science and World Affairs",
        2,
    ),
    (
        "Nobel Peace Prize 1995",
        resource("person/joseph-rotblat"),
        "Joseph Rotblat",
        "person",
        "Pugwash Conferences on Science and World Affairs",
        2,
    ),
    (
        "Nobel Peace Prize 2005",
        resource("organization/iaea"),
        "International Atomic Energy Agency",
        "organisation",
        "International Atomic Energy Agency (IAEA)",
        2,
    ),
    (
        "Nobel Peace Prize 2005",
        resource("person/mohamed-elbaradei"),
        "Mohamed ElBaradei",
        "person",
        "International Atomic Energy Agency (IAEA)",
        2,
    ),
    (
        "Nobel Peace Prize 2007",
        resource("organization/ipcc"),
        "Intergovernmental Panel on Climate Change",
        "organisation",
        "Intergovernmental Panel on Climate Change (IPCC)",
        2,
    ),
    (
        "Nobel Peace Prize 2007",
        resource("person/al-gore"),
        "Al Gore",
        "person",
        "Intergovernmental Panel on Climate Change (IPCC)",
        2,
    ),
    (
        "Nobel Prize",
        resource("person/torsten-wiesel"),
        "Torsten Wiesel",
        "person",
        "Israeli-Palestinian Science Organization (IPSO)",
        2,
    ),
    (
        "Nobel Prize in Chemistry",
        resource("person/ahmed-zewail"),
        "Ahmed Zewail",
        "person",
        "U.S. Science Envoy Program",
        2,
    ),
    (
        "Nobel Prize in Chemistry 1995",
        resource("person/f-sherwood-rowland"),
        "F. Sherwood Rowland",
        "person",
        "Montreal Protocol",
        1,
    ),
    (
        "Nobel Prize in Chemistry 1995",
        resource("person/mario-molina"),
        "Mario Molina",
        "person",
        "Montreal Protocol",
        1,
    ),
    (
        "Nobel Prize in Chemistry 1995",
        resource("person/paul-crutzen"),
        "Paul Crutzen",
        "person",
        "Montreal Protocol",
        1,
    ),
    (
        "Nobel Prize in Physics",
        resource("person/abdus-salam"),
        "Abdus Salam",
        "person",
        "Abdus Salam International Centre for Theoretical Physics (ICTP), Trieste",
        2,
    ),
    (
        "Nobel Prize in Physics",
        resource("person/abdus-salam"),
        "Abdus Salam",
        "person",
        "The World Academy of Sciences (TWAS)",
        3,
    ),
]

# arctic-council.md: 13 observer states with their years; sesame: observers of the interim
# council (1999) and of SESAME (2009); ska-observatory.md: observers at the first Council
# meeting (2021); iiasa.md: Pakistan (2017) and Malaysia (2020); medrc.md: Sweden; nile-basin-
# initiative.md: Eritrea; embl: the European Commission; scar.md: SCAR at the ATCM (1987).
EXPECTED["observers-of-case-organisations"] = [
    (
        "Antarctic Treaty Consultative Meeting",
        resource("organization/scar"),
        "Scientific Committee on Antarctic Research",
        1987,
        1,
    ),
    ("Arctic Council", country("DE"), "Germany", 1998, 2),
    ("Arctic Council", country("NL"), "Netherlands", 1998, 2),
    ("Arctic Council", country("PL"), "Poland", 1998, 2),
    ("Arctic Council", country("GB"), "United Kingdom", 1998, 2),
    ("Arctic Council", country("FR"), "France", 2000, 2),
    ("Arctic Council", country("ES"), "Spain", 2006, 2),
    ("Arctic Council", country("CN"), "China", 2013, 2),
    ("Arctic Council", country("IN"), "India", 2013, 2),
    ("Arctic Council", country("IT"), "Italy", 2013, 2),
    ("Arctic Council", country("JP"), "Japan", 2013, 2),
    ("Arctic Council", country("KR"), "Korea, Republic of", 2013, 2),
    ("Arctic Council", country("SG"), "Singapore", 2013, 2),
    ("Arctic Council", country("CH"), "Switzerland", 2017, 2),
    (
        "European Molecular Biology Laboratory",
        resource("organization/european-commission"),
        "European Commission",
        None,
        1,
    ),
    ("International Institute for Applied Systems Analysis", country("PK"), "Pakistan", 2017, 1),
    ("International Institute for Applied Systems Analysis", country("MY"), "Malaysia", 2020, 1),
    ("Middle East Desalination Research Center", country("SE"), "Sweden", None, 1),
    ("Nile Basin Initiative", country("ER"), "Eritrea", None, 2),
    ("SESAME International Interim Council", country("DE"), "Germany", 1999, 1),
    ("SESAME International Interim Council", country("IT"), "Italy", 1999, 1),
    ("SESAME International Interim Council", country("JP"), "Japan", 1999, 1),
    ("SESAME International Interim Council", country("RU"), "Russian Federation", 1999, 1),
    ("SESAME International Interim Council", country("SE"), "Sweden", 1999, 1),
    ("SESAME International Interim Council", country("CH"), "Switzerland", 1999, 1),
    ("SESAME International Interim Council", country("US"), "United States", 1999, 1),
    ("Square Kilometre Array Observatory", country("CA"), "Canada", 2021, 1),
    ("Square Kilometre Array Observatory", country("CN"), "China", 2021, 1),
    ("Square Kilometre Array Observatory", country("FR"), "France", 2021, 1),
    ("Square Kilometre Array Observatory", country("DE"), "Germany", 2021, 1),
    ("Square Kilometre Array Observatory", country("IN"), "India", 2021, 1),
    ("Square Kilometre Array Observatory", country("ES"), "Spain", 2021, 1),
    ("Square Kilometre Array Observatory", country("SE"), "Sweden", 2021, 1),
    ("Square Kilometre Array Observatory", country("CH"), "Switzerland", 2021, 1),
    (
        ("Synchrotron-light for Experimental Science and Applications in the Middle East"),
        country("FR"),
        "France",
        2009,
        1,
    ),
    (
        ("Synchrotron-light for Experimental Science and Applications in the Middle East"),
        country("DE"),
        "Germany",
        2009,
        1,
    ),
    (
        ("Synchrotron-light for Experimental Science and Applications in the Middle East"),
        country("GR"),
        "Greece",
        2009,
        1,
    ),
    (
        ("Synchrotron-light for Experimental Science and Applications in the Middle East"),
        country("IT"),
        "Italy",
        2009,
        1,
    ),
    (
        ("Synchrotron-light for Experimental Science and Applications in the Middle East"),
        country("JP"),
        "Japan",
        2009,
        1,
    ),
    (
        ("Synchrotron-light for Experimental Science and Applications in the Middle East"),
        country("KW"),
        "Kuwait",
        2009,
        1,
    ),
    (
        ("Synchrotron-light for Experimental Science and Applications in the Middle East"),
        country("PT"),
        "Portugal",
        2009,
        1,
    ),
    (
        ("Synchrotron-light for Experimental Science and Applications in the Middle East"),
        country("RU"),
        "Russian Federation",
        2009,
        1,
    ),
    (
        ("Synchrotron-light for Experimental Science and Applications in the Middle East"),
        country("SE"),
        "Sweden",
        2009,
        1,
    ),
    (
        ("Synchrotron-light for Experimental Science and Applications in the Middle East"),
        country("GB"),
        "United Kingdom",
        2009,
        1,
    ),
    (
        ("Synchrotron-light for Experimental Science and Applications in the Middle East"),
        country("US"),
        "United States",
        2009,
        1,
    ),
]


# --------------------------------------------------------------------------------------------
# Issue 15: across both batches (questions over the case sheets of ../shared/sources/cases/ and
# ../shared/sources/cases-2/, data/cases/*.trig)
# --------------------------------------------------------------------------------------------

# test-ban-treaties-ctbto-ims.md: the PTBT signed on 1963-08-05 by GB, SU and US; the CTBT signed on
# 1996-09-24 by CN, FR, RU, GB and US, and (S17) signed without ratifying by CN, EG, IR, IL and US.
# npt.md: US, GB and SU signed on 1968-07-01, CN and FR acceded in 1992, KP withdrew.
# biological-weapons-convention.md: US, GB and SU signed on 1972-04-10. jcpoa.md: parties IR, CN,
# FR, DE, RU, GB and US (the US withdrew in 2018). chemical-weapons-convention-opcw.md names no
# party (only non-parties and Syria as the OPCW's newest member): no country is party to both the
# NPT and the CWC. Hosted cases are the editorial hosts of all 79 cases (France: ITER, ESA, ...).
EXPECTED["arms-control-treaty-states"] = [
    (country("GB"), "United Kingdom", 5, 4),
    (country("US"), "United States", 5, 10),
    (country("CN"), "China", 3, 2),
    (country("FR"), "France", 3, 15),
    (country("SUHH"), "USSR, Union of Soviet Socialist Republics", 3, 1),
    (country("IR"), "Iran, Islamic Republic of", 2, 0),
    (country("RU"), "Russian Federation", 2, 3),
]

# The cases whose 'involves' line names both the US and China: the JCPOA (the US withdrew: former
# participant), the NPT (nuclear-weapon states), COSPAR (both host assemblies), the 1979 agreement;
# in the Arctic Council China is an observer and in the IGY a non-participant, so only involved.
EXPECTED["cases-involving-us-and-china"] = [
    ("Arctic Council", "science for diplomacy", "participant", None),
    ("Belmont Forum", "diplomacy for science", "participant", "participant"),
    ("Committee on Space Research (COSPAR)", "science in diplomacy", "host", "host"),
    ("ITER", "science for diplomacy", "participant", "participant"),
    ("International Geophysical Year 1957-58", "science for diplomacy", "participant", None),
    (
        "International Institute for Applied Systems Analysis (IIASA)",
        "science for diplomacy",
        "participant",
        "participant",
    ),
    (
        "Joint Comprehensive Plan of Action (JCPOA, 2015)",
        "science in diplomacy",
        "former participant",
        "participant",
    ),
    (
        "Pugwash Conferences on Science and World Affairs",
        "science in diplomacy",
        "participant",
        "participant",
    ),
    (
        "Treaty on the Non-Proliferation of Nuclear Weapons (NPT)",
        "science in diplomacy",
        "participant",
        "participant",
    ),
    (
        "US-China Agreement on Cooperation in Science and Technology",
        "science for diplomacy",
        "participant",
        "participant",
    ),
]

# One row per case sheet whose notes: record a disagreement (or a difference in dates, counts,
# names or spellings) that the editorial graph keeps as a reference note; eight sheets have none
# (aaas-cuba, BWC, Euratom, EMBL, ESA, Horizon Europe association, ICTP, Nunn-Lugar).
EXPECTED["cases-with-disagreeing-sources"] = [
    ("European Southern Observatory (ESO)", 1, 7),
    ("Arctic Council", 3, 4),
    ("Intergovernmental Panel on Climate Change (IPCC)", 4, 4),
    ("Israeli-Palestinian Science Organization (IPSO)", 4, 4),
    ("Antarctic Treaty", 2, 3),
    ("CERN's role in founding SESAME", 3, 3),
    ("Chemical Weapons Convention and the OPCW", 3, 3),
    (
        (
            "Intergovernmental Science-Policy Platform on Biodiversity and Ecosystem "
            "Services (IPBES)"
        ),
        3,
        3,
    ),
    ("Outer Space Treaty (1967)", 1, 3),
    ("Pugwash Conferences on Science and World Affairs", 3, 3),
    ("Scientific Committee on Antarctic Research (SCAR)", 2, 3),
    ("Smallpox eradication", 3, 3),
    ("Svalbard Global Seed Vault", 3, 3),
    ("World Heritage Convention", 3, 3),
    ("World Meteorological Organization (WMO) and the World Weather Watch", 3, 3),
    ("African Academy of Sciences (AAS)", 1, 2),
    ("Belmont Forum", 2, 2),
    ("Committee on Space Research (COSPAR)", 1, 2),
    ("EUREKA network", 1, 2),
    ("Gavi, the Vaccine Alliance", 2, 2),
    (
        (
            "Group of Scientific Experts (GSE): seismic verification at the Conference on "
            "Disarmament"
        ),
        2,
        2,
    ),
    ("Human Frontier Science Program (HFSP)", 2, 2),
    ("InterAcademy Partnership (IAP)", 2, 2),
    ("International Atomic Energy Agency (IAEA)", 2, 2),
    ("International Campaign to Save the Monuments of Nubia", 2, 2),
    ("International Geophysical Year 1957-58", 2, 2),
    ("International Institute for Applied Systems Analysis (IIASA)", 2, 2),
    ("International Network for Government Science Advice (INGSA)", 2, 2),
    ("International Science Council (ISC)", 2, 2),
    ("International Science and Technology Center (ISTC)", 2, 2),
    ("Lacy–Zarubin Agreement", 2, 2),
    ("Montreal Protocol", 2, 2),
    ("Nile Basin Initiative (NBI) and the Nile Cooperative Framework Agreement", 2, 2),
    (
        (
            "Nuclear test bans and their verification: the 1958 Conference of Experts, the "
            "Partial Test Ban Treaty and the CTBTO's International Monitoring System"
        ),
        2,
        2,
    ),
    ("Paris Agreement (2015)", 2, 2),
    ("The 1899 plague epidemic in Oporto", 2, 2),
    ("The World Academy of Sciences (TWAS)", 2, 2),
    ("Treaty on the Non-Proliferation of Nuclear Weapons (NPT)", 1, 2),
    ("United Nations Committee on the Peaceful Uses of Outer Space (COPUOS)", 2, 2),
    ("ASEAN Committee on Science, Technology and Innovation (COSTI)", 1, 1),
    ("Africa CDC (Africa Centres for Disease Control and Prevention)", 1, 1),
    ("Apollo–Soyuz Test Project", 1, 1),
    ("CEPI (Coalition for Epidemic Preparedness Innovations)", 1, 1),
    ("CGIAR (Consultative Group on International Agricultural Research)", 1, 1),
    ("European Cooperation in Science and Technology (COST)", 1, 1),
    ("Global Climate Observing System (GCOS)", 1, 1),
    ("Global Polio Eradication Initiative (GPEI)", 1, 1),
    ("Green Revolution in Mexico and India (Norman Borlaug, CIMMYT)", 1, 1),
    ("ITER", 1, 1),
    ("Indo-US Science and Technology Forum (IUSSTF)", 1, 1),
    ("Intergovernmental Oceanographic Commission of UNESCO (IOC)", 1, 1),
    ("International Health Regulations (2005)", 1, 1),
    ("International Rice Research Institute (IRRI)", 1, 1),
    ("International Space Station Intergovernmental Agreement (1998)", 1, 1),
    ("Jefferson Science Fellowship", 1, 1),
    ("Joint Comprehensive Plan of Action (JCPOA, 2015)", 1, 1),
    ("Joint Institute for Nuclear Research (JINR), Dubna", 1, 1),
    ("Middle East Desalination Research Center (MEDRC), Muscat", 1, 1),
    ("SKA Observatory (SKAO)", 1, 1),
    ("U.S. Science Envoy Program", 1, 1),
    ("UK Science and Innovation Network", 1, 1),
    ("UN Convention on the Law of the Sea (UNCLOS)", 1, 1),
    (
        (
            "UN Framework Convention on Climate Change (UNFCCC) and its Subsidiary Body for "
            "Scientific and Technological Advice (SBSTA)"
        ),
        1,
        1,
    ),
    ("US-China Agreement on Cooperation in Science and Technology", 1, 1),
    ("WHO Framework Convention on Tobacco Control", 1, 1),
    ("WHO Pandemic Agreement negotiations", 1, 1),
]

# Hosts from the sheets' 'involves' lines, e.g. France: ESA, EMBL, HFSP, ITER and the Belmont
# Forum in the first batch; CGIAR, the CWC (signed in Paris), COSPAR, COST, EUREKA, the IOC, the
# ISC, the Paris Agreement, the World Heritage Convention and WMO in the second.
EXPECTED["countries-hosting-cases-in-both-batches"] = [
    (country("FR"), "France", "Europe", 5, 10),
    (country("CH"), "Switzerland", "Europe", 2, 9),
    (country("US"), "United States", "America", 3, 7),
    (country("DE"), "Germany", "Europe", 5, 3),
    (country("IT"), "Italy", "Europe", 4, 4),
    (country("AT"), "Austria", "Europe", 3, 3),
    (country("CA"), "Canada", "America", 3, 1),
    (country("NO"), "Norway", "Europe", 2, 2),
    (country("BE"), "Belgium", "Europe", 1, 2),
    (country("ET"), "Ethiopia", "Africa", 1, 2),
    (country("RU"), "Russian Federation", "Europe", 1, 2),
    (country("CN"), "China", "Asia", 1, 1),
    (country("NL"), "Netherlands", "Europe", 1, 1),
    (country("OM"), "Oman", "Asia", 1, 1),
    (country("ZA"), "South Africa", "Africa", 1, 1),
]

# The 22 health cases of the case sheets, in every decade their sources date a founding, signature,
# entry into force, adoption, opening or start: the 1851 International Sanitary Conference (IHR,
# hosted in Switzerland), Ricardo Jorge's services of 1892 (Oporto, Portugal), the Geneva Protocol
# in force 1928 (BWC, no host), ... up to the 2020s (Africa CDC, the pandemic agreement
# negotiations, the IHR amendments, polio eradication).
EXPECTED["health-cases-by-decade-and-region"] = [
    ("1850s", "Europe", 1),
    ("1890s", "Europe", 1),
    ("1920s", None, 1),
    ("1950s", None, 1),
    ("1950s", "Europe", 3),
    ("1960s", "Europe", 3),
    ("1970s", None, 1),
    ("1970s", "Europe", 2),
    ("1980s", None, 2),
    ("1980s", "Africa", 2),
    ("1980s", "America", 1),
    ("1980s", "Europe", 3),
    ("1990s", None, 2),
    ("1990s", "Africa", 2),
    ("1990s", "America", 3),
    ("1990s", "Asia", 1),
    ("1990s", "Europe", 5),
    ("2000s", None, 3),
    ("2000s", "Africa", 1),
    ("2000s", "America", 4),
    ("2000s", "Asia", 1),
    ("2000s", "Europe", 4),
    ("2010s", None, 2),
    ("2010s", "Africa", 4),
    ("2010s", "America", 4),
    ("2010s", "Asia", 1),
    ("2010s", "Europe", 7),
    ("2020s", None, 2),
    ("2020s", "Africa", 1),
    ("2020s", "Europe", 3),
]

# horizon-europe-association.md: the November 2024 list (S18) of 20 associated countries, all
# outside the EU; Norway and Iceland from the agreement ratified on 2021-09-24 (S19), New Zealand
# signed on 2023-07-09 (S12), the UK from 2024-01-01 (S9), Canada signed on 2024-07-03 (S15, S16),
# Switzerland with retroactive effect from 2025-01-01 (S7; not on the 2024 list).
EXPECTED["horizon-europe-associated-countries"] = [
    (country("AL"), "Albania", "2024-11", 1, 1),
    (country("AM"), "Armenia", "2024-11", 1, 1),
    (country("BA"), "Bosnia and Herzegovina", "2024-11", 1, 0),
    (country("CA"), "Canada", "2024-07-03", 3, 11),
    (country("FO"), "Faroe Islands", "2024-11", 1, 0),
    (country("GE"), "Georgia", "2024-11", 1, 1),
    (country("IS"), "Iceland", "2021-09-24", 2, 3),
    (country("IL"), "Israel", "2024-11", 1, 6),
    (country("KR"), "Korea, Republic of", "2024-11", 1, 3),
    (country("XK"), "Kosovo", "2024-11", 1, 0),
    (country("MD"), "Moldova, Republic of", "2024-11", 1, 1),
    (country("ME"), "Montenegro", "2024-11", 1, 1),
    (country("NZ"), "New Zealand", "2023-07-09", 3, 5),
    (country("MK"), "North Macedonia", "2024-11", 1, 0),
    (country("NO"), "Norway", "2021-09-24", 2, 10),
    (country("RS"), "Serbia", "2024-11", 1, 1),
    (country("CH"), "Switzerland", "2025-01-01", 1, 8),
    (country("TN"), "Tunisia", "2024-11", 1, 1),
    (country("TR"), "Türkiye", "2024-11", 1, 3),
    (country("UA"), "Ukraine", "2024-11", 1, 2),
    (country("GB"), "United Kingdom", "2024-01-01", 3, 14),
]

# Organisations the 'involves' lines of both batches name, reused rather than minted twice: UNESCO
# (7 and 4), the European Commission, the EU, ICSU and the ISC, WHO (smallpox; Gavi, CEPI, GPEI,
# IHR, FCTC, the pandemic agreement), the IAEA, the National Academy of Sciences, UNEP, ...
EXPECTED["organisations-in-both-batches"] = [
    (resource("organization/unesco"), "UNESCO", 7, 4),
    (resource("organization/european-commission"), "European Commission", 3, 4),
    (resource("organization/european-union"), "European Union", 2, 5),
    (resource("organization/icsu"), "International Council of Scientific Unions", 4, 3),
    (resource("organization/who"), "World Health Organization", 1, 6),
    (resource("organization/iaea"), "International Atomic Energy Agency", 3, 3),
    (resource("organization/isc"), "International Science Council", 3, 3),
    (resource("organization/nas"), "National Academy of Sciences", 3, 3),
    (resource("organization/unep"), "United Nations Environment Programme", 3, 3),
    (
        resource("organization/united-nations-general-assembly"),
        "United Nations General Assembly",
        2,
        4,
    ),
    (resource("organization/fao"), "Food and Agriculture Organization of the United Nations", 1, 3),
    (resource("organization/nsf"), "National Science Foundation", 3, 1),
    (
        resource("organization/ictp"),
        "The Abdus Salam International Centre for Theoretical Physics",
        2,
        2,
    ),
    (resource("organization/united-nations"), "United Nations", 1, 3),
    (resource("organization/wmo"), "World Meteorological Organization", 1, 3),
    (resource("organization/african-union"), "African Union", 1, 2),
    (resource("organization/ipcc"), "Intergovernmental Panel on Climate Change", 1, 2),
    (resource("organization/twas"), "The World Academy of Sciences", 1, 2),
    (resource("organization/us-department-of-state"), "U.S. Department of State", 2, 1),
    (resource("organization/undp"), "United Nations Development Programme", 2, 1),
    (resource("organization/world-bank"), "World Bank", 1, 2),
    (resource("organization/carnegie-corporation"), "Carnegie Corporation", 1, 1),
    (resource("organization/cdc"), "Centers for Disease Control and Prevention", 1, 1),
    (resource("organization/euratom"), "European Atomic Energy Community", 1, 1),
    (resource("organization/iap"), "InterAcademy Partnership", 1, 1),
    (resource("organization/issc"), "International Social Science Council", 1, 1),
    (resource("organization/norwegian-nobel-committee"), "Norwegian Nobel Committee", 1, 1),
    (
        resource("organization/ctbto"),
        ("Preparatory Commission for the Comprehensive Nuclear-Test-Ban Treaty Organization"),
        1,
        1,
    ),
    (resource("organization/royal-society"), "Royal Society", 1, 1),
    (
        resource("organization/united-nations-security-council"),
        "United Nations Security Council",
        1,
        1,
    ),
    (resource("organization/world-health-assembly"), "World Health Assembly", 1, 1),
]

# jcpoa.md: Moniz, physicist and MIT professor, lead technical negotiator; Salehi, head of the
# Atomic Energy Organization of Iran and Iran's No. 2 negotiator. iss-intergovernmental-agreement.md
# (1998 memoranda): the heads of NASA, ESA, the CSA and the Russian Space Agency signed them.
# iiasa.md: Gvishiani of the Soviet State Committee on Science and Technology negotiated IIASA's
# founding. us-china-science-technology-agreement.md: Fang Yi of the SSTC signed the 1979 accord.
# european-southern-observatory.md, european-space-agency.md: ESO's and ESA's directors general.
EXPECTED["scientists-who-negotiated-treaties"] = [
    (
        "Ali Akbar Salehi",
        "negotiator",
        'Iran\'s "No. 2" negotiator',
        "Atomic Energy Organization of Iran",
    ),
    (
        "Ali Akbar Salehi",
        "negotiator",
        'Iran\'s "No. 2" negotiator',
        "International Atomic Energy Agency",
    ),
    (
        "Antonio Rodotà",
        "signed",
        "Memorandum of understanding between NASA and ESA on the ISS (1998)",
        "European Space Agency",
    ),
    (
        "Daniel Goldin",
        "signed",
        "Memorandum of understanding between NASA and ESA on the ISS (1998)",
        "National Aeronautics and Space Administration",
    ),
    (
        "Daniel Goldin",
        "signed",
        (
            "Memorandum of understanding between NASA and the Canadian Space Agency on the "
            "ISS (1998)"
        ),
        "National Aeronautics and Space Administration",
    ),
    (
        "Daniel Goldin",
        "signed",
        ("Memorandum of understanding between NASA and the Russian Space Agency on the ISS (1998)"),
        "National Aeronautics and Space Administration",
    ),
    (
        "Ernest J. Moniz",
        "negotiator",
        'US "No. 2" negotiator',
        "Cecil and Ida Green Professor of Physics and Engineering Systems, Emeritus",
    ),
    ("Ernest J. Moniz", "negotiator", 'US "No. 2" negotiator', "MIT Energy Initiative"),
    ("Ernest J. Moniz", "negotiator", 'US "No. 2" negotiator', "theoretical nuclear physics"),
    (
        "Ernest J. Moniz",
        "negotiator",
        "lead technical negotiator in the P5+1-Iran talks",
        "Cecil and Ida Green Professor of Physics and Engineering Systems, Emeritus",
    ),
    (
        "Ernest J. Moniz",
        "negotiator",
        "lead technical negotiator in the P5+1-Iran talks",
        "MIT Energy Initiative",
    ),
    (
        "Ernest J. Moniz",
        "negotiator",
        "lead technical negotiator in the P5+1-Iran talks",
        "theoretical nuclear physics",
    ),
    (
        "Fang Yi",
        "signed",
        "DOE-SSTC high-energy physics accord (1979)",
        "State Scientific and Technological Commission",
    ),
    (
        "Fang Yi",
        "signed",
        "DOE-SSTC high-energy physics accord (1979)",
        ("Vice Premier; Minister in charge of the State Scientific and Technological Commission"),
    ),
    (
        "Harry van der Laan",
        "signed",
        "Cooperation agreement between Portugal and ESO (1990)",
        "European Southern Observatory",
    ),
    (
        "Jermen Gvishiani",
        "negotiator",
        "International Institute for Applied Systems Analysis",
        "Deputy minister, Soviet State Committee on Science and Technology",
    ),
    (
        "Jermen Gvishiani",
        "negotiator",
        "International Institute for Applied Systems Analysis",
        "Soviet State Committee on Science and Technology",
    ),
    (
        "Josef Aschbacher",
        "signed",
        "Accession agreement of Slovenia to the ESA Convention",
        "European Space Agency",
    ),
    (
        "William Evans",
        "signed",
        (
            "Memorandum of understanding between NASA and the Canadian Space Agency on the "
            "ISS (1998)"
        ),
        "Canadian Space Agency",
    ),
    (
        "Yuri Koptev",
        "signed",
        ("Memorandum of understanding between NASA and the Russian Space Agency on the ISS (1998)"),
        "Russian Space Agency",
    ),
]

# The themes of the 79 examples (74 case sheets and the TWAS article's five) and their primary
# categories, as the editorial graphs give them.
EXPECTED["themes-by-primary-category"] = [
    ("capacity building", 36, 13, 16, 7),
    ("security", 34, 6, 15, 13),
    ("science advice", 26, 5, 3, 18),
    ("environment", 23, 5, 9, 9),
    ("health", 23, 5, 7, 11),
    ("big science", 17, 6, 6, 5),
    ("energy", 13, 3, 5, 5),
    ("space", 13, 7, 4, 2),
    ("oceans and polar regions", 12, 3, 6, 3),
    ("food and agriculture", 10, 3, 6, 1),
    ("heritage", 4, 1, 2, 1),
]

# Amendments: the IHR amendments of 2014, 2022 and 2024 (WHA67.13, WHA75.12, WHA77.17; the 2024
# ones adopted on 1 June 2024 per S7, in force 2025-09-19); the Kigali Amendment (2016-10-15, in
# force 2019-01-01); the 2024 protocol to the US-China agreement (signed 2024-12-13, effective from
# 2024-08-27); the CGIAR amendment (Paris, 2016-10-20); the Revised Statute of Africa CDC (2022);
# the 1967 Merger Treaty (euratom.md gives it no date the model records); the AAAS-ACC MoU (2022).
EXPECTED["treaty-amendments"] = [
    (
        "AAAS–ACC Memorandum of Understanding",
        "Updated AAAS–ACC Memorandum of Understanding (2022)",
        "2022-10",
        None,
        2,
    ),
    (
        "Agreement establishing the CGIAR Consortium as an international organization",
        "Amendment to the agreement establishing the CGIAR Consortium (2016)",
        "2016-10-20",
        None,
        1,
    ),
    ("Euratom Treaty", "Merger Treaty", None, None, 1),
    ("International Health Regulations (2005)", "IHR amendments (2014)", "2014", None, 2),
    ("International Health Regulations (2005)", "IHR amendments (2022)", "2022", None, 3),
    ("International Health Regulations (2005)", "IHR amendments (2024)", "2024", "2025-09-19", 4),
    (
        "International Health Regulations (2005)",
        "IHR amendments (2024)",
        "2024-06-01",
        "2025-09-19",
        4,
    ),
    (
        "Montreal Protocol on Substances that Deplete the Ozone Layer",
        "Kigali Amendment",
        "2016-10-15",
        "2019-01-01",
        2,
    ),
    ("Statute of Africa CDC", "Revised Statute of Africa CDC", "2022", None, 1),
    (
        "US-China Agreement on Cooperation in Science and Technology",
        (
            "Protocol amending and extending the US-China Agreement on Cooperation in "
            "Science and Technology (2024)"
        ),
        "2024-12-13",
        "2024-08-27",
        3,
    ),
]

# Signature and entry into force as the sheets give them, e.g. npt.md: 1968-07-01 and 1970-03-05
# (612 days); the ISS agreement's 1998-01-28 (one source) against 1998-01-29 (three); the
# tripartite ICTP agreement signed on 1993-03-15 and 1993-03-19; the 2024 US-China protocol took
# effect on 2024-08-27, before it was signed on 2024-12-13.
EXPECTED["treaty-signature-to-entry-into-force"] = [
    ("World Meteorological Convention", "1947-10-11", 2, "1950-03-23", 1, 894),
    ("Statute of the IAEA", "1956-10-26", 2, "1957-07-29", 3, 276),
    ("Euratom Treaty", "1957-03-25", 2, "1958-01-01", 2, 282),
    ("Antarctic Treaty", "1959-12-01", 2, "1961-06-23", 2, 570),
    ("Partial Test Ban Treaty", "1963-08-05", 3, "1963-10-10", 2, 66),
    ("Outer Space Treaty", "1967-01-27", 2, "1967-10-10", 3, 256),
    ("Treaty on the Non-Proliferation of Nuclear Weapons", "1968-07-01", 3, "1970-03-05", 2, 612),
    ("Biological Weapons Convention", "1972-04-10", 2, "1975-03-26", 2, 1080),
    ("World Heritage Convention", "1972-11-23", 1, "1975-12-17", 1, 1119),
    ("EMBL Agreement", "1973-05-10", 4, "1974-07-04", 2, 420),
    ("ESA Convention", "1975-05-30", 2, "1980-10-30", 2, 1980),
    ("United Nations Convention on the Law of the Sea", "1982-12-10", 1, "1994-11-16", 3, 4359),
    (
        "Montreal Protocol on Substances that Deplete the Ozone Layer",
        "1987-09-16",
        3,
        "1989-01-01",
        2,
        473,
    ),
    (
        "Protocol on Environmental Protection to the Antarctic Treaty",
        "1991-10-04",
        2,
        "1998-01-14",
        1,
        2294,
    ),
    (
        "United Nations Framework Convention on Climate Change",
        "1992-06-04",
        1,
        "1994-03-21",
        2,
        655,
    ),
    ("Chemical Weapons Convention", "1993-01-13", 3, "1997-04-29", 3, 1567),
    (
        "Tripartite agreement between the IAEA, UNESCO and Italy concerning ICTP (1993)",
        "1993-03-15",
        1,
        "1996-01-01",
        2,
        1022,
    ),
    (
        "Tripartite agreement between the IAEA, UNESCO and Italy concerning ICTP (1993)",
        "1993-03-19",
        1,
        "1996-01-01",
        2,
        1018,
    ),
    ("ISS Intergovernmental Agreement", "1998-01-28", 1, "2001-03-27", 1, 1154),
    ("ISS Intergovernmental Agreement", "1998-01-29", 3, "2001-03-27", 1, 1153),
    (
        "Agreement on the Indo-U.S. Science and Technology Forum",
        "2000-03-21",
        1,
        "2000-03-21",
        1,
        0,
    ),
    ("ITER Agreement", "2006-11-21", 2, "2007-10-24", 3, 337),
    ("ITER Headquarters Agreement", "2007-11-07", 2, "2008-04-09", 2, 154),
    ("Nile Basin Cooperative Framework Agreement", "2010-05-14", 2, "2024-10-13", 2, 5266),
    (
        "Agreement establishing the CGIAR Consortium as an international organization",
        "2011-09-13",
        3,
        "2012-03-02",
        3,
        171,
    ),
    ("Joint Plan of Action", "2013-11-24", 1, "2014-01-20", 1, 57),
    (
        "Agreement Continuing the International Science and Technology Center",
        "2015-12-09",
        1,
        "2017-12-14",
        1,
        736,
    ),
    ("Paris Agreement", "2016-04-22", 2, "2016-11-04", 2, 196),
    ("Kigali Amendment", "2016-10-15", 2, "2019-01-01", 3, 808),
    (
        "Agreement on Enhancing International Arctic Scientific Cooperation",
        "2017-05-11",
        2,
        "2018-05-23",
        1,
        377,
    ),
    (
        (
            "Protocol amending and extending the US-China Agreement on Cooperation in "
            "Science and Technology (2024)"
        ),
        "2024-12-13",
        2,
        "2024-08-27",
        2,
        -108,
    ),
]

# copuos.md: resolutions 1348 (XIII), 1472 (XIV), 1721 (XVI), 3182 (XXVIII) and 32/196B, COPUOS and
# the Fourth Committee under the General Assembly; outer-space-treaty.md: resolution 2222 (XXI) and
# the 1963 Declaration; world-meteorological-organization.md: 1721 (XVI) and the December 1962
# resolution; ipcc.md: 43/53; biological-weapons-convention.md: 2454A (XXIII); unfccc-sbsta.md:
# the INC/FCCC, set up by the 45th General Assembly.
EXPECTED["un-general-assembly-acts"] = [
    (
        "Ad Hoc Committee on the Peaceful Uses of Outer Space",
        "resolution",
        "United Nations General Assembly resolution 1348 (XIII)",
        None,
        graph("copuos-s1"),
    ),
    (
        (
            "Declaration of Legal Principles Governing the Activities of States in the "
            "Exploration and Use of Outer Space"
        ),
        "resolution",
        (
            "Declaration of Legal Principles Governing the Activities of States in the "
            "Exploration and Use of Outer Space"
        ),
        "1963-12",
        graph("outer-space-treaty-s5"),
    ),
    (
        "Fourth Committee of the United Nations General Assembly",
        "part of the General Assembly",
        None,
        None,
        graph("copuos-s2"),
    ),
    (
        "Fourth Committee of the United Nations General Assembly",
        "part of the General Assembly",
        None,
        None,
        graph("copuos-s5"),
    ),
    (
        ("Intergovernmental Negotiating Committee for a Framework Convention on Climate Change"),
        "founded by the General Assembly",
        None,
        None,
        graph("unfccc-sbsta-s3"),
    ),
    (
        "Intergovernmental Panel on Climate Change",
        "resolution",
        "United Nations General Assembly resolution 43/53",
        "1988-12-06",
        graph("ipcc-s1"),
    ),
    (
        "Outer Space Treaty",
        "resolution",
        "United Nations General Assembly resolution 2222 (XXI)",
        None,
        graph("outer-space-treaty-s5"),
    ),
    (
        "Outer Space Treaty",
        "resolution",
        "United Nations General Assembly resolution 2222 (XXI)",
        "1966-12-19",
        graph("outer-space-treaty-s1"),
    ),
    (
        "Outer Space Treaty",
        "resolution",
        "United Nations General Assembly resolution 2222 (XXI)",
        "1966-12-19",
        graph("outer-space-treaty-s2"),
    ),
    (
        "UN Secretary-General's Group of Experts",
        "resolution",
        "United Nations General Assembly resolution 2454A (XXIII)",
        None,
        graph("biological-weapons-convention-s5"),
    ),
    (
        "United Nations Committee on the Peaceful Uses of Outer Space",
        "part of the General Assembly",
        None,
        None,
        graph("copuos-s2"),
    ),
    (
        "United Nations Committee on the Peaceful Uses of Outer Space",
        "part of the General Assembly",
        None,
        None,
        graph("copuos-s5"),
    ),
    (
        "United Nations Committee on the Peaceful Uses of Outer Space",
        "resolution",
        "United Nations General Assembly resolution 1472 (XIV)",
        None,
        graph("copuos-s1"),
    ),
    (
        "United Nations Committee on the Peaceful Uses of Outer Space",
        "resolution",
        "United Nations General Assembly resolution 1721 (XVI)",
        None,
        graph("copuos-s2"),
    ),
    (
        "United Nations Committee on the Peaceful Uses of Outer Space",
        "resolution",
        "United Nations General Assembly resolution 1721 (XVI)",
        "1961",
        graph("copuos-s1"),
    ),
    (
        "United Nations Committee on the Peaceful Uses of Outer Space",
        "resolution",
        "United Nations General Assembly resolution 3182 (XXVIII)",
        "1973-12-18",
        graph("copuos-s4"),
    ),
    (
        "United Nations Committee on the Peaceful Uses of Outer Space",
        "resolution",
        "United Nations General Assembly resolution 32/196B",
        "1977-12-20",
        graph("copuos-s4"),
    ),
    (
        "World Meteorological Organization",
        "resolution",
        "United Nations General Assembly resolution 1721 (XVI)",
        "1961-12-20",
        graph("world-meteorological-organization-s12"),
    ),
    (
        "World Meteorological Organization",
        "resolution",
        (
            "United Nations General Assembly resolution of December 1962 on weather "
            "research and satellites"
        ),
        "1962-12",
        graph("world-meteorological-organization-s11"),
    ),
]


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------

HEADER = re.compile(r"\A# title: (?P<title>\S.*)\n# description: (?P<description>\S.*)\n")


@pytest.fixture(scope="session")
def kg() -> KnowledgeGraph:
    return scidip_graph.open()


def run(kg: KnowledgeGraph, text: str) -> list[tuple[Any, ...]]:
    """The rows of a SELECT query as tuples, in the order of its variables."""
    solutions = kg.query(text)
    names = [variable.value for variable in solutions.variables]
    return [
        tuple(None if row[name] is None else python_value(row[name]) for name in names)
        for row in solutions
    ]


def test_there_are_research_questions() -> None:
    assert len(QUERY_FILES) >= 18


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_has_title_and_description(path: Path) -> None:
    assert HEADER.match(path.read_text(encoding="utf-8")), (
        f"{path.name} must start with '# title: ...' and '# description: ...' lines"
    )


def test_every_query_has_an_expected_answer() -> None:
    assert sorted(EXPECTED) == sorted(path.stem for path in QUERY_FILES)


OPEN_ENDED = {"organisations-and-locations", "facts-by-source"}
"""Queries over everything, whose answers grow with each case file (data/cases/): their
expected answer is the exact one over the bundled files without the case files."""


@pytest.fixture(scope="session")
def core_kg() -> KnowledgeGraph:
    return scidip_graph.open(sorted(DATA_DIR.glob("*.trig")))


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.stem)
def test_query_answer(kg: KnowledgeGraph, core_kg: KnowledgeGraph, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rows = run(kg, text)
    if path.stem in OPEN_ENDED:
        everything, rows = rows, run(core_kg, text)
        assert len(everything) > len(rows), "the case files add rows to this answer"
    assert rows == EXPECTED[path.stem]
