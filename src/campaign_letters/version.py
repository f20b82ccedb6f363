"""The version, spelled once: pyproject.toml reads it from here (hatch)."""

__version__ = "0.2.0"
