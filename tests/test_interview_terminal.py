"""The whole interview in a pseudo-terminal, at 80 and 120 columns (issue 18).

The screen is what a terminal emulator (pyte) shows: one prompt style from the first question
to the last (pyframe's ``[n/total]`` mark, no Copier microphone), a position that counts to the
end, help wrapped under its question instead of running off the edge, answered lines that echo
the answer, and the project at the end.
"""

from __future__ import annotations

import os
import re
import sys

import pytest

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

MARK = re.compile(r"\[(\d+)/(\d+)\]")
ROWS = 300


def interview(tmp_path, columns: int) -> tuple[list[tuple[int, int]], list[str], str]:
    """Run ``pyframe new shop`` answering every default; returns the marks seen, the final
    screen's lines and the raw output."""
    child = pexpect.spawn(
        sys.executable,
        ["-m", "scaffold", "new", "shop"],
        cwd=str(tmp_path),
        dimensions=(ROWS, columns),
        encoding="utf-8",
        timeout=60,
        env={
            **os.environ,
            "COLUMNS": str(columns),
            "LINES": str(ROWS),
            "TERM": "xterm",
            "PROMPT_TOOLKIT_NO_CPR": "1",
        },
    )
    raw, marks = [], []
    while True:
        found = child.expect([MARK, r"Created \S+", pexpect.EOF])
        raw.append(child.before + (child.after if isinstance(child.after, str) else ""))
        if found != 0:
            break
        mark = (int(child.match.group(1)), int(child.match.group(2)))
        if marks and mark[0] == marks[-1][0]:
            continue  # the same question drawn again, or its answered line
        marks.append(mark)
        child.send("\r")  # every default: the first kind, no needs, then the template's own
    child.expect(pexpect.EOF)
    raw.append(child.before or "")
    child.close()
    assert child.exitstatus == 0, "".join(raw)[-2000:]
    screen = pyte.Screen(columns, ROWS)
    pyte.Stream(screen).feed("".join(raw).replace("\n", "\r\n"))
    return marks, [line.rstrip() for line in screen.display], "".join(raw)


@pytest.mark.parametrize("columns", [80, 120])
def test_a_whole_interview_reads_the_same_from_start_to_end(tmp_path, columns):
    marks, lines, raw = interview(tmp_path, columns)
    # Two stages, each counting from 1 to its end: the needs, then the template's questions.
    needs, template = marks[:4], marks[4:]
    assert needs == [(n, 4) for n in range(1, 5)]
    assert [n for n, _ in template] == list(range(1, len(template) + 1))
    assert template[-1][0] == template[-1][1]  # the last question says it is the last
    assert "🎤" not in raw  # Copier asked nothing: one prompt style
    # Answered lines echo the answer itself, not a padded title.
    assert "[1/4] What are you building? api" in lines
    # A question's help sits under it, wrapped to the terminal at the same indent.
    database = next(i for i, line in enumerate(lines) if re.match(r"\[\d+/\d+\] database", line))
    helps = []
    for line in lines[database + 1 :]:
        if not line.startswith("      "):
            break
        helps.append(line)
    assert helps and " ".join(h.strip() for h in helps).startswith("Production database:")
    assert all(len(line) < columns for line in helps)
    assert (tmp_path / "shop" / "Makefile").is_file()
    assert any(line == "Next:" for line in lines)
