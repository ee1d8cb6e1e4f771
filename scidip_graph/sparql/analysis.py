"""What a SPARQL query or update touches, read from its tokens: form, operations, IRIs, depth.

:func:`analyse` finds the things :mod:`.policy` decides on: ``SERVICE`` targets (``SILENT`` and
variables understood), ``LOAD`` sources, the ``FROM``/``FROM NAMED``/``USING``/``USING NAMED``/
``WITH`` graphs, the update operations, and the deepest nesting of brackets. Prefixed names are
expanded with the text's own ``PREFIX`` declarations (an undeclared prefix is a syntax error) and
relative IRIs resolved against ``BASE``, each declaration counting from where it stands.

It is no parser: a text it accepts may still be refused by the engine; what it reports is what the
engine would see, for every text the engine accepts.

>>> info = analyse("PREFIX e: <http://e.org/> SELECT * { SERVICE SILENT e:q { ?s ?p ?o } }")
>>> info.kind, info.form, info.services[0].iri, info.services[0].silent
('query', 'SELECT', 'http://e.org/q', True)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from scidip_graph.errors import SparqlSyntaxError
from scidip_graph.sparql.iris import resolve_iri
from scidip_graph.sparql.lexer import Token, iri_value, local_name_value, tokenize

__all__ = ["IriRef", "QueryInfo", "ServiceRef", "analyse", "analyse_tokens"]

_FORMS = frozenset({"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"})
_GRAPH_MANAGEMENT = frozenset({"CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD"})
_IRI_KINDS = frozenset({"IRIREF", "PNAME_LN", "PNAME_NS"})
_VAR_KINDS = frozenset({"VAR1", "VAR2"})
_EMPTY: Mapping[str, str] = MappingProxyType({})
_UNARY = frozenset({"!", "+", "-"})
# Operators whose chains the engine nests: expressions and property paths ("*" and "+" are
# also path modifiers, "^" inverse: counting them too only makes the count safer).
_CHAIN_OPERATORS = frozenset(
    {"||", "&&", "=", "!=", "<", ">", "<=", ">=", "+", "-", "*", "/", "|", "^"}
)
_NUMBER_KINDS = frozenset({"INTEGER", "DECIMAL", "DOUBLE"})
_CHAIN_KEYWORDS = frozenset(
    {"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE", "VALUES", "EXISTS"}
)


@dataclass(frozen=True)
class IriRef:
    """An IRI as the engine will see it (expanded, resolved), and where it is written."""

    iri: str
    line: int
    column: int


@dataclass(frozen=True)
class ServiceRef:
    """A ``SERVICE`` clause: its endpoint IRI or variable, ``SILENT`` or not, and its place.

    The line and column are those of the endpoint as written (IRI, prefixed name or variable).
    """

    iri: str | None
    variable: str | None
    silent: bool
    line: int
    column: int


@dataclass(frozen=True)
class QueryInfo:
    """What a query or update is and what it touches.

    Attributes:
        kind: ``"update"`` if it has any update operation, else ``"query"``.
        form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` (the first), None for updates.
        update_operations: in order: ``INSERT DATA``, ``DELETE DATA``, ``DELETE/INSERT`` (also
            ``DELETE WHERE`` and ``WITH`` forms), ``LOAD``, ``CLEAR``, ``CREATE``, ``DROP``,
            ``COPY``, ``MOVE``, ``ADD``.
        services: every ``SERVICE`` clause.
        loads: every ``LOAD`` source.
        from_graphs, from_named_graphs, using_graphs, using_named_graphs, with_graphs: the graph
            IRIs of those clauses.
        max_depth: deepest nesting: brackets ``{ ( [`` (``()`` and ``[]`` tokens do not count)
            plus a run of unary operators (``!!!x`` nests three deep in the engine's tree).
        max_chain: longest chain in one bracket level: binary operators of an expression or
            path (``1+1+1`` is two), or patterns joined in one group (``UNION``, ``OPTIONAL``,
            ``MINUS``, ``BIND``, ``FILTER``, ``GRAPH``, ``SERVICE``, ``VALUES``, groups side by
            side).
            The engine builds each chain as a nested tree, so its length is a depth too.
        depth_at: where the nesting first reached each depth: ``depth_at[k]`` is the (line,
            column) of the first token at depth ``k + 1``.
        chain_at: the same for chain lengths.
        orders: whether it has an ``ORDER BY`` (at any level): the engine sorts, and its sort
            can crash the process (:mod:`scidip_graph.sparql.isolation`).
        base: the last ``BASE`` in effect (resolved), or the base given.
        prefixes: every prefix declared (the last IRI for each), as an immutable mapping.
    """

    kind: str
    form: str | None
    update_operations: tuple[str, ...] = ()
    services: tuple[ServiceRef, ...] = ()
    loads: tuple[IriRef, ...] = ()
    from_graphs: tuple[IriRef, ...] = ()
    from_named_graphs: tuple[IriRef, ...] = ()
    using_graphs: tuple[IriRef, ...] = ()
    using_named_graphs: tuple[IriRef, ...] = ()
    with_graphs: tuple[IriRef, ...] = ()
    max_depth: int = 0
    max_chain: int = 0
    depth_at: tuple[tuple[int, int], ...] = ()
    chain_at: tuple[tuple[int, int], ...] = ()
    orders: bool = False
    base: str | None = None
    prefixes: Mapping[str, str] = field(default_factory=lambda: _EMPTY, hash=False)


def analyse(
    text: str, *, base: str | None = None, prefixes: Mapping[str, str] | None = None
) -> QueryInfo:
    """Tokenize and analyse a SPARQL query or update.

    Args:
        text: the query or update.
        base: base IRI in effect before any ``BASE`` (the one the engine is given).
        prefixes: prefixes in effect before any ``PREFIX`` (those the engine is given).

    Returns:
        What the text is and touches.

    Raises:
        SparqlSyntaxError: text that does not lex, an undeclared prefix, or a keyword without
            what must follow it (``FROM`` without an IRI...), with line and column.

    >>> analyse("BASE <http://e.org/a/> LOAD SILENT <../b> INTO GRAPH <g>").loads
    (IriRef(iri='http://e.org/b', line=1, column=36),)
    >>> analyse("SELECT * { ?s x:p ?o }")
    Traceback (most recent call last):
    ...
    scidip_graph.errors.SparqlSyntaxError: undeclared prefix 'x:' at line 1, column 15
    """
    return analyse_tokens(tokenize(text), base=base, prefixes=prefixes)


def analyse_tokens(
    tokens: list[Token], *, base: str | None = None, prefixes: Mapping[str, str] | None = None
) -> QueryInfo:
    """:func:`analyse` on tokens already made by :func:`.sparql_lexer.tokenize`.

    >>> analyse_tokens(tokenize("CLEAR ALL; DROP SILENT GRAPH <a:g>")).update_operations
    ('CLEAR', 'DROP')
    """
    declared: dict[str, str] = dict(prefixes or {})
    form: str | None = None
    operations: list[str] = []
    services: list[ServiceRef] = []
    lists: dict[str, list[IriRef]] = {
        name: [] for name in ("LOAD", "FROM", "FROM NAMED", "USING", "USING NAMED", "WITH")
    }
    depth = 0
    in_modify = False  # after WITH, DELETE or INSERT of a DELETE/INSERT: one operation
    orders = False  # an ORDER BY at any level
    count = len(tokens)
    i = 0
    while i < count:
        kind, text, _line, _column = tokens[i]
        i += 1
        if kind == "PUNCT":
            if text in "{([":
                depth += 1
            elif text in "})]":
                depth = depth - 1 if depth else 0
            elif text == ";" and not depth:
                in_modify = False
            continue
        if kind == "PNAME_LN" or kind == "PNAME_NS":
            if text[: text.index(":")] not in declared:
                _expand(tokens[i - 1], declared)  # raises, with the position
            continue
        if kind != "KEYWORD":
            continue
        if text == "BASE":
            base = resolve_iri(iri_value(_expect(tokens, i, "IRIREF", "BASE").text), base)
            i += 1
        elif text == "PREFIX":
            name = _expect(tokens, i, "PNAME_NS", "PREFIX").text[:-1]
            target = _expect(tokens, i + 1, "IRIREF", f"PREFIX {name}:")
            declared[name] = resolve_iri(iri_value(target.text), base)
            i += 2
        elif text in _FORMS:
            if form is None and not operations:
                form = text
        elif text == "SERVICE":
            silent = _is_keyword(tokens, i, "SILENT")
            i += silent
            target = _expect(tokens, i, "", "SERVICE")
            if target.kind in _VAR_KINDS:
                services.append(ServiceRef(None, target.text, silent, target.line, target.column))
            else:
                iri = _target_iri(target, declared, base, "SERVICE")
                services.append(ServiceRef(iri, None, silent, target.line, target.column))
            i += 1
        elif text == "LOAD" or text == "FROM" or text == "USING" or text == "WITH":
            clause = text
            if text == "LOAD":
                operations.append("LOAD")
                i += _is_keyword(tokens, i, "SILENT")
            elif text != "WITH" and _is_keyword(tokens, i, "NAMED"):
                clause += " NAMED"
                i += 1
            target = _expect(tokens, i, "", clause)
            iri = _target_iri(target, declared, base, clause)
            lists[clause].append(IriRef(iri, target.line, target.column))
            i += 1
            if text == "WITH":
                operations.append("DELETE/INSERT")
                in_modify = True
        elif text == "INSERT" or text == "DELETE":
            if _is_keyword(tokens, i, "DATA"):
                operations.append(f"{text} DATA")
                i += 1
            elif not in_modify:
                operations.append("DELETE/INSERT")
                in_modify = True
        elif text == "WHERE":
            in_modify = False
        elif text == "ORDER":
            orders = True
        elif text in _GRAPH_MANAGEMENT:
            operations.append(text)
    shape = _Shape(tokens)
    return QueryInfo(
        kind="update" if operations else "query",
        form=None if operations else form,
        update_operations=tuple(operations),
        services=tuple(services),
        loads=tuple(lists["LOAD"]),
        from_graphs=tuple(lists["FROM"]),
        from_named_graphs=tuple(lists["FROM NAMED"]),
        using_graphs=tuple(lists["USING"]),
        using_named_graphs=tuple(lists["USING NAMED"]),
        with_graphs=tuple(lists["WITH"]),
        max_depth=len(shape.depth_at),
        max_chain=len(shape.chain_at),
        depth_at=tuple(shape.depth_at),
        chain_at=tuple(shape.chain_at),
        orders=orders,
        base=base,
        prefixes=MappingProxyType(declared),
    )


class _Shape:
    """How deep the engine's tree of a text will be: nesting and chains, with their places.

    ``depth_at[k]`` and ``chain_at[k]`` are where the nesting or a chain first reached ``k + 1``.
    """

    def __init__(self, tokens: list[Token]) -> None:
        self.depth_at: list[tuple[int, int]] = []
        self.chain_at: list[tuple[int, int]] = []
        chains = self._chains = [0]  # per open bracket: the chain's length at that level so far
        unary = 0  # length of the run of ! + - up to here
        previous = ""
        for kind, text, line, column in tokens:
            if kind == "PUNCT":
                unary = unary + 1 if text in _UNARY else 0
                if unary:
                    self._reach(self.depth_at, len(chains) - 1 + unary, line, column)
                if text in _CHAIN_OPERATORS:
                    self._link(line, column)
                elif text in "{([":
                    if text == "{" and previous == "}":  # { } { }: a join
                        self._link(line, column)
                    chains.append(0)
                    self._reach(self.depth_at, len(chains) - 1, line, column)
                elif text in "})]" and len(chains) > 1:
                    chains.pop()
            else:
                unary = 0
                if (kind == "KEYWORD" and text in _CHAIN_KEYWORDS) or (
                    kind in _NUMBER_KINDS and text[0] in "+-"  # 1 -1 -1 is a sum
                ):
                    self._link(line, column)
            previous = text

    def _link(self, line: int, column: int) -> None:
        self._chains[-1] += 1
        self._reach(self.chain_at, self._chains[-1], line, column)

    @staticmethod
    def _reach(places: list[tuple[int, int]], value: int, line: int, column: int) -> None:
        while len(places) < value:
            places.append((line, column))


def _is_keyword(tokens: list[Token], i: int, keyword: str) -> bool:
    return i < len(tokens) and tokens[i].kind == "KEYWORD" and tokens[i].text == keyword


def _expect(tokens: list[Token], i: int, kind: str, after: str) -> Token:
    """The token at ``i``: of ``kind``, or (kind "") an IRI, prefixed name or variable."""
    if i < len(tokens):
        token = tokens[i]
        if token.kind == kind or (
            not kind and (token.kind in _IRI_KINDS or token.kind in _VAR_KINDS)
        ):
            return token
        line, column, found = token.line, token.column, repr(token.text)
    else:
        last = tokens[i - 1]
        line, column, found = last.line, last.column + len(last.text), "the end"
    wanted = {"IRIREF": "an IRI <...>", "PNAME_NS": "a prefix name like ex:"}.get(kind, "an IRI")
    raise SparqlSyntaxError(
        f"expected {wanted} after {after}, found {found} at line {line}, column {column}",
        line=line,
        column=column,
    )


def _target_iri(token: Token, declared: dict[str, str], base: str | None, clause: str) -> str:
    if token.kind == "IRIREF":
        return resolve_iri(iri_value(token.text), base)
    if token.kind in _VAR_KINDS:
        raise SparqlSyntaxError(
            f"{clause} needs an IRI, not the variable {token.text}, at line {token.line}, "
            f"column {token.column}",
            line=token.line,
            column=token.column,
        )
    return _expand(token, declared)


def _expand(token: Token, declared: dict[str, str]) -> str:
    prefix, _, local = token.text.partition(":")
    namespace = declared.get(prefix)
    if namespace is None:
        raise SparqlSyntaxError(
            f"undeclared prefix '{prefix}:' at line {token.line}, column {token.column}",
            line=token.line,
            column=token.column,
        )
    return namespace + local_name_value(local)
