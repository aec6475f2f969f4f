"""Docs are tested: the CLI reference is current and every command carries an example."""
from pathlib import Path

from sociable.cli.reference import commands, help_text, reference

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_is_current():
    current = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert current == reference(), "docs/cli.md is out of date: run `make docs`"


def test_every_command_has_an_example():
    missing = [" ".join(path) for path, cmd in commands()
               if "Example:" not in help_text(path, cmd)]
    assert not missing, f"commands without an Example: line: {missing}"


def test_readme_shows_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
