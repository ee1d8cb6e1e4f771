"""The curated research questions of ``queries/`` as query examples: for the editor's examples
panel, as data (SHACL's ``sh:SPARQLExecutable``) and in the service description.

Each file starts with a ``# title:`` and a ``# description:`` line (``tests/test_queries.py``
checks that every one does, and asserts its answer). An example's IRI is where the server
serves its text: ``{root}queries/{name}``, so it resolves.

>>> example = next(e for e in examples() if e.name == "cern-members-in-2000")
>>> example.title.startswith("Which"), example.form
(True, 'SELECT')
>>> example.text.startswith("# title:")
True
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from scidip_graph.namespaces import RDF, RDFS, SCHEMA, SH
from scidip_graph.resources import QUERIES_DIR
from scidip_graph.sparql.analysis import analyse

__all__ = ["QueryExample", "example_triples", "examples", "get_example"]

_HEADER = re.compile(r"\A# title: (?P<title>\S.*)\n# description: (?P<description>\S.*)\n")
# SHACL's executables by form; DESCRIBE has none, so it is a plain sh:SPARQLExecutable whose
# text is given by schema:text.
_FORM_CLASS = {"SELECT": "Select", "ASK": "Ask", "CONSTRUCT": "Construct"}


@dataclass(frozen=True)
class QueryExample:
    """A research question: its file name without ``.rq``, title, description, form and text."""

    name: str
    title: str
    description: str
    form: str
    text: str

    def as_json(self) -> dict[str, str]:
        """The example as the editor's panel reads it."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "form": self.form,
            "query": self.text,
        }


def examples(folder: Path = QUERIES_DIR) -> tuple[QueryExample, ...]:
    """Every query of ``folder`` with its title and description, by file name.

    A file without the header lines is left out (the tests of ``queries/`` fail on it first).
    """
    return _read(folder)


@lru_cache(maxsize=4)
def _read(folder: Path) -> tuple[QueryExample, ...]:
    found = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = _HEADER.match(text)
        if header is None:
            continue
        form = analyse(text).form or "SELECT"
        found.append(
            QueryExample(
                name=path.stem,
                title=header["title"].strip(),
                description=header["description"].strip(),
                form=form,
                text=text,
            )
        )
    return tuple(found)


def get_example(name: str, folder: Path = QUERIES_DIR) -> QueryExample | None:
    """The example of that name, or None.

    >>> get_example("nope") is None
    True
    """
    return next((e for e in examples(folder) if e.name == name), None)


def example_iri(root: str, name: str) -> str:
    """The IRI of an example: where the server serves its text.

    >>> example_iri("http://relative.invalid/", "course-editions")
    'http://relative.invalid/queries/course-editions'
    """
    return f"{root}queries/{name}"


def example_triples(
    root: str, *, service: str | None = None, folder: Path = QUERIES_DIR
) -> Iterator[ox.Triple]:
    """Every example as a SHACL SPARQL executable, with ``rdfs:label``, ``rdfs:comment``
    and its text as ``sh:select`` (``sh:ask``, ``sh:construct``; ``schema:text`` for all);
    ``schema:target`` the endpoint ``service`` when given (as SIB's SPARQL examples do).

    >>> triples = list(example_triples("http://x.org/", service="http://x.org/sparql"))
    >>> sum(t.predicate == ox.NamedNode(str(SH.select)) for t in triples) > 20
    True
    """
    rdf_type = ox.NamedNode(str(RDF.type))
    for example in examples(folder):
        node = ox.NamedNode(example_iri(root, example.name))
        text = ox.Literal(example.text)
        yield ox.Triple(node, rdf_type, ox.NamedNode(str(SH.SPARQLExecutable)))
        kind = _FORM_CLASS.get(example.form)
        if kind is not None:
            yield ox.Triple(node, rdf_type, ox.NamedNode(str(SH[f"SPARQL{kind}Executable"])))
            yield ox.Triple(node, ox.NamedNode(str(SH[kind.lower()])), text)
        yield ox.Triple(
            node, ox.NamedNode(str(RDFS.label)), ox.Literal(example.title, language="en")
        )
        yield ox.Triple(
            node, ox.NamedNode(str(RDFS.comment)), ox.Literal(example.description, language="en")
        )
        yield ox.Triple(node, ox.NamedNode(str(SCHEMA.text)), text)
        if service is not None:
            yield ox.Triple(node, ox.NamedNode(str(SCHEMA.target)), ox.NamedNode(service))
