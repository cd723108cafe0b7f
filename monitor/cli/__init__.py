"""The command line: thin click commands over the stages (``sahel-monitor --help``).

``main`` is the console script; ``cli`` the click group, for tests and embedding. Each command
loads only the stages it needs, so that ``extract`` does not pay for the daemon's imports.
"""

from __future__ import annotations

from monitor.cli.main import cli, main

__all__ = ["cli", "main"]
