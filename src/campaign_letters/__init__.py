"""campaign-letters: turn a letter-writing campaign into ready-to-mail PDF letters.

The public API (``__all__``, pinned by a test): load and check a campaign, check what a
volunteer asks for, compose their letters and render them, and the errors all of these
raise. Everything else is internal and may change.
"""

from campaign_letters.campaign.load import bundled_ids, check_campaign, load_campaign
from campaign_letters.compose.letters import Letter, choose_language, compose_letters
from campaign_letters.errors import (
    CampaignError,
    CampaignLettersError,
    CampaignValidationError,
    InputError,
    InputErrors,
    LayoutError,
    MailError,
    MissingGlyphError,
    OutputError,
    RosterError,
    UnknownCampaignError,
    YamlFileError,
)
from campaign_letters.layout.render import RenderedLetters, render_document, render_letters
from campaign_letters.model import Campaign, LetterOptions, Recipient, Sender
from campaign_letters.produce import VolunteerLetters, produce_letters
from campaign_letters.version import __version__
from campaign_letters.volunteer.check import VolunteerInput, check_volunteer
from campaign_letters.volunteer.sender import clean_note, make_sender

__all__ = [
    "Campaign",
    "CampaignError",
    "CampaignLettersError",
    "CampaignValidationError",
    "InputError",
    "InputErrors",
    "LayoutError",
    "Letter",
    "LetterOptions",
    "MailError",
    "MissingGlyphError",
    "OutputError",
    "Recipient",
    "RenderedLetters",
    "RosterError",
    "Sender",
    "UnknownCampaignError",
    "VolunteerInput",
    "VolunteerLetters",
    "YamlFileError",
    "__version__",
    "bundled_ids",
    "check_campaign",
    "check_volunteer",
    "choose_language",
    "clean_note",
    "compose_letters",
    "load_campaign",
    "make_sender",
    "produce_letters",
    "render_document",
    "render_letters",
]
