"""Normalisation tables: what buyers write, and what the grader reads."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import normalise


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("England", "GB"),
        ("United Kingdom", "GB"),
        ("USA", "US"),
        ("U.S.A.", "US"),
        ("us", "US"),
        ("United States of America", "US"),
        ("Deutschland", "DE"),
        ("germany", "DE"),
        ("DE", "DE"),
        ("DEU", "DE"),
        ("KSA", "SA"),
        ("السعودية", "SA"),
        ("UAE", "AE"),
        ("Dubai, UAE", "AE"),
        ("España", "ES"),
        ("Россия", "RU"),
        ("Russia", "RU"),
        ("台灣", "TW"),
        ("Taiwan", "TW"),
        ("中国", "CN"),
        ("P.R. China", "CN"),
        ("Schweiz", "CH"),
        ("Türkiye", "TR"),
        ("Turkey", "TR"),
        ("South Korea", "KR"),
        ("Viet Nam", "VN"),
        ("Brasil", "BR"),
        ("  france  ", "FR"),
        ("Iran", "IR"),
        ("Shenzhen, China", "CN"),
    ],
)
def test_country_names_and_codes_become_alpha2(written, code):
    assert normalise.country_code(written) == code


@pytest.mark.parametrize("written", ["Atlantis", "Europe", "", None, "   "])
def test_unknown_or_empty_country_has_no_code(written):
    assert normalise.country_code(written) is None


def test_every_alias_in_the_data_file_is_a_real_country():
    import pycountry

    for alias, code in normalise.country_aliases().items():
        assert pycountry.countries.get(alpha_2=code) is not None, alias


@pytest.mark.parametrize(
    ("written", "utc", "offset"),
    [
        ("2025-03-04T10:15:00+08:00", datetime(2025, 3, 4, 2, 15, tzinfo=timezone.utc), 480),
        ("2025-03-04T10:15:00Z", datetime(2025, 3, 4, 10, 15, tzinfo=timezone.utc), 0),
        ("2025-03-04 10:15:00-0500", datetime(2025, 3, 4, 15, 15, tzinfo=timezone.utc), -300),
        ("2025-03-04T10:15:00+05:30", datetime(2025, 3, 4, 4, 45, tzinfo=timezone.utc), 330),
        ("2025-03-04 10:15:00 UTC", datetime(2025, 3, 4, 10, 15, tzinfo=timezone.utc), 0),
        ("Tue, 04 Mar 2025 10:15:00 +0100", datetime(2025, 3, 4, 9, 15, tzinfo=timezone.utc), 60),
    ],
)
def test_timestamps_become_utc_and_keep_the_senders_offset(written, utc, offset):
    moment, minutes = normalise.parse_timestamp(written)
    assert moment == utc
    assert moment.tzinfo == timezone.utc
    assert minutes == offset


def test_aware_datetime_objects_are_accepted():
    moment, minutes = normalise.parse_timestamp(datetime(2025, 1, 1, 12, tzinfo=timezone.utc))
    assert (moment.hour, minutes) == (12, 0)


@pytest.mark.parametrize("written", ["2025-03-04T10:15:00", "2025-03-04", datetime(2025, 3, 4, 10, 15)])
def test_a_time_without_offset_is_refused(written):
    with pytest.raises(ValueError, match="no UTC offset"):
        normalise.parse_timestamp(written)


def test_a_time_without_offset_may_be_read_as_utc_when_allowed():
    moment, minutes = normalise.parse_timestamp("2024-11-30", require_offset=False)
    assert moment == datetime(2024, 11, 30, tzinfo=timezone.utc)
    assert minutes == 0


@pytest.mark.parametrize("written", ["yesterday", "2025-13-45T10:00:00Z", 1741083300, ["2025-03-04"]])
def test_unreadable_timestamps_are_refused(written):
    with pytest.raises(ValueError):
        normalise.parse_timestamp(written)


@pytest.mark.parametrize(
    ("written", "address"),
    [
        ("  Anna.Keller@Buero-Moebel.DE ", "anna.keller@buero-moebel.de"),
        ("Anna Keller <ANNA@ACME.COM>", "anna@acme.com"),
        ("mailto:Sales@Example.com", "sales@example.com"),
        ("", None),
        (None, None),
    ],
)
def test_email_addresses_are_trimmed_and_lower_cased(written, address):
    assert normalise.normalise_email(written) == address


@pytest.mark.parametrize(
    ("raw", "country", "e164"),
    [
        ("+49 (0)30 1234 5678", None, "+493012345678"),
        ("030 1234 5678", "DE", "+493012345678"),
        ("050 123 4567", "SA", "+966501234567"),
        ("+1 (212) 555-0142", "GB", "+12125550142"),
        ("0044 20 7946 0958", "DE", "+442079460958"),
        ("030 1234 5678", None, None),
        ("whatsapp me", "DE", None),
        ("123", "US", None),
        ("+1 555", "GB", None),
    ],
)
def test_phone_numbers_get_e164_when_parseable(raw, country, e164):
    assert normalise.phone_e164(raw, country) == e164


@pytest.mark.parametrize(
    ("cell", "items"),
    [
        ("spec.pdf;photo.jpg", ["spec.pdf", "photo.jpg"]),
        (" spec.pdf ; ; photo.jpg; ", ["spec.pdf", "photo.jpg"]),
        ("", []),
        (None, []),
        (["PO 88.pdf"], ["PO 88.pdf"]),
    ],
)
def test_list_cells_are_split_on_semicolons(cell, items):
    assert normalise.split_list(cell) == items


def test_a_list_of_objects_is_not_a_list_of_names():
    with pytest.raises(ValueError, match="list of names"):
        normalise.split_list([{"name": "a.pdf"}])


@pytest.mark.parametrize(
    ("written", "channel"),
    [
        ("email", "email"),
        ("Website Form", "website_form"),
        ("trade-show", "trade_show"),
        ("OTHER", "other"),
        (None, None),
    ],
)
def test_channel_spellings_are_accepted(written, channel):
    assert normalise.normalise_channel(written) == channel


@pytest.mark.parametrize("written", ["E-mail", "fax", "wechat"])
def test_channels_outside_the_contract_are_refused(written):
    with pytest.raises(ValueError, match="unknown value"):
        normalise.normalise_channel(written)


@pytest.mark.parametrize(
    ("written", "count"), [(3, 3), ("3", 3), (" 12 ", 12), (2.0, 2), ("4.0", 4), ("", None), (None, None)]
)
def test_counts_accept_whole_numbers_in_any_spelling(written, count):
    assert normalise.parse_count(written) == count


@pytest.mark.parametrize("written", ["abc", 1.5, True, "3 pcs", {"n": 3}])
def test_counts_refuse_what_is_not_a_whole_number(written):
    with pytest.raises(ValueError, match="whole number"):
        normalise.parse_count(written)


@pytest.mark.parametrize(
    ("written", "flag"),
    [(True, True), ("yes", True), ("TRUE", True), (1, True), ("no", False), (0, False), ("", None)],
)
def test_yes_no_values(written, flag):
    assert normalise.parse_flag(written) is flag


def test_text_fields_refuse_objects_but_accept_numbers():
    assert normalise.text_value(1234) == "1234"
    with pytest.raises(ValueError, match="JSON object"):
        normalise.text_value({"a": 1})
    with pytest.raises(ValueError, match="true/false"):
        normalise.text_value(True)


def test_html_bodies_become_readable_text():
    html = (
        "<html><head><title>x</title><style>p {color: red}</style></head><body>"
        "<p>Dear Sir,</p><p>We need <b>500 pcs</b> of EW-201.<br>FOB Shenzhen.</p>"
        "<script>track()</script></body></html>"
    )
    assert normalise.looks_like_html(html)
    assert normalise.html_to_text(html) == "Dear Sir,\nWe need 500 pcs of EW-201.\nFOB Shenzhen."


def edited_tree_text(html: str) -> str:
    """The plain definition of `html_to_text`: edit the parsed tree, then take its text."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup.find_all(["script", "style", "head", "title", "meta"]):
        hidden.decompose()
    blocks = ["p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "pre"]
    for tag in soup.find_all(["br", *blocks]):
        if tag.name == "br":
            tag.replace_with("\n")
        else:
            tag.insert_before("\n")
            tag.insert_after("\n")
    lines = [" ".join(line.split()) for line in soup.get_text().splitlines()]
    return normalise._BLANK_RUNS.sub("\n", "\n".join(lines)).strip()


TRICKY_HTML = [
    "<html><head><title>t</title><meta charset=utf-8><style>x</style></head><body><p>a</p></body></html>",
    "<head><p>a head never closed hides the rest",
    "<body><p>x</p><head><p>late head</p></head><p>y</p></body>",
    "<div><p>x<div>y</p>z</div></div>",
    "<p>one<p>two<br>three<br/>four</br>five",
    "<template><p>template</p></template><rt>ruby</rt><rp>(</rp>text",
    "<!DOCTYPE html><!-- comment --><p>a<![CDATA[cdata]]>b</p><?pi x?>",
    "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>",
    "<ul><li>x</li><li>y<ul><li>z</li></ul></li></ul>",
    "<pre>  spaced\n\n\n  text  </pre><blockquote>q</blockquote>",
    "<script>if (a < b) {}</script><p>after</p><noscript>ns</noscript>",
    "<p>&amp; &lt; &nbsp; &copy &#169; &#x41; &bogus; &</p>",
    "<p>unclosed <b>bold <i>italic</p> tail",
    "<H1>Upper</H1><DIV>Case</DIV><Br>x",
    "<o:p>office</o:p><p class=MsoNormal>mso</p>",
    "<textarea><p>not a tag</p></textarea><p>after</p>",
    "<div>" * 2000 + "deep" + "</div>" * 2000,
    "<br><br><br>",
    "",
]


@pytest.mark.parametrize("html", TRICKY_HTML)
def test_html_text_is_what_the_edited_tree_says(html):
    assert normalise.html_to_text(html) == edited_tree_text(html)


TAG_SOUP = st.lists(
    st.sampled_from(
        [f"<{tag}>" for tag in ("p", "div", "br", "b", "head", "title", "script", "style", "meta", "li", "tr", "template")]
        + [f"</{tag}>" for tag in ("p", "div", "br", "b", "head", "script", "li", "template")]
        + ["<br/>", "<!-- c -->", "word", " ", "\n", "x y", "&amp;", "Price?", "<", ">"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(TAG_SOUP)
def test_html_text_is_what_the_edited_tree_says_on_tag_soup(html):
    assert normalise.html_to_text(html) == edited_tree_text(html)


SIMPLE_TAG_SOUP = st.lists(
    st.sampled_from(
        [f"<{tag}>" for tag in ("p", "DIV", "br", "b", "head", "meta", "li", "tr", "html", "body")]
        + [f"</{tag}>" for tag in ("p", "div", "B", "head", "li", "html")]
        + ['<div dir="ltr">', '<p\n style="a:b">', "word", " ", "\n", "\r\n", "\x0c", "\xa0", "x y", "Tom & Jerry", ">"]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(SIMPLE_TAG_SOUP)
def test_simple_html_is_read_without_a_parser_and_gives_the_parsed_text(html):
    assert normalise._simple_html_pieces(html) is not None
    assert normalise.html_to_text(html) == edited_tree_text(html)


@pytest.mark.parametrize(
    "html", ["<p>a<br/>b</p>", "<p>a</br>b</p>", "<p>&amp;</p>", "<p>x</p><!-- c -->", "<pre> x </pre>", "<p>Li <li@x.cn></p>"]
)
def test_other_html_is_left_to_the_parser(html):
    assert normalise._simple_html_pieces(html) is None
    assert normalise.html_to_text(html) == edited_tree_text(html)


@pytest.mark.parametrize("text", ["price < 5 USD, MOQ > 100", "use <tag> in the logo", "a</b"])
def test_plain_text_with_angle_brackets_is_not_html(text):
    assert not normalise.looks_like_html(text)


NEW_TEXT = "Please quote 500 pcs EW-201.\n"


@pytest.mark.parametrize(
    "quoted",
    [
        "> Thank you for your inquiry",
        "On Mon, 3 Mar 2025 at 10:00, Li Wei <sales@everwin.example> wrote:\n> hello",
        "On Mon, 3 Mar 2025 at 10:00, Li Wei <sales@everwin.example>\nwrote:\n> hello",
        "-----Original Message-----\nFrom: sales@everwin.example",
        "From: Li Wei\nSent: Monday, March 3, 2025 10:00\nTo: buyer",
        "De: Li Wei\nEnviado: lunes, 3 de marzo de 2025\nPara: comprador",
        "发件人: 李伟\n发送时间: 2025年3月3日",
        "Le lun. 3 mars 2025 à 10:00, Li Wei a écrit :\n> bonjour",
        "Am 03.03.2025 um 10:00 schrieb Li Wei:\n> hallo",
        "3 марта 2025 г., в 10:00, Li Wei <sales@everwin.example> написал(а):\n> цена",
        "03.03.2025 10:00, Li Wei пишет:\n> цена",
    ],
)
def test_quoted_reply_chains_are_marked_where_they_start(quoted):
    assert normalise.quoted_reply_at(NEW_TEXT + quoted) == len(NEW_TEXT)


def test_a_body_without_quoted_reply_is_not_marked():
    body = "On behalf of our company we need 200 sofas. Who wrote the spec? We did."
    assert normalise.quoted_reply_at(body) == -1


def test_docstring_examples_hold():
    import doctest

    from pipeline.readers import email_files, jsonl

    for module in (normalise, email_files, jsonl):
        result = doctest.testmod(module)
        assert result.failed == 0, module.__name__
    assert doctest.testmod(normalise).attempted >= 15
