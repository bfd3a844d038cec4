"""Throughput and peak memory of signal extraction, and the language detector's accuracy.

The scoring job must reach about 2,000 inquiries/s end to end on 2 cores, so
signal extraction alone should reach about 3,000/s on 2 cores. The inquiries
are the sample history (`data/sample/history.jsonl`, validated and normalised
like the scoring job does it) repeated to `--rows`; the catalogue is the
sample profile's.

    .venv/bin/python benchmarks/bench_signals.py --rows 20000

Writes benchmarks/results/signals.json: inquiries/s on one core and on two
(joblib over chunks), per-family cost, peak RSS, and the cheap language path
measured against langdetect on full texts (the hand-written sample in
tests/fixtures, and the realistic evaluation set when ../shared is present;
measured only, never tuned on).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "data" / "sample"
LANGUAGE_SAMPLE = ROOT / "tests" / "fixtures" / "language_sample.jsonl"
REALISTIC = ROOT / ".." / "shared" / "eval" / "realistic"


def _inquiries(rows: int):
    import pandas as pd

    from pipeline.validate import read_inquiries

    history = read_inquiries(SAMPLE / "history.jsonl")
    repeats = -(-rows // len(history))
    frame = pd.concat([history] * repeats, ignore_index=True).iloc[:rows].copy()
    frame["inquiry_id"] = [f"B{number:07d}" for number in range(len(frame))]
    return frame


def _timed(function, *args):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _extract_chunk(extractor, chunk):
    return extractor.transform_with_evidence(chunk)


def _two_cores(extractor, inquiries, chunk_rows: int):
    from joblib import Parallel, delayed

    chunks = [inquiries.iloc[start : start + chunk_rows] for start in range(0, len(inquiries), chunk_rows)]
    # The multiprocessing backend ends its workers afterwards, so their peak memory is counted.
    with Parallel(n_jobs=2, backend="multiprocessing") as parallel:
        warm, startup, _ = _timed(parallel, [delayed(_extract_chunk)(extractor, chunks[0].iloc[:50])] * 2)
        del warm
        parts, seconds, _ = _timed(parallel, (delayed(_extract_chunk)(extractor, chunk) for chunk in chunks))
    return parts, seconds, startup


def _family_costs(catalog, inquiries) -> dict[str, float]:
    from features.extractor import FAMILIES, SignalExtractor

    costs = {}
    for name in FAMILIES:
        extractor = SignalExtractor(catalog=catalog, families=(name,)).fit(inquiries)
        extractor.transform_with_evidence(inquiries.iloc[:50])
        _, _, cpu = _timed(extractor.transform_with_evidence, inquiries)
        costs[name] = round(cpu / len(inquiries) * 1e6, 1)
    return costs


def _language_accuracy(inquiries, labels: list[str]) -> dict[str, float | int]:
    """The family's language (cheap path first) against the labels and against langdetect
    on the full text (subject and body)."""
    from features.language import LanguageSignals, langdetect_code
    from features.text import inquiry_texts

    langdetect_code("Loading the language profiles takes a second, once.", 100)
    family = LanguageSignals().fit(inquiries)
    (_, evidence), seconds, _ = _timed(family.transform_with_evidence, inquiries)
    cheap = [cell[0] for cell in evidence["lang_code"]]
    methods = [cell[0] for cell in evidence["lang_method"]]
    full = [langdetect_code(text, 10**9) for text in inquiry_texts(inquiries)]
    count = len(labels)
    return {
        "texts": count,
        "cheap_vs_label": round(sum(c == label for c, label in zip(cheap, labels)) / count, 3),
        "langdetect_full_vs_label": round(sum(f == label for f, label in zip(full, labels)) / count, 3),
        "cheap_vs_langdetect_full": round(sum(c == f for c, f in zip(cheap, full)) / count, 3),
        "share_sent_to_langdetect": round(methods.count("langdetect") / count, 3),
        "share_undetermined": round(cheap.count("und") / count, 3),
        "family_inquiries_per_second": round(count / seconds),
    }


def _language_measurements() -> dict:
    import pandas as pd

    rows = [
        json.loads(line) for line in LANGUAGE_SAMPLE.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    sample = pd.DataFrame({"body": [row["text"] for row in rows]})
    result = {"hand_written_sample": _language_accuracy(sample, [row["language"] for row in rows])}
    if (REALISTIC / "inquiries.jsonl").exists():
        inquiries = pd.read_json(REALISTIC / "inquiries.jsonl", lines=True, dtype=False)
        tags = pd.read_csv(REALISTIC / "tags.csv", dtype=str).set_index("inquiry_id")
        labels = tags.loc[inquiries["inquiry_id"], "language"].tolist()
        result["realistic_eval_set"] = _language_accuracy(inquiries, labels)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--chunk-rows", type=int, default=2_500)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "signals.json")
    arguments = parser.parse_args()

    from features.extractor import SignalExtractor
    from pipeline.profile import load_profile

    catalog = load_profile(SAMPLE / "profile.yaml").catalog
    inquiries = _inquiries(arguments.rows)
    extractor, fit_seconds, _ = _timed(SignalExtractor(catalog=catalog).fit, inquiries)
    extractor.transform_with_evidence(inquiries.iloc[:50])

    (values, _), one_wall, one_cpu = _timed(extractor.transform_with_evidence, inquiries)
    _, two_wall, startup = _two_cores(extractor, inquiries, arguments.chunk_rows)
    _, switch_seconds, _ = _timed(extractor.with_catalog, catalog)
    costs = _family_costs(catalog, inquiries.iloc[: min(3_000, len(inquiries))])

    peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    result = {
        "benchmark": "SignalExtractor.transform_with_evidence on the sample history, repeated",
        "rows": len(inquiries),
        "signals": int(values.shape[1]),
        "mean_text_chars": round(float(inquiries["body"].fillna("").str.len().mean()), 1),
        "catalog_products": len(catalog),
        "fit_seconds": round(fit_seconds, 3),
        "with_catalog_seconds": round(switch_seconds, 3),
        "one_core": {
            "seconds": round(one_wall, 2),
            "inquiries_per_second": round(len(inquiries) / one_wall),
            "inquiries_per_cpu_second": round(len(inquiries) / one_cpu),
        },
        "two_cores": {
            "seconds": round(two_wall, 2),
            "inquiries_per_second": round(len(inquiries) / two_wall),
            "chunk_rows": arguments.chunk_rows,
            "worker_startup_seconds": round(startup, 2),
            "note": "joblib (multiprocessing) over chunks; batch-level markers "
            "(scam_competitor_probe) then see one chunk at a time",
        },
        "family_cpu_us_per_inquiry": costs,
        "peak_rss_mb": {"main": round(peak_self, 1), "largest_worker": round(peak_children, 1)},
        "language": _language_measurements(),
        "load_average_1_5_15": [round(load, 2) for load in os.getloadavg()],
        "python": platform.python_version(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
