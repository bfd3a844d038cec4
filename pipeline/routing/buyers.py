"""Who the buyer is: keys that tie several inquiries to one buyer.

Two inquiries belong to the same buyer when they come from the same e-mail
address, or else name the same company once legal-form words ("GmbH",
"Co., Ltd.") and punctuation are dropped. The word lists are in `buyers.yaml`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pipeline.routing.data_files import read_yaml

BUYERS_FILE = Path(__file__).with_name("buyers.yaml")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or str(value).strip() == ""


@dataclass(frozen=True)
class BuyerKeys:
    """Normalises e-mail addresses and company names into buyer keys."""

    legal_form_words: frozenset[str]
    placeholder_companies: frozenset[str]

    @classmethod
    def load(cls, path: Path | str = BUYERS_FILE) -> BuyerKeys:
        raw = read_yaml(path)
        return cls(
            legal_form_words=frozenset(str(word).casefold() for word in raw["legal_form_words"]),
            placeholder_companies=frozenset(
                str(word).casefold().strip() for word in raw["placeholder_companies"]
            ),
        )

    def email(self, address: object) -> str | None:
        """The address in lower case, or None if it is not an address.

        >>> keys = BuyerKeys.load()
        >>> keys.email("  Hans.Weber@Granitbau.DE ")
        'hans.weber@granitbau.de'
        >>> keys.email("n/a") is None
        True
        """
        if _blank(address):
            return None
        text = str(address).strip().lower()
        return text if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text) else None

    def company(self, name: object) -> str | None:
        """The company name without legal form, case or punctuation; None for placeholders.

        >>> keys = BuyerKeys.load()
        >>> keys.company("Granit-Bau GmbH") == keys.company("GRANIT BAU gmbh.")
        True
        >>> keys.company("Xiamen Stone Co., Ltd.")
        'xiamen stone'
        >>> keys.company("N/A") is None, keys.company("Ltd.") is None
        (True, True)
        """
        if _blank(name):
            return None
        text = unicodedata.normalize("NFKC", str(name)).casefold().strip()
        if text in self.placeholder_companies:
            return None
        words = [word for word in re.split(r"[\W_]+", text) if word and word not in self.legal_form_words]
        key = " ".join(words)
        return key or None
