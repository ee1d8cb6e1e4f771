"""The query policy: what a SPARQL request may do, decided on its tokens before the engine runs.

pyoxigraph fetches any URL named in ``SERVICE`` or ``LOAD`` (``file://`` included), so these are
stopped here. The decision is made on the tokens of :mod:`.sparql_lexer`, never on a substring
search: ``SERVICE`` inside a string, comment or IRI is harmless, while ``sErViCe``, a prefixed
name or an IRI relative to ``BASE`` (or to the base IRI the engine is given) is not.

``FROM``, ``FROM NAMED``, ``USING``, ``USING NAMED``, ``WITH`` and the protocol's
``default-graph-uri`` and ``named-graph-uri`` are no such risk: pyoxigraph never fetches them
(``tests/test_egress.py`` checks it with a listener), and an IRI that names no graph of the
dataset is an empty graph, as the SPARQL 1.1 Protocol tests expect. So they may name any IRI.

Allowlist entries (``SCIDIP_SERVICE_ALLOWLIST``, ``SCIDIP_GRAPH_ALLOWLIST``) match an IRI
exactly, or as a prefix when they end with ``/`` or ``#`` (``https://query.wikidata.org/`` allows
every IRI under it). A prefix entry should name a host and path, never a bare scheme. Matching is
case-sensitive; under a prefix, dot segments (``..``, ``%2e%2e``), backslashes, spaces and
control characters are refused, so a prefix cannot be escaped by ``../``.

>>> check("SELECT * { ?s ?p ?o }", Policy()).form
'SELECT'
>>> check("SELECT * { SERVICE <http://e.org/sparql> { ?s ?p ?o } }", Policy())
Traceback (most recent call last):
...
scidip_graph.errors.PolicyError: SERVICE <http://e.org/sparql> at line 1, column 20 is not allowed
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from scidip_graph.errors import (
    LimitError,
    PayloadTooLargeError,
    PolicyError,
    UnauthorizedError,
    UsageError,
)
from scidip_graph.sparql.analysis import IriRef, QueryInfo, ServiceRef, analyse, analyse_tokens
from scidip_graph.sparql.lexer import tokenize

__all__ = [
    "IriRef",
    "Policy",
    "QueryInfo",
    "ServiceRef",
    "analyse",
    "check",
    "check_dataset_iris",
    "is_allowed",
]

_LOAD_HINT = (
    "This server does not read data from elsewhere by default. An administrator can allow a "
    "source by adding it to SCIDIP_GRAPH_ALLOWLIST (exact IRI, or a prefix ending in / or #)."
)
_SERVICE_HINT = (
    "This server does not call other endpoints by default. An administrator can allow one by "
    "adding it to SCIDIP_SERVICE_ALLOWLIST (exact IRI, or a prefix ending in / or #)."
)
_DEPTH = "Nesting deeper than {limit} levels (brackets and unary operators)"
_CHAIN = "A chain of more than {limit} operators or patterns in one level"
_CHAIN_HINT = (
    "Use VALUES or IN (...) instead of long chains of || or UNION, or raise SCIDIP_MAX_CHAIN."
)
_UNSAFE_REST = re.compile(r"[\\\x00-\x20<>\"{}|^`]")
_DOT_SEGMENT = re.compile(r"(?:^|/)(?:\.|%2e){1,2}(?:/|[?#]|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Policy:
    """What queries and updates may do. All off by default.

    Attributes:
        allow_updates: accept SPARQL updates (the protocol layer sets it for a valid token).
        service_allowlist: endpoints ``SERVICE`` may call (exact, or prefix ending in / or #).
        graph_allowlist: IRIs ``LOAD`` may read (same matching). The dataset clauses need
            none: they never fetch, and an IRI there that is no graph of the dataset is empty.
        max_query_length: longest query or update accepted, in characters (413 beyond).
        max_depth: deepest nesting accepted (brackets and runs of unary operators).
        max_chain: longest chain of operators or patterns in one bracket level accepted.
    """

    allow_updates: bool = False
    service_allowlist: frozenset[str] = frozenset()
    graph_allowlist: frozenset[str] = frozenset()
    max_query_length: int = 100_000
    max_depth: int = 64
    max_chain: int = 1000


def is_allowed(iri: str, allowlist: Iterable[str]) -> bool:
    """Whether an allowlist lets ``iri`` through: an exact entry, or a prefix ending in / or #.

    >>> is_allowed("https://query.wikidata.org/sparql", {"https://query.wikidata.org/"})
    True
    >>> is_allowed("https://query.wikidata.org/../x", {"https://query.wikidata.org/"})
    False
    >>> is_allowed("https://query.wikidata.org/sparql", {"https://query.wikidata.org"})
    False
    """
    if iri in allowlist:
        return True
    for entry in allowlist:
        if entry[-1:] in ("/", "#") and iri.startswith(entry):
            rest = iri[len(entry) :]
            if not _UNSAFE_REST.search(rest) and not _DOT_SEGMENT.search(rest):
                return True
    return False


def check(text: str, policy: Policy, *, base: str | None = None) -> QueryInfo:
    """Analyse a query or update and refuse it if the policy says no.

    Args:
        text: the query or update.
        policy: what is allowed.
        base: the base IRI the engine will be given, if any (relative IRIs resolve against it,
            so ``SERVICE <x>`` is judged as the engine would call it).

    Returns:
        What :func:`analyse` found, for the caller to use (kind, form...).

    Raises:
        PayloadTooLargeError: the text is longer than ``policy.max_query_length`` (checked
            before lexing, so megabytes are not scanned).
        SparqlSyntaxError: the text does not lex, or uses an undeclared prefix.
        UnauthorizedError: an update while updates are not allowed.
        PolicyError: a ``SERVICE`` or ``LOAD`` target that is not allowed.
        LimitError: nesting deeper than ``policy.max_depth``, or a chain longer than
            ``policy.max_chain`` (the engine's parser and evaluator recurse on both).

    >>> check("ASK FROM <g> {}", Policy(), base="http://x.org/sparql").from_graphs[0].iri
    'http://x.org/g'
    >>> check("INSERT DATA { <a:s> <a:p> 1 }", Policy())
    Traceback (most recent call last):
    ...
    scidip_graph.errors.UnauthorizedError: Updates (INSERT DATA) need a write token
    """
    if len(text) > policy.max_query_length:
        raise PayloadTooLargeError(
            f"The query is {len(text):,} characters long; the limit is {policy.max_query_length:,}",
            hint="Shorten the query, or raise SCIDIP_MAX_QUERY_LENGTH.",
            detail={"length": len(text), "limit": policy.max_query_length},
        )
    tokens = tokenize(text)
    info = analyse_tokens(tokens, base=base)
    if info.kind == "update" and not policy.allow_updates:
        raise UnauthorizedError(
            f"Updates ({', '.join(dict.fromkeys(info.update_operations))}) need a write token",
            hint="Send 'Authorization: Bearer <token>'; the server is read-only unless "
            "SCIDIP_WRITE_TOKEN or SCIDIP_TOKENS_FILE is set.",
            detail={"operations": list(info.update_operations)},
        )
    for service in info.services:
        _check_service(service, policy)
    for load in info.loads:
        if not is_allowed(load.iri, policy.graph_allowlist):
            raise _refusal("LOAD", load, "is not allowed", _LOAD_HINT, "SCIDIP_GRAPH_ALLOWLIST")
    for places, limit, what, hint in (
        (info.depth_at, policy.max_depth, _DEPTH, "Flatten the query, or raise SCIDIP_MAX_DEPTH."),
        (info.chain_at, policy.max_chain, _CHAIN, _CHAIN_HINT),
    ):
        if len(places) > limit:
            line, column = places[limit]  # where the limit was first passed
            raise LimitError(
                f"{what.format(limit=limit)} at line {line}, column {column}",
                hint=hint,
                detail={"limit": limit, "line": line, "column": column},
            )
    return info


def check_dataset_iris(iris: Iterable[str], *, parameter: str) -> None:
    """Refuse ``default-graph-uri`` or ``named-graph-uri`` values that are not absolute IRIs.

    Any IRI is allowed: one that names no graph of the dataset is an empty graph, and nothing
    is fetched. Values are not resolved against the base IRI (the protocol takes IRIs there),
    and they are read as the engine reads IRIs, as Oxigraph's own server does.

    Args:
        iris: the parameter's values.
        parameter: the parameter's name, for the message.

    Raises:
        UsageError: a value that is not an absolute IRI (400).

    >>> check_dataset_iris(["http://elsewhere.example/g"], parameter="default-graph-uri")
    >>> check_dataset_iris(["g"], parameter="named-graph-uri")
    Traceback (most recent call last):
    ...
    scidip_graph.errors.UsageError: named-graph-uri='g' is not an absolute IRI: No scheme ...
    """
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError as err:
            raise UsageError(
                f"{parameter}={iri!r} is not an absolute IRI: {err}",
                hint="Name graphs by absolute IRIs; one the dataset does not have is an empty "
                "graph.",
                detail={"parameter": parameter, "iri": iri},
            ) from None


def _check_service(service: ServiceRef, policy: Policy) -> None:
    where = f"at line {service.line}, column {service.column}"
    detail = {"clause": "SERVICE", "line": service.line, "column": service.column}
    if service.iri is None:
        raise PolicyError(
            f"SERVICE {service.variable} {where} is not allowed: the endpoint must be a fixed IRI",
            hint="Name the endpoint with an IRI; even then it must be on SCIDIP_SERVICE_ALLOWLIST.",
            detail={**detail, "variable": service.variable, "setting": "SCIDIP_SERVICE_ALLOWLIST"},
        )
    if not is_allowed(service.iri, policy.service_allowlist):
        raise _refusal(
            "SERVICE", service, "is not allowed", _SERVICE_HINT, "SCIDIP_SERVICE_ALLOWLIST"
        )


def _refusal(
    clause: str, ref: IriRef | ServiceRef, reason: str, hint: str, setting: str
) -> PolicyError:
    return PolicyError(
        f"{clause} <{ref.iri}> at line {ref.line}, column {ref.column} {reason}",
        hint=hint,
        detail={
            "clause": clause,
            "iri": ref.iri,
            "line": ref.line,
            "column": ref.column,
            "setting": setting,
        },
    )
