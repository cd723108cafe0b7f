"""sahel-monitor: watches the news for armed-conflict incidents in Mali and the Sahel."""

__version__ = "0.1.0"
