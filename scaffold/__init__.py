"""scaffold: generate ready-to-run backend projects that are proven to work."""

__version__ = "0.1.0"
