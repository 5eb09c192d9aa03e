"""A short festival-day soak (``benchmarks/soak.py``) against a real uvicorn process: every
acknowledged registration, check-in and interest must be in the database, and no request may
fail with a 5xx or a connection error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.soak


def test_short_soak_loses_nothing(tmp_path: Path) -> None:
    out = tmp_path / "soak.json"
    cmd = [
        sys.executable, "-m", "benchmarks.soak", "--minutes", "0.25",
        "--reg-rate", "10", "--checkin-rate", "25", "--interest-rate", "10",
        "--visitors", "600", "--doors", "2", "--conns", "2", "--employers", "10",
        "--dashboards", "6", "--sample-every", "2", "--print-every", "5",
        "--json", str(out),
    ]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=55)
    log = f"exit {proc.returncode}\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    assert out.exists(), log
    result = json.loads(out.read_text())
    kinds = result["kinds"]
    assert result["lost"] == 0, log
    assert result["server_errors"] == 0, log
    assert result["errors"] == 0, log
    for name in ("registrations", "check-ins", "interests"):
        assert kinds[name]["acked"] > 0, log
        assert kinds[name]["lost"] == 0, log
        assert kinds[name]["db_rows"] == kinds[name]["acked_rows"], log
    assert kinds["check-ins"]["outcomes"].get("already_checked_in", 0) > 0, log
    assert kinds["interests"]["outcomes"].get("updated", 0) > 0, log
    assert result["scan_log_ok_matches"], log
    assert result["dashboards"]["dashboards"] == 6, log
    assert result["dashboards"]["messages"] > 0, log
    assert proc.returncode == 0, log
