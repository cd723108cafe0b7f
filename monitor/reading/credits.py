"""Which news agency an article credits: a wire story carried by many sites is one voice.

``wire_credit(text)`` names the agency a text credits or relays, as one of ``WIRES``: a
dateline ("Bamako (AFP) -", "APA-Bamako (Mali)"), a byline or a credit line ("AFP -",
"- Reuters", "avec AFP", "© AFP", "Source : AFP"), the agency's full name, or its reporting
quoted ("selon l'AFP", "a déclaré à l'AFP", "told Reuters", "according to AFP"). The first
one the text gives wins. Agencies' acronyms are read as written (capitals), never inside
another word.
"""

from __future__ import annotations

import re

__all__ = ["WIRES", "wire_credit"]

# the agencies, by the names and acronyms a text gives them
WIRES = {
    "AFP": "AFP",
    "Agence France-Presse": "AFP",
    "Agence France Presse": "AFP",
    "Reuters": "Reuters",
    "AP": "AP",
    "Associated Press": "AP",
    "APA": "APA",
    "Xinhua": "Xinhua",
    "Anadolu": "Anadolu",
    "AA": "Anadolu",
}
_ACRONYM = r"(AFP|Reuters|AP|APA|Xinhua|Anadolu|AA)"
_NAME = r"(Agence France[- ]Presse|Associated Press|Anadolu Agency|Agence Anadolu|Xinhua)"
_CREDITS = re.compile(
    rf"\({_ACRONYM}\)"  # "Bamako (AFP) -"
    rf"|(?:^|\n)\s*{_ACRONYM}\s*[-–—:]"  # "AFP - ..." opening a line
    rf"|[-–—]\s*{_ACRONYM}\s*(?:$|\n)"  # "... - Reuters" closing one
    rf"|\b(?:avec|with|source\s*:|©)\s*(?:l['’])?{_ACRONYM}\b"
    rf"|\b(?:selon|d'apr[èe]s|according\s+to|told|à)\s+(?:l['’]\s*|the\s+)?{_ACRONYM}\b"
    rf"|\bAPA-[A-Z]"  # "APA-Bamako (Mali)": APA's dateline
    rf"|\b{_NAME}\b",
)


def wire_credit(text: str) -> str | None:
    """The agency ``text`` credits, else None."""
    m = _CREDITS.search(text)
    if m is None:
        return None
    found = next((g for g in m.groups() if g), None)
    if found is None:  # "APA-Bamako"
        return "APA"
    return WIRES.get(found, "Anadolu" if found.startswith(("Anadolu", "Agence Anadolu")) else found)
