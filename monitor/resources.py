"""Where the data the package ships lives: the project's ``seeds/``, installed as ``monitor.seeds``.

The watch list, the gazetteer and the known incidents are found through
``importlib.resources``, never by a path relative to the source tree, so that an installed
wheel reads the copy it carries and a clone (an editable install) reads its own ``seeds/``.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["SEEDS_DIR", "seed_file"]


def _seeds_dir() -> Path:
    # a regular package on disk (wheel or editable install) is a real folder: the gazetteer
    # and the watch list are read with open() and their mtimes watched, so a Path it must be
    folder = files("monitor.seeds")
    if not isinstance(folder, Path):
        raise RuntimeError(f"monitor.seeds is not a folder on disk ({folder!r}): install the package unzipped")
    return folder


SEEDS_DIR: Path = _seeds_dir()


def seed_file(name: str) -> Path:
    """One shipped data file by name: ``watchlist.yaml``, ``gazetteer.csv``, ``incidents.yaml``."""
    return SEEDS_DIR / name
