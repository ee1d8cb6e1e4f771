"""Where the bundled ontology, data and queries live.

>>> (ONTOLOGY_DIR / "scidip.ttl").name
'scidip.ttl'
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_DIR = REPO_ROOT / "ontology"
DATA_DIR = REPO_ROOT / "data"
QUERIES_DIR = REPO_ROOT / "queries"
