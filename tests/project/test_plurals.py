"""Plural forms come from the catalog's own rule (its .po header, as Babel writes it from
CLDR): French says 0 and 1 in the singular, English only 1."""

from __future__ import annotations

from babel.messages.catalog import Catalog

from campaign_letters import wording


def test_plural_forms_follow_the_catalogs_rule(monkeypatch):
    catalog = Catalog(locale="fr", domain="web")
    # CLDR's French forms, in Babel's order: one (0, 1), many (millions), other.
    catalog.add(("%(n)s letter", "%(n)s letters"),
                ("%(n)s lettre", "%(n)s de lettres", "%(n)s lettres"))
    monkeypatch.setattr(wording, "_messages_catalog", lambda language, domain="messages":
                        catalog if language == "fr" else None)
    assert wording.ngettext("fr", "%(n)s letter", "%(n)s letters", 0, "web") == "%(n)s lettre"
    assert wording.ngettext("fr", "%(n)s letter", "%(n)s letters", 2, "web") == "%(n)s lettres"
    assert wording.ngettext("fr", "%(n)s letter", "%(n)s letters", 2_000_000, "web") == \
        "%(n)s de lettres"
    assert wording.ngettext("en", "%(n)s letter", "%(n)s letters", 0, "web") == "%(n)s letters"
