"""The incident register's rules (``linking``) and the known incidents (``known``)."""

from monitor.register.known import DEFAULT_SEEDS, SeedError, load_seeds, parse_seeds
from monitor.register.linking import *  # noqa: F403
from monitor.register.linking import __all__ as _rules
from monitor.register.linking import NEAR, SAME_ADMIN2, SAME_PLACE, snapshot_json, stored_precision

__all__ = [*_rules, "DEFAULT_SEEDS", "SeedError", "load_seeds", "parse_seeds", "NEAR", "SAME_ADMIN2", "SAME_PLACE", "snapshot_json", "stored_precision"]
