"""Generate science-diplomacy-shaped data of a given size, for the benchmarks.

The same ``--triples`` and ``--seed`` always give the same files. The data follows
docs/modelling.md: countries (names in six languages, ISO codes), organisations, people,
examples of science diplomacy with their categories, memberships as ``org:Membership`` with
dated intervals, topics in a SKOS hierarchy, and publications. It is spread over a few named
graphs, ``graph:bench-0`` (reference data) to ``graph:bench-4`` (editorial categories), one TriG
file each, with each graph's description in the file's default-graph block.

Output folder::

    trig/bench-N.trig   what scidip-graph loads (``--source-dir``)
    nquads/data.nq      the same quads, for the reference servers
    manifest.json       size, seed, counts per kind, and sample IRIs the query mix draws from

Usage: ``python bench/generate.py --triples 100000 --out bench/data/100k``
"""

from __future__ import annotations

import argparse
import gettext
import json
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import pyoxigraph as ox

SD = "https://w3id.org/scidip/ontology#"
ID = "https://w3id.org/scidip/id/"
GRAPH = "https://w3id.org/scidip/graph/"
SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
ORG = "http://www.w3.org/ns/org#"
TIME = "http://www.w3.org/2006/time#"
DCT = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

# No id: or graph: prefix: the slashes of their local names would be escaped (id:country\/CH).
PREFIXES = {
    "rdf": RDF_TYPE.removesuffix("type"),
    "sd": SD,
    "schema": SCHEMA,
    "skos": SKOS,
    "org": ORG,
    "time": TIME,
    "dct": DCT,
    "prov": PROV,
    "xsd": XSD,
}

CATEGORIES = ("science-for-diplomacy", "diplomacy-for-science", "science-in-diplomacy")
COUNTRY_ROLES = ("member-state", "member", "associate-member", "observer", "founding-member")
ROLES = (*COUNTRY_ROLES, "associate-member-pre-stage", "fellow")
SHORTCUT = {"observer": "observerOf", "fellow": "fellowOf"}  # otherwise sd:memberOf
LANGUAGES = ("fr", "es", "ar", "zh", "ru")
REFERENCE, SOURCES, EDITORIAL = 0, (1, 2, 3), 4
N_GRAPHS = 5
GENERATOR = 3
"""The generator's edition, in the manifest: bench/run.py regenerates data of an older one
(2: the data conforms to the shapes, provenance and primary categories included; 3: each
country is in a region)."""
GENERATED_AT = "2026-01-01T00:00:00Z"  # fixed: the same size and seed give the same bytes

# Where the triples go, as shares of what is left after the fixed reference data.
SHARES = {
    "organization": 0.07,
    "person": 0.18,
    "example": 0.28,
    "membership": 0.35,
    "publication": 0.12,
}
# Triples per thing, on average (to size the counts; the real total is reported).
TRIPLES_PER = {
    "organization": 7.6,
    "person": 7.0,
    "example": 13.8,
    "membership": 9.2,
    "publication": 7.0,
}
SAMPLES = 200

FIELDS = (
    "ocean", "climate", "vaccine", "physics", "synchrotron", "water", "energy", "space",
    "biodiversity", "health", "agriculture", "genomics", "seismology", "polar", "fusion",
    "astronomy", "fisheries", "desert", "malaria", "data",
)  # fmt: skip
ORG_KINDS = (
    "Council", "Institute", "Academy", "Network", "Centre", "Laboratory", "Foundation",
    "Observatory", "Commission", "Programme",
)  # fmt: skip
ORG_ADJECTIVES = (
    "International", "Regional", "Global", "African", "Asian", "European", "Pan-American",
    "Arab", "Mediterranean", "Pacific", "Nordic", "Andean",
)  # fmt: skip
ORG_FR = {
    "Council": "Conseil", "Institute": "Institut", "Academy": "Académie", "Network": "Réseau",
    "Centre": "Centre", "Laboratory": "Laboratoire", "Foundation": "Fondation",
    "Observatory": "Observatoire", "Commission": "Commission", "Programme": "Programme",
}  # fmt: skip
GIVEN = (
    "Amina", "Bruno", "Chen", "Dalia", "Emeka", "Farah", "Giulia", "Hiroshi", "Ines", "Jamal",
    "Katarina", "Luis", "Mariam", "Nikolai", "Olga", "Pedro", "Qing", "Rania", "Sipho", "Tariq",
    "Ursula", "Vikram", "Wanjiru", "Ximena", "Yusuf", "Zeynep", "Abdus", "Mohamed", "Lidia",
    "Priya",
)  # fmt: skip
FAMILY = (
    "Salam", "Ortolani", "Okafor", "Haddad", "Tanaka", "Silva", "Kowalski", "Nguyen", "Mensah",
    "Petrov", "Rahman", "Garcia", "Schmidt", "Cohen", "Abebe", "Kim", "Lopez", "Moreau",
    "Novak", "Osei", "Park", "Quispe", "Rossi", "Sato", "Traore", "Usman", "Varga", "Wang",
    "Yilmaz", "Zhou",
)  # fmt: skip
JOBS = ("Director", "Programme Officer", "Science Adviser", "Researcher", "Ambassador", "Fellow")
ACTIONS = (
    "joint research on", "a shared facility for", "training in", "a treaty provision on",
    "data sharing about", "a scientific attaché post for", "a summer school on",
)  # fmt: skip
OUTCOMES = (
    "opened dialogue between rival governments", "built trust across a disputed border",
    "trained young scientists from the global South", "informed a UN negotiation",
    "gave access to equipment no single country could afford",
)  # fmt: skip


def iri(kind: str, slug: str) -> ox.NamedNode:
    """The IRI of a resource, ``id:{kind}/{slug}``."""
    return ox.NamedNode(f"{ID}{kind}/{slug}")


def term(prefixed: str) -> ox.NamedNode:
    """A NamedNode from a prefixed name such as ``schema:name``."""
    prefix, local = prefixed.split(":", 1)
    return ox.NamedNode(PREFIXES[prefix] + local)


def text(value: str, lang: str = "en") -> ox.Literal:
    return ox.Literal(value, language=lang)


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


A = ox.NamedNode(RDF_TYPE)
Object = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass
class Sizes:
    """How many things of each kind to make for a target number of triples."""

    countries: int
    topics: int
    organization: int
    person: int
    example: int
    membership: int
    publication: int

    @classmethod
    def for_triples(cls, triples: int) -> Sizes:
        """Counts that add up to about ``triples`` triples.

        >>> Sizes.for_triples(100_000).countries
        249
        """
        countries = min(249, max(20, triples // 400))
        topics = max(21, triples // 1000)
        fixed = countries * 10 + topics * 5 + 60
        left = max(triples - fixed, 1000)
        counts = {
            kind: max(5, round(left * share / TRIPLES_PER[kind])) for kind, share in SHARES.items()
        }
        return cls(countries=countries, topics=topics, **counts)


@dataclass
class Generator:
    """Builds the quads, graph by graph, from one seeded random source."""

    sizes: Sizes
    rng: random.Random
    graphs: list[list[ox.Quad]] = field(default_factory=lambda: [[] for _ in range(N_GRAPHS)])
    countries: list[ox.NamedNode] = field(default_factory=list)
    topics: list[ox.NamedNode] = field(default_factory=list)
    organizations: list[ox.NamedNode] = field(default_factory=list)
    people: list[ox.NamedNode] = field(default_factory=list)
    examples: list[ox.NamedNode] = field(default_factory=list)

    def add(self, graph: int, s: ox.NamedNode | ox.BlankNode, p: str, o: Object) -> None:
        node = ox.NamedNode(f"{GRAPH}bench-{graph}")
        self.graphs[graph].append(ox.Quad(s, term(p), o, node))

    def source_graph(self, index: int) -> int:
        return SOURCES[index % len(SOURCES)]

    def skewed(self, things: list[ox.NamedNode]) -> ox.NamedNode:
        """A thing picked with a bias to the first ones (a few big organisations, many small)."""
        return things[int(len(things) * self.rng.random() ** 2)]

    def run(self) -> None:
        self.concepts()
        self.roles()
        self.country_list()
        self.topic_tree()
        for kind in ("organization", "person", "example", "membership", "publication"):
            make = getattr(self, f"make_{kind}")
            for i in range(getattr(self.sizes, kind)):
                make(i)

    def concepts(self) -> None:
        scheme, top = iri("scheme", "science-diplomacy"), iri("concept", "science-diplomacy")
        self.add(REFERENCE, scheme, "rdf:type", term("skos:ConceptScheme"))
        self.add(REFERENCE, scheme, "skos:prefLabel", text("Science diplomacy"))
        self.add(REFERENCE, scheme, "skos:hasTopConcept", top)
        for slug in ("science-diplomacy", *CATEGORIES):
            concept = iri("concept", slug)
            self.add(REFERENCE, concept, "rdf:type", term("skos:Concept"))
            self.add(REFERENCE, concept, "skos:inScheme", scheme)
            self.add(REFERENCE, concept, "skos:prefLabel", text(slug.replace("-", " ").title()))
            if slug != "science-diplomacy":
                self.add(REFERENCE, concept, "skos:broader", top)
                self.add(REFERENCE, concept, "skos:definition", text(f"The {slug} category."))

    def roles(self) -> None:
        scheme = iri("scheme", "roles")
        for slug in ROLES:
            role = iri("role", slug)
            self.add(REFERENCE, role, "rdf:type", term("org:Role"))
            self.add(REFERENCE, role, "skos:inScheme", scheme)
            self.add(REFERENCE, role, "skos:prefLabel", text(slug.replace("-", " ")))

    def country_list(self) -> None:
        translations = {
            lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
            for lang in LANGUAGES
        }
        every = sorted(pycountry.countries, key=lambda c: c.alpha_2)
        for c in self.rng.sample(every, self.sizes.countries):
            country = iri("country", c.alpha_2)
            self.countries.append(country)
            self.add(REFERENCE, country, "rdf:type", term("schema:Country"))
            self.add(REFERENCE, country, "schema:name", text(c.name))
            for lang, tr in translations.items():
                self.add(REFERENCE, country, "schema:name", text(tr.gettext(c.name), lang))
            self.add(REFERENCE, country, "sd:iso3166Alpha2", ox.Literal(c.alpha_2))
            self.add(REFERENCE, country, "sd:iso3166Alpha3", ox.Literal(c.alpha_3))
            self.add(REFERENCE, country, "sd:iso3166Numeric", ox.Literal(c.numeric))
            # Every country is in a region (shape:CountryRegionShape): one per initial letter.
            region = iri("region", f"bench-region-{c.alpha_2[0].lower()}")
            self.add(REFERENCE, region, "rdf:type", term("sd:Region"))
            self.add(REFERENCE, region, "schema:name", text(f"Region {c.alpha_2[0]}"))
            self.add(REFERENCE, country, "schema:containedInPlace", region)
        self.countries.sort(key=lambda n: n.value)

    def topic_tree(self) -> None:
        """Topics under science diplomacy, four levels deep (for ``skos:broader*``)."""
        scheme = iri("scheme", "topics")
        self.add(REFERENCE, scheme, "rdf:type", term("skos:ConceptScheme"))
        self.add(REFERENCE, scheme, "skos:prefLabel", text("Topics"))
        for i in range(self.sizes.topics):
            topic = iri("concept", f"topic-{i:05d}")
            field_name = FIELDS[i % len(FIELDS)]
            parent = iri("concept", "science-diplomacy") if i < 5 else self.topics[(i - 5) // 4]
            self.topics.append(topic)
            self.add(REFERENCE, topic, "rdf:type", term("skos:Concept"))
            self.add(REFERENCE, topic, "skos:inScheme", scheme)
            self.add(REFERENCE, topic, "skos:prefLabel", text(f"{field_name.title()} topic {i}"))
            self.add(REFERENCE, topic, "skos:prefLabel", text(f"Thème {field_name} {i}", "fr"))
            self.add(REFERENCE, topic, "skos:broader", parent)

    def make_organization(self, i: int) -> None:
        org, g, rng = iri("organization", f"org-{i:06d}"), self.source_graph(i), self.rng
        adjective, field_name, kind = (
            rng.choice(ORG_ADJECTIVES),
            rng.choice(FIELDS),
            rng.choice(ORG_KINDS),
        )
        self.organizations.append(org)
        self.add(g, org, "rdf:type", term("schema:Organization"))
        self.add(g, org, "rdf:type", term("org:Organization"))
        self.add(g, org, "schema:name", text(f"{adjective} {field_name.title()} {kind} {i}"))
        self.add(g, org, "schema:name", text(f"{ORG_FR[kind]} {field_name} {i}", "fr"))
        if i % 3 == 0:
            self.add(g, org, "schema:name", text(f"{kind} de {field_name} {i}", "es"))
        acronym = "".join(w[0] for w in (adjective, field_name, kind)).upper()
        self.add(g, org, "schema:alternateName", ox.Literal(f"{acronym}{i}"))
        self.add(g, org, "schema:location", rng.choice(self.countries))
        self.add(g, org, "schema:foundingDate", typed(str(rng.randint(1900, 2020)), "gYear"))
        if i >= 20 and i % 4 == 0:
            self.add(g, org, "schema:parentOrganization", self.organizations[rng.randrange(20)])

    def make_person(self, i: int) -> None:
        person, g, rng = iri("person", f"person-{i:06d}"), self.source_graph(i), self.rng
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        self.people.append(person)
        self.add(g, person, "rdf:type", term("schema:Person"))
        self.add(g, person, "schema:name", text(f"{given} {family}"))
        self.add(g, person, "schema:givenName", ox.Literal(given))
        self.add(g, person, "schema:familyName", ox.Literal(family))
        self.add(g, person, "schema:nationality", rng.choice(self.countries))
        self.add(g, person, "schema:worksFor", self.skewed(self.organizations))
        self.add(g, person, "schema:jobTitle", text(rng.choice(JOBS)))

    def make_example(self, i: int) -> None:
        example, g, rng = iri("example", f"example-{i:06d}"), self.source_graph(i), self.rng
        field_name, action = rng.choice(FIELDS), rng.choice(ACTIONS)
        orgs = {self.skewed(self.organizations) for _ in range(rng.randint(1, 3))}
        countries = rng.sample(self.countries, rng.randint(1, 4))
        self.examples.append(example)
        self.add(g, example, "rdf:type", term("sd:Example"))
        self.add(g, example, "schema:name", text(f"{field_name.title()} cooperation {i}"))
        names = ", ".join(c.value.rsplit("/", 1)[1] for c in countries)
        description = f"{action.capitalize()} {field_name} involving {names}."
        self.add(g, example, "schema:description", text(description))
        self.add(g, example, "sd:outcome", text(f"It {rng.choice(OUTCOMES)}."))
        for org in sorted(orgs, key=lambda n: n.value):
            self.add(g, example, "sd:involvesOrganization", org)
        for country in countries:
            self.add(g, example, "sd:involvesCountry", country)
        for _ in range(rng.randint(0, 2)):
            self.add(g, example, "sd:involvesPerson", rng.choice(self.people))
        self.add(g, example, "schema:about", rng.choice(self.topics))
        self.add(g, example, "schema:startDate", typed(str(rng.randint(1950, 2025)), "gYear"))
        self.add(g, example, "dct:source", iri("source", f"bench-source-{g}"))
        categories = rng.sample(CATEGORIES, 2 if rng.random() < 0.3 else 1)
        for category in categories:
            self.add(EDITORIAL, example, "sd:category", iri("concept", category))
        self.add(EDITORIAL, example, "sd:primaryCategory", iri("concept", categories[0]))

    def make_membership(self, i: int) -> None:
        rng = self.rng
        org = self.skewed(self.organizations)
        fellow = rng.random() < 0.25
        member = rng.choice(self.people) if fellow else rng.choice(self.countries)
        role = "fellow" if fellow else rng.choice(COUNTRY_ROLES)
        org_slug, member_slug = (n.value.rsplit("/", 1)[1].lower() for n in (org, member))
        m = iri("membership", f"{org_slug}-{member_slug}-{role}-{i}")
        g = self.source_graph(i)
        self.add(g, m, "rdf:type", term("org:Membership"))
        self.add(g, m, "org:member", member)
        self.add(g, m, "org:organization", org)
        self.add(g, m, "org:role", iri("role", role))
        self.add(g, member, f"sd:{SHORTCUT.get(role, 'memberOf')}", org)
        if not fellow:
            self.interval(g, m, i)

    def interval(self, g: int, membership: ox.NamedNode, i: int) -> None:
        rng = self.rng
        interval, begin = ox.BlankNode(f"i{i}"), ox.BlankNode(f"b{i}")
        year = rng.randint(1950, 2022)
        self.add(g, membership, "org:memberDuring", interval)
        self.add(g, interval, "rdf:type", term("time:Interval"))
        self.add(g, interval, "time:hasBeginning", begin)
        self.add(g, begin, "rdf:type", term("time:Instant"))
        day = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        self.add(g, begin, "time:inXSDDate", typed(day, "date"))
        if rng.random() < 0.15:
            end = ox.BlankNode(f"e{i}")
            self.add(g, interval, "time:hasEnd", end)
            self.add(g, end, "rdf:type", term("time:Instant"))
            self.add(g, end, "time:inXSDgYear", typed(str(rng.randint(year + 1, 2024)), "gYear"))

    def make_publication(self, i: int) -> None:
        rng, g = self.rng, self.source_graph(i)
        publication = iri("publication", f"publication-{i:06d}")
        self.add(g, publication, "rdf:type", term("schema:Report"))
        self.add(g, publication, "schema:name", text(f"Report on {rng.choice(FIELDS)} {i}"))
        authors = {rng.choice(self.people) for _ in range(rng.randint(1, 3))}
        for person in sorted(authors, key=lambda n: n.value):
            self.add(g, publication, "schema:author", person)
        self.add(g, publication, "schema:publisher", self.skewed(self.organizations))
        self.add(g, publication, "schema:about", rng.choice(self.examples))
        day = f"{rng.randint(1990, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        self.add(g, publication, "schema:datePublished", typed(day, "date"))

    def samples(self) -> dict[str, list[str]]:
        """IRIs the query mix draws from, spread over each list."""
        lists = {
            "example": self.examples,
            "organization": self.organizations,
            "person": self.people,
            "country": self.countries,
            "topic": self.topics[:5],
        }
        picked = {}
        for kind, things in lists.items():
            step = max(1, len(things) // SAMPLES)
            picked[kind] = [t.value for t in things[::step][:SAMPLES]]
        return picked


def description(graph: int) -> Iterator[ox.Quad]:
    """The provenance of one generated graph (the file's default-graph block)."""
    node = ox.NamedNode(f"{GRAPH}bench-{graph}")
    agent = iri("agent", "bench-generator")
    role = {REFERENCE: "reference data", EDITORIAL: "editorial categories"}.get(graph, "facts")
    triples: list[tuple[ox.NamedNode, Object]] = [
        (A, term("sd:SourceGraph")),
        (term("dct:title"), text(f"Generated benchmark data: {role} (graph {graph})")),
        (term("prov:wasDerivedFrom"), iri("source", "bench-generator")),
        (term("prov:wasAttributedTo"), agent),
        (term("dct:license"), ox.NamedNode("https://creativecommons.org/licenses/by/4.0/")),
        (term("prov:generatedAtTime"), ox.Literal(GENERATED_AT, datatype=term("xsd:dateTime"))),
    ]
    for p, o in triples:
        yield ox.Quad(node, p, o, ox.DefaultGraph())
    # What the provenance points at, described as the shapes ask (the data conforms).
    sources = [("bench-generator", "The benchmark data generator (bench/generate.py)")]
    if graph in SOURCES:
        sources.append((f"bench-source-{graph}", f"Generated source document {graph}"))
    described = [(agent, A, term("prov:Agent")), (agent, term("schema:name"), text("bench"))]
    for slug, title in sources:
        described += [(iri("source", slug), A, term("prov:Entity"))]
        described += [(iri("source", slug), term("dct:title"), text(title))]
    for s, p, o in described:
        yield ox.Quad(s, p, o, ox.DefaultGraph())


def write(generator: Generator, out: Path, *, seed: int, target: int) -> dict[str, object]:
    """Write the TriG files, the N-Quads copy and the manifest; return the manifest."""
    (out / "trig").mkdir(parents=True, exist_ok=True)
    (out / "nquads").mkdir(parents=True, exist_ok=True)
    everything: list[ox.Quad] = []
    for graph, quads in enumerate(generator.graphs):
        file_quads = [*description(graph), *quads]
        path = out / "trig" / f"bench-{graph}.trig"
        ox.serialize(file_quads, path, ox.RdfFormat.TRIG, prefixes=PREFIXES)
        everything.extend(file_quads)
    ox.serialize(everything, out / "nquads" / "data.nq", ox.RdfFormat.N_QUADS)
    manifest: dict[str, object] = {
        "target_triples": target,
        "triples": len(everything),
        "seed": seed,
        "generator": GENERATOR,
        "graphs": [f"{GRAPH}bench-{g}" for g in range(N_GRAPHS)],
        "counts": vars(generator.sizes),
        "samples": generator.samples(),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def generate(triples: int, out: Path, *, seed: int = 42) -> dict[str, object]:
    """Generate about ``triples`` triples into ``out``; return the manifest."""
    generator = Generator(Sizes.for_triples(triples), random.Random(seed))
    generator.run()
    return write(generator, out, seed=seed, target=triples)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, default=100_000, help="about this many triples")
    parser.add_argument("--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    args = parser.parse_args(argv)
    manifest = generate(args.triples, args.out, seed=args.seed)
    print(f"{manifest['triples']} triples in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
