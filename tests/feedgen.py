"""Feeds and article pages written for the tests and benchmarks (our own text, no third-party data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Item:
    title: str
    link: str
    guid: str | None = None
    summary: str = ""
    published: datetime | None = None


def rss(items: list[Item], title: str = "Test feed", link: str = "http://127.0.0.1/") -> bytes:
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>{escape(link)}</link><description>test</description>",
    ]
    for item in items:
        parts.append("<item>")
        parts.append(f"<title>{escape(item.title)}</title><link>{escape(item.link)}</link>")
        if item.guid:
            parts.append(f'<guid isPermaLink="false">{escape(item.guid)}</guid>')
        if item.summary:
            parts.append(f"<description>{escape(item.summary)}</description>")
        if item.published:
            parts.append(f"<pubDate>{format_datetime(item.published)}</pubDate>")
        parts.append("</item>")
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


def items_for(base_url: str, feed_no: int, count: int, start: datetime | None = None) -> list[Item]:
    start = start or datetime(2025, 6, 3, 8, 0, tzinfo=UTC)
    return [
        Item(
            title=f"Feed {feed_no} dispatch {i}: situation sécuritaire à Mopti",
            link=f"{base_url}/articles/{feed_no}/{i}.html",
            guid=f"feed-{feed_no}-item-{i}",
            summary=f"Résumé {i} du flux {feed_no}: la situation reste tendue dans la région de Mopti.",
            published=start - timedelta(minutes=i),
        )
        for i in range(count)
    ]


ARTICLE_PARAGRAPHS = [
    "Des hommes armés ont attaqué dimanche matin un poste de l'armée près de la ville de Mopti, "
    "selon des sources locales jointes par téléphone.",
    "Les habitants décrivent des tirs nourris pendant plusieurs heures avant l'arrivée de renforts "
    "venus de Sévaré, à une dizaine de kilomètres.",
    "Un bilan provisoire fait état de plusieurs morts parmi les militaires, sans confirmation officielle "
    "à ce stade. Les autorités promettent une communication dans la journée.",
    "La région du centre connaît depuis plusieurs années des violences répétées, qui ont poussé des "
    "milliers de personnes à quitter leurs villages pour les villes voisines.",
]


def article_page(title: str, paragraphs: list[str] | None = None) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in (paragraphs or ARTICLE_PARAGRAPHS))
    return (
        "<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>"
        f"<title>{escape(title)}</title>"
        "<meta property='article:published_time' content='2025-06-02T09:30:00+00:00'></head><body>"
        "<header><nav><a href='/'>Accueil</a> <a href='/politique'>Politique</a></nav></header>"
        f"<main><article><h1>{escape(title)}</h1>{body}</article></main>"
        "<footer>Tous droits réservés. Mentions légales.</footer></body></html>"
    ).encode("utf-8")
