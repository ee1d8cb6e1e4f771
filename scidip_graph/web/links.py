"""Links to the server's own pages, built without the request's Host header.

Answers that shared caches keep (``Cache-Control: public``, the downloads and their
checksums, the descriptions) must not depend on the ``Host`` header, or one client can make a
cache hand links to a host of its choosing to everyone else. So no answer is built from it:

- with ``SCIDIP_PUBLIC_URL`` set, links are absolute on it;
- without it, links are root-relative (``/download/void.ttl``), which JSON, HTML and ``Link``
  headers allow, and RDF names the server's own resources by root-relative IRIs (``</sparql>``)
  where the format allows them (Turtle, TriG, JSON-LD, RDF/XML): a client resolves those against
  the URL it fetched (RFC 3986, section 5.1.3), its own view of where the server is, so nothing
  is echoed back.

pyoxigraph terms must be absolute, so RDF is built on :data:`RELATIVE_BASE` (under ``.invalid``,
a domain reserved never to exist) and :func:`relativize` cuts it out of the written bytes.
N-Triples and N-Quads cannot hold a relative IRI; there the base becomes the address the server
listens on (``SCIDIP_HOST`` and ``SCIDIP_PORT``, ``http://127.0.0.1:8000`` by default): right
for a server used where it runs, configuration rather than anything a client sends, and a
visible sign that ``SCIDIP_PUBLIC_URL`` is unset behind a proxy. The same root, the
:func:`absolute_root`, names the endpoint whose IRI is the base of relative IRIs in queries
(:func:`endpoint_iri`): a base must be absolute, and must not depend on the request either.

>>> from scidip_graph.rdf.formats import get_format
>>> from scidip_graph.settings import Settings
>>> settings = Settings()
>>> link(settings, "/download/void.ttl"), rdf_base(settings) == RELATIVE_BASE
('/download/void.ttl', True)
>>> relativize(b"<http://relative.invalid/sparql> a <x> .", get_format("ttl"), settings)
b'</sparql> a <x> .'
>>> relativize(b"<http://relative.invalid/sparql> <p> <x> .", get_format("nt"), settings)
b'<http://127.0.0.1:8000/sparql> <p> <x> .'
>>> link(Settings(public_url="https://scidip.example.org/"), "/sparql")
'https://scidip.example.org/sparql'
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scidip_graph.rdf.formats import Format
from scidip_graph.settings import Settings, env_name

RELATIVE_BASE = "http://relative.invalid"
"""The base RDF is built on when no public URL is set; :func:`relativize` removes it."""
_ABSOLUTE_ONLY = frozenset({"ntriples", "nquads"})


def public_url(settings: Settings) -> str:
    """The configured public base URL without a trailing slash; ``""`` when unset.

    Raises:
        ValueError: naming the setting, when it is not an absolute http(s) URL without
            query or fragment (a server misconfiguration, not a client's error).
    """
    url = settings.public_url.strip().rstrip("/")
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or "#" in url:
            raise ValueError(
                f"{env_name('public_url')}={settings.public_url!r} is not an absolute http(s) "
                "URL without query or fragment"
            )
    return url


def link(settings: Settings, path: str) -> str:
    """A link to ``path`` (``/...``): absolute on the public URL, else root-relative."""
    return public_url(settings) + path


def absolute_root(settings: Settings) -> str:
    """The server's root as an absolute URL, where nothing relative will do: the public URL,
    else the address the server listens on.

    >>> absolute_root(Settings()), absolute_root(Settings(host="::1", port=80))
    ('http://127.0.0.1:8000', 'http://[::1]:80')
    """
    url = public_url(settings)
    if url:
        return url
    host = settings.host if ":" not in settings.host else f"[{settings.host}]"
    return f"http://{host}:{settings.port}"


def endpoint_iri(settings: Settings) -> str:
    """The SPARQL endpoint's own IRI, which the engine resolves relative IRIs against (as the
    SPARQL 1.1 Protocol allows), whichever route (``/sparql``, ``/query``) a query came by.

    >>> endpoint_iri(Settings()), endpoint_iri(Settings(public_url="https://kg.example.org/"))
    ('http://127.0.0.1:8000/sparql', 'https://kg.example.org/sparql')
    """
    return absolute_root(settings) + "/sparql"


def rdf_base(settings: Settings) -> str:
    """The base of the server's own IRIs in RDF: the public URL, else :data:`RELATIVE_BASE`
    (which :func:`relativize` must then take out of the written bytes)."""
    return public_url(settings) or RELATIVE_BASE


def relativize(data: bytes, fmt: Format, settings: Settings) -> bytes:
    """RDF bytes written on :func:`rdf_base` with :data:`RELATIVE_BASE` taken out.

    IRIs on it become root-relative where the format allows relative IRIs; in N-Triples and
    N-Quads they become absolute on the address the server listens on.
    """
    base = RELATIVE_BASE.encode()
    if base not in data:
        return data
    if fmt.name in _ABSOLUTE_ONLY:
        return data.replace(b"<" + base, b"<" + absolute_root(settings).encode())
    # Turtle and TriG write IRIs in <...>; JSON-LD and RDF/XML in "...".
    return data.replace(b"<" + base, b"<").replace(b'"' + base, b'"')
