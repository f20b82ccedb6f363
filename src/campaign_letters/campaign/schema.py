"""The campaign file's shape: the published JSON Schema (campaign.schema.json), and its
errors rewritten for the people who edit the files ("'Denmark' is not an ISO 3166 country
code; use 'DK'")."""


import json
from functools import cache
from typing import Any

import jsonschema

from campaign_letters.campaign.yamlfile import (
    Path_,
)
from campaign_letters.compose.countries import country_code, country_names
from campaign_letters.resources import SCHEMA_PATH


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))

@cache
def validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema())

def type_name(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "nothing (null)"}.get(type(value), type(value).__name__)

def expected_name(expected: Any) -> str:
    names = {"string": "text", "object": "a mapping (key: value lines)", "array": "a list",
             "integer": "a whole number", "null": "null", "number": "a number",
             "boolean": "true or false"}
    if isinstance(expected, list):
        kinds: list[str] = expected  # a schema's "type" list holds type names
        return " or ".join(names.get(e, e) for e in kinds)
    return names.get(expected, str(expected))

def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."

def pattern_message(where: Path_, value: Any) -> str:
    field = where[-1] if where else ""
    parent = where[-2] if len(where) >= 2 else ""
    if isinstance(value, str) and not value.strip():
        return "must not be empty"
    if field == "country":
        code = country_code_for_name(value)
        hint = f"; use {code!r}" if code else "; use a code such as 'DK'"
        return f"{short(value)} is not an ISO 3166 country code{hint}"
    if field in ("id",) or parent == "links":
        return f"{short(value)} must be lower-case words joined by hyphens, e.g. naju-haderslev"
    if field in ("updated", "confirmed", "since", "date", "until"):
        return f"{short(value)} is not a date; write YYYY-MM-DD"
    if field == "number":
        return f"{short(value)} must be in international form, e.g. \"+45 40 78 14 75\""
    if parent == "emails":
        return f"{short(value)} is not an e-mail address"
    if field == "url":
        return f"{short(value)} must be a full web address starting with https://"
    if field == "postal_code":
        return f"{short(value)} is not a 5-digit Korean postcode"
    return f"{short(value)} has the wrong form"

def country_code_for_name(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return country_code(value) or (value.upper() if value.upper() in country_names("en")
                                   else None)
