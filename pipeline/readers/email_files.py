"""E-mail sources: a folder of `.eml` files, or an mbox file.

Each message is mapped onto the contract's inquiry fields: Message-ID,
Date, Subject, From, the text/plain body (or the HTML one converted to text),
attachment names, and the thread length from the References header.
"""

from __future__ import annotations

import hashlib
import mailbox
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Any

from pipeline.normalise import html_to_text
from pipeline.readers.records import InquirySource, RawChunk, RawProblem, RawRecord

_MESSAGE_ID = re.compile(r"<[^<>\s]+>")


def read_eml(source: InquirySource, chunk_rows: int) -> Iterator[RawChunk]:
    """One record per `.eml` file (a single file, or every one under a folder)."""
    if source.path.is_dir():
        files = eml_files(source.path)
        base = source.path
    else:
        files, base = [source.path], source.path.parent
    if not files:
        yield RawChunk(source, notes=["no .eml files in the folder"])
        return
    parser = BytesParser(policy=policy.default)
    chunk = RawChunk(source)
    for path in files:
        relative = path.relative_to(base).as_posix()
        try:
            message = parser.parsebytes(path.read_bytes())
            fields, flags = message_fields(message, fallback_id=_stable_id(relative, 1))
        except Exception as error:  # a broken e-mail must not stop the folder
            chunk.problems.append(RawProblem(str(path), 1, f"could not read this e-mail: {error}", relative))
        else:
            chunk.records.append(RawRecord(str(path), 1, fields, flags))
        if chunk.rows_read >= chunk_rows:
            yield chunk
            chunk = RawChunk(source)
    if chunk.rows_read:
        yield chunk


def eml_files(folder: Path) -> list[Path]:
    """The `.eml` files under a folder, in a stable order, hidden files left out."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.suffix.lower() == ".eml" and path.is_file() and not path.name.startswith(".")
    )


def read_mbox(source: InquirySource, chunk_rows: int) -> Iterator[RawChunk]:
    """One record per message of an mbox file; the row is the message's 1-based position."""
    file = str(source.path)
    parser = BytesParser(policy=policy.default)
    box = mailbox.mbox(source.path, create=False)
    try:
        chunk = RawChunk(source)
        index = 0
        for index, key in enumerate(box.iterkeys(), start=1):
            try:
                message = parser.parsebytes(box.get_bytes(key))
                fields, flags = message_fields(message, fallback_id=_stable_id(source.path.name, index))
            except Exception as error:  # one broken message must not stop the mailbox
                chunk.problems.append(RawProblem(file, index, f"could not read this e-mail: {error}", None))
            else:
                chunk.records.append(RawRecord(file, index, fields, flags))
            if chunk.rows_read >= chunk_rows:
                yield chunk
                chunk = RawChunk(source)
        if index == 0:
            chunk.notes.append("empty file: no messages")
        if chunk.rows_read or chunk.notes:
            yield chunk
    finally:
        box.close()


def message_fields(message: EmailMessage, fallback_id: str) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The contract fields of one e-mail, and input flags (html_converted, non_utf8)."""
    flags: list[str] = []
    sender_name, sender_email = parseaddr(str(message.get("From", "")))
    message_id = _MESSAGE_ID.search(str(message.get("Message-ID", "")))
    plain = message.get_body(preferencelist=("plain",))
    if plain is not None:
        body = _part_text(plain)
    else:
        html = message.get_body(preferencelist=("html",))
        body = html_to_text(_part_text(html)) if html is not None else ""
        if html is not None:
            flags.append("html_converted")
    subject = str(message.get("Subject", "")).strip()
    if "\ufffd" in body or "\ufffd" in subject:
        flags.append("non_utf8")
    references = _MESSAGE_ID.findall(str(message.get("References", "")))
    fields = {
        "inquiry_id": message_id.group(0)[1:-1] if message_id else fallback_id,
        "received_at": _received_at(message),
        "channel": "email",
        "subject": subject or None,
        "body": body,
        "sender_name": sender_name.strip() or None,
        "sender_email": sender_email.strip() or None,
        "company": str(message.get("Organization", "")).strip() or None,
        "attachments": [name for part in message.iter_attachments() if (name := part.get_filename())],
        "thread_messages": len(references) + 1 if references else (2 if message.get("In-Reply-To") else 1),
    }
    return fields, tuple(flags)


def _part_text(part: EmailMessage) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError):
        # An unknown or lying charset: keep the text, mark what could not be decoded.
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def _received_at(message: EmailMessage) -> str | None:
    """The Date header as ISO-8601; the newest Received stamp when Date is missing or broken."""
    candidates = [str(message.get("Date", "")).strip()]
    received = message.get_all("Received") or []
    if received:
        candidates.append(str(received[0]).rsplit(";", 1)[-1].strip())
    for text in candidates:
        if not text:
            continue
        try:
            moment = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            continue
        if moment.tzinfo is None:
            # RFC 5322 "-0000": the time is UTC, the sender's zone unknown.
            return moment.isoformat() + "+00:00"
        return moment.isoformat()
    return candidates[0] or None


def _stable_id(name: str, index: int) -> str:
    """An inquiry id for a message without Message-ID, the same on every run."""
    return "eml-" + hashlib.sha1(f"{name}#{index}".encode()).hexdigest()[:16]
