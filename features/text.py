"""The text every signal family reads, computed the same way everywhere.

Signals look at the subject and the new part of the body: a quoted reply
chain repeats old messages (often the seller's own), and a 5 MB body is capped
so one pathological e-mail cannot stall a batch.
"""

from __future__ import annotations

import math

import pandas as pd

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


def inquiry_texts(inquiries: pd.DataFrame) -> list[str]:
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
    return texts
