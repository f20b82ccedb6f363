"""What tools/output_snapshot.py feeds the project: the date, the campaigns, the sample
senders, the roster, and the clock pinned for the commands that read today's date."""

from __future__ import annotations

DATE = "2026-12-02"
CAMPAIGNS = ("naju-haderslev", "daegu-milan", "icheon-limoges", "paju-coquitlam")
# The partner city's language of each campaign, where it has one besides English.
LOCAL_LANGUAGE = {"naju-haderslev": "da", "daegu-milan": "it", "icheon-limoges": "fr",
                  "paju-coquitlam": None}
PAGE_LANGUAGES = ("en", "da", "it", "fr", "ko")
RUN_TIMEOUT = 300  # seconds for one command
SERVER_START_TIMEOUT = 90

# Sample senders (the CLI's fields). Streets are lists: one --street per line.
SENDERS: dict[str, dict[str, object]] = {
    "dk-aarhus": dict(name="Mette Hansen", street=["Vestergade 12"], postal_code="8000",
                      city="Aarhus", country="DK"),
    "it-milano": dict(name="Giulia Rossi", street=["Via Torino 5"], postal_code="20123",
                      city="Milano", region="MI", country="IT"),
    "fr-limoges": dict(name="Camille Durand", street=["12 rue Jean Jaurès"],
                       postal_code="87000", city="Limoges", country="FR"),
    "ca-coquitlam": dict(name="Sam Tremblay", street=["3000 Guildford Way"],
                         postal_code="V3B 7N2", city="Coquitlam", region="BC", country="CA"),
    "kr-seoul": dict(name="김민준", street=["세종대로 110"], postal_code="04524", city="중구",
                     region="서울특별시", country="KR"),
    "fr-paris-arabic": dict(name="Fatima الزهراء Khan", street=["Rue de la Paix 12, דירה 3"],
                            postal_code="75002", city="Paris", country="FR"),
    "gb-london-note": dict(name="Oliver Smith", street=["Flat 2", "1 Example Road"],
                           postal_code="SW1A 1AA", city="London", country="GB",
                           note="I visited Korea last spring and was moved by the people I "
                                "met there.\n\nPlease raise this with your partner city."),
    "us-boston": dict(name="Zoë Łukasz-Miller", street=["12 Beacon Street"],
                      postal_code="02134", city="Boston", region="MA", country="US"),
}
# The sender living in each campaign's partner country.
LOCAL_SENDER = {"naju-haderslev": "dk-aarhus", "daegu-milan": "it-milano",
                "icheon-limoges": "fr-limoges", "paju-coquitlam": "ca-coquitlam"}

ROSTER_CSV = """\
name,street,postal_code,city,region,country,email,language,note
Mette Hansen,Vestergade 12,8000,Aarhus,,DK,mette.hansen@example.org,,
Giulia Rossi,Via Torino 5,20123,Milano,MI,IT,,,
Camille Durand,12 rue Jean Jaurès,87000,Limoges,,FR,,,"Je connais bien Limoges.

Merci de votre attention."
Sam Tremblay,3000 Guildford Way,V3B 7N2,Coquitlam,BC,CA,,en,
김민준,세종대로 110,04524,중구,서울특별시,KR,minjun.kim@example.org,,
Bad Row,Nowhere 1,99999,Aarhus,,DK,,,
Fatima الزهراء Khan,"Rue de la Paix 12, דירה 3",75002,Paris,,FR,fatima@example.org,,
"""

# Runs the CLI with datetime.date.today() pinned (argv[1] is the date, the rest the CLI's
# arguments). The subclass answers isinstance/issubclass like datetime.date itself, and
# pickles under datetime.date's name; it is in place before anything of the package (or
# its libraries) is imported, so ``dt.date.today`` bound at import time is the pinned one.
PINNED_CLOCK = """\
import datetime, runpy, sys
_real = datetime.date
_pinned = _real.fromisoformat(sys.argv[1])
class _Meta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, _real)
    def __subclasscheck__(cls, sub):
        return issubclass(sub, _real)
class date(_real, metaclass=_Meta):
    @classmethod
    def today(cls):
        return cls(_pinned.year, _pinned.month, _pinned.day)
date.__module__, date.__qualname__ = "datetime", "date"
datetime.date = date
sys.argv = [sys.argv[0], *sys.argv[2:]]
runpy.run_module("campaign_letters", run_name="__main__", alter_sys=True)
"""
