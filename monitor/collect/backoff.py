"""When to poll a feed next: pure functions of the outcome and an injected random source.

After a success the feed's interval applies, stretched by Cache-Control max-age
when the server asks for it (within bounds), plus jitter so that feeds added
together do not stay in lock step. After a failure the delay doubles with each
consecutive error, starting from the interval, up to ``max_backoff`` (24 h by
default), and never below a server's Retry-After. Polling never stops for good:
even a feed failing for months is tried once a day.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

# max-age may stretch the interval, but never past this: a feed that says
# "cache me for a week" is still polled a few times a day.
MAX_AGE_CEILING = 6 * 3600.0


def next_poll_after_success(
    now: datetime,
    interval: float,
    jitter: float,
    rng: random.Random,
    max_age: float | None = None,
) -> datetime:
    delay = interval
    if max_age is not None:
        delay = max(delay, min(max_age, MAX_AGE_CEILING))
    return now + timedelta(seconds=delay + rng.uniform(0, jitter))


def failure_delay(interval: float, consecutive_errors: int, max_backoff: float) -> float:
    """interval, 2x, 4x ... capped at max_backoff. ``consecutive_errors`` counts this one."""
    steps = max(consecutive_errors - 1, 0)
    # cap the exponent so the float never overflows for a feed failing for years
    return min(max_backoff, interval * (2 ** min(steps, 32)))


def next_poll_after_failure(
    now: datetime,
    interval: float,
    consecutive_errors: int,
    max_backoff: float,
    rng: random.Random,
    retry_after: float | None = None,
) -> datetime:
    delay = failure_delay(interval, consecutive_errors, max_backoff)
    # +-20% so that many feeds failing together (one host down) spread their retries
    delay *= rng.uniform(0.8, 1.2)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return now + timedelta(seconds=min(delay, max_backoff))
