"""campaign-letters: turn a letter-writing campaign into ready-to-mail PDF letters."""

__version__ = "0.1.0"

from .compose import Letter, choose_language, compose_letters
from .errors import (
    CampaignError,
    CampaignValidationError,
    InputError,
    LayoutError,
    MissingGlyphError,
    UnknownCampaignError,
)
from .loading import bundled_ids, check_campaign, load_campaign
from .model import Campaign, LetterOptions, Recipient, Sender
from .render import render_letters
from .sender import make_sender

__all__ = [
    "Campaign",
    "CampaignError",
    "CampaignValidationError",
    "InputError",
    "LayoutError",
    "Letter",
    "LetterOptions",
    "MissingGlyphError",
    "Recipient",
    "Sender",
    "UnknownCampaignError",
    "__version__",
    "bundled_ids",
    "check_campaign",
    "choose_language",
    "compose_letters",
    "load_campaign",
    "make_sender",
    "render_letters",
]
