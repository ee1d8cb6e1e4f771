"""A SPARQL 1.1 tokenizer that follows the grammar's terminals (W3C SPARQL 1.1 Query, 19.8).

One compiled master regular expression does the work, so lexing a typical query takes tens of
microseconds: it runs on the request path, ahead of the policy checks in :mod:`.policy`.

Choices worth knowing:

- Keywords are matched case-insensitively and their token text is upper-cased (``sErViCe`` gives
  ``Token("KEYWORD", "SERVICE", ...)``); the keyword ``a`` is case-sensitive and has kind ``A``.
  A bare word that is no keyword and no prefixed name is a syntax error, as in the grammar.
- ``<`` is read the way the grammar resolves it, which is also how pyoxigraph reads it: inside an
  expression (``FILTER(...)``, ``BIND(...)``, a function's arguments, ``SELECT (... AS ?x)``,
  ``ORDER BY (...)``...) right after an operand (a variable, literal, IRI, ``)``...) it is the
  less-than operator, since no IRI can follow an operand there; anywhere else it starts an
  ``IRIREF`` when one can be matched (longest match). So ``FILTER(?a<?b&&?c>?d)`` compares,
  while ``?s <p> ?o`` and ``ORDER BY ?x <f>(?y)`` hold IRIs. A reading that differed from the
  engine's would let text hide from the policy: ``FILTER(?a<'>') SERVICE <...> {} #'`` must not
  lex as an IRI ``<'>`` followed by a string that swallows the ``SERVICE``.
- Numbers keep their sign (``INTEGER_NEGATIVE`` and friends are terminals of the grammar):
  ``-2`` is one ``INTEGER`` token with text ``-2``.
- ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes are understood inside IRIs and strings, where
  pyoxigraph decodes them too (``<http\\u003A//x>`` is ``http://x``); anywhere else they are a
  syntax error, as they are for pyoxigraph.
- Also accepted, because pyoxigraph accepts them: the SPARQL 1.2 reifier ``~``, language
  directions (``"x"@en--ltr``) and the 1.2 keywords (``VERSION``, ``TRIPLE``, ``LANGDIR``...).
- Lines are counted on ``\\n``; columns count characters (code points), both from 1.

>>> [(t.kind, t.text) for t in tokenize("ask { ?s a <x> }")]
[('KEYWORD', 'ASK'), ('PUNCT', '{'), ('VAR1', '?s'), ('A', 'a'), ('IRIREF', '<x>'), ('PUNCT', '}')]
"""

from __future__ import annotations

import re
from typing import NamedTuple

from scidip_graph.errors import SparqlSyntaxError

__all__ = ["KEYWORDS", "Token", "iri_value", "line_offsets", "local_name_value", "tokenize"]


class Token(NamedTuple):
    """One token: its kind (a terminal name, ``KEYWORD``, ``A`` or ``PUNCT``), text and place.

    ``text`` is the source text, except for keywords, whose text is upper-cased.
    """

    kind: str
    text: str
    line: int
    column: int


KEYWORDS: frozenset[str] = frozenset(
    """
    BASE PREFIX SELECT CONSTRUCT DESCRIBE ASK ORDER BY LIMIT OFFSET DISTINCT REDUCED FROM NAMED
    WHERE GRAPH OPTIONAL UNION FILTER STR LANG LANGMATCHES DATATYPE BOUND SAMETERM ISIRI ISURI
    ISBLANK ISLITERAL REGEX TRUE FALSE LOAD CLEAR DROP CREATE ADD MOVE COPY INSERT DELETE DATA
    WITH USING DEFAULT ALL SILENT INTO TO SERVICE BIND MINUS VALUES UNDEF AS GROUP HAVING COUNT
    SUM MIN MAX AVG SAMPLE GROUP_CONCAT SEPARATOR ASC DESC EXISTS NOT IN IRI URI BNODE RAND ABS
    CEIL FLOOR ROUND CONCAT STRLEN UCASE LCASE ENCODE_FOR_URI CONTAINS STRSTARTS STRENDS
    STRBEFORE STRAFTER YEAR MONTH DAY HOURS MINUTES SECONDS TIMEZONE TZ NOW UUID STRUUID MD5 SHA1
    SHA256 SHA384 SHA512 COALESCE IF STRLANG STRDT ISNUMERIC SUBSTR REPLACE
    VERSION TRIPLE SUBJECT PREDICATE OBJECT ISTRIPLE LANGDIR HASLANG HASLANGDIR STRLANGDIR
    """.split()
)
"""Every SPARQL 1.1 keyword (and the SPARQL 1.2 ones pyoxigraph knows), upper-cased; not ``a``."""

# Character classes of the grammar (productions 164-173), non-ASCII ranges included.
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_U = _BASE + "_"
_CHARS = _U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_VARNAME = f"[{_U}0-9][{_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_PREFIX = f"[{_BASE}](?:[{_CHARS}.]*[{_CHARS}])?"
_PN_LOCAL = f"(?:[{_U}:0-9]|{_PLX})(?:(?:[{_CHARS}.:]|{_PLX})*(?:[{_CHARS}:]|{_PLX}))?"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_ECHAR = r"""\\[tbnrf\\"']"""
_ESC = f"{_ECHAR}|{_UCHAR}"
_EXP = r"[eE][+-]?[0-9]+"
_WS = "[ \t\r\n]"

_NUM_TAIL = rf"[0-9]*+(?:\.[0-9]+(?:{_EXP})?|\.{_EXP}|{_EXP})?"

# One match per token, white space before it included. Order matters: Python tries alternatives
# left to right, so longer terminals come first (NIL before "(", IRIREF before "<", long strings
# before short ones, "^^" before "^"...). Every branch starts with one character, then its empty
# named group: the engine skips a branch on its first character, and the group's position less
# one is where the token starts.
_MASTER_TEMPLATE = rf"""
    [ \t\r\n]*+
  (?:
    \((?P<NIL>){_WS}*\)
  | \[(?P<ANON>){_WS}*\]
  | [{{}}()\[\];,=*/](?P<PUNCT>)
  | \?(?P<VAR1>){_VARNAME}
  | [A-Za-z](?P<WORD>)[A-Za-z0-9_]*+(?!\.*[{_CHARS}:])
  | :(?P<PNAME>)(?:{_PN_LOCAL})?
  | [{_BASE}](?P<PNAME_P>)(?:[{_CHARS}.]*[{_CHARS}])?:(?:{_PN_LOCAL})?
  @IRIREF@
  | [0-9](?P<NUMBER>){_NUM_TAIL}
  | \.(?P<NUMBER_D>)[0-9]+(?:{_EXP})?
  | [+-](?P<NUMBER_S>)(?:[0-9]{_NUM_TAIL}|\.[0-9]+(?:{_EXP})?)
  | "(?P<STRING_LITERAL_LONG2>)""(?:(?:"|"")?(?:[^"\\]|{_ESC}))*+\"\"\"
  | "(?P<STRING_LITERAL2>)(?:[^"\\\n\r]|{_ESC})*+"
  | '(?P<STRING_LITERAL_LONG1>)''(?:(?:'|'')?(?:[^'\\]|{_ESC}))*+'''
  | '(?P<STRING_LITERAL1>)(?:[^'\\\n\r]|{_ESC})*+'
  | \$(?P<VAR2>){_VARNAME}
  | _(?P<BLANK_NODE_LABEL>):[{_U}0-9](?:[{_CHARS}.]*[{_CHARS}])?
  | \#(?P<COMMENT>)[^\r\n]*
  | @(?P<LANGTAG>)[a-zA-Z]+(?:-[a-zA-Z0-9]+)*(?:--[a-zA-Z]+)?
  | [&|^!<>+\-?~.](?P<OP>)(?:(?<=&)&|(?<=\|)\|?|(?<=\^)\^?|(?<=[!<>])=?|(?<=[+\-?~.]))
  | .(?P<ERROR>)
  )
    """
_IRIREF_BRANCH = rf"""| <(?P<IRIREF>)(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*+>"""
# Two scanners: one where "<" may start an IRI, one where it is an operator (after an operand
# inside an expression). They differ in that one branch only, so their group numbers differ by it.
_MASTER = re.compile(_MASTER_TEMPLATE.replace("@IRIREF@", _IRIREF_BRANCH), re.VERBOSE | re.DOTALL)
_OPERATOR = re.compile(_MASTER_TEMPLATE.replace("@IRIREF@", ""), re.VERBOSE | re.DOTALL)


def _kinds(pattern: re.Pattern[str]) -> list[str]:
    kinds = [""] * (pattern.groups + 1)
    for name, index in pattern.groupindex.items():
        kinds[index] = {
            "PNAME": "PNAME_NS",
            "PNAME_P": "PNAME_NS",
            "NUMBER_D": "NUMBER",
            "NUMBER_S": "NUMBER",
            "OP": "PUNCT",
        }.get(name, name)
    return kinds


_KINDS = _kinds(_MASTER)
_OPERATOR_KINDS = _kinds(_OPERATOR)
_NUMBER_KIND = {False: "INTEGER", True: "DECIMAL"}
_PLAIN_KINDS = frozenset(_KINDS) - {"WORD", "PNAME_NS", "NUMBER", "ERROR", "COMMENT"}
_UCHAR_RE = re.compile(_UCHAR)
_PN_ESCAPE_RE = re.compile(r"\\(.)")


def tokenize(text: str, *, comments: bool = False) -> list[Token]:
    """Split a SPARQL query or update into tokens, skipping white space (and comments).

    Args:
        text: the query or update.
        comments: keep comments as ``COMMENT`` tokens instead of dropping them.

    Returns:
        The tokens in order.

    Raises:
        SparqlSyntaxError: on text that is no SPARQL token, with its line and column.

    >>> [t.text for t in tokenize('SELECT * { ?s <p#x> "#no comment" } # comment')]
    ['SELECT', '*', '{', '?s', '<p#x>', '"#no comment"', '}']
    >>> tokenize("SELECT ?x WHERE {\\n  ?x ` }")
    Traceback (most recent call last):
    ...
    scidip_graph.errors.SparqlSyntaxError: unexpected character '`' at line 2, column 6
    """
    tokens: list[Token] = []
    append = tokens.append
    new = tuple.__new__  # a third of the cost of Token(...): this loop is the hot path
    plain = _PLAIN_KINDS
    context = _Context()
    line, line_start = 1, 0
    beyond = len(text) + 1
    newline = text.find("\n")
    if newline < 0:
        newline = beyond
    pos, size = 0, len(text)
    while True:
        if context.operator_next():
            match, kinds = _OPERATOR.match(text, pos), _OPERATOR_KINDS
        else:
            match, kinds = _MASTER.match(text, pos), _KINDS
        if match is None:  # only white space is left
            break
        pos = match.end()
        index = match.lastindex or 0
        start = match.start(index) - 1
        # Walk the newlines up to this token: positions cost one comparison per token.
        while newline < start:
            line += 1
            line_start = newline + 1
            newline = text.find("\n", line_start)
            if newline < 0:
                newline = beyond
        kind = kinds[index]
        value = text[start:pos]
        if kind in plain:
            context.see(kind, value)
            append(new(Token, (kind, value, line, start - line_start + 1)))
            if pos >= size:
                break
            continue
        if kind == "WORD":
            upper = value.upper()
            if upper in KEYWORDS:
                kind, value = "KEYWORD", upper
            elif value == "a":
                kind = "A"
            else:
                raise _error(f"unknown keyword {value!r}", start, line, line_start)
        elif kind == "PNAME_NS":
            if value.index(":") < len(value) - 1:
                kind = "PNAME_LN"
        elif kind == "NUMBER":
            kind = "DOUBLE" if "e" in value or "E" in value else _NUMBER_KIND["." in value]
        elif kind == "ERROR":
            raise _error(_describe(text, start), start, line, line_start)
        else:  # a comment
            if comments:
                append(new(Token, (kind, value, line, start - line_start + 1)))
            if pos >= size:
                break
            continue
        context.see(kind, value)
        append(new(Token, (kind, value, line, start - line_start + 1)))
        if pos >= size:
            break
    return tokens


_OPERAND_ENDS = frozenset(
    {
        "VAR1",
        "VAR2",
        "IRIREF",
        "PNAME_NS",
        "PNAME_LN",
        "STRING_LITERAL1",
        "STRING_LITERAL2",
        "STRING_LITERAL_LONG1",
        "STRING_LITERAL_LONG2",
        "INTEGER",
        "DECIMAL",
        "DOUBLE",
        "LANGTAG",
        "NIL",
    }
)
_IRI_KINDS = frozenset({"IRIREF", "PNAME_NS", "PNAME_LN"})
# Keywords after which the solution modifiers or a projection follow in the same group: there
# every "(" opens an expression (ORDER BY (?x), GROUP BY <f>(?y), SELECT (?a AS ?b)).
_MODIFIER_KEYWORDS = frozenset({"SELECT", "GROUP", "ORDER", "HAVING"})


class _Context:
    """Just enough of the grammar's state to tell less-than from the start of an IRI.

    A stack of open brackets, each ``(`` marked as an expression (``E``) or not (``P``: a
    collection, ``VALUES`` variables or rows, a triple term), each ``{`` with whether solution
    modifiers may follow in it, and the last two tokens.
    """

    __slots__ = ("modifiers", "prev", "prev2", "stack")

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.modifiers: list[bool] = [True]  # outside every group: projection and modifiers
        self.prev: tuple[str, str] = ("", "")
        self.prev2: tuple[str, str] = ("", "")

    def operator_next(self) -> bool:
        """Whether a ``<`` here is less-than: an operand just ended inside an expression."""
        if not self.stack or self.stack[-1] != "E":
            return False
        kind, text = self.prev
        if kind in _OPERAND_ENDS:
            return True
        if kind == "KEYWORD":
            return text in ("TRUE", "FALSE")
        # ")" closes an operand; ">" after ">" closes a triple term <<( ... )>>.
        return kind == "PUNCT" and (text == ")" or (text == ">" and self.prev2 == ("PUNCT", ">")))

    def see(self, kind: str, text: str) -> None:
        """Take one token into account."""
        if kind == "PUNCT":
            if text == "(":
                self.stack.append(self._paren())
            elif text in ")]":
                if self.stack and self.stack[-1] != "{":
                    self.stack.pop()
            elif text == "{":
                self.stack.append("{")
                self.modifiers.append(False)
            elif text == "}":
                if self.stack and self.stack[-1] == "{":
                    self.stack.pop()
                    if len(self.modifiers) > 1:
                        self.modifiers.pop()
            elif text == "[":
                self.stack.append("[")
        elif kind == "KEYWORD" and text in _MODIFIER_KEYWORDS:
            self.modifiers[-1] = True
        self.prev2, self.prev = self.prev, (kind, text)

    def _paren(self) -> str:
        kind, text = self.prev
        if self.stack and self.stack[-1] == "E":
            # Inside an expression, "(" groups or calls, except "<<(": a triple term's terms.
            return "P" if self.prev == ("PUNCT", "<") and self.prev2 == ("PUNCT", "<") else "E"
        if kind == "KEYWORD":  # FILTER( BIND( STR( IN( ASC( ... but VALUES (?x ?y)
            return "P" if text == "VALUES" else "E"
        if kind in _IRI_KINDS and self.prev2 == ("KEYWORD", "FILTER"):
            return "E"  # FILTER <f>(...): a function call
        if self.modifiers[-1] and (not self.stack or self.stack[-1] == "{"):
            return "E"
        return "P"


def iri_value(token_text: str) -> str:
    """The IRI an ``IRIREF`` token stands for: without ``<>``, ``\\u`` escapes decoded.

    >>> iri_value(r"<http\\u003A//example.org/>")
    'http://example.org/'
    """
    inner = token_text[1:-1]
    if "\\" not in inner:
        return inner
    return _UCHAR_RE.sub(lambda m: chr(int(m.group()[2:], 16)), inner)


def local_name_value(local: str) -> str:
    r"""The local part of a prefixed name as it joins the IRI: ``\`` escapes removed.

    Percent escapes stay as written, as the grammar says.

    >>> local_name_value(r"a\~b%20c")
    'a~b%20c'
    """
    if "\\" not in local:
        return local
    return _PN_ESCAPE_RE.sub(r"\1", local)


def line_offsets(text: str) -> list[int]:
    """Where each line of ``text`` starts: a token is at ``offsets[line - 1] + column - 1``.

    >>> text = "ASK {\\n  ?s ?p ?o }"
    >>> token = tokenize(text)[2]
    >>> text[line_offsets(text)[token.line - 1] + token.column - 1 :]
    '?s ?p ?o }'
    """
    offsets, at = [0], 0
    for line in text.split("\n")[:-1]:
        at += len(line) + 1
        offsets.append(at)
    return offsets


def _describe(text: str, start: int) -> str:
    char = text[start]
    if char in "\"'":
        return "unterminated string literal, or a bad escape or line break in it"
    if char == "\\":
        return "backslash outside a string or IRI (\\u escapes are only understood in both)"
    if char in "?$":
        return f"{char!r} not followed by a variable name"
    if char == "_":
        return "malformed blank node label"
    if char == "@":
        return "malformed language tag"
    return f"unexpected character {char!r}"


def _error(message: str, start: int, line: int, line_start: int) -> SparqlSyntaxError:
    column = start - line_start + 1
    return SparqlSyntaxError(f"{message} at line {line}, column {column}", line=line, column=column)
