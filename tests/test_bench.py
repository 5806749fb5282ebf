"""The benchmark commands the README gives run to the end (on a tiny corpus: speed is measured by bench/
itself, never here). They stop on a failed build or a warning, so this also checks that the generated
corpus builds cleanly with the engine as it is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _run(script: str, *args: str, cwd: Path) -> None:
    done = subprocess.run([sys.executable, str(BENCH / script), *args, "--settle", "0"], cwd=cwd,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


def test_the_benchmark_times_every_scenario_and_writes_its_record(tmp_path: Path) -> None:
    record = tmp_path / "latest.json"
    _run("run.py", "--articles", "4", "--repeat", "1", "--no-peers", "--no-search", "--work", str(tmp_path / "w"),
         "--record", str(record), cwd=tmp_path)
    results = json.loads(record.read_text(encoding="utf-8"))["results"]
    assert set(results) == {"floor", "cold", "noop", "body", "title", "template", "config", "check", "check-cold"}
    assert all(row["median_s"] > 0 and row["peak_mb"] > 0 for row in results.values())
    assert "--no-cache" in results["check-cold"]["argv"] and "--no-cache" not in results["check"]["argv"]
    assert results["check"]["kind"] == results["check-cold"]["kind"] == "check"


def test_the_scaling_check_runs_every_series_and_writes_its_record(tmp_path: Path) -> None:
    record = tmp_path / "scaling.json"
    _run("scaling.py", "--sizes", "2,4", "--citations", "2,4", "--links", "2,4", "--work", str(tmp_path / "w"),
         "--record", str(record), cwd=tmp_path)
    series = json.loads(record.read_text(encoding="utf-8"))["series"]
    assert set(series) == {"pages", "citations", "one-source", "links"}
    assert all([point["size"] for point in found["points"]] == [2, 4] for found in series.values())
