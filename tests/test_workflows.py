"""The GitHub workflow and composite action that run ``pyframe smoke`` stay wired to it."""

from pathlib import Path

import yaml

from scaffold.cli import app

ROOT = Path(__file__).resolve().parents[1]


def _smoke_flags() -> set[str]:
    import typer.main

    command = typer.main.get_command(app).commands["smoke"]  # type: ignore[attr-defined]
    return {opt for param in command.params for opt in getattr(param, "opts", [])}


def test_action_runs_smoke_with_required_services_and_real_flags():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    [step] = [s for s in action["runs"]["steps"] if "pyframe smoke" in s.get("run", "")]
    words = step["run"].replace("+", " ").split()
    used = {w for w in words if w.startswith("--")}
    assert {"--require-services", "--variant", "--shard", "--junit"} <= used
    assert used <= _smoke_flags()
    for service in ("POSTGRESQL", "MYSQL", "REDIS"):
        assert f"PYFRAME_{service}_URL" in step["env"]


def test_workflow_fans_out_one_job_per_planned_variant_and_joins_the_reports():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "smoke.yml").read_text())
    jobs = workflow["jobs"]
    plan_step = next(s for s in jobs["plan"]["steps"] if s.get("id") == "plan")
    assert "pyframe smoke --all --list --json" in plan_step["run"]
    variant = jobs["variant"]
    assert variant["strategy"]["matrix"] == "${{ fromJSON(needs.plan.outputs.matrix) }}"
    assert set(variant["services"]) == {"postgres", "mariadb", "redis"}
    [uses] = [s for s in variant["steps"] if s.get("uses") == "./"]
    assert uses["with"]["templates"] == "--all"
    assert uses["with"]["variant"] == "${{ matrix.variant }}"
    joined = " ".join(s.get("run", "") for s in jobs["report"]["steps"])
    assert "pyframe junit-merge smoke.xml shards/*.xml" in joined


def test_the_planned_matrix_names_variants_the_action_can_run(capsys):
    from scaffold.cli import main

    assert main(["smoke", "flask", "--list", "--json"]) == 0
    import json

    matrix = json.loads(capsys.readouterr().out)
    ids = [row["variant"] for row in matrix["include"]]
    assert ids and len(set(ids)) == len(ids)
    assert matrix["parallel"]["matrix"] == [{"VARIANT": ids}]
    assert main(["smoke", "flask", "--list", "--variant", ids[-1]]) == 0
    assert f"1 variants:\n  {ids[-1]}  " in capsys.readouterr().out
