"""Benchmark: loading the watch list and gazetteer, then scan + relevance throughput.

    python bench/match.py [--articles 1000] [--size 5000] [--seed 7]

Builds synthetic ~5 KB articles from sentences written for this benchmark (French and
English incident reports, politics, sport, tech; half of the sentences neutral, naming
nothing the matcher looks for, as in real articles), scans each one on one core and
prints one table: load time, articles/s, MB/s. Targets: load < 1 s; scan well above
1,000 articles/s (the later target for match and reports together).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.reading import Gazetteer, Matcher, load_watchlist, relevance

SEEDS = ROOT / "seeds"

INCIDENT_FR = [
    "Des hommes armés non identifiés ont attaqué le poste de {place} dans la nuit de samedi à dimanche.",
    "Le bilan provisoire fait état de {n} militaires tués et de plusieurs blessés, selon une source sécuritaire.",
    "Les FAMa affirment avoir neutralisé {n} terroristes lors d'une contre-offensive appuyée par des frappes aériennes.",
    "Un engin explosif improvisé a touché un véhicule de l'armée malienne sur l'axe {place}-{place2}.",
    "Plusieurs civils ont été enlevés par des jihadistes présumés près de {place}, dans la région de {region}.",
    "Le JNIM a revendiqué l'attaque contre le camp de {place} via son organe de propagande.",
    "Des villageois de {place} ont fui vers {place2} après l'incendie de leurs greniers.",
    "« Nous avons entendu des tirs nourris toute la matinée », a raconté un habitant joint par téléphone.",
]
INCIDENT_EN = [
    "Gunmen on motorbikes attacked a military outpost near {place} on Sunday, security sources said.",
    "At least {n} soldiers were killed and several others were reported missing after the assault.",
    "The army said it repelled the attack and killed {n} assailants in the fighting around {place}.",
    "A roadside bomb struck a convoy travelling between {place} and {place2}, wounding {n} troops.",
    "Jihadists linked to the Islamic State Sahel Province abducted {n} villagers in the {region} region.",
    "Residents of {place} said Wagner fighters and Malian soldiers searched houses and detained dozens of men.",
]
POLITICS = [
    "The transitional authorities announced a new timetable for the return to constitutional order.",
    "Le gouvernement de transition a adopté en conseil des ministres un projet de loi sur la décentralisation.",
    "Les trois pays de l'Alliance des États du Sahel ont annoncé un passeport commun et une force unifiée.",
    "Economists expect cotton and gold exports to grow this year despite higher fuel prices in {place}.",
    "La cérémonie d'ouverture du salon de l'agriculture s'est tenue à Bamako en présence de plusieurs ministres.",
]
SPORT_TECH = [
    "The Eagles dominated the second half, but the striker missed a penalty in the final minutes.",
    "Le sélectionneur a dévoilé une liste de vingt-trois joueurs pour les qualifications de la Coupe d'Afrique.",
    "The new phone ships with a faster chip, a brighter screen and a battery that lasts two days.",
    "Developers say the update fixes a bug that made the game crash on older tablets.",
    "Streaming services keep raising prices while adding advertising to their cheaper plans.",
]
# Sentences that name nothing the matcher looks for: most of a real article is like this.
NEUTRAL = [
    "The report, published on Tuesday, draws on interviews conducted over several months.",
    "According to the document, the situation has changed considerably since the beginning of the year.",
    "Selon plusieurs observateurs, la situation reste préoccupante malgré les annonces officielles.",
    "Le document, publié mardi, s'appuie sur des entretiens menés pendant plusieurs mois.",
    "Officials did not respond to requests for comment by the time of publication.",
    "Contactées, les autorités n'ont pas souhaité s'exprimer sur le sujet.",
    "Analysts say the coming weeks will be decisive for the region and its partners.",
    "Cette décision intervient dans un contexte marqué par de fortes tensions diplomatiques.",
]
PLACES = ["Boulkessi", "Tombouctou", "Timbuktu", "Mopti", "Djibo", "Ménaka", "Gao", "Kidal", "San", "Diafarabé",
          "Sévaré", "Ogossagou", "Tillabéri", "Arbinda", "Niono", "Léré", "Bankass", "Dori", "Douentza"]
REGIONS = ["Mopti", "Ségou", "Tombouctou", "Gao", "Sahel", "Tillabéri", "Koulikoro"]


def make_article(rng: random.Random, size: int) -> str:
    """One article of about ``size`` characters: mostly one kind, some filler."""
    kind = rng.random()
    pool = INCIDENT_FR + INCIDENT_EN if kind < 0.4 else POLITICS if kind < 0.7 else SPORT_TECH
    parts: list[str] = []
    length = 0
    while length < size:
        roll = rng.random()
        source = NEUTRAL if roll < 0.5 else pool if roll < 0.9 else rng.choice([INCIDENT_FR, POLITICS, SPORT_TECH])
        sentence = rng.choice(source).format(
            place=rng.choice(PLACES), place2=rng.choice(PLACES), region=rng.choice(REGIONS), n=rng.randint(2, 60)
        )
        parts.append(sentence)
        length += len(sentence) + 1
        if rng.random() < 0.15:
            parts.append("\n")
    return " ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="scan + relevance throughput")
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--size", type=int, default=5000, help="characters per article")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    watchlist = load_watchlist(SEEDS / "watchlist.yaml")
    gazetteer = Gazetteer.load([SEEDS / "gazetteer.csv", SEEDS / "places_extra.csv"])
    matcher = Matcher.build(watchlist, gazetteer)
    load_time = time.perf_counter() - started

    rng = random.Random(args.seed)
    articles = [make_article(rng, args.size) for _ in range(args.articles)]
    megabytes = sum(len(a.encode("utf-8")) for a in articles) / 1e6

    started = time.perf_counter()
    relevant = sum(relevance(matcher.scan(article)) >= 0.5 for article in articles)
    elapsed = time.perf_counter() - started

    rows = [
        ("load time (watch list + gazetteer + automaton)", f"{load_time:.3f} s", "< 1 s"),
        (f"articles/s (scan + relevance, {args.articles} x ~{args.size // 1000} KB)", f"{args.articles / elapsed:,.0f}", "> 1,000"),
        ("MB/s", f"{megabytes / elapsed:.2f}", ""),
        ("relevant articles (score >= 0.5)", f"{relevant}/{args.articles}", ""),
    ]
    print_table(rows)
    return 0


def print_table(rows: list[tuple[str, str, str]]) -> None:
    """One table: measure, value, target (the benches of the reading stage share it)."""
    width = max(len(r[0]) for r in rows)
    print(f"{'measure':<{width}}  {'value':>12}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:>12}  {target}")


if __name__ == "__main__":
    raise SystemExit(main())
