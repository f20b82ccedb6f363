"""campaign-letters: turn a letter-writing campaign into ready-to-mail PDF letters."""

__version__ = "0.2.0"

from .compose import Letter, choose_language, compose_letters
from .errors import (
    CampaignError,
    CampaignLettersError,
    CampaignValidationError,
    InputError,
    LayoutError,
    MissingGlyphError,
    UnknownCampaignError,
)
from .loading import bundled_ids, check_campaign, load_campaign
from .model import Campaign, LetterOptions, Recipient, Sender
from .produce import VolunteerLetters, produce_letters
from .render import RenderedLetters, render_document, render_letters
from .sender import clean_note, make_sender

__all__ = [
    "Campaign",
    "CampaignError",
    "CampaignLettersError",
    "CampaignValidationError",
    "InputError",
    "LayoutError",
    "Letter",
    "LetterOptions",
    "MissingGlyphError",
    "Recipient",
    "RenderedLetters",
    "Sender",
    "UnknownCampaignError",
    "VolunteerLetters",
    "__version__",
    "bundled_ids",
    "check_campaign",
    "choose_language",
    "clean_note",
    "compose_letters",
    "load_campaign",
    "make_sender",
    "produce_letters",
    "render_document",
    "render_letters",
]
