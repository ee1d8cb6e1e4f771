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
EDITORIAL_TRIPLES = 340
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
        3013,
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
