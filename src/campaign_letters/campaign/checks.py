"""The three passes that find every problem of a campaign file at once, each with its
line: the shape (the JSON Schema, its errors rewritten for people), the facts (postcodes,
addresses that agree, links, printable characters) and the officials (who holds each
office, as of when). See ``load`` for the order they run in."""


import datetime as dt
import re
from collections.abc import Iterable
from difflib import get_close_matches
from pathlib import Path
from typing import Any, cast

import jsonschema
from babel import Locale, UnknownLocaleError

from campaign_letters import wording
from campaign_letters.campaign.build import address_versions, build_campaign, parse_date
from campaign_letters.campaign.schema import (
    expected_name,
    pattern_message,
    short,
    type_name,
    validator,
)
from campaign_letters.campaign.template import PLACEHOLDER
from campaign_letters.campaign.yamlfile import (
    Path_,
    YamlDocument,
    format_path,
)
from campaign_letters.compose import officials, postal_data
from campaign_letters.compose.postal import AddressProblem, address_problems
from campaign_letters.errors import (
    Problem,
)
from campaign_letters.text import faces
from campaign_letters.text.folding import fold

EMAIL_PLACEHOLDER = "[email protected]"


class CampaignChecker:
    def __init__(self, doc: YamlDocument, path: Path, today: dt.date):
        self.doc = doc
        self.path = path
        self.today = today
        self.problems: list[Problem] = list(doc.problems)

    def add(self, where: Path_, message: str, warning: bool = False) -> None:
        self.problems.append(Problem(self.doc.path, self.doc.line_of(where),
                                     format_path(where), message, warning))

    def run(self) -> list[Problem]:
        data = self.doc.data
        if not isinstance(data, dict):
            self.add((), "the file must be a mapping of keys (id:, title:, ...), not "
                         f"{type_name(data)}")
            return self.problems
        unfilled = list(_placeholders(data, ()))
        if unfilled:
            # A template still being filled in: what is left to write, and the shape
            # problems elsewhere; the facts are checked once every value is real.
            for where, text in unfilled:
                rest = text[len(PLACEHOLDER):].lstrip(" :")
                self.add(where, f"still to fill: {rest}" if rest else "still to fill")
            shape = len(self.problems)
            self._check_shape(data)
            filled = [p for p in self.problems[shape:] if not any(
                p.field == format_path(w) or p.field.startswith(format_path(w) + ".") or
                p.field.startswith(format_path(w) + "[") for w, _ in unfilled)]
            self.problems[shape:] = filled
        else:
            self._check_shape(data)
            self._check_facts(data)
            self._check_names(data)
            self._check_officials(data)
        self.problems.sort(key=lambda p: (p.line or 0, p.is_warning))
        return self.problems

    # -- 1. shape -----------------------------------------------------------------------

    def _check_shape(self, data: dict[str, Any]) -> None:
        for error in validator().iter_errors(data):
            self._explain_schema_error(error)

    def _explain_schema_error(self, error: jsonschema.ValidationError) -> None:
        where: Path_ = tuple(error.absolute_path)
        value = error.instance
        schema = error.schema if isinstance(error.schema, dict) else {}
        kind = error.validator
        if kind == "additionalProperties" and isinstance(value, dict):
            allowed = list(schema.get("properties", {}))
            for key in value:
                if key not in allowed:
                    close = get_close_matches(key, allowed, n=1)
                    hint = f"did you mean {close[0]!r}?" if close else \
                        f"allowed here: {', '.join(allowed)}"
                    self.add((*where, key), f"unknown key {key!r}; {hint}")
        elif kind == "required":
            missing = error.message.split("'")[1]
            self.add(where, f"missing required field {missing!r}")
        elif kind == "type":
            expected = schema.get("type")
            hint = ""
            if expected == "string" and isinstance(value, (int, float)) and \
                    not isinstance(value, bool):
                hint = f'; quote it: "{value}" (quotes keep leading zeros too)'
            self.add(where, f"expected {expected_name(expected)}, got "
                            f"{type_name(value)} {short(value)}{hint}")
        elif kind == "enum":
            options = [str(o) for o in schema.get("enum", [])]
            close = get_close_matches(str(value), options, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            self.add(where, f"{short(value)} is not one of {', '.join(options)}{hint}")
        elif kind in ("pattern", "minLength"):
            self.add(where, pattern_message(where, value))
        elif kind == "propertyNames":
            self.add(where, f"{short(value)} is not a valid key here: "
                            "use a lower-case code such as en, da, fr")
        elif kind == "oneOf":
            self.add(where, "each body item is a paragraph of text, or a link given as "
                            "'link: <id>' with an optional 'label: <text>'")
        elif kind in ("minItems", "maxItems", "minimum", "maximum"):
            self.add(where, error.message)
        else:
            self.add(where, error.message)

    # -- 2. facts -----------------------------------------------------------------------

    def _check_facts(self, data: dict[str, Any]) -> None:
        campaign_id = data.get("id")
        if isinstance(campaign_id, str) and self.path.suffix in (".yaml", ".yml") and \
                campaign_id != self.path.stem:
            self.add(("id",), f"{campaign_id!r} differs from the file name "
                              f"{self.path.name!r}; name the file {campaign_id}.yaml",
                     warning=True)
        self._check_recipients(_as_list(data.get("recipients")))
        self._check_messages(data)
        self._check_printable(data, ())

    def _check_recipients(self, recipients: list[Any]) -> None:
        ids: dict[str, int] = {}
        primaries = 0
        for index, recipient in enumerate(recipients):
            if not isinstance(recipient, dict):
                continue
            where: Path_ = ("recipients", index)
            rid = recipient.get("id")
            if isinstance(rid, str):
                if rid in ids:
                    self.add((*where, "id"), f"{rid!r} is used by recipients[{ids[rid]}] "
                                             "too; ids must be unique")
                ids.setdefault(rid, index)
            primaries += recipient.get("role") == "primary"
            address = recipient.get("address")
            address_ko = recipient.get("address_ko")
            missing = recipient.get("missing")
            if missing and (address or address_ko):
                self.add((*where, "missing"), "a recipient with an address is not missing; "
                                              "remove 'missing' or the address")
            if missing and recipient.get("role") == "primary":
                self.add((*where, "missing"), "the primary recipient needs a postal address: "
                                              "every other letter is a copy of the letter to "
                                              "them")
            if not (missing or address or address_ko):
                self.add(where, "no postal address: give 'address' (and 'address_ko' for "
                                "Korean recipients), or say why it is unknown in 'missing'")
            latins = self._versions(address, (*where, "address"))
            koreans = self._versions(address_ko, (*where, "address_ko"))
            checked = {id(a): self._check_latin_address(a, at) for a, at in latins}
            if latins and latins[0][0].get("country") == "KR" and not koreans:
                self.add((*where, "address"), "Korean recipients need 'address_ko', the "
                                              "address in Korean script, for the window")
            for korean, at in koreans:
                # The Latin version valid when this Korean one starts is its twin.
                start = parse_date(korean.get("valid_from")) or dt.date.min
                twin = next((a for a, _ in latins if _valid_on(a, start)), None)
                self._check_korean_address(korean, at, twin if twin is not None and
                                           checked.get(id(twin)) else None)
            for e_index, email in enumerate(_as_list(recipient.get("emails"))):
                if isinstance(email, str) and EMAIL_PLACEHOLDER in email:
                    self.add((*where, "emails", e_index),
                             f"{email!r} is the placeholder a web page's e-mail protection "
                             "left, not an address; remove it")
        if recipients and primaries != 1:
            self.add(("recipients",), f"{primaries} recipients have role 'primary'; "
                                      "exactly one must (the letter's main addressee)")

    def _versions(self, value: Any, where: Path_) -> list[tuple[dict[str, Any], Path_]]:
        """An address's dated versions with where each stands; the dates checked: one
        after another, the first without ``valid_from``, the last without ``until``,
        no day without an address and none with two."""
        if isinstance(value, dict):
            if value.get("valid_from") or value.get("until"):
                self.add(where, "a single address is valid on every day: 'valid_from' and "
                                "'until' are for a list of the address's versions")
            return [(value, where)]
        if not isinstance(value, list):
            return []
        versions = [(v, (*where, i)) for i, v in enumerate(value) if isinstance(v, dict)]
        end_before: dt.date | None = None
        for index, (version, at) in enumerate(versions):
            start = parse_date(version.get("valid_from"))
            end = parse_date(version.get("until"))
            if index and start is None:
                self.add(at, "give 'valid_from': the day this version replaced the one "
                             "before")
            if index < len(versions) - 1 and end is None:
                self.add(at, "give 'until': the last day before the next version")
            if index == len(versions) - 1 and end is not None:
                self.add((*at, "until"), "the latest version has no end: remove 'until', "
                                         "or add the version that follows")
            if start and end and end < start:
                self.add((*at, "until"), f"{end.isoformat()} is before valid_from")
            if index and end_before is not None and start is not None and \
                    start != end_before + dt.timedelta(days=1):
                self.add((*at, "valid_from"), f"must be the day after the previous "
                                              f"version's until ({end_before.isoformat()})")
            end_before = end
        return versions

    def _check_latin_address(self, address: dict[str, Any], where: Path_) -> bool:
        fields = _i18n_fields(address)
        if fields is None:
            return False
        problems, _ = address_problems(fields)
        self._report_address_problems(problems, fields, where)
        return not problems

    def _check_korean_address(self, address: dict[str, Any], where: Path_,
                              latin: dict[str, Any] | None) -> None:
        fields: dict[str, Any] = {  # all str once checked below
            "country_code": "KR", "street_address": address.get("street"),
            "postal_code": address.get("postal_code"), "city": address.get("city"),
            "country_area": address.get("region")}
        if not all(isinstance(v, str) for v in fields.values()):
            return
        problems, korean = address_problems(fields)
        if problems:
            self._report_address_problems(problems, fields, where)
            return
        if latin is None:
            return
        latin_fields = _i18n_fields(latin)
        if latin_fields is None:
            return
        latin_norm = postal_data.normalize_address(latin_fields)
        if latin_norm["postal_code"] != korean["postal_code"]:
            self.add((*where, "postal_code"),
                     f"{korean['postal_code']} disagrees with the Latin address's postcode "
                     f"{latin_norm['postal_code']}; one of them is wrong, check the source")
        for field, ours in (("country_area", "region"), ("city", "city")):
            if field == "country_area" and not latin_norm[field] and \
                    postal_data.has_no_latin_name("KR", korean[field]):
                continue  # a region no source names in Latin: the Latin address omits it
            if latin_norm[field] != korean[field]:
                self.add((*where, ours),
                         f"{address.get(ours)!r} is not the same place as the Latin "
                         f"address's {latin.get(ours)!r} ({latin_norm[field]}); "
                         "check both against the source")

    def _report_address_problems(self, problems: list[AddressProblem],
                                 fields: dict[str, str], where: Path_) -> None:
        """The postal data's findings in the words a volunteer gets (compose/postal.py),
        and what the organizer should check."""
        for problem in problems:
            message = problem.error.message
            if problem.finding == "required":
                # Sources sometimes omit what the postal data expects (Italy's province
                # code); the post delivers without it, so the letter is still made.
                self.add((*where, problem.field), f"{message}; the source gives none",
                         warning=problem.field == "region")
            elif problem.field == "postal_code":
                area = fields.get("country_area")
                home = postal_data.regions_of_postcode(
                    fields["country_code"], fields["postal_code"]) if area else []
                self.add((*where, problem.field), message + (
                    f"; it belongs to {' or '.join(home)}: is the region {area!r} wrong?"
                    if home else "; check it against the source"))
            else:  # the words already say what to check (a close name, the spelling)
                self.add((*where, problem.field), message)

    def _check_messages(self, data: dict[str, Any]) -> None:
        # cast: data.get() is "Any | None" to mypy; the isinstance beside it excludes None.
        links = cast("dict[str, Any]", data.get("links")) if isinstance(data.get("links"), dict) \
            else {}
        messages = cast("dict[str, Any]", data.get("messages")) \
            if isinstance(data.get("messages"), dict) else {}
        scripts = cast("dict[str, Any]", data.get("phone_script")) \
            if isinstance(data.get("phone_script"), dict) else {}
        for section, table in (("messages", messages), ("phone_script", scripts)):
            for language in table:
                try:
                    Locale.parse(language)
                except (UnknownLocaleError, ValueError):
                    self.add((section, language), f"{language!r} is not a language code "
                                                  "Babel knows; use ISO 639-1, e.g. da")
                    continue
                if section == "messages" and not wording.has_labels(language):
                    self.add((section, language), f"the tool has no labels in {language!r} "
                                                  "yet; its copy line will print in English",
                             warning=True)
        for language, message in messages.items():
            if not isinstance(message, dict):
                continue
            for index, item in enumerate(_as_list(message.get("body"))):
                if isinstance(item, dict) and isinstance(item.get("link"), str):
                    ref = item["link"]
                    if ref not in links:
                        close = get_close_matches(ref, list(links), n=1)
                        hint = f"did you mean {close[0]!r}?" if close else \
                            "add it under 'links:'"
                        self.add(("messages", language, "body", index, "link"),
                                 f"no link {ref!r} is defined; {hint}")
                    elif isinstance(links[ref], dict) and not links[ref].get("url"):
                        # A letter must never ask its reader to look for something.
                        self.add(("messages", language, "body", index, "link"),
                                 f"link {ref!r} has no web address ('url'), so a letter "
                                 "would send its reader looking for it: give the address a "
                                 "source gives, or point the text to a page that links it "
                                 "(and record the change under 'corrections')")

    def _check_printable(self, value: Any, where: Path_) -> None:
        """Every text the letter may print must be drawable with the bundled faces."""
        if isinstance(value, dict):
            for key, item in value.items():
                self._check_printable(item, (*where, key))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self._check_printable(item, (*where, index))
        elif isinstance(value, str):
            bad = faces.unsupported_chars(value)
            if bad:
                described = ", ".join(faces.describe_char(c) for c in bad[:3])
                self.add(where, f"{described} cannot be printed: no bundled font has it; "
                                "remove it (emoji and page decoration are not campaign text)")

    # -- 2b. names only through references -----------------------------------------------

    def _check_names(self, data: dict[str, Any]) -> None:
        """Officials are named through the campaign's references, never as literal text,
        so that the letters can name them or their office as the facts allow."""
        recipients = {r.get("id"): r for r in _as_list(data.get("recipients"))
                      if isinstance(r, dict) and isinstance(r.get("id"), str)}
        elections = cast("dict[str, Any]", data.get("elections")) \
            if isinstance(data.get("elections"), dict) else {}  # cast: as in _check_messages
        people = _people(recipients.values())
        for e_id, election in elections.items():
            if isinstance(election, dict):
                self._check_date(election.get("date"), ("elections", e_id, "date"))
        self._check_recipient_names(data, elections, people)
        self._check_message_names(data, recipients, people)

    def _check_recipient_names(self, data: dict[str, Any], elections: dict[str, Any],
                               people: list[tuple[str, str]]) -> None:
        """Each recipient's elections, dates, and addressees (slots, never names)."""
        for index, recipient in enumerate(_as_list(data.get("recipients"))):
            if not isinstance(recipient, dict):
                continue
            where: Path_ = ("recipients", index)
            for e_index, ref in enumerate(_as_list(recipient.get("elections"))):
                if isinstance(ref, str) and ref not in elections:
                    close = get_close_matches(ref, list(elections), n=1)
                    hint = f"did you mean {close[0]!r}?" if close else \
                        "define it under 'elections:' with its date and source"
                    self.add((*where, "elections", e_index), f"no election {ref!r}; {hint}")
            holder = recipient.get("holder") if isinstance(recipient.get("holder"), dict) \
                else None
            for field in ("since", "confirmed"):
                if holder is not None:
                    self._check_date(holder.get(field), (*where, "holder", field))
            for f_index, former in enumerate(_as_list(recipient.get("former"))):
                if isinstance(former, dict):
                    self._check_date(former.get("until"), (*where, "former", f_index, "until"))
            if holder is not None and not recipient.get("elections"):
                self.add((*where, "holder"), "a holder without the office's elections "
                         "cannot be checked: list them under 'elections' (ids from the "
                         "top-level 'elections')", warning=True)
            for key in ("address", "address_ko"):
                value = recipient.get(key)
                for index, address in enumerate(address_versions(value)):
                    at = (*where, key) if isinstance(value, dict) else (*where, key, index)
                    if not isinstance(address.get("addressee"), str):
                        continue
                    line = address["addressee"]
                    self._check_holder_slots(line, (*at, "addressee"), holder, allow=True)
                    if officials.SLOT.search(line) and not address.get("addressee_by_office"):
                        self.add((*at, "addressee"), "names the holder: give "
                                 "'addressee_by_office' too, for letters that address the "
                                 "office")
                    for field in ("addressee", "addressee_by_office"):
                        if isinstance(address.get(field), str):
                            self._refuse_literal_names(address[field], (*at, field), people)

    def _check_message_names(self, data: dict[str, Any], recipients: dict[Any, Any],
                             people: list[tuple[str, str]]) -> None:
        """Each message's references and texts (slots, never names) and corrections."""
        messages = cast("dict[str, Any]", data.get("messages")) \
            if isinstance(data.get("messages"), dict) else {}  # cast: as in _check_messages
        for language, message in messages.items():
            if not isinstance(message, dict):
                continue
            mwhere: Path_ = ("messages", language)
            references = cast("dict[str, Any]", message.get("references")) \
                if isinstance(message.get("references"), dict) else {}
            for ref_id, reference in references.items():
                if not isinstance(reference, dict):
                    continue
                rwhere: Path_ = (*mwhere, "references", ref_id)
                target = reference.get("recipient")
                if isinstance(target, str) and target not in recipients:
                    close = get_close_matches(target, [str(k) for k in recipients], n=1)
                    hint = f"did you mean {close[0]!r}?" if close else \
                        f"recipients: {', '.join(map(str, recipients))}"
                    self.add((*rwhere, "recipient"), f"no recipient {target!r}; {hint}")
                    continue
                holder = recipients.get(target, {}).get("holder")
                by_name = reference.get("by_name")
                if isinstance(by_name, str):
                    if not any(m.group(1) in officials.HOLDER_FIELDS
                               for m in officials.SLOT.finditer(by_name)):
                        self.add((*rwhere, "by_name"), "must name the holder with {name} "
                                 "(or {family_name}, {name_ko}): the name comes from the "
                                 "recipient's holder, never from the text")
                    self._check_holder_slots(by_name, (*rwhere, "by_name"),
                                             holder if isinstance(holder, dict) else None,
                                             allow=True)
                    self._refuse_literal_names(by_name, (*rwhere, "by_name"), people)
                by_office = reference.get("by_office")
                if isinstance(by_office, str):
                    self._check_holder_slots(by_office, (*rwhere, "by_office"), None,
                                             allow=False)
                    self._refuse_literal_names(by_office, (*rwhere, "by_office"), people)
            texts = list(_message_texts(message, mwhere))
            for text, twhere in texts:
                for match in officials.SLOT.finditer(text):
                    if match.group(1) not in references:
                        close = get_close_matches(match.group(1), list(references), n=1)
                        hint = f"did you mean {{{close[0]}}}?" if close else \
                            f"define it under messages.{language}.references"
                        self.add(twhere, f"{{{match.group(1)}}} is not a reference of this "
                                         f"message; {hint}")
                self._refuse_literal_names(text, twhere, people)
            whole = "\n".join(text for text, _ in texts)
            for c_index, correction in enumerate(_as_list(message.get("corrections"))):
                if not isinstance(correction, dict):
                    continue
                cwhere: Path_ = (*mwhere, "corrections", c_index)
                now, was = correction.get("now"), correction.get("was")
                if isinstance(now, str) and _spaces(now) not in _spaces(whole):
                    self.add((*cwhere, "now"), f"{now!r} is not in the message: a "
                                               "correction records a change made in it")
                if isinstance(was, str) and was != now and _spaces(was) in _spaces(whole):
                    self.add((*cwhere, "was"), f"{was!r} is still in the message; correct "
                                               "it there")

    def _check_date(self, value: Any, where: Path_) -> None:
        """A date the schema let through by its form (2026-13-45) must also exist."""
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and \
                parse_date(value) is None:
            self.add(where, f"{value!r} is not a day of the calendar; write YYYY-MM-DD")

    def _check_holder_slots(self, text: str, where: Path_, holder: dict[str, Any] | None,
                            allow: bool) -> None:
        for match in officials.SLOT.finditer(text):
            slot = match.group(1)
            if not allow or slot not in officials.HOLDER_FIELDS:
                allowed = "{name}, {family_name} or {name_ko}" if allow else "no slot"
                self.add(where, f"{{{slot}}} cannot stand here ({allowed} can)")
            elif slot == "name_ko" and holder is not None and not holder.get("name_ko"):
                self.add(where, "uses {name_ko}, but the holder has no 'name_ko'")

    def _refuse_literal_names(self, text: str, where: Path_,
                              people: list[tuple[str, str]]) -> None:
        folded = fold(text)
        for name, whose in people:
            if _names(folded, name):
                self.add(where, f"names {whose} {name!r} as text: write a reference "
                                "instead (see 'references'), so that letters name the "
                                "office when nobody has confirmed who holds it")

    # -- 3. officials ---------------------------------------------------------------------

    def _check_officials(self, data: dict[str, Any]) -> None:
        """One warning for each holder no source has confirmed since the last election."""
        if any(not p.is_warning for p in self.problems):
            return  # the model cannot be built; the errors say why
        campaign = build_campaign(data)
        for index, recipient in enumerate(campaign.recipients):
            status, election = officials.holder_status(recipient, self.today)
            holder = recipient.holder
            where: Path_ = ("recipients", index, "holder", "confirmed")
            office = recipient.office
            record = (f"record who holds it: campaign-letters confirm {self.doc.path} "
                      f"{recipient.id} --name NAME --since YYYY-MM-DD --confirmed YYYY-MM-DD "
                      "--source TEXT (until then the letters address the office)")
            if holder is None:
                if recipient.elections and officials.names_a_person(recipient):
                    self.add(("recipients", index), f"{office}: no holder recorded; {record}",
                             warning=True)
                continue
            if status in ("confirmed", "not-yet"):
                continue
            if status == "unconfirmed" and election is not None:
                self.add(where, f"{office}: {holder.name} was confirmed on "
                         f"{holder.confirmed.isoformat()}, before the {election.name} of "
                         f"{election.date.isoformat()}: find who holds the office now and "
                         f"{record}", warning=True)
            elif status == "stale":
                self.add(where, f"{office}: {holder.name} was last confirmed on "
                         f"{holder.confirmed.isoformat()}, over two years ago: confirm it "
                         f"again or {record}", warning=True)
            elif status == "acting":
                self.add(("recipients", index, "holder", "acting"),
                         f"{office}: {holder.name} is an acting holder; the letters address "
                         "the office", warning=True)


# -- building the model -------------------------------------------------------------------

def _valid_on(address: dict[str, Any], day: dt.date) -> bool:
    start = parse_date(address.get("valid_from"))
    end = parse_date(address.get("until"))
    return (start is None or start <= day) and (end is None or day <= end)


def _placeholders(value: Any, where: Path_) -> Iterable[tuple[Path_, str]]:
    """Every value of a ``new`` template still to fill, with where it stands."""
    if isinstance(value, str) and value.startswith(PLACEHOLDER):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _placeholders(item, (*where, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _placeholders(item, (*where, index))


def _i18n_fields(address: dict[str, Any]) -> dict[str, str] | None:
    street = address.get("street")
    values = {
        "country_code": address.get("country"),
        "street_address": "\n".join(street) if isinstance(street, list) and
        all(isinstance(s, str) for s in street) else None,
        "postal_code": address.get("postal_code"),
        "city": address.get("city"),
        "country_area": address.get("region", ""),
        "sorting_code": address.get("sorting_code", ""),
    }
    if not all(isinstance(v, str) for v in values.values()):
        return None  # the schema pass has already reported the wrong type
    return values


def _message_texts(message: dict[str, Any], where: Path_
                   ) -> Iterable[tuple[str, Path_]]:
    """Every text of a message that a letter prints, with where it stands."""
    for field in ("subject", "salutation", "closing"):
        if isinstance(message.get(field), str):
            yield message[field], (*where, field)
    for index, item in enumerate(_as_list(message.get("body"))):
        if isinstance(item, str):
            yield item, (*where, "body", index)
        elif isinstance(item, dict) and isinstance(item.get("label"), str):
            yield item["label"], (*where, "body", index, "label")


def _people(recipients: Iterable[dict[str, Any]]) -> list[tuple[str, str]]:
    """(name, whose) of every holder and former holder the campaign records."""
    people = []
    for recipient in recipients:
        office = recipient.get("office")
        office = office.get("en") if isinstance(office, dict) else office
        records = [("the holder of", recipient.get("holder"))]
        records += [("a former holder of", f) for f in _as_list(recipient.get("former"))]
        for role, record in records:
            if not isinstance(record, dict):
                continue
            for key in ("name", "name_ko", "family_name"):
                value = record.get(key)
                if not isinstance(value, str) or not value.strip():
                    continue
                # A family name alone is a word of its own in other languages (Do, An,
                # So): only a long one says who is meant.
                if key == "family_name" and len(value.strip()) < 5:
                    continue
                people.append((value, f"{role} {office},"))
    return people


def _names(folded_text: str, name: str) -> bool:
    """Whether the text (folded) writes ``name``: as a word in alphabetic scripts; in
    Hangul also with a suffix attached (강인규시장님, 윤병태님), as Korean writes titles."""
    folded = re.escape(fold(name))
    if re.search("[\uac00-\ud7a3]", name):
        return re.search(rf"(?<![\uac00-\ud7a3]){folded}", folded_text) is not None
    return re.search(rf"(?<!\w){folded}(?!\w)", folded_text) is not None


def _spaces(text: str) -> str:
    return " ".join(text.split())


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


