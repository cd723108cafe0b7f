"""Where the data the package ships lives: the project's ``seeds/``, installed as ``monitor.seeds``.

The watch list, the gazetteers (gazetteer.csv, world.csv, places_extra.csv), demonyms.csv and
the known incidents are found through ``importlib.resources``, never by a path relative to the
source tree, so that an installed wheel reads the copy it carries and a clone (an editable
install) reads its own ``seeds/``. The config's ``seeds_dir`` may name another folder laid out
the same way (``seeds_folder``); ``incidents.seeds`` another known-incidents file.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["SEEDS_DIR", "known_incidents_file", "seed_file", "seeds_folder"]


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


def seeds_folder(configured: str | Path | None = None) -> Path:
    """The reading data in use: the config's ``seeds_dir`` when set, else the shipped seeds."""
    return Path(configured) if configured else SEEDS_DIR


def known_incidents_file(configured: str | Path | None = None, seeds_dir: str | Path | None = None) -> Path:
    """The known incidents: the config's ``incidents.seeds``, else the incidents.yaml of the
    reading data in use (``seeds_dir``, else the shipped one)."""
    return Path(configured) if configured else seeds_folder(seeds_dir) / "incidents.yaml"
