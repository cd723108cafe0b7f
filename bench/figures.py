"""Benchmark of the extract stage's number, date and casualty readers on synthetic articles.

Prints one table: sentences per second and 5 KB articles per second for find_quantities,
find_dates, find_figures (sentence by sentence) and all three together, on one core (CPU
time of this process, best of five runs, so other load on the machine does not count). The
articles mix English and French news sentences, a few of them with casualty figures, in
the proportions of real conflict reporting (most sentences count nobody).

    .venv/bin/python bench/figures.py [--articles N] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor.reading import find_dates, find_figures, find_quantities

ARTICLE_BYTES = 5_000
PUBLISHED = date(2025, 6, 3)

# written for this benchmark; {n} is a number, {d} a day of the month
CASUALTY_SENTENCES = [
    "Armed men killed at least {n} soldiers in an ambush near the village on Sunday.",
    "Officials said {n} gunmen were neutralised and {n} others detained.",
    "The attack left {n} dead and {n} wounded, according to a local official.",
    "Une trentaine de militaires ont perdu la vie lors de l'attaque du camp.",
    "Le bilan provisoire fait état de {n} morts et {n} blessés parmi les civils.",
    "Since early May, more than {n} soldiers have been killed across the region.",
    "Des hommes armés ont enlevé {n} personnes dans la nuit de samedi à dimanche.",
    "Dozens of villagers were killed when gunmen stormed the market on {d} June.",
]
OTHER_SENTENCES = [
    "The convoy was travelling {n} km north of the town when the column came under fire.",
    "Residents said the security situation had deteriorated sharply since the start of the year.",
    "The government announced new measures to secure the main supply roads in the north.",
    "Les autorités de transition ont réaffirmé leur volonté de sécuriser l'ensemble du territoire.",
    "The city was first occupied by armed groups in 2012 and retaken the following year.",
    "Selon une source locale, les habitants ont fui vers les localités voisines.",
    "A spokesman declined to comment on the operation, citing security concerns.",
    "Les échanges de tirs ont duré près de deux heures, selon des témoins joints par téléphone.",
    "The regional governor met community leaders on {d} May to discuss the return of displaced families.",
    "Humanitarian organisations warned that access to the area remained extremely limited.",
    "Le marché hebdomadaire a été fermé jusqu'à nouvel ordre par les autorités locales.",
    "Analysts say the group has expanded its operations towards the coastal states in recent years.",
]


def synthetic_article(rng: random.Random) -> str:
    """About 5 KB of news prose: roughly one casualty sentence in six."""
    parts: list[str] = []
    size = 0
    while size < ARTICLE_BYTES:
        pool = CASUALTY_SENTENCES if rng.random() < 0.16 else OTHER_SENTENCES
        sentence = rng.choice(pool).format(n=rng.randint(2, 450), d=rng.randint(1, 28))
        parts.append(sentence)
        size += len(sentence.encode()) + 1
    return " ".join(parts)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences_of(article: str) -> list[str]:
    return _SENTENCE_END.split(article)


def timed(work: Callable[[], object], repeat: int = 5) -> float:
    """Least CPU time of a few runs: one core's throughput, whatever else the machine runs."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        work()
        best = min(best, time.process_time() - t0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    articles = [synthetic_article(rng) for _ in range(args.articles)]
    split = [sentences_of(a) for a in articles]
    n_sentences = sum(len(s) for s in split)
    n_figures = sum(len(find_figures(s)) for ss in split for s in ss)

    def quantities() -> None:
        for a in articles:
            find_quantities(a)

    def dates() -> None:
        for a in articles:
            find_dates(a, PUBLISHED, None)

    def figures() -> None:
        for ss in split:
            for s in ss:
                find_figures(s)

    def all_three() -> None:
        for a, ss in zip(articles, split, strict=True):
            find_quantities(a)
            find_dates(a, PUBLISHED, None)
            for s in ss:
                find_figures(s)

    def dates_and_figures() -> None:
        for a, ss in zip(articles, split, strict=True):
            find_dates(a, PUBLISHED, None)
            for s in ss:
                find_figures(s)

    rows = [
        ("find_quantities (article)", timed(quantities)),
        ("find_dates (article)", timed(dates)),
        ("find_figures (per sentence)", timed(figures)),
        ("all three", timed(all_three)),
        # find_figures reads the counts of its own sentences: a report stage needs only these two
        ("find_dates + find_figures", timed(dates_and_figures)),
    ]
    kb = sum(len(a.encode()) for a in articles) / len(articles) / 1000
    print(f"{len(articles)} synthetic articles of {kb:.1f} KB, {n_sentences} sentences, {n_figures} figures")
    print(f"{'stage':<30} {'sentences/s':>12} {'articles/s':>11} {'ms/article':>11}")
    for name, seconds in rows:
        print(
            f"{name:<30} {n_sentences / seconds:>12,.0f} {len(articles) / seconds:>11,.0f}"
            f" {1000 * seconds / len(articles):>11.3f}"
        )


if __name__ == "__main__":
    main()
