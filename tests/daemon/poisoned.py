"""Articles of our own, some marked POISON, and a reader step that fails on those.

``python -m tests.daemon.poisoned ARGS`` runs the real ``sahel-monitor`` with one step of the
real reader, the watch-list scan, raising on texts marked POISON, as a bug in the reader
would on some article; everything else (the CLI, the daemon, the store) is real.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

POISON = "POISON"


def attack(n: int, poisoned: bool = False) -> str:
    """A short article that the extractor reads as a fresh attack in Mali (one per ``n``)."""
    mark = f" {POISON}" if poisoned else ""
    return (
        f"Attaque à Ménaka numéro {n}{mark}\n"
        f"Des hommes armés ont tué {n % 50 + 2} soldats le jeudi 5 juin 2025 près du village de Village{n},"
        " dans le cercle de Ménaka, au Mali, selon des sources locales.\n"
    )


class BrokenScan:
    """Wraps ``Matcher.scan`` to raise on poisoned texts until ``fixed``; ``seen``: every text scanned."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.fixed = False

    def wrap(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def scan(matcher: Any, text: str, *args: Any, **kwargs: Any) -> Any:
            self.seen.append(text)
            if POISON in text and not self.fixed:
                raise ValueError("unbalanced figure in the text")
            return real(matcher, text, *args, **kwargs)

        return scan


if __name__ == "__main__":
    from monitor.cli import main
    from monitor.reading import Matcher

    Matcher.scan = BrokenScan().wrap(Matcher.scan)  # type: ignore[method-assign]
    main()
