"""The second barrier against queries that make the server fetch URLs: one that reads no tokens.

pyoxigraph fetches whatever a ``SERVICE`` or ``LOAD`` names and has no switch to stop it, so
:mod:`.policy` refuses both on the query's tokens. A barrier that reads the query can be wrong
where its reading differs from the engine's; this one does not share that weakness:

- **Landlock** (Linux 6.7+, ABI 4): :func:`deny_outgoing` makes the kernel refuse every outgoing
  TCP connection of the calling process and its children, except to the ports given (those of
  allowlisted endpoints, and later of a remote store). The server calls it in each worker right
  after the fork, before any thread starts, so the thread that runs queries is covered. The
  engine then gets "permission denied" from ``connect()`` whatever the query says. Landlock
  filters by port, not by host: with an allowlisted ``https://`` endpoint, port 443 is open to
  every host, and only the policy keeps a query to the allowlist.
- **Where Landlock is not active** (another OS, an older kernel, a process that did not call
  :func:`deny_outgoing`, such as the CLI or a test app), :func:`check_raw_text` refuses any text
  where ``SERVICE`` or ``LOAD`` is followed by something that could name an endpoint, read on
  the raw text after ``\\u`` escapes are decoded, strings and comments included. It may refuse a
  harmless query (a string holding ``service <``), never pass a fetching one. It applies only
  while ``SCIDIP_SERVICE_ALLOWLIST`` is empty: with an allowlist, SERVICE is meant to work.

>>> check_raw_text("SELECT * { ?s ?p 'service industry' }")
>>> check_raw_text("SELECT * { FILTER(?a<'>') SERVICE <http://x/> {} } #'")
Traceback (most recent call last):
...
scidip_graph.errors.PolicyError: SERVICE at line 1, column 27 may name an endpoint: refused
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from scidip_graph.errors import PolicyError

__all__ = ["allowlist_ports", "barrier_active", "check_raw_text", "deny_outgoing", "landlock_abi"]

log = logging.getLogger("scidip_graph.sparql.egress")

_ACTIVE = False
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SKIP = r"(?:\s|#[^\n\r]*)*"  # white space and anything that may be a comment
# SERVICE or LOAD, SILENT perhaps, then what may start an IRI, a prefixed name or a variable.
_FETCH = re.compile(
    rf"(?<![\w$?:])(SERVICE|LOAD)\b{_SKIP}(?:SILENT\b{_SKIP})?(?=[<?$:]|[^\W\d][\w.\-]*:)",
    re.IGNORECASE,
)


def landlock_abi() -> int:
    """The kernel's Landlock ABI version; 0 where Landlock is unavailable."""
    try:
        import landlockpy
    except ImportError:  # not Linux: the dependency is Linux-only
        return 0
    return int(landlockpy.abi_version())


def deny_outgoing(allowed_ports: Iterable[int] = ()) -> bool:
    """Forbid this process (and its future threads and children) outgoing TCP connections.

    Args:
        allowed_ports: TCP ports still allowed (of allowlisted endpoints or a remote store).

    Returns:
        Whether the kernel now enforces it (False: Landlock network rules are unavailable).
    """
    global _ACTIVE
    if landlock_abi() < 4:  # network rules came with ABI 4
        return False
    from landlockpy import AccessFS, AccessNet, Ruleset, Scope

    with Ruleset(
        handled_fs=AccessFS.NONE,
        # UDP rules are taken where the kernel has them (best effort): no DNS, no datagrams.
        handled_net=AccessNet.CONNECT_TCP | getattr(AccessNet, "CONNECT_SEND_UDP", 0),
        scoped=Scope.NONE,
    ) as ruleset:
        for port in sorted(set(allowed_ports)):
            ruleset.allow_port(port, AccessNet.CONNECT_TCP)
        ruleset.restrict()
    _ACTIVE = True
    return True


def barrier_active() -> bool:
    """Whether :func:`deny_outgoing` is in force in this process."""
    return _ACTIVE


def check_raw_text(text: str) -> None:
    """Refuse text where SERVICE or LOAD may be followed by an endpoint, whatever surrounds it.

    Raises:
        PolicyError: with the line and column of the keyword.
    """
    if "\\" in text:
        text = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    match = _FETCH.search(text)
    if match is None:
        return
    start = match.start(1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    keyword = match.group(1).upper()
    raise PolicyError(
        f"{keyword} at line {line}, column {column} may name an endpoint: refused",
        hint="This server does not call other endpoints. If the word is inside a string or "
        "comment, rephrase it (e.g. split it with a space before '<').",
        detail={"clause": keyword, "line": line, "column": column, "barrier": "raw-text"},
    )


def allowlist_ports(iris: Iterable[str]) -> set[int]:
    """The TCP ports of allowlisted endpoints, which the OS barrier must leave open.

    >>> sorted(allowlist_ports(["https://query.wikidata.org/", "http://x.org:8890/sparql"]))
    [443, 8890]
    """
    from urllib.parse import urlsplit

    ports: set[int] = set()
    for iri in iris:
        parts = urlsplit(iri)
        try:
            port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
        except ValueError:  # a port that is no number: nothing can connect there
            continue
        if port:
            ports.add(port)
    return ports
