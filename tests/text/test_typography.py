"""Local typography (issue 22): each language's quotation marks, apostrophes and, in French,
the no-break spaces at its punctuation; slots, URLs and every other character as typed.

The bundled campaigns come first, the French Limoges letter the typesetter sent back
before all; then the rules one by one; then properties over any text (Hypothesis).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from campaign_letters.campaign.load import load_campaign
from campaign_letters.model import Message
from campaign_letters.text import faces
from campaign_letters.text.typography import NBSP, NNBSP, conventions, typeset
from tests.helpers.strategies import TEXT

LIMOGES = load_campaign("icheon-limoges").messages["fr"]
NAJU = load_campaign("naju-haderslev").messages
DAEGU = load_campaign("daegu-milan").messages
ENGLISH = [load_campaign(name).messages["en"]
           for name in ("icheon-limoges", "naju-haderslev", "daegu-milan", "paju-coquitlam")]

SLOTS_AND_URLS = re.compile(r"\{[^{}]*\}|https?://\S*[^\s.,;:!?'\"»”’)\]]")
QUOTES = "\"“”„«»‹›'‘’‚"
SPACES = f" {NBSP}{NNBSP}\u2009"


def texts(message: Message) -> list[str]:
    """Every text of a message a letter prints: subject, salutation, body paragraphs and
    link labels, closing, and the references filled into its slots."""
    body = [item if isinstance(item, str) else item.label for item in message.body]
    references = [text for reference in message.references.values()
                  for text in (reference.by_name, reference.by_office)]
    return [message.subject, message.salutation, *body, message.closing, *references]


def as_typed(text: str) -> str:
    """``text`` as typed on an ASCII keyboard: straight quotes and apostrophes, no
    guillemets, no no-break spaces (what the typesetter was sent)."""
    text = re.sub(r"«\s*", '"', re.sub(r"\s*»", '"', text))
    return text.translate(str.maketrans({"“": '"', "”": '"', "’": "'", NBSP: " ",
                                         NNBSP: " "}))


def folded(text: str, spaces: bool = True) -> str:
    """Quotation marks and apostrophes as one mark, and (``spaces``) without the spaces
    French typography sets: what must never change."""
    text = text.translate(str.maketrans(dict.fromkeys(QUOTES, '"')))
    return re.sub(f"[{SPACES}]", "", text) if spaces else text


# The French Limoges letter, as the typesetter sent it back.

@pytest.mark.parametrize("text", texts(LIMOGES))
def test_french_limoges_letter_is_set_as_french_is(text):
    """No space, or a breaking one, before : ; ! ? (outside slots, URLs and 10:30); no
    straight or English quotation marks; guillemets with no-break spaces inside; and the
    words as they were."""
    result = typeset(text, "fr")
    plain = SLOTS_AND_URLS.sub("", result)
    for match in re.finditer(r"[:;!?]+", plain):
        before = plain[match.start() - 1]
        if re.fullmatch(r"\d:\d", plain[match.start() - 1:match.end() + 1]):
            continue
        assert before == (NBSP if match[0][0] == ":" else NNBSP), (match[0], result)
    assert not set('"“”\'') & set(result)
    assert result.count("«") == result.count("»") == result.count(f"«{NBSP}") \
        == result.count(f"{NBSP}»")
    assert folded(result) == folded(text)
    assert not faces.unsupported_chars(result) and not faces.unsupported_chars(result, True)


def test_french_limoges_letter_as_typed_comes_out_the_same():
    """Typed with ASCII quotes, apostrophes and plain spaces, the letter comes out as
    from the bundled text: d’Icheon and l’élevage with the typographic apostrophe."""
    for text in texts(LIMOGES):
        assert typeset(as_typed(text), "fr") == typeset(text, "fr")
    assert "l’élevage" in typeset(as_typed(LIMOGES.body[0]), "fr")
    assert "au maire d’Icheon" in typeset(as_typed(LIMOGES.references["icheon-mayor"]
                                                  .by_office), "fr")
    assert typeset("au maire d'Icheon", "fr") == "au maire d’Icheon"
    assert typeset('les élus: Prenez', "fr") == f"les élus{NBSP}: Prenez"
    assert typeset('la plus cruelle: électrocutés', "fr") \
        == f"la plus cruelle{NBSP}: électrocutés"
    for quoted in ('"Centres de santé"', "“Centres de santé”", "« Centres de santé »"):
        assert typeset(quoted, "fr") == f"«{NBSP}Centres de santé{NBSP}»"


def test_french_spaces():
    assert typeset("Quoi ? Vraiment?! Oui ; non: peut-être", "fr") \
        == f"Quoi{NNBSP}? Vraiment{NNBSP}?! Oui{NNBSP}; non{NBSP}: peut-être"
    assert typeset("« Bonjour ! »", "fr") == f"«{NBSP}Bonjour{NNBSP}!{NBSP}»"
    # None after the mark, at a line's start, after an opening bracket or in a time.
    assert typeset("(?) et :\n: fin", "fr") == f"(?) et{NBSP}:\n: fin"
    assert typeset("Rendez-vous à 10:30, 1:2", "fr") == "Rendez-vous à 10:30, 1:2"
    assert typeset("à 10:30: salle 2", "fr") == f"à 10:30{NBSP}: salle 2"


def test_canadian_and_swiss_french():
    """fr-CA as fr (the OQLF: a fine space before ; ! ? when one is available), with
    CLDR's fr_CA alternate marks; fr_CH with CLDR's ‹ ›."""
    assert typeset("Quoi?", "fr-CA") == typeset("Quoi?", "fr_CA") == f"Quoi{NNBSP}?"
    assert typeset("\"il dit 'oui'\"", "fr_CA") == f"«{NBSP}il dit ”oui“{NBSP}»"
    assert typeset("\"il dit 'oui'\"", "fr_CH") == f"«{NBSP}il dit ‹{NBSP}oui{NBSP}›{NBSP}»"


# The other bundled languages.

@pytest.mark.parametrize("language, message", [("da", NAJU["da"]), ("it", DAEGU["it"])])
def test_danish_and_italian_letters_get_their_cldr_quotes(language, message):
    start, end = conventions(language).quotes
    for text in texts(message):
        result = typeset(as_typed(text), language)
        assert not set('"\'“”') - {start, end} & set(result)
        assert folded(result, spaces=False) == folded(text, spaces=False)
        assert typeset(text, language) == result
    assert (start, end) == {"da": ("“", "”"), "it": ("«", "»")}[language]  # CLDR 45
    assert "il «Chilseong Market» ovvero" in typeset(DAEGU["it"].body[2], "it")
    assert "såkaldte “helsecentre”" in typeset(as_typed(NAJU["da"].body[3]), "da")


@pytest.mark.parametrize("message", ENGLISH, ids=lambda message: message.subject[:30])
def test_english_is_unchanged_but_for_straight_quotes_and_apostrophes(message):
    for text in texts(message):
        assert typeset(text, "en") is text
        assert typeset(as_typed(text), "en") == text


def test_korean_spacing_is_left_alone():
    assert typeset('나주시장님: "개 식용" 금지! don\'t', "ko") \
        == "나주시장님: “개 식용” 금지! don’t"


def test_german_quotes_and_its_closing_mark():
    """German closes with “, the English opening mark: a German quotation stays one."""
    assert typeset('„Hallo“ und "Welt"', "de") == "„Hallo“ und „Welt“"
    assert typeset("“Welt”", "de") == "„Welt“"


# The rules, one at a time.

def test_apostrophes_only_between_letters():
    assert typeset("don't l'élevage 1990's {mayor}'s l'{mayor}", "en") \
        == "don’t l’élevage 1990’s {mayor}’s l’{mayor}"
    # At a word's edge an apostrophe may be a quotation mark: left as typed.
    assert typeset("un po' di 'tis dogs' 5'10", "en") == "un po' di 'tis dogs' 5'10"


def test_nested_quotes_take_the_alternate_marks_only_where_unambiguous():
    assert typeset('he said "it\'s \'fine\'"', "en") == "he said “it’s ‘fine’”"
    assert typeset('er sagte "es ist \'gut\'"', "de") == "er sagte „es ist ‚gut‘“"
    assert typeset('"a "b" c"', "it") == "«a “b” c»"
    # A single mark that may be an apostrophe: all three left as typed.
    assert typeset("\"the dogs' 'bowl'\"", "en") == "“the dogs' 'bowl'”"


def test_a_mark_without_its_partner_is_left_as_typed():
    assert typeset('il dit "oui', "fr") == 'il dit "oui'
    assert typeset('a " b', "en") == 'a " b'


def test_an_ambiguous_text_is_left_as_typed():
    """Read once, the German “ closes; read again, after „, it opens: left as typed."""
    text = '"“ {”{'
    assert typeset(text, "de") is text


def test_slots_and_urls_are_left_exactly_as_typed():
    text = "Voir {a: \"b\" c'd ; e} et https://koreandogs.org/a?b=1:c!d;e'f'g: ici"
    result = typeset(text, "fr")
    assert result == ("Voir {a: \"b\" c'd ; e} et "
                      f"https://koreandogs.org/a?b=1:c!d;e'f'g{NBSP}: ici")
    assert typeset("(https://koreandogs.org/)?", "fr") == "(https://koreandogs.org/)\u202f?"


def test_nothing_to_change_gives_the_same_string():
    text = "Venlig hilsen: {mayor}"
    assert typeset(text, "da") is text
    assert typeset('un "text" in a language without conventions', "xx") \
        == 'un "text" in a language without conventions'
    assert conventions("xx") is None and conventions("nl") is None


def test_every_mark_is_printable():
    marks = {NBSP, NNBSP, "’"}
    for language in ("da", "de", "en", "es", "fr", "fr_CA", "fr_CH", "it", "ko", "pl"):
        found = conventions(language)
        marks.update(*found.quotes, *found.alternate)
    assert not faces.unsupported_chars("".join(marks))
    assert not faces.unsupported_chars("".join(marks), bold=True)


# Properties over any text.

LANGUAGES = st.sampled_from(["fr", "fr_CA", "fr_CH", "en", "da", "it", "de", "ko", "pl", "es"])
# Words, the punctuation French spaces, every kind of quotation mark and space, slots and
# URLs, times: what campaign texts hold, in any order.
PIECES = st.sampled_from([
    "Icheon", "élus", "don't", "d'Icheon", "10:30", "{mayor}", "{a: 'b' c}", "…", "–",
    "https://koreandogs.org/a?b=1", " ", " ", " ", NBSP, NNBSP, "\n", "(", ")", ",", ".",
    *":;!?", *QUOTES])
CAMPAIGN_TEXT = st.one_of(st.lists(PIECES, max_size=30).map("".join), TEXT)


@given(text=CAMPAIGN_TEXT, language=LANGUAGES)
def test_typesetting_twice_changes_nothing(text, language):
    once = typeset(text, language)
    assert typeset(once, language) == once


@given(text=CAMPAIGN_TEXT, language=LANGUAGES)
def test_only_spaces_quotes_and_apostrophes_change(text, language):
    """Outside French not even spaces; and slots and URLs never."""
    result = typeset(text, language)
    assert folded(result, spaces=language.startswith("fr")) \
        == folded(text, spaces=language.startswith("fr"))
    assert SLOTS_AND_URLS.findall(result) == SLOTS_AND_URLS.findall(text)
    found = conventions(language)
    assert set(result) - set(text) <= {NBSP, NNBSP, "’", *found.quotes, *found.alternate}


def test_a_french_letter_is_set_in_french_and_the_note_as_typed(run_cli, tmp_path):
    """Through the command line to the PDF: the campaign's text gets French typography,
    the volunteer's own words print exactly as typed."""
    from tests.helpers.pdf_text import pdftotext

    out = tmp_path / "fr.pdf"
    result = run_cli("letter", "icheon-limoges", "--name", "Camille Exemple", "--street",
                     "1 rue de l'Exemple", "--postal-code", "87000", "--city", "Limoges",
                     "--country", "FR", "--note", 'Merci: "vraiment" !', "--to", "primary",
                     "-o", str(out))
    assert result.exit_code == 0, result.output
    text = " ".join(pdftotext(out).replace("\u00a0", " ").split())
    assert "les élus : Prenez position" in text and "élus: Prenez" not in text
    assert "« Centres de santé »" in text and "d’Icheon" in text
    assert 'Merci: "vraiment" !' in text  # the note, as typed
    assert "1 rue de l'Exemple" in text  # the address, as typed
