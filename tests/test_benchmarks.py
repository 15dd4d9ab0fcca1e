"""The profile summary of ``benchmarks/run.py --profile`` (the figures themselves are not tested:
they live in the script's output)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_run():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


STACKS = """\
process 7:"g";handle (gthread.py:10);view (/app/views.py:5);render (/v/jinja2/environment.py:1301) 6
handle (gthread.py:10);view (/srv/app/views.py:5);query (/app/db.py:9);query (/app/db.py:12) 3
handle (gthread.py:10) 1
"""


def test_a_function_counts_once_per_sample_with_what_it_calls():
    summary = load_run().top_functions(STACKS)
    lines = [line.strip() for line in summary.splitlines()]
    assert lines[0] == "10 samples while a server thread held the GIL"
    calls = lines[lines.index("with what it calls:") + 1 : lines.index("own time:") - 1]
    assert calls[0] == "100.0%  handle (gthread.py)"
    assert "90.0%  view (views.py)" in calls
    # query calls itself: its 3 samples are counted once, not twice.
    assert "30.0%  query (db.py)" in calls


def test_own_time_is_the_innermost_frame_without_its_path():
    summary = load_run().top_functions(STACKS)
    own = [line.strip() for line in summary.split("own time:\n", 1)[1].splitlines()]
    assert own == [
        "60.0%  render (environment.py)",
        "30.0%  query (db.py)",
        "10.0%  handle (gthread.py)",
    ]


def test_a_frame_name_holding_a_line_break_does_not_stop_the_summary():
    stacks = STACKS + "root (<template>:1);block (h1\n(h1> 2\n"
    summary = load_run().top_functions(stacks)
    assert summary.startswith("12 samples")


def test_page_labels_become_file_names():
    assert load_run().slug("django drf DRF items list, 1 row, token") == (
        "django-drf-drf-items-list-1-row-token"
    )
