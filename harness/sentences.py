"""The article as numbered sentences: what the model cites as evidence, and how a citation becomes a quote.

Small models asked to copy quotes paraphrase them (drop "on Wednesday", re-type titles), and
a quote that is not in the text is not evidence. Asking for sentence numbers instead makes every
citation groundable by construction and keeps the answer short: the model writes ``[3]`` where it
would have written sixty tokens of quote. Sentence boundaries come from pysbd, whose spans index
the raw text, so a sentence's ``text`` is always ``document.text[start:end]``. ``reports_contact``
tells the sentences that can report a contact: the prompt marks them, post-processing keeps only them as evidence.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pysbd

from harness.documents import body_start
from schemas.article import MAX_QUOTE_CHARS

__all__ = ["Sentence", "reports_contact", "split_sentences"]

_SEGMENTER = pysbd.Segmenter(language="en", clean=False, char_span=True)
_PARAGRAPH = re.compile(r"\S(?:.|\n(?![^\S\n]*\n))*")
"""A run of text up to a blank line. pysbd's time grows faster than the length of what it is given,
and no sentence crosses a blank line, so each paragraph is segmented on its own."""


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document, numbered from 1 as the prompt shows it."""

    number: int
    start: int
    end: int
    text: str


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``start, end`` without surrounding whitespace, cut at a word boundary to at most ``MAX_QUOTE_CHARS``."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end - start > MAX_QUOTE_CHARS:
        cut = text.rfind(" ", start, start + MAX_QUOTE_CHARS)
        end = cut if cut > start else start + MAX_QUOTE_CHARS
        while end > start and text[end - 1].isspace():
            end -= 1
    return start, end


@functools.lru_cache(maxsize=256)
def split_sentences(text: str) -> tuple[Sentence, ...]:
    """The non-blank sentences of ``text`` after any crawler date marker, numbered from 1."""
    sentences: list[Sentence] = []
    for paragraph in _PARAGRAPH.finditer(text, body_start(text)):
        for span in _SEGMENTER.segment(paragraph.group()):
            start, end = _trimmed(text, paragraph.start() + span.start, paragraph.start() + span.end)
            if start < end:
                sentences.append(Sentence(number=len(sentences) + 1, start=start, end=end, text=text[start:end]))
    return tuple(sentences)


# Whether a sentence can report a diplomatic contact at all: the words such a sentence uses.
# Small models pad the contact list: the first actor paired with everyone, a statement or a quoted
# remark turned into a "meeting". A contact is a call, a meeting, a visit, talks or an exchange of
# letters, and English reports those with a small, closed vocabulary. A cited sentence without any
# of these words is not evidence of a contact, so post-processing drops it, and a contact left with
# no evidence is dropped with it; the prompt marks the sentences that have one, so a small model reads
# each candidate. The list is general English, not tuned to any article. Not contacts: "so-called", an appeal
# ("called for", "called upon", "called on <someone> that"), a speech ("speaking at", "speaking to reporters").
_CONTACT_WORDS = re.compile(
    r"""\b(?:
        tele(?:phone[ds]?|phoning|phonic(?:ally)?) | phone(?:[ds]|\ call)? | phoning
      | (?<!so-)call(?:s|ed|ing)?\b(?!\s+(?:upon|for)\b)(?!\s+on\s+(?:[\w.'\u2019-]+\s+){1,8}?that\b)
      | met | meet(?:s|ing|ings)? | summit | sidelines | summon(?:s|ed|ing)? | courtesy
      | visit(?:s|ed|ing|or|ors)? | trip | tour(?:ed|ing)? | travel(?:s|led|ed|ling|ing)?
      | arriv(?:e|es|ed|ing|al) | landed | embark(?:s|ed|ing)? | hosted | host(?:s|ing)?
      | receiv(?:es|ed|ing) | welcom(?:es|ed|ing) | audience
      | talk(?:s|ed)? | spoke | spoken | conversation(?:s)? | dialogue
      | speak(?:s|ing)?\b(?!\s+(?:at|to\s+(?:reporters|journalists|the\s+(?:media|press)))\b)
      | discuss(?:es|ed|ing|ion|ions)? | consult(?:s|ed|ing|ations?)? | confer(?:s|red|ring|ence)?
      | negotiat(?:e|es|ed|ing|ions?) | video(?:\ ?conference|\ ?link|\ call) | virtual(?:ly)?
      | letter(?:s)? | wrote | written\ to | message(?:s)?
      | exchang(?:e|es|ed|ing)\s+(?:of\s+)?(?:views|letters|messages|greetings|notes) | delegation | envoy
    )\b""",
    re.IGNORECASE | re.VERBOSE,
)


def reports_contact(sentence: str) -> bool:
    """Whether ``sentence`` has a word that reports a call, meeting, visit, talks or correspondence."""
    return _CONTACT_WORDS.search(sentence) is not None
