"""Find the buyer's questions in an inquiry, so a reply can answer each one.

A sentence is a question when it ends with a question mark or starts with an
interrogative word or phrase (English, plus the inquiry's language), listed in
`question_words.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pipeline.routing.data_files import read_yaml

QUESTION_WORDS_FILE = Path(__file__).with_name("question_words.yaml")
QUESTION_MARKS = ("?", "？", "؟")
_SENTENCE_END = re.compile(r"(?<=[.!?。？！؟])\s+|\n+")
_BULLET = re.compile(r"^\s*(?:[-*•·>]+|\(?\d{1,2}[.)]|[a-z][.)])\s*", re.IGNORECASE)
MAX_QUESTION_CHARS = 300
GREETING_CHARS = 40  # "Dear Mr. Chen," fits; a long clause before a comma is not a greeting
SMALL_TALK_CHARS = 60  # "Dear Lisa, how are you?" is a greeting; longer sentences are kept


@dataclass(frozen=True)
class QuestionWords:
    """Question openers per language, small talk to skip, and the cap on answer slots."""

    openers: dict[str, tuple[str, ...]]
    ignore: tuple[str, ...]
    greetings: tuple[str, ...] = ()
    max_questions: int = 10

    @classmethod
    def load(cls, path: Path | str = QUESTION_WORDS_FILE) -> QuestionWords:
        raw = read_yaml(path)
        openers = {
            str(language): tuple(sorted((str(word).casefold() for word in words), key=len, reverse=True))
            for language, words in raw["openers"].items()
        }
        ignore = tuple(str(phrase).casefold() for phrase in raw.get("ignore") or ())
        greetings = tuple(str(word).casefold() for word in raw.get("greetings") or ())
        return cls(
            openers=openers,
            ignore=ignore,
            greetings=greetings,
            max_questions=int(raw.get("max_questions", 10)),
        )

    def _without_greeting(self, sentence: str) -> str:
        """'Hello Anna, can you quote?' -> 'can you quote?' (the greeting clause dropped)."""
        head, comma, rest = sentence.partition(",")
        greeting = head.casefold().strip()
        if (
            comma
            and len(head) <= GREETING_CHARS
            and any(greeting == word or greeting.startswith(word + " ") for word in self.greetings)
        ):
            return rest.strip()
        return sentence

    def _opens_question(self, sentence: str, language: str | None) -> bool:
        lowered = sentence.casefold().lstrip("¿¡\"'“‘( ")
        languages = ["en"] + ([language] if language and language != "en" else [])
        for code in languages:
            for word in self.openers.get(code, ()):
                if lowered.startswith(word):
                    rest = lowered[len(word) : len(word) + 1]
                    # CJK words need no space after them; others must end at a word boundary.
                    if code == "zh" or not rest or not (rest.isalnum() or rest in "-'"):
                        return True
        return False

    def extract(self, text: str | None, language: str | None = None) -> list[str]:
        """The questions in the text, in order, without repeats.

        >>> words = QuestionWords.load()
        >>> words.extract("Dear Sir, how are you? We need 500 sqm G654. What is the MOQ? "
        ...               "Please advise the lead time to Hamburg. Can you send photos")
        ['What is the MOQ?', 'Please advise the lead time to Hamburg.', 'Can you send photos']
        >>> words.extract("¿Cuál es el precio FOB? Gracias.", "es")
        ['¿Cuál es el precio FOB?']
        >>> words.extract("Have a nice day. Comment: urgent order.")
        []
        >>> words.extract("Hello Anna, could you quote 300 sets. His company, which we know, buys too.")
        ['could you quote 300 sets.']
        """
        if not text:
            return []
        found: list[str] = []
        seen: set[str] = set()
        for raw_sentence in _SENTENCE_END.split(str(text)):
            sentence = _BULLET.sub("", raw_sentence).strip()
            if len(sentence) < 4:
                continue
            lowered = sentence.casefold()
            if len(sentence) <= SMALL_TALK_CHARS and any(
                phrase.lstrip("¿¡ ") in lowered for phrase in self.ignore
            ):
                continue
            asked = self._without_greeting(sentence)
            if not (sentence.endswith(QUESTION_MARKS) or self._opens_question(asked, language)):
                continue
            sentence = asked
            if len(sentence) > MAX_QUESTION_CHARS:
                sentence = sentence[: MAX_QUESTION_CHARS - 1].rstrip() + "…"
            key = lowered.rstrip("?？؟. ")
            if key in seen:
                continue
            seen.add(key)
            found.append(sentence)
            if len(found) >= self.max_questions:
                break
        return found
