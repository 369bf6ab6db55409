"""vCard 4.0 as RFC 6350 wants it: escaping (§3.4), folding (§3.2), tel URIs, CRLF."""

from __future__ import annotations

from commonground.stakeholders.vcard import VCard, escape, fold, tel


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_text_values_escape_backslash_comma_semicolon_and_newline() -> None:
    assert escape("a\\b, c; d\ne\r\nf") == "a\\\\b\\, c\\; d\\ne\\nf"


def test_a_short_line_is_left_alone() -> None:
    assert fold("FN:Ana") == "FN:Ana"


def test_long_lines_fold_at_75_octets_and_unfold_to_the_same_text() -> None:
    line = "NOTE:" + "x" * 200
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode()) <= 75 for part in parts)
    assert len(parts[0].encode()) == 75
    assert all(part.startswith(" ") for part in parts[1:])
    assert unfold(folded) == line


def test_folding_never_splits_a_multibyte_character() -> None:
    line = "NOTE:" + "é" * 60 + "漢字" * 20  # 2- and 3-octet characters
    folded = fold(line)
    for part in folded.split("\r\n"):
        part.encode("utf-8").decode("utf-8")  # each physical line is valid UTF-8 on its own
        assert len(part.encode()) <= 75
    assert unfold(folded) == line


def test_a_card_has_begin_version_first_and_crlf_line_ends() -> None:
    card = VCard().text("FN", "Ibu Siti").text("NOTE", "  ").serialise()
    assert card == "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ibu Siti\r\nEND:VCARD\r\n"


def test_parameter_values_with_separators_are_quoted() -> None:
    card = VCard().add("X-TEST", "v", [("LABEL", "a;b")]).serialise()
    assert 'X-TEST;LABEL="a;b":v' in card


def test_phone_numbers_become_tel_uris_or_stay_text() -> None:
    assert tel("+62 (21) 390 6666") == (
        "tel:+62-21-390-6666",
        [("VALUE", "uri"), ("TYPE", "voice")],
    )
    assert tel("ask at the mosque; ext 4")[0] == "ask at the mosque\\; ext 4"
    assert tel("ask at the mosque; ext 4")[1][0] == ("VALUE", "text")
