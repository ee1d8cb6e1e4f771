"""The query page a browser gets from a bare GET on ``/sparql`` (the fast path sends it here)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from scidip_graph.namespaces import prefix_declarations, prefix_table

bp = Blueprint("query_page", __name__)


@bp.get("/sparql")
@bp.get("/query")
def query_page() -> str:
    """A form to write a query and choose the result format."""
    settings = current_app.extensions["scidip"]["settings"]
    example = (
        prefix_declarations(prefix_table("schema", "sd"), sparql=True)
        + "\nSELECT ?example ?name WHERE {\n"
        "  ?example a sd:Example ; schema:name ?name .\n"
        "  FILTER(lang(?name) = 'en')\n"
        "}\nORDER BY ?name"
    )
    return render_template("query.html", example=example, settings=settings)
