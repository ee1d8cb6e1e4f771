"""The OpenAPI 3.1 description of the HTTP API (a test checks it names every route)."""

from __future__ import annotations

from typing import Any

from .. import __version__
from ..settings import Settings

_ERROR = {"$ref": "#/components/schemas/Error"}


def _errors(*codes: int) -> dict[str, Any]:
    return {
        str(c): {"description": _REASONS[c], "content": {"application/json": {"schema": _ERROR}}}
        for c in codes
    }


_REASONS = {
    400: "Bad request: syntax error (with line and column), bad parameter, nesting too deep.",
    403: "Refused by policy: SERVICE, LOAD, outside graphs, or a write without the token.",
    404: "Not found.",
    405: "Method not allowed.",
    406: "No acceptable representation; the error lists the media types on offer.",
    413: "Query or body too large.",
    415: "Unsupported request body type.",
    501: "Not implemented.",
    503: "Time limit reached, or too many heavy queries (then with Retry-After).",
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
        "description": "Graphs whose merge is the default graph (default: union of all).",
    },
    {
        "name": "named-graph-uri",
        "in": "query",
        "schema": {"type": "array", "items": {"type": "string"}},
        "description": "Graphs GRAPH may range over (default: all named graphs).",
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
                "description": "Present when the row cap cut the result.",
            },
        },
        "content": {
            m: {}
            for m in (
                "application/sparql-results+json",
                "application/sparql-results+xml",
                "text/csv",
                "text/tab-separated-values",
                "text/turtle",
                "application/ld+json",
                "application/n-triples",
                "application/rdf+xml",
                "application/trig",
                "application/n-quads",
            )
        },
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
            "responses": {**_RESULTS, **_errors(400, 403, 406, 413, 415, 501, 503)},
        },
        "options": {"summary": "CORS preflight", "responses": {"204": {"description": "OK"}}},
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
