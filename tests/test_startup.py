"""The data folder: validated and built on first start, reloaded after, kept with its writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from scidip_graph.cli import EXIT_NOT_CONFORMING, main
from scidip_graph.errors import NotConformingError, UsageError
from scidip_graph.resources import DATA_DIR
from scidip_graph.settings import Settings
from scidip_graph.store.startup import prepare_store
from tests.conftest import SAMPLE

NAME = ox.NamedNode("http://schema.org/name")
CH = ox.NamedNode("https://w3id.org/scidip/id/country/CH")
G2 = ox.NamedNode("https://w3id.org/scidip/graph/two")


def settings(tmp_path: Path, source: Path, **more: object) -> Settings:
    return Settings(data_dir=tmp_path / "var", source_dir=source, **more)  # type: ignore[arg-type]


@pytest.fixture
def sample_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    return folder


def test_non_conforming_data_is_refused_on_first_start(tmp_path: Path, sample_dir: Path) -> None:
    with pytest.raises(NotConformingError) as refused:
        prepare_store(settings(tmp_path, sample_dir))
    assert refused.value.report.violations()
    assert not list((tmp_path / "var").glob("snapshot-*.nq"))  # nothing to serve later


def test_serve_exits_1_with_the_report(tmp_path: Path, sample_dir: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["serve", "--data-dir", str(tmp_path / "var"), "--source-dir", str(sample_dir)])
    assert code == EXIT_NOT_CONFORMING
    err = capsys.readouterr().err
    assert "does not conform" in err and "--allow-invalid" in err


def test_allow_invalid_serves_it(tmp_path: Path, sample_dir: Path) -> None:
    store = prepare_store(settings(tmp_path, sample_dir, allow_invalid=True))
    assert len(store) == 22


def test_a_restart_loads_the_snapshot_and_the_log(tmp_path: Path, sample_dir: Path) -> None:
    first = prepare_store(settings(tmp_path, sample_dir, validate=False))
    first.commit(added=[ox.Quad(CH, NAME, ox.Literal("Schweiz", language="de"), G2)], author="test")
    again = prepare_store(settings(tmp_path, sample_dir, validate=False))
    assert len(again) == 23 and again.head == 1
    assert again.version == first.version


def test_changed_sources_rebuild_a_folder_without_writes(tmp_path: Path, sample_dir: Path) -> None:
    prepare_store(settings(tmp_path, sample_dir, validate=False))
    text = (sample_dir / SAMPLE.name).read_text().replace('"Suisse"@fr, ', "")
    (sample_dir / SAMPLE.name).write_text(text)
    assert len(prepare_store(settings(tmp_path, sample_dir, validate=False))) == 21


def test_changed_sources_keep_a_folder_with_writes(
    tmp_path: Path, sample_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    store = prepare_store(settings(tmp_path, sample_dir, validate=False))
    store.commit(added=[ox.Quad(CH, NAME, ox.Literal("Schweiz", language="de"), G2)], author="test")
    (sample_dir / "extra.ttl").write_text("<http://a> <http://b> <http://c> .\n")
    kept = prepare_store(settings(tmp_path, sample_dir, validate=False))
    assert len(kept) == 23
    assert "holds writes" in caplog.text


def test_an_empty_source_folder_is_a_usage_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(UsageError, match="no RDF files"):
        prepare_store(settings(tmp_path, empty))


def test_the_bundled_data_starts(tmp_path: Path) -> None:
    store = prepare_store(settings(tmp_path, DATA_DIR))
    assert "https://w3id.org/scidip/graph/article" in store.graph_names()
