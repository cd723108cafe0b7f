"""Reading the news: an article's text in, its relevance and incident reports out. Pure.

Takes in: an article's text, its publication date and language (``Extractor.read``), with
the watch list (``seeds/watchlist.yaml``, extended by ``watchlist.extra_terms``) and the
gazetteer (``seeds/gazetteer.csv``, ``seeds/places_extra.csv``) loaded once. Gives out: a
``Reading``: whether the article reports an incident in a watched country, and its
``Report`` values (``monitor.models``): place, date with precision, ACLED event type,
actors, casualty figures by kind and victim group, evidence. No network, no database, no
clock; the same text gives the same reports under any hash seed.

The steps, each in its own module:

- ``text``: folding (accents, case, quotes) and sentence boundaries;
- ``terms``: the watch list (actors, event, victim, casualty and claim words);
- ``gazetteer``: places of Mali, Burkina Faso, Niger and the foreign names that are not;
- ``match``: one pass of the watch list and the gazetteer over the text; ``relevance``: its score;
- ``numbers``, ``dates``: counts ("une trentaine", "at least 30") and dates ("Sunday night");
- ``figures``: casualty figures: how many of whom were killed, wounded, missing, abducted;
- ``credits``: the news agency an article credits (its copies are one voice);
- ``limits``: what one article may cost (characters, sentence length, names per sentence,
  incident places), so reading time grows no faster than the text;
- ``reports``: sentences grouped into one report per event (``Extractor``), with
  ``sentences`` (the steps' values), ``items`` (what a sentence gives), ``places`` (the
  incident's own place), ``clusters`` (grouping, history, dates) and ``event_type``.
"""

from __future__ import annotations

from monitor.reading.credits import WIRES, wire_credit
from monitor.reading.dates import find_dates, period_end
from monitor.reading.figures import MAX_TOLL, find_figures
from monitor.reading.gazetteer import Gazetteer, distance_km
from monitor.reading.match import Matcher
from monitor.reading.numbers import UPPER_BOUND, conservative, find_quantities
from monitor.reading.relevance import relevance
from monitor.reading.reports import Extractor, Reading, detect_language, report_to_json
from monitor.reading.terms import WATCHLIST_FILE, WatchlistError, load_watchlist
from monitor.reading.text import fold, name_key

__all__ = [
    "MAX_TOLL",
    "UPPER_BOUND",
    "WATCHLIST_FILE",
    "WIRES",
    "Extractor",
    "Gazetteer",
    "Matcher",
    "Reading",
    "WatchlistError",
    "conservative",
    "detect_language",
    "distance_km",
    "find_dates",
    "find_figures",
    "find_quantities",
    "fold",
    "load_watchlist",
    "name_key",
    "period_end",
    "relevance",
    "report_to_json",
    "wire_credit",
]
