"""Print docs/cli.md: `python scripts/cli_reference.py > docs/cli.md` (or `make docs`)."""
from sociable.cli.reference import reference

if __name__ == "__main__":
    print(reference(), end="")
