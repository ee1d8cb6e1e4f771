"""The example form of ``/curate``: one row of the import's template, typed in a browser.

A new example goes, like a one-row import, into a graph of its own
(``graph:import-{YYYYMMDD}-{digest of the form}``, described as entered at ``/curate`` by its
curator); an example of one of the curator's own import graphs (attributed to the curator's
agent, :func:`~.importer.agent`) can be edited there: the edit replaces its quads in that graph
and its categories in ``graph:editorial``, through the same plan (:func:`.importer.plan_rows`)
and the same gate.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox

from scidip_graph.curation.importer import (
    EDITORIAL,
    ImportPlan,
    agent,
    import_graph,
    now,
    plan_rows,
)
from scidip_graph.curation.index import NameIndex
from scidip_graph.curation.sheet import COLUMNS, SheetRow
from scidip_graph.errors import NotFoundError, UnauthorizedError
from scidip_graph.namespaces import DCTERMS, GRAPH, PROV, RDF, SCHEMA, SD
from scidip_graph.sparql.tokens import Curator
from scidip_graph.store import Store

FIELDS = {column: column.replace(" ", "_") for column in COLUMNS}
"""The form's field of each template column (``host countries`` -> ``host_countries``)."""
_IMPORTS = f"{GRAPH}import-"


def _n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _text(term: object) -> str:
    """An IRI's or a literal's value."""
    return term.value if isinstance(term, ox.NamedNode | ox.Literal) else ""


def form_row(form: Mapping[str, str]) -> SheetRow:
    """The form's fields as a row of the template.

    >>> form_row({"name": " Ada ", "start": "1843"}).values["name"]
    'Ada'
    """
    return SheetRow(1, 1, {c: str(form.get(f, "")).strip() for c, f in FIELDS.items()})


def plan_form(
    store: Store,
    index: NameIndex,
    form: Mapping[str, str],
    *,
    curator: Curator,
    editing: str | None = None,
) -> ImportPlan:
    """The plan of saving the form: a new example, or the edit of ``editing`` (an example of
    one of the curator's import graphs)."""
    row = form_row(form)
    at = now()
    if editing:
        graph = own_graph(store, editing, curator=curator)
    else:
        fields = json.dumps([curator.name, at, row.values], sort_keys=True).encode()
        graph = import_graph(hashlib.sha256(fields).hexdigest(), at)
    source = {"name": "the form at /curate", "media_type": "text/html"}
    return plan_rows(
        store, index, [row], curator=curator, at=at, graph=graph, source=source, editing=editing
    )


def own_graph(store: Store, example: str, *, curator: Curator) -> str:
    """The import graph of ``curator``'s that states ``example``.

    Raises:
        NotFoundError: no import graph states it.
        UnauthorizedError: only another curator's do.
    """
    view = store.view()
    graphs = sorted(
        q.graph_name.value
        for q in view.quads_for_pattern(_n(example), _n(RDF.type), _n(SD.Example), None)
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value.startswith(_IMPORTS)
    )
    if not graphs:
        raise NotFoundError(
            f"no import graph states the example {example}",
            hint="Only the examples of import graphs (imported, or added at /curate) can be "
            "edited here.",
        )
    who = _n(agent(curator.name))
    for graph in graphs:
        if any(view.quads_for_pattern(_n(graph), _n(PROV.wasAttributedTo), who, None)):
            return graph
    raise UnauthorizedError(
        f"the example {example} is in another curator's import graph",
        hint="A curator edits the examples of their own imports.",
    )


def example_form(store: Store, index: NameIndex, example: str, graph: str) -> dict[str, str]:
    """The form's fields of an example of an import graph, as the curator entered them
    (names where a name finds the resource again, else its IRI)."""
    view = store.view()
    ex, g, ed = _n(example), _n(graph), _n(EDITORIAL)

    def objects(prop: object, where: ox.NamedNode = g) -> list[Any]:
        return [q.object for q in view.quads_for_pattern(ex, _n(prop), None, where)]

    def name(node: Any) -> str:
        entity = index.entities.get(node.value)
        if entity is None:
            return str(node.value)
        found = index.find(entity.name, limit=2)
        return entity.name if found and found[0].match and found[0].entity is entity else node.value

    def names(prop: object) -> str:
        return "; ".join(sorted(name(o) for o in objects(prop)))

    hosts = {o.value for o in objects(SD.hostOrganization)}
    takes_part = {o.value for o in objects(SD.participantOrganization)}
    institutions = []
    for o in sorted(objects(SD.involvesOrganization), key=lambda o: o.value):
        role = "host" if o.value in hosts else "participant" if o.value in takes_part else ""
        institutions.append(f"{name(o)} ({role})" if role else name(o))
    primary = [o.value for o in objects(SD.primaryCategory, ed)]
    categories = sorted((o.value for o in objects(SD.category, ed)), key=lambda c: c not in primary)
    url = title = ""
    for source in objects(DCTERMS.source):
        url, title = (
            next((_text(q.object) for q in view.quads_for_pattern(source, p, None)), "")
            for p in (_n(SCHEMA.url), _n(DCTERMS.title))
        )
    values = {
        "name": next((o.value for o in objects(SCHEMA.name)), ""),
        "description": next((o.value for o in objects(SCHEMA.description)), ""),
        "category": "; ".join(c.rsplit("/", 1)[-1].replace("-", " ") for c in categories),
        "host countries": names(SD.hostCountry),
        "participant countries": names(SD.participantCountry),
        "institutions": "; ".join(institutions),
        "people": names(SD.involvesPerson),
        "start": next((o.value for o in objects(SCHEMA.startDate)), ""),
        "end": next((o.value for o in objects(SCHEMA.endDate)), ""),
        "source url": url,
        "source title": title,
    }
    return {FIELDS[c]: v for c, v in values.items()}
