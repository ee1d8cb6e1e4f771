"""Access to the bundled folders: the ontology and shapes, the curated data, the research queries.

They live at the top of the repository (``ontology/``, ``data/``, ``queries/``), where researchers
look for them, and a wheel carries them inside this package as package data. So in an installed
wheel they are read from here, and in a checkout (editable install or not) from the repository.

Imports nothing from the project: every other room may use it.

>>> (ONTOLOGY_DIR / "scidip.ttl").name
'scidip.ttl'
>>> sorted(p.name for p in DATA_DIR.glob("*.trig"))[:2]
['article.trig', 'cern-member-states.trig']
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["DATA_DIR", "ONTOLOGY_DIR", "QUERIES_DIR"]


def _folder(name: str) -> Path:
    packaged = Path(str(resources.files(__name__))) / name
    if packaged.is_dir():  # an installed wheel
        return packaged
    return Path(__file__).resolve().parents[2] / name  # a checkout


ONTOLOGY_DIR = _folder("ontology")
DATA_DIR = _folder("data")
QUERIES_DIR = _folder("queries")
