"""Turn raw inquiry values into the contract's canonical forms.

Pure functions, one per kind of value. Coercions raise `ValueError` with a
message a sales assistant can act on; the validator adds the file, row and
field. Lookups that repeat across a batch (countries, phone numbers) are cached.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.contract import CHANNELS

_HERE = Path(__file__).resolve().parent
_ONE_MINUTE = timedelta(minutes=1)
LARGEST_COUNT = 2**63 - 1  # a count column is 64-bit
_TRUE_WORDS = frozenset({"true", "yes", "y", "1", "t"})
_FALSE_WORDS = frozenset({"false", "no", "n", "0", "f"})
_UTC_SUFFIXES = (" UTC", " GMT", "UTC", "GMT")
_HTML_TAG = re.compile(r"<\s*(?:html|body|div|p|br|table|span|font|head|meta)\b", re.IGNORECASE)
_CHANNEL_SEPARATORS = re.compile(r"[\s\-]+")
_BLOCK_TAG_SET = frozenset(["p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "pre"])
_HIDDEN_TAGS = frozenset(["script", "style", "head", "title", "meta"])
_BLANK_RUNS = re.compile(r"\n[ \t\r\f\v]*(?:\n[ \t\r\f\v]*)+")
# HTML that `html_to_text` reads without BeautifulSoup: these tags (none of which holds raw
# text, keeps white space or has a special kind of string in BeautifulSoup), start tags with
# double-quoted attributes, bare end tags, and text without "<" or character references.
_SELF_CLOSING_TAGS = frozenset(["br", "meta"])
_SIMPLE_TAGS = frozenset(
    ["html", "head", "meta", "body", "p", "div", "br", "span", "font", "b", "i", "u", "strong", "em"]
    + ["table", "tbody", "tr", "td", "th", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"]
)
_HTML_SPACE = "[ \t\n\r\f]"
_SIMPLE_HTML_TOKEN = re.compile(
    rf"<(?P<start>[a-zA-Z][a-zA-Z0-9]*)(?:{_HTML_SPACE}+[a-zA-Z][-a-zA-Z0-9]*=\"[^\"<>&]*\")*{_HTML_SPACE}*>"
    r"|</(?P<end>[a-zA-Z][a-zA-Z0-9]*)>"
    r"|(?P<text>[^<&\x00]+|& )"
)
_ASCII_SPACES = " \n\t\f\r"  # what BeautifulSoup counts as white space


def is_missing(value: object) -> bool:
    """True for None, NaN and blank text: the cell says nothing.

    >>> [is_missing(v) for v in (None, float("nan"), "  ", "", 0, "x")]
    [True, True, True, True, False, False]
    """
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, float) and math.isnan(value)


def describe(value: object) -> str:
    """A short human description of a value, for error messages.

    >>> describe({"a": 1}), describe([1]), describe(True), describe("abc")
    ('a JSON object', 'a list', 'true/false', "'abc'")
    """
    if isinstance(value, dict):
        return "a JSON object"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def text_value(value: object, *, strip: bool = True) -> str | None:
    """Text of a string field; numbers become text, objects are refused.

    >>> text_value("  ACME Ltd "), text_value(12345), text_value(None), text_value(" ")
    ('ACME Ltd', '12345', None, None)
    >>> text_value({"html": "<p>hi</p>"})
    Traceback (most recent call last):
    ValueError: expected text, got a JSON object
    """
    if value is None:
        return None
    if isinstance(value, str):
        cleaned = value.strip() if strip else value
        return cleaned if cleaned.strip() else None
    if isinstance(value, bool) or isinstance(value, (dict, list, tuple)):
        raise ValueError(f"expected text, got {describe(value)}")
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, int):
        return str(value)
    raise ValueError(f"expected text, got {describe(value)}")


def parse_timestamp(value: object, *, require_offset: bool = True) -> tuple[datetime, int]:
    """An ISO-8601 date-time as a UTC datetime plus the writer's offset in minutes.

    A time without an offset is ambiguous by up to a day, so it is refused when
    `require_offset` is set; otherwise it is read as UTC.

    >>> parse_timestamp("2025-03-04T10:15:00+08:00")
    (datetime.datetime(2025, 3, 4, 2, 15, tzinfo=datetime.timezone.utc), 480)
    >>> parse_timestamp("2025-03-04 10:15:00Z")[1]
    0
    >>> parse_timestamp("Tue, 04 Mar 2025 10:15:00 -0500")[1]
    -300
    >>> parse_timestamp("2025-03-04 10:15")
    Traceback (most recent call last):
    ValueError: '2025-03-04 10:15' has no UTC offset; write it like 2025-03-04T10:15:00+08:00
    >>> parse_timestamp("next Tuesday")
    Traceback (most recent call last):
    ValueError: 'next Tuesday' is not a date-time; write it like 2025-03-04T10:15:00+08:00
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        moment = _parse_timestamp_text(value.strip())
    else:
        raise ValueError(f"expected an ISO-8601 date-time text, got {describe(value)}")
    offset = moment.utcoffset()
    if offset is None:
        if require_offset:
            raise ValueError(f"{describe(value)} has no UTC offset; write it like 2025-03-04T10:15:00+08:00")
        return moment.replace(tzinfo=timezone.utc), 0
    try:
        return moment.astimezone(timezone.utc), offset // _ONE_MINUTE
    except OverflowError:  # "0001-01-01T00:15+01:00" is in year 0 in UTC
        raise ValueError(f"{describe(value)} is outside the years 1 to 9999 in UTC") from None


def _parse_timestamp_text(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for suffix in _UTC_SUFFIXES:
        if text.endswith(suffix):
            try:
                return datetime.fromisoformat(text[: -len(suffix)].strip()).replace(tzinfo=timezone.utc)
            except ValueError:
                break
    try:
        # E-mail exports often carry the RFC 2822 form of the Date header.
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        example = "2025-03-04T10:15:00+08:00"
        raise ValueError(f"{describe(text)} is not a date-time; write it like {example}") from None


def parse_count(value: object) -> int | None:
    """A whole number from a JSON number or a CSV cell; None when missing.

    >>> parse_count("3"), parse_count(2.0), parse_count(""), parse_count(None)
    (3, 2, None, None)
    >>> parse_count("abc")
    Traceback (most recent call last):
    ValueError: expected a whole number, got 'abc'
    >>> parse_count(1.5)
    Traceback (most recent call last):
    ValueError: expected a whole number, got '1.5'
    """
    if is_missing(value):
        return None
    count = _whole_number(value)
    if count is None:
        raise ValueError(f"expected a whole number, got {describe(value)}")
    if abs(count) > LARGEST_COUNT:
        raise ValueError(
            f"expected a whole number below 2^63 (the largest a table column holds), got {describe(value)}"
        )
    return count


def _whole_number(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if number.is_integer():
                return int(number)
    return None


def parse_amount(value: object) -> float | None:
    """A number (money, usually) from a JSON number or a CSV cell.

    >>> parse_amount("1250.50"), parse_amount(7), parse_amount(" ")
    (1250.5, 7.0, None)
    """
    if is_missing(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {describe(value)}")
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:  # an integer of 309 digits or more
            raise ValueError(f"expected a number, got {describe(value)}") from None
    if isinstance(value, str):
        try:
            number = float(value.strip().replace(",", ""))
        except ValueError:
            pass
        else:
            if math.isfinite(number):
                return number
    raise ValueError(f"expected a number, got {describe(value)}")


def parse_flag(value: object) -> bool | None:
    """A yes/no value: JSON booleans, 0/1, or words such as "yes" and "false".

    >>> parse_flag("Yes"), parse_flag(0), parse_flag(False), parse_flag("")
    (True, False, False, None)
    >>> parse_flag("maybe")
    Traceback (most recent call last):
    ValueError: expected true or false, got 'maybe'
    """
    if is_missing(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise ValueError(f"expected true or false, got {describe(value)}")


def normalise_channel(value: object) -> str | None:
    """One of the contract's channels; spelling variants of them are accepted.

    >>> normalise_channel("Website Form"), normalise_channel("trade-show"), normalise_channel(None)
    ('website_form', 'trade_show', None)
    >>> normalise_channel("fax")
    Traceback (most recent call last):
    ValueError: unknown value 'fax'; expected one of email, platform, website_form, trade_show, other
    """
    text = text_value(value)
    return None if text is None else _channel(text)


@lru_cache(maxsize=256)
def _channel(text: str) -> str:
    channel = _CHANNEL_SEPARATORS.sub("_", text.lower())
    if channel not in CHANNELS:
        raise ValueError(f"unknown value {describe(text)}; expected one of {', '.join(CHANNELS)}")
    return channel


def normalise_email(value: object) -> str | None:
    """An e-mail address trimmed and lower-cased; a display name is removed.

    >>> normalise_email("  John.Smith@ACME.co.uk "), normalise_email("John <J@X.COM>")
    ('john.smith@acme.co.uk', 'j@x.com')
    >>> normalise_email("mailto:Sales@Example.com")
    'sales@example.com'
    """
    text = text_value(value)
    if text is None:
        return None
    if "<" in text and ">" in text:
        text = text[text.rfind("<") + 1 : text.rfind(">")]
    if text[:7].lower() == "mailto:":
        text = text[7:]
    return text.strip().lower() or None


def split_list(value: object) -> list[str]:
    """A list field: a JSON list, or a CSV cell with items joined by ';'.

    >>> split_list("spec.pdf; photo.jpg;"), split_list(["a.pdf"]), split_list(None)
    (['spec.pdf', 'photo.jpg'], ['a.pdf'], [])
    """
    if is_missing(value):
        return []
    if isinstance(value, str):
        return [item.strip() for item in value.split(";") if item.strip()]
    if isinstance(value, (list, tuple)):
        items = []
        for item in value:
            if isinstance(item, (dict, list, tuple)):
                raise ValueError(f"expected a list of names, found {describe(item)} inside")
            if not is_missing(item):
                items.append(str(item).strip())
        return items
    raise ValueError(f"expected a list of names (or text joined with ';'), got {describe(value)}")


@lru_cache(maxsize=1)
def country_aliases() -> dict[str, str]:
    """The alias table of `country_aliases.yaml`, keyed by the matching form."""
    table = yaml.safe_load((_HERE / "country_aliases.yaml").read_text(encoding="utf-8"))
    return {_country_key(alias): str(code) for code, aliases in table.items() for alias in aliases}


def _country_key(text: str) -> str:
    return " ".join(text.replace(".", "").replace("'", "").casefold().split())


@lru_cache(maxsize=4096)
def country_code(value: str | None) -> str | None:
    """ISO 3166 alpha-2 code of a country as a buyer wrote it, or None.

    >>> [country_code(v) for v in ("UK", "U.S.A.", "Deutschland", "KSA", "de", "DEU", "Germany")]
    ['GB', 'US', 'DE', 'SA', 'DE', 'DE', 'DE']
    >>> country_code("Dubai, UAE"), country_code("Atlantis")
    ('AE', None)
    """
    if value is None or not str(value).strip():
        return None
    import pycountry

    key = _country_key(str(value))
    aliases = country_aliases()
    if key in aliases:
        return aliases[key]
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        pass
    if "," in key:
        # "Shenzhen, China", "Dubai, UAE": the country comes last.
        return country_code(key.rsplit(",", 1)[1])
    return None


@lru_cache(maxsize=65536)
def parsed_phone(raw: str, region: str | None = None):
    """phonenumbers' reading of a phone number (a local number read in `region`); None when unreadable.

    Cached and shared: validation asks for both the E.164 form and the validity of each phone.
    """
    import phonenumbers

    try:
        return phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None


@lru_cache(maxsize=65536)
def phone_e164(raw: str | None, region: str | None = None) -> str | None:
    """E.164 form of a phone number, using the buyer's country for local numbers.

    >>> phone_e164("+49 (0)30 1234 5678"), phone_e164("030 1234 5678", "DE")
    ('+493012345678', '+493012345678')
    >>> phone_e164("call me"), phone_e164("030 1234 5678")
    (None, None)
    """
    if raw is None or not raw.strip():
        return None
    import phonenumbers

    number = parsed_phone(raw, region)
    if number is None or not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=65536)
def phone_validity(phone: str, region: str | None) -> bool:
    """True when the phone is a valid number, and valid in `region` when one is known.

    >>> phone_validity("040 1234567", "DE"), phone_validity("+49 40 1234567", None)
    (True, True)
    >>> phone_validity("12345", "US")
    False
    """
    import phonenumbers

    number = parsed_phone(phone, region)
    if number is None:
        return False
    # `is_valid_number` is validity for the number's own region; when that is the buyer's
    # region too, the second check would repeat the first, so it is skipped.
    own_region = phonenumbers.region_code_for_number(number)
    if not phonenumbers.is_valid_number_for_region(number, own_region):
        return False
    return region is None or region == own_region or phonenumbers.is_valid_number_for_region(number, region)


def looks_like_html(text: str) -> bool:
    """True when a body is an HTML document rather than plain text.

    >>> looks_like_html("<html><body><p>Need 500 chairs</p></body></html>")
    True
    >>> looks_like_html("price < 5 USD and MOQ > 100")
    False
    """
    head = text[:4096].lstrip()[:2048]
    return head.startswith("<") and "</" in text and _HTML_TAG.search(head) is not None


def html_to_text(html: str) -> str:
    """The readable text of an HTML body, one block per line.

    Scripts, styles and the head are left out; a line break or a block
    (paragraph, table row, list item ...) starts a new line; comments and
    other markup are dropped.

    >>> html_to_text("<html><style>p{}</style><p>Hello,</p><p>need <b>500</b> pcs</p></html>")
    'Hello,\\nneed 500 pcs'
    >>> html_to_text("<div>Price?<br>MOQ?<!-- tracking --></div><template>x</template>")
    'Price?\\nMOQ?'
    """
    pieces = _simple_html_pieces(html)
    if pieces is None:
        pieces = _parsed_html_pieces(html)
    lines = [" ".join(line.split()) for line in "".join(pieces).splitlines()]
    return _BLANK_RUNS.sub("\n", "\n".join(lines)).strip()


def _parsed_html_pieces(html: str) -> list[str]:
    """The text pieces and line breaks of any HTML, in document order, as parsed by BeautifulSoup."""
    from bs4 import BeautifulSoup, CData, NavigableString, Tag

    soup = BeautifulSoup(html, "html.parser")
    # One walk over the parsed tree, in document order, yielding what `get_text()` would
    # after removing the hidden elements and putting line breaks around the blocks (as
    # plain text: main-content strings only, so no comments and no <template> text).
    # Changing the tree to get there costs twice the parse itself.
    text_types = (NavigableString, CData)
    pieces: list[str] = []
    pending: list = list(reversed(soup.contents))
    while pending:
        node = pending.pop()
        if node is None:  # the end of a block
            pieces.append("\n")
        elif isinstance(node, Tag):
            name = node.name
            if name in _HIDDEN_TAGS:
                continue
            if name == "br":
                pieces.append("\n")
                continue
            if name in _BLOCK_TAG_SET:
                pieces.append("\n")
                pending.append(None)
            pending.extend(reversed(node.contents))
        elif type(node) in text_types:
            pieces.append(node)
    return pieces


def _simple_html_pieces(html: str) -> list[str] | None:
    """`_parsed_html_pieces` of simple HTML, in one pass without building a tree; None for other HTML.

    Simple means: only the ordinary tags of `_SIMPLE_TAGS`, opened with plain
    attributes and closed without any; text without character references or
    other markup. That is what HTML-only e-mails mostly are, and parsing them
    with BeautifulSoup costs ~10x more. The events mirror what BeautifulSoup
    does with html.parser: an end tag closes its most recent open namesake and
    everything opened after it (and is ignored when there is none), <br> and
    <meta> close at once, the document's end closes the rest, and a text that
    is only ASCII white space becomes one line break (if it has one) or one space.
    """
    pieces: list[str] = []
    texts: list[str] = []  # the text since the last tag, which BeautifulSoup joins into one string
    open_tags: list[str] = []
    hidden = 0  # how many of the open tags hide what is inside them
    position = 0
    for token in _SIMPLE_HTML_TOKEN.finditer(html):
        if token.start() != position:
            return None  # markup the pattern does not know: a comment, an entity, a stray "<" ...
        position = token.end()
        text = token["text"]
        if text is not None:
            texts.append(text)
            continue
        if texts:
            _end_text(texts, pieces, hidden)
        if (name := token["start"]) is not None:
            name = name.lower()
            if name not in _SIMPLE_TAGS:
                return None
            if name in _HIDDEN_TAGS:
                if name not in _SELF_CLOSING_TAGS:
                    open_tags.append(name)
                    hidden += 1
            elif hidden:
                if name not in _SELF_CLOSING_TAGS:
                    open_tags.append(name)
            elif name == "br":
                pieces.append("\n")
            else:
                open_tags.append(name)
                if name in _BLOCK_TAG_SET:
                    pieces.append("\n")
        else:
            name = token["end"].lower()
            if name not in _SIMPLE_TAGS or name in _SELF_CLOSING_TAGS:
                return None  # </br> is matched against earlier <br>s: leave it to BeautifulSoup
            if name in open_tags:
                while (closed := open_tags.pop()) != name:
                    hidden = _close(closed, pieces, hidden)
                hidden = _close(closed, pieces, hidden)
    if position != len(html):
        return None
    if texts:
        _end_text(texts, pieces, hidden)
    while open_tags:
        hidden = _close(open_tags.pop(), pieces, hidden)
    return pieces


def _end_text(texts: list[str], pieces: list[str], hidden: int) -> None:
    text = "".join(texts)
    texts.clear()
    if not text.strip(_ASCII_SPACES):
        text = "\n" if "\n" in text else " "
    if not hidden:
        pieces.append(text)


def _close(name: str, pieces: list[str], hidden: int) -> int:
    """Close an open tag; returns how many open tags still hide their content."""
    if name in _HIDDEN_TAGS:
        return hidden - 1
    if not hidden and name in _BLOCK_TAG_SET:
        pieces.append("\n")
    return hidden


@lru_cache(maxsize=1)
def _reply_marker_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Matchers for the first line, for later lines (found by their newline, which is fast), and line ends."""
    markers = yaml.safe_load((_HERE / "reply_markers.yaml").read_text(encoding="utf-8"))
    starts = "[ \t]*(?:" + "|".join(f"(?:{marker})" for marker in markers["line_starts"]) + ")"
    ends = "(?:" + "|".join(f"(?:{marker})" for marker in markers["line_ends"]) + ")[ \t]*$"
    return (
        re.compile(starts, re.IGNORECASE),
        re.compile("\n" + starts, re.IGNORECASE),
        re.compile(ends, re.MULTILINE),
    )


def quoted_reply_at(body: str) -> int:
    """Character offset where a quoted reply chain starts, or -1 when there is none.

    >>> quoted_reply_at("Please quote 500 pcs.\\n\\nOn Mon, 3 Mar 2025 Li Wei wrote:\\n> our price list")
    23
    >>> quoted_reply_at("Need 200 sets\\n-----Original Message-----\\nFrom: sales")
    14
    >>> quoted_reply_at("好的\\n发件人: 王经理"), quoted_reply_at("Price for model X-20?")
    (3, -1)
    >>> quoted_reply_at("Да, 100 шт.\\n3 марта 2025 г., Li Wei написал(а):\\n> цена")
    12
    """
    first_line, later_line, line_end = _reply_marker_patterns()
    offsets = []
    if first_line.match(body):
        offsets.append(0)
    elif match := later_line.search(body):
        offsets.append(match.start() + 1)
    if match := line_end.search(body):
        offsets.append(body.rfind("\n", 0, match.start()) + 1)
    return min(offsets, default=-1)
