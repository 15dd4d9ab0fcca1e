"""What a smoke run reports: counts, the last line, JSON, JUnit, and a CI matrix.

Every format shows the same facts: each variant's status (``pass``, ``fail``, ``skip``,
``incomplete``), the combinations the template itself excluded, and the last line
``N passed, M failed[, K skipped]``, where an incomplete variant counts as failed unless the run
allowed incomplete variants.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import PyframeError
from .plan import Excluded, Variant
from .run import STEPS, VariantResult


@dataclass
class Report:
    results: list[VariantResult]
    logs: Path | None = None
    excluded: tuple[Excluded, ...] = field(default=())
    allow_incomplete: bool = False

    def counts(self) -> dict[str, int]:
        """``pass``, ``fail``, ``skip`` as the last line counts them, and ``incomplete``."""
        counts = {"pass": 0, "fail": 0, "skip": 0, "incomplete": 0}
        for result in self.results:
            status = result.status
            if status == "incomplete":
                counts["incomplete"] += 1
                status = "pass" if self.allow_incomplete else "fail"
            counts[status] += 1
        return counts

    @property
    def ok(self) -> bool:
        return self.counts()["fail"] == 0


def summary_line(report: Report) -> str:
    """The last line of every smoke run, e.g. ``5 passed, 1 failed, 2 skipped``."""
    counts = report.counts()
    line = f"{counts['pass']} passed, {counts['fail']} failed"
    return line + (f", {counts['skip']} skipped" if counts["skip"] else "")


def incomplete_reason(result: VariantResult) -> str:
    """Why a variant is incomplete: the steps a pass needs that could not run."""
    ran = {s.name: s for s in result.steps}
    why = [ran[name].message if name in ran else f"{name} did not run" for name in result.missing]
    return "incomplete: " + "; ".join(why)


def to_json(report: Report) -> dict[str, Any]:
    """A stable, machine-readable summary (schema version 2: ``incomplete`` and ``excluded``)."""
    return {
        "schema": 2,
        "summary": {
            **report.counts(),
            "excluded": len(report.excluded),
            "allow_incomplete": report.allow_incomplete,
            "line": summary_line(report),
        },
        "logs": str(report.logs) if report.logs else None,
        "variants": [
            {
                "id": r.variant.id,
                "template": r.variant.template.name,
                "answers": dict(r.variant.answers),
                "status": r.status,
                "skipped": r.skipped or None,
                "incomplete": incomplete_reason(r) if r.status == "incomplete" else None,
                "seconds": round(r.seconds, 2),
                "steps": [
                    {
                        "name": s.name,
                        "status": s.status,
                        "seconds": round(s.seconds, 2),
                        "message": s.message or None,
                        "log": str(s.log) if s.status == "fail" and s.log else None,
                    }
                    for s in r.steps
                ],
            }
            for r in report.results
        ],
        "excluded": [
            {"template": e.template.name, "answers": dict(e.answers), "message": e.message}
            for e in report.excluded
        ],
    }


def to_junit(report: Report) -> str:
    """JUnit XML: one suite per template, one test case per variant and step, plus one
    ``complete`` case per variant and one skipped case per excluded combination."""
    from xml.etree import ElementTree as ET

    suites = ET.Element("testsuites", name="pyframe smoke")
    by_template: dict[str, Any] = {}

    def suite_for(name: str) -> Any:
        if name not in by_template:
            by_template[name] = ET.SubElement(suites, "testsuite", name=name)
        return by_template[name]

    for result in report.results:
        suite = suite_for(result.variant.template.name)
        _variant_cases(ET, suite, result, report.allow_incomplete)
    for excluded in report.excluded:
        suite = suite_for(excluded.template.name)
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"{excluded.template.name}.excluded",
            name=f"excluded [{excluded.describe()}]",
            time="0",
        )
        ET.SubElement(case, "skipped", message=f"excluded by the template: {excluded.message}")
    for suite in suites:
        _count(suite)
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _variant_cases(ET: Any, suite: Any, result: VariantResult, allow_incomplete: bool) -> None:
    name = result.variant.template.name
    classname = f"{name}.{result.variant.id}"
    answers = result.variant.describe()
    ran = {s.name: s for s in result.steps}
    failed_before = False
    for step in STEPS:
        outcome = ran.get(step)
        case = ET.SubElement(
            suite,
            "testcase",
            classname=classname,
            name=f"{step} [{answers}]",
            time=f"{outcome.seconds:.3f}" if outcome else "0",
        )
        if outcome and outcome.status == "fail":
            failed_before = True
            failure = ET.SubElement(case, "failure", message=outcome.message)
            failure.text = _tail(outcome.log)
        elif outcome is None or outcome.status == "skip":
            why = result.skipped or (outcome.message if outcome else "")
            if not why:
                why = "not run: an earlier step failed" if failed_before else "not run"
            ET.SubElement(case, "skipped", message=why)
    if result.status in ("pass", "incomplete"):
        case = ET.SubElement(
            suite, "testcase", classname=classname, name=f"complete [{answers}]", time="0"
        )
        if result.status == "incomplete":
            tag = "skipped" if allow_incomplete else "failure"
            ET.SubElement(case, tag, message=incomplete_reason(result))


def _count(suite: Any) -> None:
    cases = list(suite.iter("testcase"))
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
    suite.set("skipped", str(sum(1 for c in cases if c.find("skipped") is not None)))


def merge_junit(texts: Sequence[str]) -> tuple[str, int]:
    """Join the JUnit files of several shards into one (suites of the same template merged);
    returns the XML and the number of failed test cases in it."""
    from xml.etree import ElementTree as ET

    merged = ET.Element("testsuites", name="pyframe smoke")
    by_name: dict[str, Any] = {}
    for number, text in enumerate(texts, 1):
        try:
            root = ET.fromstring(text)
        except ET.ParseError as exc:
            raise PyframeError(f"JUnit file {number} is not valid XML: {exc}") from None
        suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
        for suite in suites:
            name = suite.get("name", "")
            if name not in by_name:
                by_name[name] = ET.SubElement(merged, "testsuite", name=name)
            by_name[name].extend(suite.findall("testcase"))
    for suite in merged:
        _count(suite)
    ET.indent(merged)
    failures = sum(int(s.get("failures", "0")) + int(s.get("errors", "0")) for s in merged)
    return ET.tostring(merged, encoding="unicode", xml_declaration=True) + "\n", failures


def to_matrix(variants: Sequence[Variant], excluded: Sequence[Excluded] = ()) -> dict[str, Any]:
    """The plan for a CI system to fan out: ``include`` is a GitHub Actions
    ``strategy.matrix``, ``parallel`` a GitLab ``parallel:matrix``; both name variants by id,
    which ``--variant ID`` runs."""
    return {
        "schema": 2,
        "include": [
            {"variant": v.id, "template": v.template.name, "answers": v.describe()}
            for v in variants
        ],
        "parallel": {"matrix": [{"VARIANT": [v.id for v in variants]}]},
        "variants": [
            {"id": v.id, "template": v.template.name, "answers": dict(v.answers)} for v in variants
        ],
        "excluded": [
            {"template": e.template.name, "answers": dict(e.answers), "message": e.message}
            for e in excluded
        ],
    }


def _tail(log: Path | None, lines: int = 60) -> str:
    if not log or not log.exists():
        return ""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
