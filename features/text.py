"""The text every signal family reads, computed the same way everywhere.

Signals look at the subject and the new part of the body: a quoted reply
chain repeats old messages (often the seller's own), and a 5 MB body is capped
so one pathological e-mail cannot stall a batch.
"""

from __future__ import annotations

import math

import pandas as pd

from features.tokens import Tokens, tokenize
from pipeline.contract import MAX_PROCESSING_CHARS


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def new_body_text(body: object, quoted_reply_at: object = -1) -> str:
    """The body without its quoted reply chain, capped for processing.

    >>> new_body_text("Price for 500 pcs?\\n> On Monday you wrote: hello", 19)
    'Price for 500 pcs?\\n'
    >>> new_body_text(None)
    ''
    """
    text = _cell_text(body)
    cut = quoted_reply_at if isinstance(quoted_reply_at, int) and quoted_reply_at >= 0 else len(text)
    return text[: min(cut, MAX_PROCESSING_CHARS)]


# Tokens take about 35 bytes per character of text. A batch keeps the tokens of at most this
# many characters (about 70 MB; a 2,000-row chunk of ordinary inquiries is 0.6 M characters),
# so a chunk of very long e-mails costs time, not memory: beyond it, each family cuts again.
CACHED_TOKEN_CHARS = 2_000_000


class InquiryTexts(list):
    """The texts of a batch, each cut into tokens once, by the first family that asks.

    Specificity, standing, the scam markers' catalogue check and the language
    family's word count all read the same tokens of the same text; cutting it
    once for all of them saves about a tenth of the signals' work.

    >>> texts = InquiryTexts(["Need 300 visitor chairs"])
    >>> texts.tokens(0).lower, texts.tokens(0) is texts.tokens(0)
    (['need', '300', 'visitor', 'chairs'], True)
    """

    def __init__(self, texts=(), cached_token_chars: int = CACHED_TOKEN_CHARS):
        super().__init__(texts)
        self._tokens: dict[int, Tokens] = {}
        self.cached_chars = 0
        self._budget = cached_token_chars

    def tokens(self, row: int) -> Tokens:
        cut = self._tokens.get(row)
        if cut is None:
            cut = tokenize(self[row])
            if self.cached_chars + len(cut.text) <= self._budget:
                self._tokens[row] = cut
                self.cached_chars += len(cut.text)
        return cut


def as_inquiry_texts(texts: list[str]) -> InquiryTexts:
    """`texts` itself when it already shares its tokens, else a sharing copy."""
    return texts if isinstance(texts, InquiryTexts) else InquiryTexts(texts)


def inquiry_texts(inquiries: pd.DataFrame) -> InquiryTexts:
    """Subject and new body of every inquiry, one string each.

    >>> frame = pd.DataFrame({"subject": ["RFQ", None], "body": ["5000 pcs", "hi"]})
    >>> inquiry_texts(frame)
    ['RFQ\\n5000 pcs', 'hi']
    """
    subjects = inquiries["subject"] if "subject" in inquiries else [None] * len(inquiries)
    bodies = inquiries["body"] if "body" in inquiries else [None] * len(inquiries)
    quoted = inquiries["quoted_reply_at"] if "quoted_reply_at" in inquiries else [-1] * len(inquiries)
    texts = []
    for subject, body, quoted_at in zip(subjects, bodies, quoted):
        quoted_at = int(quoted_at) if quoted_at is not None and not pd.isna(quoted_at) else -1
        subject_text = _cell_text(subject).strip()
        body_text = new_body_text(body, quoted_at)
        texts.append(f"{subject_text}\n{body_text}" if subject_text else body_text)
    return InquiryTexts(texts)
