"""The samples the tests share: fixed dates, sample senders (one dict each), the bundled
Naju campaign's text, a long version of it, and its recipients' address labels."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]  # the repository
TESTS = ROOT / "tests"

# The date the letters are dated by default in the tests.
TODAY = dt.date(2026, 11, 23)
# After the South Korean local elections of 3 June 2026, the French municipal elections of
# March 2026 and the British Columbia local elections of October 2026 (tests of who the
# letters name).
AFTER_ELECTIONS = dt.date(2026, 12, 2)

# A sample address in each partner city's country, without a name: make_sender's fields
# (streets as tuples: a test cannot change the samples by accident).
ADDRESSES: dict[str, dict[str, Any]] = {
    "DK": dict(street=("Vestergade 12",), postal_code="8000", city="Aarhus", country="DK"),
    "CA": dict(street=("1200 Pinetree Way",), postal_code="V3B 7N2", city="Coquitlam",
               region="BC", country="CA"),
    "IT": dict(street=("Via Roma 1",), postal_code="20121", city="Milano", region="MI",
               country="IT"),
    "FR": dict(street=("1 rue de l’Exemple",), postal_code="87000", city="Limoges",
               country="FR"),
}

# The two sample volunteers, as make_sender's keyword arguments.
METTE: dict[str, Any] = {"name": "Mette Hansen", **ADDRESSES["DK"]}
CHRIS: dict[str, Any] = {"name": "Chris Lee", **ADDRESSES["CA"]}


def sender(name: str, country: str = "DK", **changes: Any) -> dict[str, Any]:
    """make_sender's fields for ``name`` at the sample address in ``country``."""
    return {"name": name, **ADDRESSES[country], **changes}


def cli_args(fields: dict[str, Any]) -> list[str]:
    """A sender's fields as the options of ``campaign-letters letter``."""
    args: list[str] = []
    for key, value in fields.items():
        if value is None:
            continue
        flag = "--" + key.replace("_", "-")
        for one in value if isinstance(value, list | tuple) else [value]:
            args += [flag, str(one)]
    return args


def form_fields(fields: dict[str, Any]) -> dict[str, str]:
    """A sender's fields as the web form's (one street field, lines on lines)."""
    return {key: "\n".join(value) if isinstance(value, list | tuple) else str(value)
            for key, value in fields.items() if value is not None}


DK_ARGS = cli_args(METTE)
CA_ARGS = cli_args(CHRIS)


def with_sender(**changes: str) -> list[str]:
    """Mette's options for the CLI, some changed or added (``name="Zoë"``)."""
    args = list(DK_ARGS)
    for option, value in changes.items():
        flag = "--" + option.replace("_", "-")
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
    return args


def campaign_file(campaign_id: str = "naju-haderslev") -> Path:
    from campaign_letters.resources import campaigns_dir

    return campaigns_dir() / f"{campaign_id}.yaml"


def campaign_text(campaign_id: str = "naju-haderslev") -> str:
    """A bundled campaign file's text, to be edited into broken or other versions."""
    return campaign_file(campaign_id).read_text(encoding="utf-8")


def long_campaign(tmp_path: Path, words: int = 1500, urls: bool = False) -> Path:
    """naju-haderslev with its English message made ``words`` words longer, and with
    ``urls`` a link's address; written to tmp_path/naju-haderslev.yaml."""
    sentence = ("Dogs and cats deserve the protection the law already promises them, and "
                "friendship between cities is a reason to say so plainly. ")
    per_paragraph = 120
    paragraphs = []
    count = 0
    while count < words:
        text = " ".join((sentence * 12).split()[:per_paragraph])
        paragraphs.append(f"      - >-\n        {text}\n")
        count += per_paragraph
    naju = campaign_text()
    text = naju.replace("      - >-\n        Do you think Haderslev",
                        "".join(paragraphs) + "      - >-\n        Do you think Haderslev", 1)
    if urls:  # the campaign page's address, as another one with a query string
        text = text.replace("    url: https://koreandogs.org/friendship-city-naju-haderslev/\n",
                            "    url: https://www.example.org/watch?v=part-1&lang=en\n")
    path = tmp_path / "naju-haderslev.yaml"
    path.write_text(text, encoding="utf-8")
    return path


SENDER_COUNTRY = "CA"  # the labels' sender: every recipient abroad, a country line each


def campaign_labels(campaign_id: str = "naju-haderslev") -> list[list[str]]:
    """The campaign's address labels with every recorded name: the longest lines they can
    have."""
    from campaign_letters import load_campaign
    from campaign_letters.compose.address import recipient_lines
    from campaign_letters.compose.officials import decide

    campaign = load_campaign(campaign_id, today=TODAY)
    return [recipient_lines(r, SENDER_COUNTRY, decide(r, TODAY, "name"))
            for r in campaign.postal_recipients]


def many_labels(count: int) -> list[list[str]]:
    """``count`` labels: the Naju campaign's real recipients, repeated."""
    base = campaign_labels()
    return [base[i % len(base)] for i in range(count)]


def check_text(tmp_path: Path, text: str | bytes, name: str = "naju-haderslev.yaml", *,
               today: dt.date = TODAY, errors_only: bool = False):
    """A campaign file's ``text`` written to tmp_path/``name`` and checked: the campaign
    (None when it has errors) and each problem as text, the file's path written FILE;
    ``errors_only`` leaves the warnings out."""
    from campaign_letters import check_campaign

    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    campaign, problems = check_campaign(path, today)
    return campaign, [str(p).replace(str(path), "FILE") for p in problems
                      if not (errors_only and p.is_warning)]
