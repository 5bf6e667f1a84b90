"""The pipeline's tests pass a year from now: no decision about stories reads the wall
clock where the stream's own time belongs, and no test depends on its fixtures' age."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).parent
PIPELINE_TESTS = ["test_pipeline.py", "test_pipeline_ingest.py", "test_stream_time.py"]


def test_the_pipeline_tests_pass_with_the_clock_a_year_ahead() -> None:
    env = {**os.environ, "NEWSDESK_TEST_SHIFT_DAYS": "365"}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-x"]
    done = subprocess.run(
        [*command, *(str(TESTS / name) for name in PIPELINE_TESTS)],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout
