"""The README's promises: two commands first, and .ci/run runs the same test command."""

from __future__ import annotations

import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", README, flags=re.DOTALL)[:2]


def test_readme_opens_with_two_commands() -> None:
    head = README.split("## ", 1)[0]
    assert len(re.findall(r"```sh\n", head)) == 2
    run, test = _commands()
    assert "\n" not in run and "\n" not in test
    assert "pip install" in run and "scidip-graph serve" in run and "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci.splitlines()


def test_readme_query_files_exist() -> None:
    for path in re.findall(r"queries/[\w-]+\.rq", README):
        assert (REPO_ROOT / path).is_file(), path


def test_readme_lists_every_setting() -> None:
    from scidip_graph.settings import documentation

    missing = [name for name, _, _ in documentation() if f"`{name}`" not in README]
    assert not missing, f"settings missing from the README: {missing}"
