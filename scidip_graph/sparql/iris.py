"""IRIs as the engine reads them: absolute or relative, and resolved against a base (RFC 3986).

The policy (:mod:`.analysis`) and the syntax errors (:mod:`.syntax`) resolve relative IRIs
here, the way pyoxigraph does, so what they report is the IRI the engine will use.
"""

from __future__ import annotations

import re

__all__ = ["is_absolute", "resolve_iri"]

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
# RFC 3986, appendix B: scheme, authority, path, query, fragment (None when absent).
_PARTS = re.compile(r"(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?", re.DOTALL)


def is_absolute(iri: str) -> bool:
    """Whether an IRI has a scheme (else it is relative, and needs a base).

    >>> is_absolute("urn:x"), is_absolute("../g"), is_absolute("")
    (True, False, False)
    """
    return _SCHEME.match(iri) is not None


def resolve_iri(iri: str, base: str | None) -> str:
    """Resolve a relative IRI the way RFC 3986 (5.2) and the engine do.

    Not ``urllib.parse.urljoin``: it drops empty fragments and queries (``<d#>`` would become
    ``d``), which would make a prefix differ from the engine's.

    >>> resolve_iri("../g", "http://a/b/c/d"), resolve_iri("g", None)
    ('http://a/b/g', 'g')
    """
    if base is None or is_absolute(iri):
        return iri
    b_scheme, b_authority, b_path, b_query, _ = _parts(base)
    _, authority, path, query, fragment = _parts(iri)
    if authority is not None:
        path = _remove_dot_segments(path)
    else:
        authority = b_authority
        if not path:
            path = b_path
            if query is None:
                query = b_query
        else:
            if not path.startswith("/"):
                if b_authority is not None and not b_path:
                    path = "/" + path
                else:
                    path = b_path[: b_path.rfind("/") + 1] + path
            path = _remove_dot_segments(path)
    result = f"{b_scheme}:" if b_scheme is not None else ""
    if authority is not None:
        result += f"//{authority}"
    result += path
    if query is not None:
        result += f"?{query}"
    if fragment is not None:
        result += f"#{fragment}"
    return result


def _parts(iri: str) -> tuple[str | None, str | None, str, str | None, str | None]:
    match = _PARTS.match(iri)
    assert match is not None  # every string matches
    scheme, authority, path, query, fragment = match.groups()
    return scheme, authority, path or "", query, fragment


def _remove_dot_segments(path: str) -> str:
    output: list[str] = []
    for segment in path.split("/"):
        if segment == "..":
            if len(output) > 1 or (output and output[0]):
                output.pop()
        elif segment != ".":
            output.append(segment)
    if path.startswith("/") and (not output or output[0]):
        output.insert(0, "")
    if path.rsplit("/", 1)[-1] in (".", ".."):
        output.append("")
    return "/".join(output)
