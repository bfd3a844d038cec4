"""The data contract (v1) as data: field names, types and allowed values.

Every reader, validator and writer takes its field lists from here, so the
contract is stated once. See CONTRACT.md sections 1, 2 and 4.
"""

from __future__ import annotations

CONTRACT_VERSION = "1"

CHANNELS = ("email", "platform", "website_form", "trade_show", "other")

# Inquiry fields (contract section 1), grouped by type.
REQUIRED_FIELDS = ("inquiry_id", "received_at", "body")
STRING_FIELDS = (
    "inquiry_id",
    "channel",
    "subject",
    "body",
    "sender_name",
    "sender_email",
    "sender_title",
    "company",
    "phone",
    "fax",
    "website",
    "address",
    "country",
    "messenger",
    "customer_id",
)
DATETIME_FIELDS = ("received_at", "last_order_at")
LIST_FIELDS = ("attachments",)
COUNT_FIELDS = {"thread_messages": 1, "prior_orders": 0, "sample_orders": 0}
COUNT_MINIMUM = {"thread_messages": 1, "prior_orders": 0, "sample_orders": 0}
BOOL_FIELDS = {"visited_factory": False}
NUMBER_FIELDS = ("lifetime_value_usd",)

INQUIRY_FIELDS = (
    "inquiry_id",
    "received_at",
    "channel",
    "subject",
    "body",
    "sender_name",
    "sender_email",
    "sender_title",
    "company",
    "phone",
    "fax",
    "website",
    "address",
    "country",
    "messenger",
    "attachments",
    "thread_messages",
    "customer_id",
    "prior_orders",
    "sample_orders",
    "visited_factory",
    "last_order_at",
    "lifetime_value_usd",
)

# Label fields (contract section 2).
LABEL_FIELDS = ("grade", "suspected_fraud", "labelled_by", "labelled_at")
GRADES = (1, 2, 3, 4)

# Columns the normaliser adds to every valid inquiry. Readers downstream
# (signals, scoring, routing) may rely on them.
NORMALISED_EXTRA_FIELDS = (
    "country_code",  # ISO 3166 alpha-2, or None when unknown
    "received_offset_minutes",  # the sender's UTC offset as written, for local time
    "phone_e164",  # E.164 form of `phone` when parseable, else None
    "phone_valid",  # `phone` is a valid number, also for `country_code` when known (False without one)
    "fax_e164",
    "body_chars",  # length of the original body
    "quoted_reply_at",  # char offset where a quoted reply chain starts, -1 if none
    "input_flags",  # list of flags: non_utf8, html_converted, body_capped, ...
    "source_file",
    "source_row",
)

# The scored result (contract section 4): at least these columns.
SCORED_FIELDS = (
    "inquiry_id",
    "grade",
    "suspected_fraud",
    "fraud_reasons",
    "grade_source",
    "confidence",
    "model_grade",
    "rule_grade",
    "rules_fired",
    "disagreement",
    "language",
    "country_code",
    "assigned_to",
    "reply_due_at",
    "requires_supervisor_review",
    "model_version",
    "run_id",
)
GRADE_SOURCES = ("override", "model", "rules")

# Text longer than this is capped for processing; the original is kept.
MAX_PROCESSING_CHARS = 20_000
