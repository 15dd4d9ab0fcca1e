"""``pyframe update``: 3-way template updates that keep the person's edits and fail on conflicts.

The fixture template is a real git repository with a version tag per release, as an
organisation's template would be; the built-in path uses pyframe's shipped template history.
"""

from __future__ import annotations

import subprocess
import tarfile
from pathlib import Path

import pytest
import yaml

from scaffold import templates
from scaffold.cli import main
from scaffold.errors import PyframeError
from scaffold.updating import conflicts_in, find_layers, status, update

README_V1 = "# {{ project_name }}\n\nIntro.\n\n" + "".join(f"para {n}\n\n" for n in range(8))
README_V2 = README_V1.replace("para 7\n", "para 7, revised in v2\n")

V1 = {
    "copier.yml": "_subdirectory: project\nproject_name:\n  type: str\n",
    "project/README.md.jinja": README_V1,
    "project/app.py": "def main():\n    return 1\n",
    "project/old.txt": "removed in v2\n",
    "project/{{_copier_conf.answers_file}}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n",
}
V2 = {
    **{k: v for k, v in V1.items() if k != "project/old.txt"},
    "copier.yml": V1["copier.yml"] + "licence:\n  type: str\n  default: MIT\n",
    "project/README.md.jinja": README_V2,
    "project/LICENSE.jinja": "Licence: {{ licence }}\n",
}
V3 = {**V2, "project/CHANGELOG.md": "v3\n"}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def release(repo: Path, files: dict[str, str], tag: str) -> None:
    """Make the template repository hold exactly ``files`` and tag that commit."""
    if not (repo / ".git").exists():
        repo.mkdir(parents=True)
        git(repo, "init", "-q")
    for tracked in git(repo, "ls-files").splitlines():
        (repo / tracked).unlink()
    for relative, text in files.items():
        path = repo / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", tag, "--allow-empty")
    git(repo, "tag", tag)


def commit_all(project: Path, message: str = "work") -> None:
    git(project, "add", "-A")
    git(project, "commit", "-qm", message)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


@pytest.fixture
def generated(tmp_path: Path) -> tuple[Path, Path]:
    """A project rendered from v1 of a git template, committed, with the person's edits."""
    template = tmp_path / "tpl"
    release(template, V1, "v1.0.0")
    project = tmp_path / "svc"
    assert main(["new", "svc", "--template", str(template), "-o", str(project), "-y"]) == 0
    git(project, "init", "-q")
    commit_all(project, "generated")
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("Intro.", "Intro, rewritten by us."))
    (project / "app.py").write_text("def main():\n    return 42\n")
    (project / "ours.py").write_text("OURS = True\n")
    commit_all(project, "our edits")
    return template, project


def test_update_keeps_edits_and_brings_every_template_change(generated, capsys):
    template, project = generated
    release(template, V2, "v2.0.0")
    assert main(["update", str(project)]) == 0
    readme = (project / "README.md").read_text()
    assert "Intro, rewritten by us." in readme  # our edit
    assert "para 7, revised in v2" in readme  # the template's change
    assert (project / "app.py").read_text() == "def main():\n    return 42\n"
    assert (project / "ours.py").exists()
    assert (project / "LICENSE").read_text() == "Licence: MIT\n"  # new file, new question
    assert not (project / "old.txt").exists()  # removed file
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v2.0.0"
    assert answers["_src_path"] == str(template)
    assert answers["licence"] == "MIT"
    out, err = capsys.readouterr()
    assert "1.0.0 -> 2.0.0" in out and "LICENSE" in out
    assert err == f"updating .copier-answers.yml ({template}): 1.0.0 -> 2.0.0 ...\n"
    # The changes are left uncommitted for review; nothing else was committed for the person.
    assert git(project, "log", "--format=%s").splitlines()[0] == "our edits"
    assert git(project, "status", "--porcelain")


@pytest.fixture
def conflicting(generated) -> Path:
    """The generated project after we reworded para 7, which v2 of the template rewords too."""
    template, project = generated
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("para 7\n", "para 7, our wording\n"))
    commit_all(project)
    release(template, V2, "v2.0.0")
    return project


def test_conflicting_edit_leaves_markers_keeps_ours_and_fails(conflicting, capsys):
    project = conflicting
    readme = project / "README.md"
    assert main(["update", str(project)]) == 1
    text = readme.read_text()
    assert "para 7, our wording" in text
    assert "para 7, revised in v2" in text
    assert "<<<<<<< " in text and ">>>>>>> " in text
    err = capsys.readouterr().err
    assert "1 conflicts" in err and "README.md" in err
    # ...and the check a CI job runs refuses the committed markers afterwards.
    commit_all(project, "oops, committed the markers")
    assert [c.path for c in conflicts_in(project)] == ["README.md"]
    assert main(["update", str(project), "--check"]) == 1


def test_rej_conflicts_are_listed_and_fail(conflicting, capsys):
    project = conflicting
    readme = project / "README.md"
    assert main(["update", str(project), "--conflict", "rej"]) == 1
    # With --conflict rej the template's version is written and the person's rejected hunk is
    # kept beside it, so their text is still on disk.
    assert "+para 7, our wording" in (project / "README.md.rej").read_text()
    assert "para 7, revised in v2" in readme.read_text()
    assert "README.md" in capsys.readouterr().err


def test_dirty_project_is_refused_and_untouched(generated, capsys):
    template, project = generated
    release(template, V2, "v2.0.0")
    (project / "app.py").write_text("uncommitted = 1\n")
    before = snapshot(project)
    assert main(["update", str(project)]) == 2
    assert snapshot(project) == before
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "uncommitted changes (app.py)" in err
    assert "commit or stash" in err


def test_untracked_file_counts_as_dirty(generated):
    template, project = generated
    release(template, V2, "v2.0.0")
    (project / "notes.txt").write_text("not committed yet")
    with pytest.raises(PyframeError, match=r"notes\.txt"):
        update(project)


def test_pretend_reports_and_writes_nothing(generated, capsys):
    template, project = generated
    release(template, V2, "v2.0.0")
    before = snapshot(project)
    assert main(["update", str(project), "--pretend"]) == 0
    assert snapshot(project) == before
    assert not git(project, "status", "--porcelain")
    out = capsys.readouterr().out
    assert "would change" in out
    assert "added    LICENSE" in out and "removed  old.txt" in out
    assert "changed  README.md" in out


def test_pretend_reports_conflicts_it_would_leave_and_writes_nothing(conflicting, capsys):
    project = conflicting
    before = snapshot(project)
    assert main(["update", str(project), "--pretend"]) == 1
    assert snapshot(project) == before
    err = capsys.readouterr().err
    assert "the update would leave these" in err and "README.md" in err


def test_check_says_up_to_date_or_names_both_versions(generated, capsys):
    template, project = generated
    assert main(["update", str(project), "--check"]) == 0
    assert "up to date at 1.0.0" in capsys.readouterr().out
    release(template, V2, "v2.0.0")
    before = snapshot(project)
    assert main(["update", str(project), "--check"]) == 1
    assert "1.0.0 -> 2.0.0 available" in capsys.readouterr().out
    assert snapshot(project) == before


def test_vcs_ref_updates_to_that_version(generated):
    template, project = generated
    release(template, V2, "v2.0.0")
    release(template, V3, "v3.0.0")
    update(project, vcs_ref="v2.0.0")
    assert (project / "LICENSE").exists() and not (project / "CHANGELOG.md").exists()
    assert yaml.safe_load((project / ".copier-answers.yml").read_text())["_commit"] == "v2.0.0"
    commit_all(project, "to v2")
    outcome = update(project)
    assert (project / "CHANGELOG.md").read_text() == "v3\n"
    assert [s.newest for s in outcome.statuses] == ["3.0.0"]


def test_downgrade_is_refused(generated):
    template, project = generated
    release(template, V2, "v2.0.0")
    update(project)
    commit_all(project, "to v2")
    with pytest.raises(PyframeError, match="only updated forwards"):
        update(project, vcs_ref="v1.0.0")


def test_not_a_generated_project(tmp_path, capsys):
    git(tmp_path, "init", "-q")
    assert main(["update", str(tmp_path)]) == 2
    assert "has no .copier-answers.yml" in capsys.readouterr().err


def test_project_outside_git_is_refused_with_the_way_forward(generated, tmp_path):
    template, _ = generated
    loose = tmp_path / "loose"
    assert main(["new", "loose", "--template", str(template), "-o", str(loose), "-y"]) == 0
    with pytest.raises(PyframeError, match="git init"):
        update(loose)


def test_template_without_version_tags_cannot_be_updated(tmp_path, make_template):
    template = make_template(V1)  # a plain folder: no git, so no _commit
    project = tmp_path / "svc"
    assert main(["new", "svc", "--template", str(template), "-o", str(project), "-y"]) == 0
    git(project, "init", "-q")
    commit_all(project)
    with pytest.raises(PyframeError, match="records no template version"):
        update(project)


# --- Layers -------------------------------------------------------------------------------------

LAYER_V1 = {
    "copier.yml": "_subdirectory: layer\npackage_name:\n  type: str\n  default: pkg\n",
    "layer/observability/{{ package_name }}.yml.jinja": "service: {{ package_name }}\n",
    "layer/{{_copier_conf.answers_file}}.jinja": "{{ _copier_answers|to_nice_yaml -}}\n",
}
LAYER_V2 = {**LAYER_V1, "layer/observability/alerts.yml": "alerts: []\n"}


def test_add_layer_then_update_updates_every_layer(generated, tmp_path, capsys):
    template, project = generated
    layer = tmp_path / "observability"
    release(layer, LAYER_V1, "v0.1.0")
    (project / ".copier-answers.yml").write_text(
        (project / ".copier-answers.yml").read_text() + "package_name: svc_pkg\n"
    )
    commit_all(project, "record a package name")
    assert main(["add", str(layer), str(project), "-y"]) == 0
    assert (project / "observability" / "svc_pkg.yml").read_text() == "service: svc_pkg\n"
    layer_answers = project / ".copier-answers.observability.yml"
    assert yaml.safe_load(layer_answers.read_text())["_commit"] == "v0.1.0"
    assert [x.answers_file for x in find_layers(project)] == [
        ".copier-answers.yml",
        ".copier-answers.observability.yml",
    ]
    commit_all(project, "add observability")

    release(template, V2, "v2.0.0")
    release(layer, LAYER_V2, "v0.2.0")
    assert [s.up_to_date for s in status(project)] == [False, False]
    update(project)
    assert (project / "LICENSE").exists()
    assert (project / "observability" / "alerts.yml").exists()
    assert yaml.safe_load(layer_answers.read_text())["_commit"] == "v0.2.0"
    commit_all(project, "updated")
    assert all(s.up_to_date for s in status(project))


def test_add_keeps_files_the_project_already_has(generated, tmp_path):
    _, project = generated
    layer = tmp_path / "observability"
    release(layer, LAYER_V1, "v0.1.0")
    (project / "observability").mkdir()
    (project / "observability" / "pkg.yml").write_text("ours\n")
    commit_all(project)
    assert main(["add", str(layer), str(project), "-y"]) == 0
    assert (project / "observability" / "pkg.yml").read_text() == "ours\n"
    assert (project / "observability" / "pkg.yml.pyframe-new").read_text() == "service: pkg\n"


def test_adding_a_layer_twice_is_refused(generated, tmp_path, capsys):
    _, project = generated
    layer = tmp_path / "observability"
    release(layer, LAYER_V1, "v0.1.0")
    assert main(["add", str(layer), str(project), "-y"]) == 0
    before = snapshot(project)
    assert main(["add", str(layer), str(project), "-y"]) == 2
    assert "already applied" in capsys.readouterr().err
    assert snapshot(project) == before


def test_a_template_that_overwrites_the_main_answers_cannot_be_a_layer(generated, tmp_path):
    _, project = generated
    layer = tmp_path / "greedy"
    greedy = {k: v for k, v in LAYER_V1.items() if "_copier_conf" not in k}
    greedy["layer/.copier-answers.yml.jinja"] = "{{ _copier_answers|to_nice_yaml }}"
    release(layer, greedy, "v0.1.0")
    before = snapshot(project)
    assert main(["add", str(layer), str(project), "-y"]) == 2
    assert snapshot(project) == before
    # Writing both files is no better: the project's answers must stay the project's.
    release(layer, {**greedy, **LAYER_V1}, "v0.2.0")
    assert main(["add", str(layer), str(project), "-y"]) == 2
    assert snapshot(project) == before


# --- Built-in templates -------------------------------------------------------------------------


def test_builtin_project_records_a_stable_source_and_version(tmp_path):
    project = tmp_path / "svc"
    assert main(["new", "svc", "--framework", "flask", "-y", "-o", str(project)]) == 0
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_src_path"] == "pyframe:flask"
    assert answers["_commit"] == f"v{templates.current_version()}"


def test_builtin_update_from_the_shipped_previous_release(tmp_path):
    """A project generated by the previous pyframe release updates offline to this one, and
    ends up exactly as a fresh render of this release plus the person's own edit."""
    previous = [v for v in templates.builtin_versions() if v != templates.current_version()]
    assert previous, "every release ships the templates of the releases before it"
    project, fresh = tmp_path / "svc", tmp_path / "fresh" / "svc"
    args = ["new", "svc", "--framework", "flask", "-y", "--data", "flavour=api"]
    assert main([*args, "-o", str(project), "--vcs-ref", f"v{previous[-1]}"]) == 0
    git(project, "init", "-q")
    commit_all(project, "generated")
    (project / "README.md").write_text((project / "README.md").read_text() + "\nOur notes.\n")
    commit_all(project, "notes")
    assert main(["update", str(project), "--check"]) == 1
    assert main(["update", str(project)]) == 0
    assert main([*args, "-o", str(fresh)]) == 0
    expected = snapshot(fresh)
    expected["README.md"] += b"\nOur notes.\n"
    assert snapshot(project) == expected
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == f"v{templates.current_version()}"
    assert answers["_src_path"] == "pyframe:flask"


@pytest.fixture
def two_builtin_releases(tmp_path, monkeypatch):
    """Pretend this pyframe is 9.1.0 and ships 9.0.0, whose Flask README lacked a line."""
    history = tmp_path / "history"
    history.mkdir()
    readme = "flask/template/README.md.jinja"
    with tarfile.open(history / "9.0.0.tar.gz", "w:gz") as tar:
        root = templates.builtin_root()
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and relative != readme:
                tar.add(path, arcname=relative)
        old = tmp_path / "old-readme"
        old.write_text("# {{ project_name }}\n\nGenerated by pyframe 9.0.0.\n")
        tar.add(old, arcname=readme)
    monkeypatch.setattr(templates, "history_root", lambda: history)
    monkeypatch.setattr(templates, "__version__", "9.1.0")
    return history


def test_builtin_update_between_two_releases_brings_template_changes(
    two_builtin_releases, tmp_path
):
    project = tmp_path / "svc"
    args = ["new", "svc", "--framework", "flask", "-y", "-o", str(project), "--vcs-ref", "9.0.0"]
    assert main(args) == 0
    assert "pyframe 9.0.0" in (project / "README.md").read_text()
    git(project, "init", "-q")
    commit_all(project)
    (project / "Makefile").write_text((project / "Makefile").read_text() + "\nours:\n\ttrue\n")
    commit_all(project, "our target")
    assert main(["update", str(project)]) == 0
    readme = (project / "README.md").read_text()
    assert "pyframe 9.0.0" not in readme and "make install" in readme
    assert (project / "Makefile").read_text().endswith("\nours:\n\ttrue\n")
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["_commit"] == "v9.1.0"


def test_unknown_builtin_version_is_one_line(tmp_path, capsys):
    args = ["new", "svc", "--framework", "flask", "-y", "-o", str(tmp_path / "svc")]
    assert main([*args, "--vcs-ref", "v0.0.1"]) == 2
    err = capsys.readouterr().err
    assert "no built-in template version '0.0.1'" in err
    assert not (tmp_path / "svc").exists()


def test_shipped_history_is_older_than_this_release():
    current = templates.version_key(templates.current_version())
    for version in templates.builtin_versions()[:-1]:
        assert templates.version_key(version) < current
        with templates.builtin_at(version) as root:
            assert all((root / name / "copier.yml").is_file() for name in templates.BUILTIN)


def test_project_in_a_subfolder_of_a_larger_repository(tmp_path):
    """A service in a monorepo: only its folder changes, the rest of the repository is untouched."""
    template = tmp_path / "tpl"
    release(template, V1, "v1.0.0")
    repo = tmp_path / "monorepo"
    project = repo / "services" / "svc"
    assert main(["new", "svc", "--template", str(template), "-o", str(project), "-y"]) == 0
    (repo / "other.txt").write_text("another team's file\n")
    git(repo, "init", "-q")
    commit_all(repo, "monorepo")
    release(template, V2, "v2.0.0")
    outcome = update(project)
    assert (project / "LICENSE").exists() and not (project / "old.txt").exists()
    assert {c.path for c in outcome.changes} == {
        ".copier-answers.yml",
        "LICENSE",
        "README.md",
        "old.txt",
    }
    changed = git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert all(line[3:].startswith("services/svc/") for line in changed)
