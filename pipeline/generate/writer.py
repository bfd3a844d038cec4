"""Write a generated company to disk: profile, catalog, team, history, tonight, summary."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import yaml

from pipeline.contract import INQUIRY_FIELDS, LABEL_FIELDS
from pipeline.generate.companies import CATALOG_HEADER, Company, catalog_rows
from pipeline.generate.team import TEAM_HEADER

EXTRA_FIELDS = ("buyer_type", "fraud_kind")  # for analysis only; not model input


def write_profile(out_dir: Path, company: Company) -> None:
    """profile.yaml with the contract keys, the holiday country and the reply intro."""
    intro = "\n".join(f"  - {json.dumps(line, ensure_ascii=False)}" for line in company.intro)
    text = (
        f"name: {json.dumps(company.name, ensure_ascii=False)}\n"
        f"timezone: {company.timezone}          # the sales team's home zone\n"
        'working_hours: {start: "09:00", end: "18:00"}\n'
        "workdays: [Mon, Tue, Wed, Thu, Fri]\n"
        "catalog: catalog.csv\n"
        "team: team.csv\n"
        "holiday_country: CN              # public holidays the team observes\n"
        f"website: {company.website}\n"
        "intro:                           # three lines for reply drafts\n"
        f"{intro}\n"
    )
    yaml.safe_load(text)  # the file must stay valid YAML
    (out_dir / "profile.yaml").write_text(text, encoding="utf-8")


def write_csv(path: Path, header: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_catalog_and_team(out_dir: Path, company: Company, team: list[dict[str, Any]]) -> None:
    write_csv(out_dir / "catalog.csv", CATALOG_HEADER, catalog_rows(company))
    write_csv(out_dir / "team.csv", TEAM_HEADER, team)


def join_jsonl(parts: list[Path], target: Path) -> None:
    """Concatenate JSON Lines parts in order (they are already complete lines)."""
    with target.open("wb") as out:
        for part in parts:
            with part.open("rb") as handle:
                shutil.copyfileobj(handle, out, length=4 << 20)


def parquet_schema():
    """Arrow schema of a labelled history file: contract fields, labels, analysis extras."""
    import pyarrow as pa

    types = {
        "attachments": pa.list_(pa.string()),
        "thread_messages": pa.int64(),
        "prior_orders": pa.int64(),
        "sample_orders": pa.int64(),
        "visited_factory": pa.bool_(),
        "lifetime_value_usd": pa.float64(),
        "grade": pa.int64(),
        "suspected_fraud": pa.bool_(),
    }
    names = list(INQUIRY_FIELDS) + list(LABEL_FIELDS) + list(EXTRA_FIELDS)
    return pa.schema([(name, types.get(name, pa.string())) for name in names])


def write_parquet(rows: list[dict[str, Any]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    table = pa.table(columns, schema=schema)
    pq.write_table(table, path, compression="zstd")


def join_parquet(parts: list[Path], target: Path) -> None:
    """Stream part files into one Parquet file, one row group per block."""
    import pyarrow.parquet as pq

    with pq.ParquetWriter(target, parquet_schema(), compression="zstd") as out:
        for part in parts:
            out.write_table(pq.read_table(part))


def write_summary(out_dir: Path, summary: dict[str, Any]) -> None:
    text = json.dumps(summary, indent=2, ensure_ascii=False, sort_keys=False)
    (out_dir / "generation.json").write_text(text + "\n", encoding="utf-8")
