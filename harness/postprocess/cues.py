"""Whether a sentence can report a diplomatic contact at all: the words such a sentence uses.

Small models pad the contact list: the first actor paired with everyone, a statement or a quoted
remark turned into a "meeting". A contact is a call, a meeting, a visit, talks or an exchange of
letters, and English reports those with a small, closed vocabulary. A cited sentence without any
of these words is not evidence of a contact, so post-processing drops it, and a contact left with
no evidence is dropped with it. The list is general English, not tuned to any article.
"""

from __future__ import annotations

import re

__all__ = ["reports_contact"]

_CONTACT_WORDS = re.compile(
    r"""\b(?:
        tele(?:phone[ds]?|phoning|phonic(?:ally)?) | phone(?:[ds]|\ call)? | phoning
      | call(?:s|ed|ing)?\b(?!\s+(?:upon|for)\b)
      | met | meet(?:s|ing|ings)? | summit | sidelines | summon(?:s|ed|ing)? | courtesy
      | visit(?:s|ed|ing|or|ors)? | trip | tour(?:ed|ing)? | travel(?:s|led|ed|ling|ing)?
      | arriv(?:e|es|ed|ing|al) | landed | embark(?:s|ed|ing)? | hosted | host(?:s|ing)?
      | receiv(?:es|ed|ing) | welcom(?:es|ed|ing) | audience
      | talk(?:s|ed)? | spoke | spoken | speak(?:s|ing)? | conversation(?:s)? | dialogue
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
