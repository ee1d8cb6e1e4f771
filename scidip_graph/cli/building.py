"""The maintainers' generators: the ISO 3166 data and its shapes, the regions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from scidip_graph.cli.common import EXIT_OK, Declare
from scidip_graph.errors import UsageError


def cmd_build_countries(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.ingest import country_shapes

    country_shapes.write_all(Path(args.output), shapes_path=Path(args.shapes_output))
    print(f"wrote {args.output} and {args.shapes_output}", file=sys.stderr)
    return EXIT_OK


def cmd_build_regions(args: argparse.Namespace, out: TextIO) -> int:
    from scidip_graph.ingest import regions

    try:
        regions.write_regions(Path(args.output))
    except ModuleNotFoundError as err:
        raise UsageError(
            f"build-regions needs {err.name}: pip install -e '.[maintainers]'"
        ) from None
    print(f"wrote {args.output}", file=sys.stderr)
    return EXIT_OK


def countries_data() -> Path:
    from scidip_graph.resources import DATA_DIR

    return DATA_DIR / "iso3166.trig"


def regions_data() -> Path:
    from scidip_graph.resources import DATA_DIR

    return DATA_DIR / "regions.trig"


def countries_shapes() -> Path:
    from scidip_graph.resources import ONTOLOGY_DIR

    return ONTOLOGY_DIR / "shapes-iso3166.ttl"


def add_commands(command: Declare) -> None:
    """Declare this module's commands."""
    p = command(
        "build-countries",
        cmd_build_countries,
        "Regenerate data/iso3166.trig and its shapes from pycountry.",
        data=False,
    )
    p.add_argument("-o", "--output", default=str(countries_data()), help="data file to write")
    p.add_argument("--shapes-output", default=str(countries_shapes()), help="shapes file to write")

    p = command(
        "build-regions",
        cmd_build_regions,
        "Regenerate data/regions.trig from country-converter (the maintainers' extra).",
        data=False,
    )
    p.add_argument("-o", "--output", default=str(regions_data()), help="data file to write")
