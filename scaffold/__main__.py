"""Entry point for ``python -m scaffold`` and the ``scaffold`` command."""

import sys


def run() -> None:
    """Import the CLI and run it; Ctrl-C while it is still loading is exit 130 like any other."""
    try:
        from scaffold.cli import main
    except KeyboardInterrupt:
        sys.exit(130)
    main()


if __name__ == "__main__":
    run()
