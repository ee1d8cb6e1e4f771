"""The engine's syntax errors, pointed at their cause where the tokens show it.

pyoxigraph reports where its parser gave up and what it would have taken there. Both often
mislead: for most mistakes the place is the end of the text, and the list names what some
alternative of the grammar wanted (``expected OPTIONAL`` for a relative IRI without a base,
``expected [_]``, "any character", for a missing dot). So when the engine refuses a text,
:func:`explain_syntax_error` looks at its tokens for causes it can name for certain:

- an IRI that is not valid once resolved, or relative with no base IRI to resolve it against;
- brackets that do not match: a closing one that closes nothing or the wrong one, an opening
  one never closed.

The first of these in the text is the error (a bracket never closed counts at the end of the
text, where it is found); otherwise the engine's error stays, with the token
found at its place added. The engine's own words are kept in the message either way, and in
``detail["reason"]``.

>>> from scidip_graph.errors import SparqlSyntaxError
>>> engine = SparqlSyntaxError("SPARQL syntax error at line 1, column 15: expected OPTIONAL",
...                            line=1, column=15)
>>> explained = explain_syntax_error(engine, "ASK { <s> ?p ?o }", base=None)
>>> explained.message.split(": ")[1], explained.column
('the relative IRI <s> has no base IRI to resolve it against (the engine', 7)
"""

from __future__ import annotations

from typing import NamedTuple

import pyoxigraph as ox

from scidip_graph.errors import SparqlSyntaxError
from scidip_graph.sparql.iris import is_absolute, resolve_iri
from scidip_graph.sparql.lexer import Token, iri_value, tokenize

__all__ = ["explain_syntax_error"]

_CLOSES = {")": "(", "}": "{", "]": "["}
_OPENS = frozenset(_CLOSES.values())
_SHOWN = 40  # characters of a token quoted in a message at most
_AT_END_HINT = (
    "The engine reports the end of the text for many mistakes: look before it for a missing "
    "'.' between triple patterns, a keyword out of place, or a missing value."
)


def explain_syntax_error(
    error: SparqlSyntaxError, text: str, *, base: str | None
) -> SparqlSyntaxError:
    """The error to show for a text the engine refused with ``error``.

    Args:
        error: the engine's error (as :func:`scidip_graph.store.oxigraph.sparql_syntax_error`
            makes it: line, column, and its words in ``detail["reason"]``).
        text: the query or update.
        base: the base IRI the engine was given (None: none).

    Returns:
        A new error naming the cause where the tokens show one, else ``error`` with the token
        at its place added to the message.
    """
    try:
        tokens = tokenize(text)
    except SparqlSyntaxError:
        return error  # the lexer's own error is no better a guess than the engine's
    reason = str(error.detail.get("reason") or error.message)
    causes = [c for c in (_iri_cause(tokens, base), _bracket_cause(tokens)) if c is not None]
    if causes:
        cause = min(causes, key=lambda c: (c.at_end, c.line, c.column))
        line, column, hint, found = cause.line, cause.column, cause.hint, None
        message = f"SPARQL syntax error at line {line}, column {column}: {cause.what}"
        message += f" (the engine: {reason})"
    elif error.line is not None and error.column is not None:
        line, column = error.line, error.column
        found = _token_at(tokens, line, column)
        where = "the end of the text" if found is None else f"found {_quote(found.text)}"
        message = f"SPARQL syntax error at line {line}, column {column} ({where}): {reason}"
        hint = _AT_END_HINT if found is None else None
    else:
        return error
    explained = SparqlSyntaxError(message, line=line, column=column)
    explained.hint = hint
    explained.detail["reason"] = reason
    if found is not None:
        explained.detail["found"] = found.text
    return explained


class _Cause(NamedTuple):
    """A cause of the error, where it is written; ``at_end``: found only at the end."""

    line: int
    column: int
    what: str
    hint: str | None = None
    at_end: bool = False


def _iri_cause(tokens: list[Token], base: str | None) -> _Cause | None:
    """The first IRI that cannot be made absolute, or is not valid once resolved."""
    for i, token in enumerate(tokens):
        if token.kind != "IRIREF":
            continue
        value = iri_value(token.text)
        if base is None and not is_absolute(value):
            return _Cause(
                token.line,
                token.column,
                f"the relative IRI {_quote(token.text, quotes=False)} has no base IRI to "
                "resolve it against",
                "Write an absolute IRI, or declare BASE <http://...> before it.",
            )
        resolved = resolve_iri(value, base)
        try:
            ox.NamedNode(resolved)
        except ValueError as err:
            shown = token.text if resolved == value else f"{token.text} (<{resolved}>)"
            what = f"{_quote(shown, quotes=False)} is not a valid IRI: {err}"
            return _Cause(token.line, token.column, what)
        if i and tokens[i - 1].kind == "KEYWORD" and tokens[i - 1].text == "BASE":
            base = resolved
    return None


def _bracket_cause(tokens: list[Token]) -> _Cause | None:
    """The first bracket that does not match, or the innermost one never closed."""
    open_: list[Token] = []
    for token in tokens:
        if token.kind != "PUNCT":
            continue
        if token.text in _OPENS:
            open_.append(token)
        elif token.text in _CLOSES:
            if not open_:
                return _Cause(token.line, token.column, f"'{token.text}' closes nothing")
            opener = open_.pop()
            if opener.text != _CLOSES[token.text]:
                what = (
                    f"'{token.text}' closes the '{opener.text}' opened at line {opener.line}, "
                    f"column {opener.column}"
                )
                return _Cause(token.line, token.column, what)
    if open_:
        opener = open_[-1]
        return _Cause(opener.line, opener.column, f"'{opener.text}' is never closed", at_end=True)
    return None


def _token_at(tokens: list[Token], line: int, column: int) -> Token | None:
    """The token covering a place, or the first one after it (None: the end of the text)."""
    for token in tokens:
        if (token.line, token.column) > (line, column):
            return token  # the place is white space or a comment before this token
        breaks = token.text.count("\n")
        if breaks:
            end = (token.line + breaks, len(token.text) - token.text.rfind("\n"))
        else:
            end = (token.line, token.column + len(token.text))
        if (line, column) < end:
            return token
    return None


def _quote(text: str, *, quotes: bool = True) -> str:
    if len(text) > _SHOWN:
        text = text[: _SHOWN - 3] + "..."
    return repr(text) if quotes else text
