"""The nightly scoring job: signals, rules and model combined into graded, explained rows.

`score_chunk` scores a frame in memory; `run_scoring` streams files through it
and writes `scored.parquet`, `scored.csv`, `disagreements.csv`,
`quarantine.jsonl` and `run.json`.
"""
