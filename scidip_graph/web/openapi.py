"""The OpenAPI 3.1 description of the HTTP API (a test checks it names every route)."""

from __future__ import annotations

from typing import Any

from scidip_graph.curation.sheet import CSV, XLSX
from scidip_graph.namespaces import ID
from scidip_graph.rdf.formats import FORMATS, GRAPHS_PROFILE, RDF_KINDS, formats_for, get_format
from scidip_graph.settings import Settings
from scidip_graph.sparql.graph_store import UPLOAD_MEDIA_TYPES
from scidip_graph.version import __version__

_ERROR = {"$ref": "#/components/schemas/Error"}


def _errors(*codes: int) -> dict[str, Any]:
    return {
        str(c): {"description": _REASONS[c], "content": {"application/json": {"schema": _ERROR}}}
        for c in codes
    }


_REASONS = {
    400: "Bad request: syntax error (with line and column), bad parameter, nesting too deep.",
    401: "A write without a bearer token (with a WWW-Authenticate: Bearer challenge).",
    403: "Refused by policy: SERVICE, LOAD from outside, a read-only server, or a write "
    "token the server does not know or whose graphs do not include the one written.",
    404: "Not found.",
    405: "Method not allowed.",
    406: "No acceptable representation; the error lists the media types on offer.",
    413: "Query or body too large.",
    415: "Unsupported request body type.",
    422: "The write would break the SHACL shapes: nothing written; each result's focus node, "
    "path, value, message, severity and shape in detail.results.",
    501: "Not implemented: the store cannot be written (an update on a server without a "
    "data folder).",
    502: "A LOAD source failed; nothing written.",
    507: "The server keeps no more query links (SCIDIP_PERMALINK_BYTES); existing ones work.",
    503: "Time limit reached, too many heavy queries (then with Retry-After), or writes "
    "closed while the server cannot read its tokens file.",
}

_SPARQL_PARAMS = [
    {
        "name": "query",
        "in": "query",
        "schema": {"type": "string"},
        "description": "A SPARQL 1.1 query. Absent: the service description (or, for a "
        "browser, the query page).",
    },
    {
        "name": "default-graph-uri",
        "in": "query",
        "schema": {"type": "array", "items": {"type": "string"}},
        "description": "Graphs whose merge is the default graph; a graph the dataset does "
        "not have is empty, never fetched. The two dataset parameters replace the query's "
        "FROM and FROM NAMED; the one left out is empty. Neither: the query's FROM, else the "
        "union of all graphs.",
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "schema": {"type": "array", "items": {"type": "string"}},
        "description": "Graphs GRAPH may range over; a graph the dataset does not have is "
        "empty, never fetched. Neither parameter: the query's FROM NAMED, else all named "
        "graphs.",
    },
    {
        "name": "format",
        "in": "query",
        "schema": {"type": "string"},
        "description": "Result format, overriding Accept: json, xml, csv, tsv, turtle, jsonld, "
        "ntriples, rdfxml, trig, nquads.",
    },
    {
        "name": "timeout",
        "in": "query",
        "schema": {"type": "number"},
        "description": "A lower time limit for this query, in seconds.",
    },
]

_RESULTS = {
    "200": {
        "description": "Results (SELECT/ASK) or a graph (CONSTRUCT/DESCRIBE), by Accept.",
        "headers": {
            "ETag": {"schema": {"type": "string"}},
            "X-Result-Rows": {"schema": {"type": "integer"}},
            "X-Result-Capped": {
                "schema": {"type": "string"},
                "description": "Present when a cap cut the result: "
                '"true; max-rows=N" or "true; max-bytes=N".',
            },
        },
        "content": {f.media_type: {} for f in (*formats_for("results"), *formats_for("graph"))},
    },
    "304": {"description": "Not modified (If-None-Match)."},
}


def _sparql_path(summary: str) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": _SPARQL_PARAMS,
            "responses": {**_RESULTS, **_errors(400, 403, 405, 406, 413, 503)},
        },
        "post": {
            "summary": summary + " (form, or the query or update as the body)",
            "parameters": _SPARQL_PARAMS[1:],
            "requestBody": {
                "content": {
                    "application/x-www-form-urlencoded": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "query": {"type": "string"},
                                "update": {"type": "string"},
                            },
                        }
                    },
                    "application/sparql-query": {"schema": {"type": "string"}},
                    "application/sparql-update": {"schema": {"type": "string"}},
                }
            },
            "responses": {
                **_RESULTS,
                **_errors(400, 401, 403, 406, 413, 415, 422, 501, 502, 503),
            },
        },
        "options": {"summary": "CORS preflight", "responses": {"204": {"description": "OK"}}},
    }


def _validate_path() -> dict[str, Any]:
    update = {"type": "object", "properties": {"update": {"type": "string"}}}
    data = {f.media_type: {"schema": {"type": "string"}} for f in FORMATS if f.kind in RDF_KINDS}
    graph_params = [
        *_graph_params(
            "The graph an upload in a graph format goes to (or default).",
            "An upload in a graph format goes to the default graph.",
        ),
        *(p for p in _SPARQL_PARAMS if p["name"] == "timeout"),
    ]
    return {
        "post": {
            "summary": "Dry run of a write: the SHACL report that data added (by Content-Type) "
            "or an update would get; nothing is written, no token needed",
            "parameters": graph_params,
            "requestBody": {
                "content": {
                    "application/x-www-form-urlencoded": {"schema": update},
                    "application/sparql-update": {"schema": {"type": "string"}},
                    **data,
                }
            },
            "responses": {
                "200": {
                    "description": "The report: conforms, and each result's focus node, path, "
                    "value, message, severity and shape (JSON), or sh:ValidationReport (Turtle), "
                    "by Accept.",
                    "content": {"application/json": {}, get_format("turtle").media_type: {}},
                },
                **_errors(400, 403, 406, 413, 415, 503),
            },
        }
    }


def _graph_params(graph: str, default: str) -> list[dict[str, Any]]:
    """The ``graph`` and ``default`` query parameters, described."""
    return [
        {"name": "graph", "in": "query", "schema": {"type": "string"}, "description": graph},
        {"name": "default", "in": "query", "allowEmptyValue": True, "description": default},
    ]


def _store_path() -> dict[str, Any]:
    graph = _graph_params("The graph's IRI (or give default).", "The default graph.")
    body = {"content": {m: {"schema": {"type": "string"}} for m in UPLOAD_MEDIA_TYPES}}
    written = {"description": "What was written (added, removed, graphs, SHACL warnings)."}

    def write(summary: str, *, upload: bool) -> dict[str, Any]:
        created = {"201": {**written, "description": "Created (Location)."}} if upload else {}
        return {
            "summary": summary + ", with a bearer token, through the SHACL gate",
            "parameters": graph,
            **({"requestBody": body} if upload else {}),
            "responses": {
                "200": written,
                **created,
                **_errors(400, 401, 403, *((413, 415) if upload else (404,)), 422, 501),
            },
        }

    return {
        "get": {
            "summary": "SPARQL 1.1 Graph Store Protocol: one graph, in an RDF format by Accept",
            "parameters": graph,
            "responses": {
                "200": {"description": "The graph", "content": {m: {} for m in _RDF_TYPES}},
                **_errors(400, 404, 406),
            },
        },
        "put": write("Replace the graph", upload=True),
        "post": write("Merge into the graph (a new graph without graph or default)", upload=True),
        "delete": write("Remove the graph", upload=False),
        "options": {"summary": "CORS preflight", "responses": {"204": {"description": "OK"}}},
    }


_RDF_TYPES = tuple(f.media_type for f in formats_for("graph"))
_SUFFIXES = ", ".join(f.extension for f in formats_for("graph"))
_JSONLD = get_format("jsonld").media_type


def _page(
    summary: str,
    *,
    rdf: bool = False,
    params: list[dict[str, Any]] | None = None,
    errors: tuple[int, ...] = (),
) -> dict[str, Any]:
    content: dict[str, Any] = {"text/html": {}, **({m: {} for m in _RDF_TYPES} if rdf else {})}
    return {
        "get": {
            "summary": summary,
            "parameters": params or [],
            "responses": {"200": {"description": "OK", "content": content}, **_errors(*errors)},
        }
    }


def _path_param(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": description,
    }


def _linked_data_paths() -> dict[str, Any]:
    return {
        "/": _page(
            "Home: what the graph is, counts per class, the themes and categories with their "
            "numbers of examples, search"
        ),
        "/search": _page(
            "Search names, acronyms and labels in any language: exact and prefix matches "
            "first, each hit with its kind (example, treaty, organisation, person...); the "
            "kinds among the hits with their counts, each a filter; JSON by Accept or format=json",
            params=[
                {"name": "q", "in": "query", "schema": {"type": "string"}},
                {
                    "name": "kind",
                    "in": "query",
                    "description": "only hits of this kind (repeat for several)",
                    "schema": {"type": "array", "items": {"type": "string"}},
                    "style": "form",
                    "explode": True,
                },
            ],
        ),
        "/browse": _page("Classes with their instance counts (JSON by Accept)"),
        "/browse/{name}": _page(
            "Instances of one class (CURIE, e.g. sd:Example); the examples and the treaties with "
            "facets that combine (sd:Example?theme=health&region=middle-east&decade=1960: theme, "
            "primary, category, host, participant, institution, region, decade; sd:Treaty: "
            "decade, party, "
            "region, theme), a count per value; JSON by Accept or format=json",
            params=[_path_param("name", "the class as a CURIE")],
            errors=(404,),
        ),
        "/id/{path}": _page(
            f"A resource of {ID}: HTML, or RDF by Accept or suffix ({_SUFFIXES}), with its "
            "sources; JSON-LD is one graph, the union, unless asked with ?graphs or the profile "
            f"{GRAPHS_PROFILE} (one named graph per source, as TriG)",
            rdf=True,
            params=[_path_param("path", "the part after /id/")],
            errors=(404, 406),
        ),
        "/ontology": _page(
            "The ontology's documentation, generated from ontology/ "
            "(Turtle and other RDF by Accept)",
            rdf=True,
            errors=(406,),
        ),
        "/ontology.{ext}": _page(
            f"The ontology as a file ({_SUFFIXES}, .html)",
            rdf=True,
            params=[_path_param("ext", "file extension")],
            errors=(404,),
        ),
        "/void": _page(
            "VoID and DCAT description of the dataset, with statistics", rdf=True, errors=(406,)
        ),
        "/void.{suffix}": _page(
            f"The dataset description as a file ({_SUFFIXES})",
            rdf=True,
            params=[_path_param("suffix", "file extension")],
            errors=(404,),
        ),
        "/context.jsonld": {
            "get": {
                "summary": "The JSON-LD context of every JSON-LD answer",
                "responses": {"200": {"description": "OK", "content": {_JSONLD: {}}}},
            }
        },
        "/download/": _page("The dumps, the ontology and the shapes, with checksums"),
        "/download/index.json": {
            "get": {"summary": "The downloads as JSON", "responses": {"200": {"description": "OK"}}}
        },
        "/download/{name}": {
            "get": {
                "summary": "One download (ETag, Last-Modified, gzip on Accept-Encoding)",
                "parameters": [_path_param("name", "file name, e.g. scidip-graph.trig")],
                "responses": {
                    "200": {"description": "The file"},
                    "304": {"description": "Not modified"},
                    **_errors(404),
                },
            }
        },
    }


def _json_get(summary: str, params: list[dict[str, Any]], *codes: int) -> dict[str, Any]:
    return {
        "get": {
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {}}},
                **_errors(*codes),
            },
        }
    }


def _query_param(name: str, description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": {"type": "string"}, "description": description}


_PREFIX = _query_param("prefix", "what the curator has typed so far")
_LIMIT = _query_param("limit", "how many at most")
_CALLBACK = _query_param("callback", "JSONP: the answer wrapped in a call of this function")


def _reconcile_paths() -> dict[str, Any]:
    """The W3C Entity Reconciliation Service API (0.2), as OpenRefine speaks it."""
    form = {
        "type": "object",
        "properties": {
            "queries": {"type": "string", "description": "a JSON batch of queries"},
            "extend": {"type": "string", "description": "a JSON data extension request"},
        },
    }
    service = {
        "summary": "Reconciliation service: the manifest; with queries, a batch of queries "
        "(candidates with id, name, type, score, match); with extend, data extension",
        "parameters": [
            _query_param("queries", '{"q0": {"query", "type", "limit", "properties"}}'),
            _query_param("extend", '{"ids": [...], "properties": [{"id"}]}'),
            _CALLBACK,
        ],
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {}}},
            **_errors(400, 413),
        },
    }
    post = {
        **service,
        "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": form}}},
    }
    return {
        "/reconcile": {"get": service, "post": post},
        **{
            f"/reconcile/suggest/{kind}": _json_get(
                f"Reconciliation: {kind} suggest (prefix search)",
                [
                    _PREFIX,
                    _LIMIT,
                    _CALLBACK,
                    *([_query_param("type", "class id")] if kind == "entity" else []),
                ],
                400,
            )
            for kind in ("entity", "type", "property")
        },
        "/reconcile/preview": {
            "get": {
                "summary": "Reconciliation: a resource's preview card (HTML)",
                "parameters": [_query_param("id", "the resource's IRI")],
                "responses": {
                    "200": {"description": "OK", "content": {"text/html": {}}},
                    **_errors(404),
                },
            }
        },
        "/reconcile/properties": _json_get(
            "Reconciliation: the properties to propose for a class, for data extension",
            [_query_param("type", "class id"), _LIMIT, _CALLBACK],
            400,
        ),
    }


def _workbench_paths() -> dict[str, Any]:
    """The query editor's examples and permalinks (the editor itself is ``/sparql``'s HTML)."""
    query_text: dict[str, Any] = {
        "application/sparql-query": {},
        "application/json": {},
        "text/html": {},
    }
    return {
        "/queries": _page(
            "The research questions of queries/ as examples: JSON (format=json), SHACL "
            "sh:SPARQLExecutable RDF by Accept, the editor with its examples panel for browsers",
            rdf=True,
            errors=(406,),
        ),
        "/queries/{name}": {
            "get": {
                "summary": "One example's text (application/sparql-query; NAME.rq too), or the "
                "editor running it for a browser",
                "parameters": [_path_param("name", "the file name, without or with .rq")],
                "responses": {
                    "200": {"description": "OK", "content": query_text},
                    **_errors(404),
                },
            }
        },
        "/q": {
            "post": {
                "summary": "Make a short link to a query: its text and the data version, under "
                "an id hashed from both (the same query on the same data: the same link)",
                "requestBody": {
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {"query": {"type": "string"}},
                            }
                        },
                        "application/sparql-query": {},
                    }
                },
                "responses": {
                    "201": {"description": "A new link, at Location"},
                    "200": {"description": "The link exists, at Location"},
                    **_errors(400, 413, 415, 507),
                },
            }
        },
        "/q/{link_id}": {
            "get": {
                "summary": "A short link: the query's text (application/sparql-query, text/plain "
                "or */*), what it records and whether the data changed since (JSON), or the "
                "editor holding it (browsers)",
                "parameters": [_path_param("link_id", "the link's id")],
                "responses": {
                    "200": {"description": "OK", "content": query_text},
                    **_errors(404),
                },
            }
        },
    }


def _curate_paths() -> dict[str, Any]:
    """The curators' writes: a spreadsheet import (bearer token) and the /curate form."""
    conflict = {
        "409": {
            "description": "The data changed since the preview, or the preview "
            "was not clean: nothing written.",
            "content": {"application/json": {"schema": _ERROR}},
        }
    }
    form: dict[str, Any] = {"application/x-www-form-urlencoded": {}}
    html = {"200": {"description": "The page", "content": {"text/html": {}}}}
    return {
        "/import": {
            "post": {
                "summary": "Preview a spreadsheet of examples (CSV or XLSX, docs/import.md): "
                "every row reconciled, its problems, the SHACL report, a confirmation id; "
                "with confirm=ID, write that preview",
                "parameters": [
                    _query_param("confirm", "the confirmation id of a clean preview"),
                    _query_param("name", "the sheet's file name, for a raw body"),
                ],
                "requestBody": {
                    "content": {
                        "multipart/form-data": {},
                        **{media_type: {} for media_type in (CSV, XLSX)},
                    }
                },
                "responses": {
                    "200": {"description": "The preview", "content": {"application/json": {}}},
                    "201": {"description": "Written", "content": {"application/json": {}}},
                    **_errors(400, 401, 403, 404, 413, 415, 422),
                    **conflict,
                },
            }
        },
        "/curate": {
            "get": {
                "summary": "Sign-in, and the form to add or edit an example",
                "responses": html,
            },
            "post": {
                "summary": "Check the form (the SHACL report) or save the example, with the "
                "session's CSRF token",
                "requestBody": {"content": form},
                "responses": {**html, **_errors(401, 403, 422), **conflict},
            },
        },
        "/curate/sign-in": {
            "post": {
                "summary": "Sign in with a write token (a session cookie)",
                "requestBody": {"content": form},
                "responses": {"303": {"description": "To /curate"}, **_errors(401, 403)},
            }
        },
        "/curate/sign-out": {
            "post": {
                "summary": "Sign out",
                "requestBody": {"content": form},
                "responses": {"303": {"description": "To /curate"}, **_errors(403)},
            }
        },
    }


def _history_paths() -> dict[str, Any]:
    """The change log: every write, one change's diff."""
    listing = [
        _query_param("before", "the change number a page starts below (older changes)"),
        _LIMIT,
        _query_param("about", "only the changes that touched this resource (its IRI)"),
        _query_param("format", "html, json or atom (else Accept)"),
    ]
    feeds: dict[str, Any] = {"text/html": {}, "application/json": {}, "application/atom+xml": {}}
    one = [{**_path_param("change_id", "the change's number"), "schema": {"type": "integer"}}]
    suffix = [_path_param("suffix", "html, json (and atom for the listing)")]
    diff: dict[str, Any] = {"text/html": {}, "application/json": {}}

    def get(summary: str, params: list[dict[str, Any]], content: dict[str, Any]) -> Any:
        return {
            "get": {
                "summary": summary,
                "parameters": params,
                "responses": {
                    "200": {"description": "OK", "content": content},
                    **_errors(400, 404),
                },
            }
        }

    return {
        "/changes": get(
            "Every write, newest first: who, when, which graphs, triples added and removed "
            "(HTML, JSON or an Atom feed by Accept)",
            listing,
            feeds,
        ),
        "/changes.{suffix}": get(
            "The changes as a file (.html, .json, .atom)", listing + suffix, feeds
        ),
        "/changes/{change_id}": get(
            "One change: its triples added and removed, by graph", one, diff
        ),
        "/changes/{change_id}.{suffix}": get("One change as .html or .json", one + suffix, diff),
    }


def openapi(settings: Settings, *, server: str) -> dict[str, Any]:
    """The OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "scidip-graph",
            "version": __version__,
            "description": "The science diplomacy knowledge graph: SPARQL 1.1 Protocol endpoint "
            f"(time limit {settings.query_timeout:g} s, at most "
            f"{settings.max_rows} rows) and operations routes.",
            "license": {"name": "CC-BY-4.0 (data), MIT (code)"},
        },
        "servers": [{"url": server}],
        "paths": {
            "/sparql": _sparql_path("SPARQL 1.1 query"),
            "/query": _sparql_path("SPARQL 1.1 query (alias of /sparql)"),
            "/update": _sparql_path("SPARQL 1.1 update, with a bearer token (as on /sparql)"),
            "/validate": _validate_path(),
            "/store": _store_path(),
            "/-/health": {
                "get": {
                    "summary": "Store state, size and data version",
                    "responses": {"200": {"description": "Healthy"}},
                }
            },
            "/-/metrics": {
                "get": {
                    "summary": "Prometheus metrics",
                    "responses": {
                        "200": {"description": "Prometheus text", "content": {"text/plain": {}}}
                    },
                }
            },
            **_linked_data_paths(),
            **_reconcile_paths(),
            **_history_paths(),
            **_curate_paths(),
            **_workbench_paths(),
            "/openapi.json": {
                "get": {
                    "summary": "This description",
                    "responses": {"200": {"description": "OpenAPI 3.1"}},
                }
            },
        },
        "components": {
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["status", "code", "message"],
                            "properties": {
                                "status": {"type": "integer"},
                                "code": {"type": "string"},
                                "message": {"type": "string"},
                                "hint": {"type": "string"},
                                "detail": {"type": "object"},
                            },
                        }
                    },
                }
            }
        },
    }
