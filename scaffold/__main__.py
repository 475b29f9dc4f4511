"""Entry point for ``python -m scaffold``."""

from scaffold.cli import main

main()
