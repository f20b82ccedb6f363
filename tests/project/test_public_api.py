"""The public API is what ``campaign_letters.__all__`` names, no more and no less (as
httpx pins its own in tests/test_exported_members.py): a change to it is a decision,
made here on purpose."""

from __future__ import annotations

import campaign_letters
from campaign_letters import errors

PUBLIC_API = {
    "Campaign", "CampaignError", "CampaignLettersError", "CampaignValidationError",
    "InputError", "InputErrors", "LayoutError", "Letter", "LetterOptions", "MailError",
    "MissingGlyphError", "OutputError", "Recipient", "RenderedLetters", "RosterError",
    "Sender", "UnknownCampaignError", "VolunteerInput", "VolunteerLetters", "YamlFileError",
    "__version__", "bundled_ids", "check_campaign", "check_volunteer", "choose_language",
    "clean_note", "compose_letters", "load_campaign", "make_sender", "produce_letters",
    "render_document", "render_letters",
}


def test_all_is_pinned():
    assert set(campaign_letters.__all__) == PUBLIC_API


def test_every_name_in_all_exists():
    missing = [name for name in campaign_letters.__all__ if not hasattr(campaign_letters, name)]
    assert not missing


def test_every_error_is_exported_and_under_the_base():
    """errors.py's tree: each exception the package raises on purpose derives from
    CampaignLettersError and is part of the public API."""
    defined = {name for name, value in vars(errors).items()
               if isinstance(value, type) and issubclass(value, Exception)}
    assert defined <= set(campaign_letters.__all__)
    assert all(issubclass(getattr(errors, name), errors.CampaignLettersError)
               for name in defined)
