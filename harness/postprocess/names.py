"""Names without their titles: "US Secretary of State Mike Pompeo" -> "Mike Pompeo", office and country apart.

Models often copy a name with everything in front of it. The titles recognised are the scorer's
``LEADING_TITLES`` (one list, so what post-processing strips is what scoring ignores), optionally
preceded by a nationality ("US", "Pakistani") and followed by an acronym in parentheses ("(COAS)")
or a posting ("to Pakistan"). Stripping stops rather than guess: a title is removed only when a
name follows it, so "Chief of Army Staff Qamar Bajwa" (whose "Chief" is followed by "of") stays whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.normalize import LEADING_TITLES, normalize_text
from harness.postprocess.countries import country_from_words

__all__ = [
    "RANKS_AND_HONORIFICS",
    "TitleSplit",
    "after_last_rank",
    "split_nationality",
    "split_title",
    "strip_title",
]

RANKS_AND_HONORIFICS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "gen",
        "general",
        "lt gen",
        "lieutenant general",
        "maj gen",
        "major general",
        "brig",
        "brigadier",
        "col",
        "colonel",
        "adm",
        "admiral",
        "field marshal",
        "marshal",
    }
)
"""Leading titles that are not an office: stripped from a name, never made its role (the goldens' rule)."""

_TITLES = frozenset(LEADING_TITLES)
_LONGEST_TITLE_WORDS = max(len(title.split()) for title in LEADING_TITLES)
_LONGEST_COUNTRY_WORDS = 3  # "United Arab Emirates", "Republic of Korea"
_NOT_A_NAME_START = frozenset({"of", "to", "for", "and", "the", "in", "at", "on"})
"""Words that show a "title" was only the start of a longer office ("Chief of ..."), not a prefix of a name."""


@dataclass(frozen=True)
class TitleSplit:
    """A name cut from the words in front of it."""

    name: str
    """The name without titles, nationality or posting; the input unchanged when nothing was stripped."""
    office: str | None = None
    """The stripped words that name an office ("Secretary of State"), without ranks and nationality."""
    country: str | None = None
    """ISO alpha-3 code of a stripped nationality ("US" -> "USA")."""


def _words(text: str) -> list[re.Match[str]]:
    return list(re.finditer(r"\S+", text))


def _nationality_at(words: list[re.Match[str]], index: int) -> tuple[int, str] | None:
    """(number of words, alpha-3) of a capitalised country name or adjective starting at ``index``."""
    if index >= len(words) or not words[index].group()[0].isupper():
        return None
    for count in range(min(_LONGEST_COUNTRY_WORDS, len(words) - index), 0, -1):
        phrase = " ".join(word.group() for word in words[index : index + count])
        code = country_from_words(phrase)
        if code is not None:
            return count, code
    return None


def _title_at(words: list[re.Match[str]], index: int) -> int:
    """Number of words of the longest leading title starting at ``index`` (0 if none)."""
    for count in range(min(_LONGEST_TITLE_WORDS, len(words) - index), 0, -1):
        if normalize_text(" ".join(word.group() for word in words[index : index + count])) in _TITLES:
            return count
    return 0


def _after_title(words: list[re.Match[str]], index: int) -> int:
    """Skip what belongs to a title just read: "(COAS)", or a posting "to Pakistan"."""
    if index < len(words) and re.fullmatch(r"\(\S+\)", words[index].group()):
        return index + 1
    if index < len(words) and words[index].group() == "to":
        posting = _nationality_at(words, index + 1)
        if posting is not None:
            return index + 1 + posting[0]
    return index


def split_title(name: str) -> TitleSplit:
    """Cut leading titles (with a nationality, acronym or posting around them) from a name."""
    words = _words(name)
    index, country = 0, None
    office_spans: list[tuple[int, int]] = []
    while True:
        nationality = _nationality_at(words, index)
        start = index + nationality[0] if nationality is not None else index
        count = _title_at(words, start)
        if count == 0:
            break
        end = _after_title(words, start + count)
        if end >= len(words) or normalize_text(words[end].group()) in _NOT_A_NAME_START:
            break
        if nationality is not None:
            country = country or nationality[1]
        title = normalize_text(" ".join(word.group() for word in words[start : start + count]))
        if title not in RANKS_AND_HONORIFICS:
            office_spans.append((words[start].start(), words[end - 1].end()))
        index = end
    if index == 0:
        return TitleSplit(name=name)
    office = name[office_spans[0][0] : office_spans[-1][1]] if office_spans else None
    return TitleSplit(name=name[words[index].start() :].strip(), office=office, country=country)


def strip_title(name: str) -> str:
    """``name`` without leading titles and ranks: "Gen. Qamar Bajwa" -> "Qamar Bajwa"."""
    return split_title(name).name


def after_last_rank(name: str) -> str:
    """A person's name from the word after its last rank or honorific: "Army Chief Gen. Ola Nord" -> "Ola Nord".

    ``split_title`` stops at words it does not know (a misspelt office), but a rank is always
    followed by the name it belongs to, so whatever precedes the last one is title, not name.
    """
    words = _words(name)
    last_rank = max(
        (i for i, word in enumerate(words[:-1]) if normalize_text(word.group()) in RANKS_AND_HONORIFICS), default=-1
    )
    return name[words[last_rank + 1].start() :] if last_rank >= 0 else name


def split_nationality(text: str) -> tuple[str | None, str]:
    """(alpha-3, rest) of text led by a nationality ("US Secretary of State" -> "USA", ...); else (None, text)."""
    words = _words(text)
    nationality = _nationality_at(words, 0)
    if nationality is None or nationality[0] >= len(words):
        return None, text
    count, code = nationality
    return code, text[words[count].start() :]
