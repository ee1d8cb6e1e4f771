"""The plan of an import: each row of a sheet reconciled, its quads, and the SHACL report.

A row (:mod:`.sheet`) becomes one ``sd:Example``, ``id:example/{slug of its name}``. Every
name in it is reconciled through :class:`~scidip_graph.curation.index.NameIndex` (countries
against ``schema:Country``, institutions against ``schema:Organization``, people against
``schema:Person``): a cell is used only when its name *matches* (the index's rule: one
candidate at 95 or more); an ambiguous name, an unknown one or a misspelling (with the closest
names and their scores) is a :class:`Problem` of its row, with what to fix. So are a category
that is not one of the three, a date not written ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, a
row that repeats another, a name the graph has already, a formula cell, and an empty required
cell.

Where the quads go (:func:`plan_rows`):

- the example (type, name, description, ``dct:source``, dates, the countries, institutions
  and people with their roles: ``sd:hostCountry``/``sd:participantCountry``,
  ``sd:hostOrganization``/``sd:participantOrganization``, each with its super-property, and
  ``sd:involvesPerson``) into the import's own named graph, :func:`import_graph`
  (``graph:import-{YYYYMMDD}-{first 8 hex digits of the file's SHA-256}``), an
  ``sd:EditorialGraph``: a curator's reading of the sources the rows cite;
- the categories (``sd:category``, and the first as ``sd:primaryCategory``) into
  ``graph:editorial``, where the modelling keeps them, if the curator's token may write it
  (else the plan says why, and the would-be examples lack them);
- into the default graph, as for every source: the import graph's description (title, the
  sources its rows cite and the file, by its SHA-256, as ``prov:wasDerivedFrom``, the curator
  as ``prov:wasAttributedTo``, the time as ``prov:generatedAtTime``, the licence), the file,
  the curator's agent, and each source URL the graph does not know yet (with the title the
  row gives it).

The SHACL report is the gate's (:func:`scidip_graph.sparql.update.gate`) on the would-be state:
the same check the commit makes. A plan is *clean* when no row has a problem and the report
conforms; only a clean plan is committed (:mod:`.pending`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from scidip_graph.curation.index import MATCH_MIN, Candidate, NameIndex
from scidip_graph.curation.names import fold
from scidip_graph.curation.sheet import Formula, Sheet, SheetRow
from scidip_graph.ingest.validation import ValidationReport
from scidip_graph.namespaces import DCTERMS, GRAPH, ID, PROV, RDF, SCHEMA, SD, SKOS, XSD, compact
from scidip_graph.sparql.dry_run import nothing_to_check, report_json
from scidip_graph.sparql.tokens import Curator
from scidip_graph.sparql.update import gate
from scidip_graph.store import Store
from scidip_graph.store.oxigraph import stored_form

EDITORIAL = str(GRAPH.editorial)
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
SEPARATOR = re.compile(r"\s*[;\n]\s*")
"""Between the names of a cell that holds several (``Jordan; Egypt``): a semicolon or a line
break, never a comma, which names hold (``Korea, Republic of``)."""
ROLES = ("host", "participant", "involved")
_ROLE = re.compile(r"^(.*?)\s*\((host|participant|involved)\)$", re.I)
DATE_FORMATS = "YYYY, YYYY-MM or YYYY-MM-DD (1954, 1954-09, 1954-09-29)"
_DATES = (
    (re.compile(r"\d{4}"), XSD.gYear),
    (re.compile(r"\d{4}-\d{2}"), XSD.gYearMonth),
    (re.compile(r"\d{4}-\d{2}-\d{2}"), XSD.date),
)
_S, _SD = str(SCHEMA), str(SD)
COUNTRY, ORGANIZATION, PERSON = _S + "Country", _S + "Organization", _S + "Person"
_KIND = {COUNTRY: "country", ORGANIZATION: "institution", PERSON: "person"}
_TOP = ox.NamedNode(str(ID["concept/science-diplomacy"]))
SUGGEST_MIN = 70
"""The least score of a candidate offered as "did you mean" for a name that does not match."""


def _n(iri: object) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


@dataclass(frozen=True)
class Problem:
    """Something to fix before the import can be written.

    Attributes:
        row: the sheet's row number (0: the sheet as a whole).
        column: the template column, if one.
        cell: the cell's reference (``C4``), if one.
        message: what is wrong.
        hint: what to do.
    """

    row: int
    column: str | None
    message: str
    hint: str = ""
    cell: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}

    def text(self) -> str:
        where = f"row {self.row}" if self.row else "the sheet"
        if self.column:
            where += f", {self.column}" + (f" ({self.cell})" if self.cell else "")
        return f"{where}: {self.message}" + (f". {self.hint}" if self.hint else "")


@dataclass
class CellMatch:
    """One name of a cell, reconciled: the resource it matched (if any) and the candidates."""

    column: str
    text: str
    status: str  # matched, ambiguous, unknown
    candidates: list[Candidate]
    role: str = ""

    @property
    def iri(self) -> str | None:
        return self.candidates[0].entity.iri if self.status == "matched" else None

    def to_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"column": self.column, "text": self.text, "status": self.status}
        if self.role:
            found["role"] = self.role
        found["candidates"] = [
            {"id": c.entity.iri, "name": c.entity.name, "score": c.score, "match": c.match}
            for c in self.candidates
        ]
        return found


@dataclass
class RowPlan:
    """A row's example: its IRI, its reconciled names, its problems, its quads."""

    number: int
    line: int
    name: str
    example: str
    cells: list[CellMatch] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    quads: list[ox.Quad] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.number,
            "line": self.line,
            "name": self.name,
            "example": self.example,
            "quads": len(self.quads),
            "cells": [c.to_json() for c in self.cells],
            "problems": [p.to_json() for p in self.problems],
        }


@dataclass
class ImportPlan:
    """What an import would write, and whether it may.

    Attributes:
        graph: the import's named graph.
        version: the data version the plan was made on.
        rows: each row's plan.
        problems: the sheet's problems that are no row's (editorial graph not writable).
        added, removed: the change, quads not in the store and quads in it.
        report: the gate's SHACL report on the would-be state.
    """

    graph: str
    version: str
    curator: str
    at: str
    source: dict[str, Any]
    rows: list[RowPlan]
    problems: list[Problem]
    added: list[ox.Quad]
    removed: list[ox.Quad]
    report: ValidationReport
    editorial: bool

    @property
    def all_problems(self) -> list[Problem]:
        return [*self.problems, *(p for r in self.rows for p in r.problems)]

    @property
    def clean(self) -> bool:
        return not self.all_problems and self.report.conforms

    def to_json(self) -> dict[str, Any]:
        return {
            "clean": self.clean,
            "graph": self.graph,
            "version": self.version,
            "curator": self.curator,
            "date": self.at,
            "source": self.source,
            "editorial": {"graph": EDITORIAL, "written": self.editorial},
            "rows": [r.to_json() for r in self.rows],
            "problems": [p.to_json() for p in self.all_problems],
            "shacl": report_json(self.report),
            "quads": {"added": len(self.added), "removed": len(self.removed)},
        }

    def text(self) -> str:
        """The preview as the command line prints it."""
        lines = [f"{len(self.rows)} rows into {compact(self.graph)}, by {self.curator}"]
        for row in self.rows:
            lines.append(f"row {row.number}: {row.name or '(no name)'} -> {compact(row.example)}")
            for cell in row.cells:
                best = cell.candidates[0] if cell.candidates else None
                if cell.status == "matched" and best is not None:
                    lines.append(
                        f"  {cell.column}: {cell.text!r} = {best.entity.name} "
                        f"({compact(best.entity.iri)}, score {best.score:g})"
                    )
        problems = self.all_problems
        lines.append(f"{len(problems)} problem{'s' * (len(problems) != 1)}")
        lines.extend(f"  {p.text()}" for p in problems)
        violations = self.report.violations()
        lines.append(f"SHACL: {'conforms' if self.report.conforms else 'does not conform'}")
        lines.extend(
            f"  {r.focus_node} {r.path or ''}: {r.message} ({r.source_shape})" for r in violations
        )
        lines.append(f"{len(self.added)} quads to add, {len(self.removed)} to remove")
        return "\n".join(lines)


def import_graph(digest: str, at: str) -> str:
    """The named graph of an import made at ``at`` (ISO time) of a file of SHA-256 ``digest``.

    >>> import_graph("ab12cd34ef", "2026-12-01T10:00:00+00:00")
    'https://w3id.org/scidip/graph/import-20261201-ab12cd34'
    """
    return f"{GRAPH}import-{at[:10].replace('-', '')}-{digest[:8]}"


def now() -> str:
    """The time of now, as plans record it (UTC, to the second)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def slug(name: str) -> str:
    """The slug of an example's IRI: its name's words, folded, joined by ``-``.

    >>> slug("Ça ira: Science & Peace!")
    'ca-ira-science-and-peace'
    """
    return fold(name).replace(" ", "-")[:80].strip("-")


def plan_sheet(
    store: Store, index: NameIndex, sheet: Sheet, *, curator: Curator, at: str | None = None
) -> ImportPlan:
    """The plan of importing ``sheet`` (a file) for ``curator``; nothing is written."""
    at = at or now()
    graph = import_graph(sheet.digest, at)
    source = {"name": sheet.name, "media_type": sheet.media_type, "sha256": sheet.digest}
    return plan_rows(store, index, sheet.rows, curator=curator, at=at, graph=graph, source=source)


def plan_rows(
    store: Store,
    index: NameIndex,
    rows: Sequence[SheetRow],
    *,
    curator: Curator,
    at: str,
    graph: str,
    source: dict[str, Any],
    editing: str | None = None,
) -> ImportPlan:
    """The plan of writing ``rows`` into ``graph``.

    Args:
        source: the file (``name``, ``media_type``, ``sha256``) the rows come from; a file
            with no ``sha256`` (a form) is not described.
        editing: the IRI of an example of ``graph`` that the (one) row replaces.
    """
    store.refresh()
    view = store.view()
    version = store.version
    categories = _categories(view)
    problems: list[Problem] = []
    editorial = curator.may_write(EDITORIAL)
    if not editorial:
        problems.append(
            Problem(
                0,
                "category",
                f"curator {curator.name} may not write graph:editorial, where the examples' "
                "categories go, so the examples would have none (every example needs one)",
                "Import with a token that may write graph:editorial.",
            )
        )
    for needed in (graph, ""):
        if not curator.may_write(needed):
            where = compact(needed) if needed else "the default graph (the import's provenance)"
            problems.append(
                Problem(
                    0,
                    None,
                    f"curator {curator.name} may not write {where}",
                    "An import needs a token that may write every graph ('*').",
                )
            )
    plans: list[RowPlan] = []
    seen: dict[str, int] = {}
    sources: dict[str, ox.NamedNode] = {}
    extra: list[ox.Quad] = []
    g = _n(graph)
    for row in rows:
        plan = _plan_row(row, index, view, categories, g, editorial=editorial, example=editing)
        key = plan.example
        if key in seen:
            plan.problems.append(
                Problem(
                    row.number,
                    "name",
                    f"repeats row {seen[key]} (the same name, {compact(key)})",
                    "Remove one of the two rows, or give them different names.",
                )
            )
        elif key and key != editing and any(view.quads_for_pattern(_n(key), None, None, None)):
            plan.problems.append(
                Problem(
                    row.number,
                    "name",
                    f"the graph has an example {compact(key)} already",
                    "Give this example another name, or edit that one at /curate.",
                )
            )
        if seen.setdefault(key, row.number) != row.number:
            plan.quads.clear()  # a repeated row adds nothing to the would-be graph
        extra.extend(_source(row, plan, view, sources))
        plans.append(plan)
    description = _description(view, graph, source, curator, at, list(sources.values()))
    added = stored_form([*description, *extra, *(q for p in plans for q in p.quads)])
    added = sorted({q for q in added if not any(view.quads_for_pattern(*q))}, key=str)
    removed = _old_example(view, editing, graph) if editing else []
    removed = [q for q in removed if q not in set(added)]
    added = [q for q in added if q not in set(removed)]
    report = gate(view, added, removed) if added or removed else nothing_to_check()
    return ImportPlan(
        graph, version, curator.name, at, source, plans, problems, added, removed, report, editorial
    )


def _plan_row(
    row: SheetRow,
    index: NameIndex,
    view: Any,
    categories: dict[str, str],
    g: ox.NamedNode,
    *,
    editorial: bool,
    example: str | None = None,
) -> RowPlan:
    """A row's plan; ``example``: its IRI, when it edits one (else minted from its name)."""
    v = row.values
    name = v["name"]
    if example is None:
        example = str(ID[f"example/{slug(name)}"]) if slug(name) else ""
    plan = RowPlan(row.number, row.line, name, example)
    problems = plan.problems
    for formula in row.formulas:
        problems.append(_formula(row.number, formula))
    for column in ("name", "description", "category", "source url"):
        if not v[column] and not any(f.column == column for f in row.formulas):
            problems.append(Problem(row.number, column, "is empty", f"Fill in the {column}."))
    if not example:
        return plan
    ex = _n(example)
    quads = plan.quads
    quads.append(ox.Quad(ex, _n(RDF.type), _n(SD.Example), g))
    quads.append(ox.Quad(ex, _n(SCHEMA.name), ox.Literal(name, language="en"), g))
    if v["description"]:
        text = ox.Literal(v["description"], language="en")
        quads.append(ox.Quad(ex, _n(SCHEMA.description), text, g))
    picked = _pick_categories(row.number, v["category"], categories, problems)
    if picked and editorial:
        ed = _n(EDITORIAL)
        quads.append(ox.Quad(ex, _n(SD.primaryCategory), _n(picked[0]), ed))
        quads.extend(ox.Quad(ex, _n(SD.category), _n(c), ed) for c in picked)
    for column, sub, sup in (
        ("host countries", SD.hostCountry, SD.involvesCountry),
        ("participant countries", SD.participantCountry, SD.involvesCountry),
    ):
        for cell in _names(index, column, v[column], COUNTRY, row.number, problems):
            plan.cells.append(cell)
            if cell.iri:
                quads.append(ox.Quad(ex, _n(sub), _n(cell.iri), g))
                quads.append(ox.Quad(ex, _n(sup), _n(cell.iri), g))
    props = {
        "host": (SD.hostOrganization, SD.involvesOrganization),
        "participant": (SD.participantOrganization, SD.involvesOrganization),
        "involved": (SD.involvesOrganization,),
    }
    for cell in _names(
        index, "institutions", v["institutions"], ORGANIZATION, row.number, problems
    ):
        plan.cells.append(cell)
        if cell.iri:
            quads.extend(ox.Quad(ex, _n(p), _n(cell.iri), g) for p in props[cell.role])
    for cell in _names(index, "people", v["people"], PERSON, row.number, problems):
        plan.cells.append(cell)
        if cell.iri:
            quads.append(ox.Quad(ex, _n(SD.involvesPerson), _n(cell.iri), g))
    dates = {}
    for column, prop in (("start", SCHEMA.startDate), ("end", SCHEMA.endDate)):
        date = _date(row.number, column, v[column], problems)
        if date is not None:
            dates[column] = date
            quads.append(ox.Quad(ex, _n(prop), date, g))
    if len(dates) == 2 and dates["end"].value < dates["start"].value[: len(dates["end"].value)]:
        problems.append(
            Problem(
                row.number,
                "end",
                f"ends ({dates['end'].value}) before it starts ({dates['start'].value})",
                "Check the two dates.",
            )
        )
    return plan


def _formula(row: int, formula: Formula) -> Problem:
    return Problem(
        row,
        formula.column,
        f"holds a formula ({formula.formula}), whose value the import cannot read",
        "Replace it by its value (copy the cell, then Paste Special > Values).",
        cell=formula.cell,
    )


def _names(
    index: NameIndex, column: str, text: str, type_iri: str, row: int, problems: list[Problem]
) -> list[CellMatch]:
    """Each name of a cell reconciled against the class ``type_iri``."""
    found = []
    for part in (p for p in SEPARATOR.split(text) if p):
        role = ""
        if column == "institutions":
            m = _ROLE.match(part)
            part, role = (m.group(1), m.group(2).lower()) if m else (part, "involved")
        candidates = index.find(part, types=[type_iri], limit=5)
        kind = _KIND[type_iri]
        if any(c.match for c in candidates):
            found.append(CellMatch(column, part, "matched", candidates[:1], role))
            continue
        sure = [c for c in candidates if c.score >= MATCH_MIN]
        if sure:
            named = "; ".join(f"{c.entity.name} <{c.entity.iri}>" for c in sure)
            problems.append(
                Problem(
                    row,
                    column,
                    f"{part!r} names {len(sure)} resources: {named}",
                    f"Write the IRI of the {kind} you mean instead of its name.",
                )
            )
            found.append(CellMatch(column, part, "ambiguous", sure, role))
        elif candidates and candidates[0].score >= SUGGEST_MIN:
            best = candidates[0]
            problems.append(
                Problem(
                    row,
                    column,
                    f"no {kind} of the graph is called {part!r}; the closest is "
                    f"{best.entity.name!r} (score {best.score:g})",
                    f"Did you mean {best.entity.name!r}? Correct the spelling, or write its "
                    f"IRI <{best.entity.iri}>.",
                )
            )
            found.append(CellMatch(column, part, "unknown", candidates, role))
        else:
            problems.append(
                Problem(
                    row,
                    column,
                    f"no {kind} of the graph is called {part!r}",
                    f"Check the name; a {kind} the graph lacks must be added to it first "
                    "(docs/modelling.md).",
                )
            )
            found.append(CellMatch(column, part, "unknown", [], role))
    return found


def _categories(view: Any) -> dict[str, str]:
    """The three categories: each folded label, slug and IRI -> the category's IRI."""
    found: dict[str, str] = {}
    for q in view.quads_for_pattern(None, _n(SKOS.broader), _TOP, None):
        iri = q.subject.value
        found[fold(iri.rsplit("/", 1)[-1])] = iri
        found[iri] = iri
        for label in view.quads_for_pattern(q.subject, _n(SKOS.prefLabel), None, None):
            found[fold(label.object.value)] = iri
    return found


def _pick_categories(
    row: int, text: str, categories: dict[str, str], problems: list[Problem]
) -> list[str]:
    picked: list[str] = []
    three = sorted({k for k, v in categories.items() if k != v and "-" not in k and " " in k})
    for part in (p for p in SEPARATOR.split(text) if p):
        iri = categories.get(part) or categories.get(fold(part))
        if iri is None:
            problems.append(
                Problem(
                    row,
                    "category",
                    f"{part!r} is not a category",
                    f"Use one of the three: {', '.join(three)} (several: separate them by ;"
                    " and the first is the primary one).",
                )
            )
        elif iri not in picked:
            picked.append(iri)
    return picked


def _date(row: int, column: str, text: str, problems: list[Problem]) -> ox.Literal | None:
    if not text:
        return None
    for pattern, datatype in _DATES:
        if pattern.fullmatch(text):
            try:
                dt.date.fromisoformat((text + "-01-01")[:10])
            except ValueError:
                break
            return ox.Literal(text, datatype=_n(datatype))
    problems.append(
        Problem(
            row, column, f"{text!r} is not a date the import reads", f"Write it {DATE_FORMATS}."
        )
    )
    return None


def _source(
    row: SheetRow, plan: RowPlan, view: Any, sources: dict[str, ox.NamedNode]
) -> list[ox.Quad]:
    """The row's ``dct:source``: the source document of its URL (the graph's, or a new one
    described with the row's title); the new source's quads."""
    url, title = row.values["source url"], row.values["source title"]
    if not url or not plan.quads:  # no name, or a repeated row
        return []
    if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url):
        plan.problems.append(
            Problem(
                row.number,
                "source url",
                f"{url!r} is not a web address",
                "Give the address of the page the example comes from (https://...).",
            )
        )
        return []
    new: list[ox.Quad] = []
    node = sources.get(url)
    if node is None:
        known = [
            q.subject
            for q in view.quads_for_pattern(None, _n(SCHEMA.url), ox.NamedNode(url), None)
            if any(view.quads_for_pattern(q.subject, _n(RDF.type), _n(PROV.Entity), None))
        ]
        if known:
            node = min(known, key=str)
        elif not title:
            plan.problems.append(
                Problem(
                    row.number,
                    "source title",
                    f"the graph has no source at {url}, so it needs a title",
                    "Give the page's title in the source title column.",
                )
            )
            return []
        else:
            digest = hashlib.sha256(url.encode()).hexdigest()[:12]
            node = _n(ID[f"source/import-{digest}"])
            d = ox.DefaultGraph()
            new = [
                ox.Quad(node, _n(RDF.type), _n(PROV.Entity), d),
                ox.Quad(node, _n(RDF.type), _n(SCHEMA.WebPage), d),
                ox.Quad(node, _n(DCTERMS.title), ox.Literal(title, language="en"), d),
                ox.Quad(node, _n(SCHEMA.name), ox.Literal(title, language="en"), d),
                ox.Quad(node, _n(SCHEMA.url), ox.NamedNode(url), d),
            ]
        sources[url] = node
    g = plan.quads[0].graph_name
    plan.quads.append(ox.Quad(_n(plan.example), _n(DCTERMS.source), node, g))
    return new


def agent(curator: str) -> str:
    """The ``prov:Agent`` of a curator, as an import graph is attributed to it.

    >>> agent("alice")
    'https://w3id.org/scidip/id/agent/curator-alice'
    """
    return str(ID[f"agent/curator-{slug(curator) or 'anonymous'}"])


def _description(
    view: Any,
    graph: str,
    source: dict[str, Any],
    curator: Curator,
    at: str,
    sources: list[ox.NamedNode],
) -> list[ox.Quad]:
    """The import graph's description in the default graph, as for every source graph (of
    a graph described already, an edit's: only the sources it now cites too)."""
    d = ox.DefaultGraph()
    g, who = _n(graph), _n(agent(curator.name))
    derived = [ox.Quad(g, _n(PROV.wasDerivedFrom), s, d) for s in sources]
    if any(view.quads_for_pattern(g, _n(RDF.type), _n(SD.SourceGraph), None)):
        return derived
    digest = source.get("sha256")
    title = (
        f"Examples imported from {source['name']} by {curator.name} on {at[:10]}"
        if digest
        else f"Examples entered at /curate by {curator.name}"
    )
    quads = [
        ox.Quad(g, _n(RDF.type), _n(SD.SourceGraph), d),
        ox.Quad(g, _n(RDF.type), _n(SD.EditorialGraph), d),
        ox.Quad(g, _n(DCTERMS.title), ox.Literal(title, language="en"), d),
        ox.Quad(g, _n(PROV.wasAttributedTo), who, d),
        ox.Quad(g, _n(DCTERMS.license), _n(LICENSE), d),
        ox.Quad(g, _n(PROV.generatedAtTime), ox.Literal(at, datatype=_n(XSD.dateTime)), d),
        ox.Quad(who, _n(RDF.type), _n(PROV.Agent), d),
        ox.Quad(who, _n(SCHEMA.name), ox.Literal(curator.name, language="en"), d),
        *derived,
    ]
    if digest:
        file = _n(ID[f"source/import-file-{digest[:16]}"])
        quads += [
            ox.Quad(g, _n(PROV.wasDerivedFrom), file, d),
            ox.Quad(file, _n(RDF.type), _n(PROV.Entity), d),
            ox.Quad(file, _n(RDF.type), _n(SCHEMA.DigitalDocument), d),
            ox.Quad(file, _n(DCTERMS.title), ox.Literal(source["name"], language="en"), d),
            ox.Quad(file, _n(SCHEMA.sha256), ox.Literal(digest), d),
            ox.Quad(file, _n(SCHEMA.encodingFormat), ox.Literal(source["media_type"]), d),
        ]
    return quads


def _old_example(view: Any, example: str, graph: str) -> list[ox.Quad]:
    """The quads of an example in its import graph and its categories in graph:editorial."""
    ex = _n(example)
    old = list(view.quads_for_pattern(ex, None, None, _n(graph)))
    for p in (SD.category, SD.primaryCategory):
        old.extend(view.quads_for_pattern(ex, _n(p), None, _n(EDITORIAL)))
    return sorted(old, key=str)
