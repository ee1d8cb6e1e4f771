"""Namespaces are declared once: in ``scidip_graph/namespaces.py``, which also holds the one
``compact()`` and ``expand()``.

No other module of the package writes a namespace IRI out in a string literal (docstrings are
exempt: their doctest examples and prose show real IRIs on purpose, and they are not code), nor
does a template (they get ``RDF_TYPE``, ``ID_BASE`` and ``page_path()`` from the site); the data
files that declare prefixes of their own (the JSON-LD context, the ontology, the data) give
each prefix the namespace this module gives it.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from rdflib import Namespace
from rdflib.namespace import DefinedNamespaceMeta

import scidip_graph
from scidip_graph import namespaces
from scidip_graph.namespaces import (
    DESCRIPTION_PREFIXES,
    NAMESPACES,
    PREFIXES,
    SERVICE_PREFIXES,
    SHAPE_PREFIXES,
    compact,
    expand,
)
from scidip_graph.resources import DATA_DIR, ONTOLOGY_DIR

PACKAGE = Path(scidip_graph.__file__).parent
TABLES = (PREFIXES, SHAPE_PREFIXES, SERVICE_PREFIXES, DESCRIPTION_PREFIXES, NAMESPACES)


def declared_namespaces() -> set[str]:
    """Every namespace IRI ``namespaces.py`` declares (its own and those it takes from rdflib)."""
    found = {
        str(value)
        for value in vars(namespaces).values()
        if isinstance(value, (Namespace, DefinedNamespaceMeta))
    }
    return found | set(NAMESPACES.values())


def docstring_nodes(tree: ast.AST) -> set[int]:
    """The ids of the string constants that are documentation: a string standing alone as a
    statement (the docstring of a module, class or function, or of an attribute)."""
    return {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def literals(path: Path) -> Iterator[tuple[int, str]]:
    """(line, text) of every string literal of a module that is not documentation, f-string
    parts included."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docs = docstring_nodes(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docs:
            if isinstance(node.value, str):
                yield node.lineno, node.value
            elif isinstance(node.value, bytes):
                yield node.lineno, node.value.decode("utf-8", "replace")


def test_no_module_but_namespaces_writes_a_namespace_iri_out() -> None:
    spaces = sorted(declared_namespaces(), key=len, reverse=True)
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "namespaces.py":
            continue
        for line, text in sorted(literals(path)):
            hit = next((ns for ns in spaces if ns in text), None)
            if hit is not None:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {hit}")
    for path in sorted(PACKAGE.rglob("*.html")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            hit = next((ns for ns in spaces if ns in line), None)
            if hit is not None:
                found.append(f"{path.relative_to(PACKAGE.parent)}:{number}: {hit}")
    assert not found, (
        "namespace IRIs written out of scidip_graph/namespaces.py (take the term or the prefix "
        "table from there):\n" + "\n".join(found)
    )


def test_the_check_sees_literals_and_skips_docstrings(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        '"""Doc: http://schema.org/name."""\n'
        "X = 'http://schema.org/' + 'name'\n"
        "def f(x):\n"
        '    """>>> f("http://schema.org/")"""\n'
        '    return f"<{x}> <http://www.w3.org/2001/XMLSchema#string>"\n'
    )
    texts = [(line, text) for line, text in literals(module) if "://" in text]
    assert texts == [(2, "http://schema.org/"), (5, "> <http://www.w3.org/2001/XMLSchema#string>")]


def test_every_namespace_declared_has_one_prefix() -> None:
    assert len(set(NAMESPACES.values())) == len(NAMESPACES), "two prefixes for one namespace"
    for table in TABLES:
        assert all(NAMESPACES[p] == ns for p, ns in table.items()), "a prefix with two meanings"


def test_the_context_and_the_rdf_files_give_each_prefix_the_same_namespace() -> None:
    context = json.loads((ONTOLOGY_DIR / "context.jsonld").read_text())["@context"]
    declared = {
        key: value
        for key, value in context.items()
        if isinstance(value, str) and value.endswith(("/", "#"))
    }
    assert declared == {p: NAMESPACES[p] for p in declared}
    turtle_prefix = re.compile(r"^@prefix\s+([\w-]*):\s*<([^>]*)>", re.MULTILINE)
    for path in [*ONTOLOGY_DIR.glob("*.ttl"), *DATA_DIR.rglob("*.trig")]:
        for prefix, namespace in turtle_prefix.findall(path.read_text(encoding="utf-8")):
            if prefix in NAMESPACES:
                assert NAMESPACES[prefix] == namespace, f"{path.name}: {prefix}:"


locals_ = st.text(alphabet="abcXYZ019-_/.#%", min_size=1, max_size=12)


@given(prefix=st.sampled_from(sorted(NAMESPACES)), local=locals_)
def test_expand_undoes_compact(prefix: str, local: str) -> None:
    iri = NAMESPACES[prefix] + local
    for table in TABLES:
        for plain in (False, True):
            assert expand(compact(iri, prefixes=table, plain=plain), prefixes=table) == iri


def test_compact_takes_the_longest_namespace_and_a_usable_local_name() -> None:
    table = {"a": "http://x.org/", "b": "http://x.org/b/"}
    assert compact("http://x.org/b/c", prefixes=table) == "b:c"
    assert compact("http://x.org/b/", prefixes=table) == "a:b/"
    assert compact("http://x.org/", prefixes=table) == "http://x.org/"
    assert compact("http://x.org///c", prefixes=table) == "http://x.org///c"
    assert compact("http://x.org/b/c/d", prefixes=table, plain=True) == "http://x.org/b/c/d"
    assert expand("a://c", prefixes=table) == "a://c"
    assert expand("a", prefixes=table) == "a"
