"""A checked campaign's data -> the frozen model (``model.Campaign``): no checks here, as
``checks`` has found every problem first."""


import datetime as dt
from typing import Any

from campaign_letters.model import (
    Campaign,
    City,
    Correction,
    Election,
    FormerHolder,
    Holder,
    KoreanAddress,
    Link,
    LinkItem,
    Message,
    Phone,
    PostalAddress,
    Recipient,
    Reference,
    Source,
)


def build_campaign(data: dict[str, Any], path: str | None = None) -> Campaign:
    """Plain, already validated data -> Campaign."""
    links = {lid: Link(lid, spec["kind"], spec.get("url"))
             for lid, spec in (data.get("links") or {}).items()}
    elections = {eid: Election(eid, dt.date.fromisoformat(spec["date"]), spec["name"],
                               spec["source"], spec.get("url"))
                 for eid, spec in (data.get("elections") or {}).items()}
    recipients = tuple(_build_recipient(r, elections) for r in data["recipients"])
    messages = {lang: _build_message(lang, m, links) for lang, m in data["messages"].items()}
    source = data["source"]
    return Campaign(
        id=data["id"],
        title=data["title"],
        summary=data["summary"],
        source=Source(page=source["page"], updated=parse_date(source.get("updated")),
                      url=source.get("url")),
        korean_city=City(**data["cities"]["korean"]),
        partner_city=City(**data["cities"]["partner"]),
        tie_kind=data["tie"]["kind"],
        tie_year=data["tie"]["year"],
        recipients=recipients,
        messages=messages,
        links=links,
        phone_script={k: tuple(v) for k, v in (data.get("phone_script") or {}).items()},
        path=path,
    )


def _build_recipient(data: dict[str, Any], elections: dict[str, Election]) -> Recipient:
    today = dt.date.today()
    versions = tuple(_postal(a) for a in address_versions(data.get("address")))
    versions_ko = tuple(_korean(a) for a in address_versions(data.get("address_ko")))
    office = data["office"]
    holder = data.get("holder")
    return Recipient(
        id=data["id"],
        role=data["role"],
        titles=(("en", office["en"]), *((k, v) for k, v in office.items() if k != "en"))
        if isinstance(office, dict) else (("en", office),),
        holder=Holder(name=holder["name"], confirmed=parse_date_strict(holder["confirmed"]),
                      source=holder["source"], name_ko=holder.get("name_ko"),
                      family_name=holder.get("family_name"),
                      since=parse_date(holder.get("since")),
                      acting=bool(holder.get("acting")), url=holder.get("url"))
        if holder else None,
        elections=tuple(elections[e] for e in data.get("elections") or () if e in elections),
        former=tuple(FormerHolder(f["name"], f.get("name_ko"), parse_date(f.get("until")))
                     for f in data.get("former") or ()),
        address=next((a for a in versions if a.valid_on(today)), None),
        address_ko=next((a for a in versions_ko if a.valid_on(today)), None),
        address_versions=versions, address_ko_versions=versions_ko,
        missing=data.get("missing"),
        phones=tuple(Phone(**p) for p in data.get("phones") or ()),
        emails=tuple(data.get("emails") or ()),
    )


def address_versions(value: Any) -> list[dict[str, Any]]:
    """An ``address`` or ``address_ko`` as its dated versions: one mapping is one."""
    if isinstance(value, dict):
        return [value]
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _dates(data: dict[str, Any]) -> dict[str, Any]:
    return {**data, "valid_from": parse_date(data.get("valid_from")),
            "until": parse_date(data.get("until"))}


def _postal(data: dict[str, Any]) -> PostalAddress:
    return PostalAddress(**{**_dates(data), "street": tuple(data["street"])})


def _korean(data: dict[str, Any]) -> KoreanAddress:
    return KoreanAddress(**_dates(data))


def _build_message(language: str, data: dict[str, Any], links: dict[str, Link]) -> Message:
    body = tuple(LinkItem(links[item["link"]], item.get("label")) if isinstance(item, dict)
                 else item for item in data["body"])
    references = {rid: Reference(rid, spec["recipient"], spec["by_name"], spec["by_office"])
                  for rid, spec in (data.get("references") or {}).items()}
    corrections = tuple(Correction(c["was"], c["now"]) for c in data.get("corrections") or ())
    return Message(language=language, subject=data["subject"], salutation=data["salutation"],
                   body=body, closing=data["closing"], references=references,
                   corrections=corrections, adapted=data.get("adapted"))


# -- helpers ------------------------------------------------------------------------------


def parse_date_strict(value: Any) -> dt.date:
    parsed = parse_date(value)
    if parsed is None:
        raise ValueError(f"{value!r} is not a date")
    return parsed


def parse_date(value: Any) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None
