"""The one entry point: ``irdesk`` (GUI with no arguments) and its subcommands."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    from irdesk.cli import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
