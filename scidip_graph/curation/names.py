"""How a name a person typed is compared with the names of the graph.

Names are *folded*: accents dropped (``Türkiye`` -> ``turkiye``), case folded, punctuation
made space, ``&`` read as ``and``, runs of space collapsed. Word order is forgiven by a second
key, the *bag*: the folded words without the small words of names (``of``, ``for``, ``de``...),
sorted. Identifiers are read into one notation, the *identifier key*, whatever way a cell
writes them (a URL, a CURIE, the bare code).

>>> fold("  Centre Européen pour la Recherche Nucléaire! ")
'centre europeen pour la recherche nucleaire'
>>> bag("Nuclear Research, Joint Institute for") == bag("Joint Institute for Nuclear Research")
True
>>> identifier_keys("wd:Q42944"), identifier_keys("CHE")
(['wikidata:Q42944'], ['iso:CHE'])
"""

from __future__ import annotations

import re
import unicodedata

from scidip_graph.namespaces import ID, WD

_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "&": " and ",
        "'": "",
        "’": "",
    }
)
"""Letters NFKD does not split into a base letter and a mark; apostrophes join words."""

_NOT_WORD = re.compile(r"[\W_]+")

SMALL_WORDS = frozenset(
    "a an and the of for in on at to by with "  # English
    "de del della des du la le les l d et pour en au aux "  # French, Italian
    "el los las y para "  # Spanish
    "der die das und fur von zu".split()  # German (für folds to fur)
)
"""Words a name may have or drop without being another name (``Institute for X`` and
``X Institute``); left out of the :func:`bag` key only."""

GEONAMES = ("https://sws.geonames.org/", "http://sws.geonames.org/")
ROR = "https://ror.org/"
_WIKIDATA = re.compile(
    r"(?:(?:https?://)?(?:www\.)?wikidata\.org/(?:entity|wiki)/|wd:)?(Q[1-9][0-9]*)", re.I
)
_ROR = re.compile(r"(?:(?:https?://)?ror\.org/|ror:)?(0[a-z0-9]{6}[0-9]{2})", re.I)
_GEONAMES = re.compile(
    r"(?:(?:https?://)?(?:sws\.|www\.)?geonames\.org/|geonames:)?([1-9][0-9]{3,9})(?:/.*)?", re.I
)
_ISO_ALPHA = re.compile(r"[A-Z]{2,3}")
_ISO_NUMERIC = re.compile(r"[0-9]{3}")


def fold(text: str) -> str:
    """A name as names are compared: no accents, case or punctuation, single spaces.

    >>> fold("Synchrotron-light for Experimental Science & Applications")
    'synchrotron light for experimental science and applications'
    >>> fold("Øresund"), fold("Côte d’Ivoire")
    ('oresund', 'cote divoire')
    """
    text = text.translate(_SPECIAL)
    if not text.isascii():  # most names are: they skip the decomposition
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def bag(text: str) -> str:
    """The folded words of a name without its small words, sorted: word order forgiven.

    >>> bag("Organisation européenne pour la recherche nucléaire")
    'europeenne nucleaire organisation recherche'
    """
    return bag_of_folded(fold(text))


def bag_of_folded(folded: str) -> str:
    """:func:`bag` of a name already folded."""
    words = folded.split()
    kept = [w for w in words if w not in SMALL_WORDS] or words
    return " ".join(sorted(kept))


def sorted_words(folded: str) -> str:
    """A folded name's words in order, small words kept: what similar names are scored on,
    so that word order costs nothing (rapidfuzz's token sort ratio, sorted once).

    >>> sorted_words("joint institute for nuclear research")
    'for institute joint nuclear research'
    """
    return " ".join(sorted(folded.split()))


def identifier_keys(text: str) -> list[str]:
    """The identifier keys a cell may mean (none for a plain name).

    Wikidata (``Q42944``, ``wd:Q42944``, its entity or wiki URL), ROR (``01ggx4157`` or its
    URL), GeoNames (its number, four digits or more, or its URL), ISO 3166-1 codes written as
    codes are (``CH``, ``CHE``, ``756``: upper case, or three digits), and any IRI as it is
    (the graph's own, or one it links to).

    >>> identifier_keys("ror.org/01ggx4157"), identifier_keys("CERN"), identifier_keys("ch")
    (['ror:01ggx4157'], [], [])
    >>> identifier_keys("https://sws.geonames.org/2660646/")
    ['geonames:2660646', 'iri:https://sws.geonames.org/2660646/']
    """
    text = text.strip()
    keys: list[str] = []
    if m := _WIKIDATA.fullmatch(text):
        keys.append(f"wikidata:{m[1].upper()}")
    elif m := _ROR.fullmatch(text):
        keys.append(f"ror:{m[1].lower()}")
    elif m := _GEONAMES.fullmatch(text):
        keys.append(f"geonames:{m[1]}")
    elif _ISO_ALPHA.fullmatch(text) or _ISO_NUMERIC.fullmatch(text):
        keys.append(f"iso:{text}")
    if text.startswith(("http://", "https://")):
        keys.append(f"iri:{text}")
    elif text.startswith("/id/"):
        keys.append(f"iri:{ID}{text[4:]}")
    return keys


def link_keys(iri: str) -> list[str]:
    """The identifier keys of a resource's link to another dataset (``schema:sameAs``,
    ``skos:exactMatch``) or of its own IRI.

    >>> link_keys(str(WD) + "Q43")
    ['wikidata:Q43', 'iri:http://www.wikidata.org/entity/Q43']
    >>> link_keys("https://ror.org/01ggx4157")
    ['ror:01ggx4157', 'iri:https://ror.org/01ggx4157']
    """
    keys = []
    if iri.startswith(str(WD)) and _WIKIDATA.fullmatch(iri):
        keys.append(f"wikidata:{iri[len(str(WD)) :]}")
    elif iri.startswith(ROR):
        keys.append(f"ror:{iri[len(ROR) :].lower()}")
    elif iri.startswith(GEONAMES) and (m := _GEONAMES.fullmatch(iri)):
        keys.append(f"geonames:{m[1]}")
    return [*keys, f"iri:{iri}"]


def code_key(code: str) -> str:
    """The identifier key of a code the graph states (an ISO 3166 code, a user-assigned
    code): as a cell writes it, trimmed.

    >>> code_key(" XK ")
    'iso:XK'
    """
    return f"iso:{code.strip()}"
