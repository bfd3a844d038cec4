"""Throughput and peak memory of `validate_files` on a synthetic JSON Lines file.

The nightly scoring job must reach about 2,000 inquiries/s end to end; the
validator is its first stage and should stay above 20,000 rows/s.

    .venv/bin/python benchmarks/bench_validate.py --rows 200000

Writes rows/s and peak RSS to benchmarks/results/validate.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COUNTRIES = [
    ("Germany", "+49 30 {n7}"), ("DE", "030 {n4} {n4}"), ("Deutschland", "+49 89 {n7}"),
    ("USA", "+1 (212) {n3}-{n4}"), ("United States", "(415) {n3}-{n4}"), ("U.S.A.", "+1 646 {n3} {n4}"),
    ("UK", "+44 20 {n4} {n4}"), ("United Kingdom", "020 {n4} {n4}"),
    ("KSA", "+966 5{n4}{n4}"), ("Saudi Arabia", "05{n4}{n4}"), ("UAE", "+971 50 {n3} {n4}"),
    ("España", "+34 91 {n3} {n2} {n2}"), ("Brasil", "+55 11 9{n4}-{n4}"), ("Россия", "+7 495 {n3}-{n2}-{n2}"),
    ("France", "01 {n2} {n2} {n2} {n2}"), ("México", "+52 55 {n4} {n4}"), ("Türkiye", "+90 212 {n3} {n4}"),
    ("Nigeria", "+234 803 {n3} {n4}"), ("India", "+91 98{n4}{n4}"), ("Vietnam", "+84 90 {n3} {n4}"),
    ("", ""), ("Atlantis", "call me"),
]
OPENINGS = [
    "Dear Sir/Madam,", "Hello,", "Hi Mr. Chen,", "Estimado proveedor,", "Bonjour,", "Здравствуйте,",
    "السلام عليكم،", "Sehr geehrte Damen und Herren,", "您好，", "Olá,",
]
REQUESTS = [
    "We are interested in your office chairs model EW-{n3}. Please quote FOB Shenzhen for {q} pcs, "
    "packing in cartons, delivery to Hamburg port within 45 days. Payment T/T 30% deposit.",
    "Please send catalogue and price list of all products.",
    "We need {q} sets of gaming chair with PU leather, black colour, BIFMA certificate. "
    "Target price USD {p}.",
    "Kindly view our purchase order on the secure portal and confirm: http://portal-{n4}.example/login",
    "Necesitamos cotización de {q} sillas de oficina modelo EW-{n3}, entrega CIF Valencia.",
    "Merci de nous envoyer votre meilleur prix pour {q} fauteuils, livraison DDP Lyon.",
    "Просим прислать предложение на {q} шт. кресел, условия FOB Нинбо, оплата аккредитив.",
    "请报价 {q} 把办公椅，型号 EW-{n3}，FOB 深圳。",
]
CLOSINGS = ["Best regards,\n{name}\n{company}", "Thanks\n{name}", "Saludos,\n{name}", "С уважением,\n{name}"]
NAMES = ["John Smith", "Maria Garcia", "Ahmed Al-Farsi", "Olga Ivanova", "Pierre Martin", "Li Wei"]
COMPANIES = ["ACME Furniture GmbH", "Global Trading LLC", "Oficina Total S.L.", "", "Best Office Ltd"]
CHANNELS = ["email", "platform", "website_form", "trade_show", "Email", "website form"]


def _digits(rng: random.Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def synthetic_inquiry(rng: random.Random, number: int, start: datetime) -> dict:
    """One inquiry with the variety the validator meets; about 3% are broken on purpose."""
    country, phone_format = rng.choice(COUNTRIES)
    fill = {"n2": _digits(rng, 2), "n3": _digits(rng, 3), "n4": _digits(rng, 4), "n7": _digits(rng, 7)}
    name, company = rng.choice(NAMES), rng.choice(COMPANIES)
    body = "\n".join(
        [
            rng.choice(OPENINGS),
            rng.choice(REQUESTS).format(q=rng.choice([50, 500, 5000]), p=rng.randint(20, 90), **fill),
            rng.choice(CLOSINGS).format(name=name, company=company),
        ]
    )
    if rng.random() < 0.2:
        body += "\n\nOn Mon, 3 Mar 2025 sales@everwin.example wrote:\n> Thank you for your inquiry."
    if rng.random() < 0.01:
        body = f"<html><body><p>{body.replace(chr(10), '</p><p>')}</p></body></html>"
    offset = timezone(timedelta(minutes=rng.choice([-300, 0, 60, 180, 330, 480])))
    received = (start + timedelta(seconds=rng.randint(0, 180 * 86400))).astimezone(offset)
    inquiry = {
        "inquiry_id": f"INQ-{number:08d}",
        "received_at": received.isoformat(),
        "channel": rng.choice(CHANNELS),
        "subject": rng.choice(["RFQ", "Inquiry for office chairs", "Price request", "Cooperation", ""]),
        "body": body,
        "sender_name": name,
        "sender_email": f" {name.split()[0]}.{fill['n3']}@{rng.choice(['gmail.com', 'acme.de', 'Mail.RU'])} ",
        "company": company or None,
        "phone": phone_format.format(**fill) or None,
        "country": country or None,
        "attachments": rng.choice([[], [], ["spec.pdf"], ["PO_8812.pdf.exe"]]),
        "thread_messages": rng.choice([1, 1, 2, 3, 7]),
        "prior_orders": rng.choice([0, 0, 0, 1, 4]),
        "sample_orders": rng.choice([0, 0, 1]),
        "visited_factory": rng.random() < 0.05,
        "lifetime_value_usd": rng.choice([None, 0, 12500.0]),
        "grade": rng.choice([1, 2, 3, 4]),
        "suspected_fraud": False,
    }
    roll = rng.random()
    if roll < 0.01:
        inquiry["received_at"] = received.replace(tzinfo=None).isoformat()
    elif roll < 0.02:
        inquiry["prior_orders"] = "abc"
    elif roll < 0.03:
        inquiry["inquiry_id"] = f"INQ-{max(number - 5, 0):08d}"  # a duplicate
    return inquiry


def write_inquiries(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    start = datetime(2025, 1, 1, tzinfo=timezone.utc)
    with path.open("w", encoding="utf-8") as handle:
        for number in range(rows):
            handle.write(json.dumps(synthetic_inquiry(rng, number, start), ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000, help="rows to generate and validate")
    parser.add_argument("--chunk-rows", type=int, default=50_000, help="rows per validation chunk")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "validate.json")
    arguments = parser.parse_args()

    from pipeline.validate import validate_files

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "inquiries.jsonl"
        write_inquiries(source, arguments.rows, arguments.seed)
        size_mb = source.stat().st_size / 1e6
        cpu_before = resource.getrusage(resource.RUSAGE_SELF)
        began = time.perf_counter()
        report = validate_files([source], Path(folder) / "validated", chunk_rows=arguments.chunk_rows)
        seconds = time.perf_counter() - began
        cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    # CPU time as well as wall time: the machine is shared, and CPU time is what the validator costs.
    cpu_seconds = (cpu_after.ru_utime + cpu_after.ru_stime) - (cpu_before.ru_utime + cpu_before.ru_stime)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports kB
    counts = {key: value for key, value in report.total.as_dict().items() if key not in ("notes", "labelled")}
    result = {
        "benchmark": "validate_files on JSON Lines",
        "rows": arguments.rows,
        "input_mb": round(size_mb, 1),
        "chunk_rows": arguments.chunk_rows,
        "seconds": round(seconds, 2),
        "rows_per_second": round(arguments.rows / seconds),
        "cpu_seconds": round(cpu_seconds, 2),
        "rows_per_cpu_second": round(arguments.rows / cpu_seconds),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "counts": counts,
        "python": platform.python_version(),
        "measured_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
