"""An organisation's ``pyframe.toml`` as the commands use it: registered templates, default
answers, pinned versions and a reweighted or rerouted decision matrix."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml

from scaffold.cli import main

ACME = {
    "copier.yml": "_subdirectory: project\nproject_name:\n  type: str\n"
    "author_name:\n  type: str\n  default: nobody\n",
    "project/ACME.md.jinja": "{{ project_name }} by {{ author_name }}\n",
    "project/{{_copier_conf.answers_file}}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n",
}


@pytest.fixture
def org(tmp_path, monkeypatch, capsys, make_template):
    """A working folder with an Acme template registered in ./pyframe.toml."""
    work = tmp_path / "work"
    work.mkdir()
    acme = make_template(ACME)
    monkeypatch.chdir(work)
    monkeypatch.setenv("COLUMNS", "200")

    def configure(text: str) -> Path:
        path = work / "pyframe.toml"
        registered = f'[templates.acme-api]\nsource = "{acme}"\ndescription = "Acme API"\n'
        path.write_text(textwrap.dedent(text) + "\n" + registered)
        return path

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return configure, run, work


def answers(project: Path) -> dict:
    return yaml.safe_load((project / ".copier-answers.yml").read_text())


def test_registered_template_by_name_with_organisation_defaults(org):
    configure, run, work = org
    configure('[defaults]\nauthor_name = "Acme Platform"\nci = "gitlab"\n')
    code, _, err = run("new", "svc", "--template", "acme-api", "-y")
    assert code == 0, err
    assert (work / "svc" / "ACME.md").read_text() == "svc by Acme Platform\n"
    code, _, err = run("new", "web", "--framework", "flask", "-y", "--data", "ci=none")
    assert code == 0, err
    recorded = answers(work / "web")
    assert recorded["author_name"] == "Acme Platform"  # the organisation's default
    assert recorded["ci"] == "none"  # --data still wins
    assert not (work / "web" / ".gitlab-ci.yml").exists()


def test_pinned_builtin_renders_the_pinned_release_unless_told_otherwise(org):
    configure, run, work = org
    configure('[templates.flask]\nvcs_ref = "v0.1.0"\n')
    assert run("new", "old", "--framework", "flask", "-y")[0] == 0
    assert answers(work / "old")["_commit"] == "v0.1.0"
    assert run("new", "new", "--framework", "flask", "-y", "--vcs-ref", "v0.2.0")[0] == 0
    assert answers(work / "new")["_commit"] == "v0.2.0"
    # `update --check` measures against the pin, not the newest release.
    subprocess.run(["git", "init", "-q"], cwd=work / "old", check=True)
    subprocess.run(["git", "add", "-A"], cwd=work / "old", check=True)
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"],
        cwd=work / "old",
        check=True,
    )
    code, out, _ = run("update", str(work / "old"), "--check")
    assert code == 0 and "up to date at 0.1.0" in out


def test_kind_goes_straight_to_the_organisations_template(org):
    configure, run, work = org
    configure('[matrix.kind]\napi = "acme-api"\n')
    code, out, err = run("new", "svc", "--kind", "api", "-y")
    assert code == 0, err
    assert "maps --kind api to it" in out and "pyframe.toml:2" in out
    assert (work / "svc" / "ACME.md").exists()


def test_winning_framework_is_rendered_from_the_organisations_template(org):
    configure, run, work = org
    configure('[matrix.use]\nfastapi = "acme-api"\n')
    code, out, _ = run("new", "svc", "--kind", "ml-serving", "--need", "async", "-y")
    assert code == 0
    assert "Using template acme-api for fastapi" in out and "pyframe.toml:2" in out
    assert (work / "svc" / "ACME.md").exists()


def test_bonus_reweighs_the_recommendation_and_says_so(org):
    configure, run, _ = org
    _, out, _ = run("recommend", "--kind", "api", "--json")
    assert json.loads(out)["framework"] == "fastapi"
    configure("[matrix.bonus]\nflask = 2\n")
    _, out, _ = run("recommend", "--kind", "api", "--json")
    result = json.loads(out)
    assert result["framework"] == "flask"
    assert any("pyframe.toml:1)" in reason["because"] for reason in result["reasons"])


def test_explicit_config_wins_over_the_current_folder(org, tmp_path):
    configure, run, work = org
    configure('[defaults]\nauthor_name = "From cwd"\n')
    other = tmp_path / "other.toml"
    other.write_text('[defaults]\nauthor_name = "From --config"\n')
    assert run("new", "svc", "--framework", "flask", "-y", "--config", str(other))[0] == 0
    assert answers(work / "svc")["author_name"] == "From --config"


def test_config_show_names_the_file_and_line_of_every_value(org):
    configure, run, _ = org
    code, out, _ = run("config", "show")
    assert code == 0 and "No configuration file" in out and "built-in" in out
    path = configure('[defaults]\nauthor_email = "team@acme.example"\n')
    code, out, _ = run("config", "show")
    assert f"Configuration file: {path}" in out
    line = next(x for x in out.splitlines() if "defaults.author_email" in x)
    assert "'team@acme.example'" in line and line.endswith(f"from {path}:2")
    shown = json.loads(run("config", "show", "--json")[1])
    assert shown["file"] == str(path)
    source = next(s for s in shown["settings"] if s["key"] == "templates.acme-api.source")
    assert source["from"] == f"{path}:5"  # the line of `source =` under [templates.acme-api]


def test_templates_lists_registered_ones_with_source_and_pin(org, make_template):
    configure, run, _ = org
    configure('[templates.fastapi]\nvcs_ref = "v0.1.0"\n')
    listed = {t["name"]: t for t in json.loads(run("templates", "--json")[1])}
    assert listed["acme-api"]["source"].endswith("template1")
    assert listed["acme-api"]["version"] == "newest"
    assert listed["fastapi"]["version"] == "0.1.0" and listed["fastapi"]["pinned"]
    assert "0.1.0" in listed["django"]["available"]


@pytest.mark.parametrize(
    ("config", "args", "fragment"),
    [
        ("[defaults\n", ["new", "svc", "-y"], "pyframe.toml:1: invalid TOML"),
        ('[templates.x]\nsorce = "y"\n', ["new", "svc", "-y"], "pyframe.toml:2: unknown key"),
        ("[matrix.bonus]\npyramid = 1\n", ["recommend"], "pyframe.toml:2"),
        ("", ["new", "svc", "--template", "acme-apo", "-y"], "acme-api, django, fastapi, flask"),
        ("", ["new", "svc", "--template", "https://127.0.0.1:9/x.git", "-y"], "cannot use"),
        ("", ["new", "svc", "--config", "missing.toml", "-y"], "no such configuration file"),
        ("", ["add", "nowhere", "-y"], "unknown template 'nowhere'"),
        ("", ["new", "svc", "--template", ".", "-y"], "is not a Copier template"),
        ("", ["update", "--check"], "has no .copier-answers.yml"),
    ],
)
def test_bad_configuration_and_sources_are_one_line_and_write_nothing(org, config, args, fragment):
    configure, run, work = org
    configure(config)
    before = sorted(p.name for p in work.iterdir())
    code, out, err = run(*args)
    assert code == 2, out + err
    assert err.count("\n") == 1 and fragment in err, err
    assert sorted(p.name for p in work.iterdir()) == before


def test_the_readme_example_is_a_valid_configuration(tmp_path):
    from scaffold.config import load_config

    readme = (Path(__file__).parents[1] / "README.md").read_text()
    example = next(
        block.split("```", 1)[0]
        for block in readme.split("```toml\n")[1:]
        if block.startswith("[defaults]")
    )
    path = tmp_path / "pyframe.toml"
    path.write_text(example)
    loaded = load_config(path)
    assert loaded.templates["acme-api"].vcs_ref == "v2.3.0"
    assert loaded.framework_templates == {"fastapi": "acme-api"}
    assert loaded.matrix_file == tmp_path / "acme-matrix.toml"


def test_answers_file_that_does_not_fit_the_template_is_one_line(org):
    configure, run, work = org
    configure("")
    other = work / "django-answers.yml"
    other.write_text("_src_path: pyframe:django\napi: drf\ncache: redis\n")
    before = sorted(p.name for p in work.iterdir())
    code, _, err = run("new", "svc", "--framework", "flask", "-y", "--answers-file", str(other))
    assert code == 2 and err.count("\n") == 1
    assert "--answers-file: template 'flask' has no question 'api', 'cache'" in err
    assert sorted(p.name for p in work.iterdir()) == before


def test_a_layer_takes_the_projects_answers_then_the_organisations_defaults(org, make_template):
    configure, run, work = org
    configure('[defaults]\nauthor_name = "Acme Platform"\nowner = "platform-team"\n')
    assert run("new", "svc", "--template", "acme-api", "-y")[0] == 0
    layer = make_template(
        {
            "copier.yml": "_subdirectory: layer\nauthor_name:\n  type: str\n  default: x\n"
            "owner:\n  type: str\n  default: nobody\n",
            "layer/OWNERS.jinja": "{{ owner }} ({{ author_name }})\n",
            "layer/{{_copier_conf.answers_file}}.jinja": "{{ _copier_answers|to_nice_yaml }}",
        }
    )
    (work / "svc" / ".copier-answers.yml").write_text(
        (work / "svc" / ".copier-answers.yml").read_text().replace("Acme Platform", "Svc Team")
    )
    code, _, err = run("add", str(layer), str(work / "svc"), "-y")
    assert code == 0, err
    # author_name: the project's own answer wins; owner: only the organisation gives one.
    assert (work / "svc" / "OWNERS").read_text() == "platform-team (Svc Team)\n"
