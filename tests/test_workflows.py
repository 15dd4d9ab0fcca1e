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
    words = step["run"].split()
    used = {w for w in words if w.startswith("--")}
    assert "--require-services" in used
    assert used <= _smoke_flags()
    for service in ("POSTGRESQL", "MYSQL", "REDIS"):
        assert f"PYFRAME_{service}_URL" in step["env"]


def test_workflow_provides_every_service_and_uses_the_action():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "smoke.yml").read_text())
    [job] = workflow["jobs"].values()
    assert set(job["services"]) == {"postgres", "mariadb", "redis"}
    [uses] = [s for s in job["steps"] if s.get("uses") == "./"]
    assert uses["with"]["templates"] == "--all"
