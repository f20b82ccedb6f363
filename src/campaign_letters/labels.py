"""The few words the letter prints itself, per language.

Campaign text comes from the campaign file; these are the tool's own labels. Languages
without an entry fall back to English, and `check` warns about a campaign language that
has no entry here.
"""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    # Copy notation: DIN 5008 "Kopie an", Danish "Kopi til", Italian "Per conoscenza"
    # (p.c.), French "Copie à" with the non-breaking space French puts before a colon.
    "en": {"copy_to": "Copy to:", "page": "Page {page} of {pages}"},
    "da": {"copy_to": "Kopi til:", "page": "Side {page} af {pages}"},
    "it": {"copy_to": "Per conoscenza:", "page": "Pagina {page} di {pages}"},
    "fr": {"copy_to": "Copie à\u00a0:", "page": "Page {page} sur {pages}"},
    "de": {"copy_to": "Kopie an:", "page": "Seite {page} von {pages}"},
    "ko": {"copy_to": "참조:", "page": "{page}/{pages}쪽"},
}


def label(language: str, key: str, **values: object) -> str:
    table = LABELS.get(language, LABELS["en"])
    return table[key].format(**values)


def has_labels(language: str) -> bool:
    return language in LABELS
