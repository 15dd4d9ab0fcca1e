"""Tests for scaffold/config.py: finding the one configuration file, reading it, refusing a
malformed one with ``<file>:<line>: <expected>``, provenance, and the matrix it implies.

Every test writes its files under ``tmp_path``; conftest.py points XDG_CONFIG_HOME at an empty
folder of the test's own, so a developer's real configuration never leaks in.
"""

import dataclasses
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import scaffold.config
from scaffold.config import (
    Config,
    Registered,
    config_paths,
    find_config,
    load_config,
    matrix_for,
)
from scaffold.errors import PyframeError
from scaffold.matrix import Needs, Reason, load_matrix, recommend

#: Pure logic, no rendering: the fast tier (``pytest -m fast``).
pytestmark = pytest.mark.fast

REPO = Path(__file__).resolve().parents[1]

linux_only = pytest.mark.skipif(
    sys.platform != "linux", reason="platformdirs honours XDG_CONFIG_HOME on Linux only"
)

BUILT_IN_ROWS = [
    ("templates.django.source", "built-in", "built-in"),
    ("templates.fastapi.source", "built-in", "built-in"),
    ("templates.flask.source", "built-in", "built-in"),
    ("matrix.file", "built-in matrix", "built-in"),
]


def write(folder: Path, text: str, name: str = "pyframe.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def user_folder() -> Path:
    """pyframe's user config folder under the XDG_CONFIG_HOME conftest.py set for this test."""
    return Path(os.environ["XDG_CONFIG_HOME"]) / "pyframe"


def error_of(path: Path, **kwargs: Path) -> str:
    with pytest.raises(PyframeError) as caught:
        load_config(path, **kwargs)
    message = caught.value.message
    assert "\n" not in message
    return message


# --- Finding the file ------------------------------------------------------------------------


def test_no_file_means_the_built_in_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert find_config() is None
    config = load_config()
    assert config == Config()
    assert (config.path, config.matrix_file) == (None, None)
    assert not (config.defaults or config.templates or config.bonus)
    assert not (config.kind_templates or config.framework_templates)
    assert config.provenance() == BUILT_IN_ROWS
    assert matrix_for(config) == load_matrix()


@linux_only
def test_config_paths_are_the_current_directory_then_the_user_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected_user = user_folder() / "pyframe.toml"
    assert config_paths(tmp_path) == [tmp_path / "pyframe.toml", expected_user]
    monkeypatch.chdir(tmp_path)
    assert config_paths() == [tmp_path / "pyframe.toml", expected_user]


@linux_only
def test_xdg_config_home_moves_the_user_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))
    path = write(tmp_path / "elsewhere" / "pyframe", '[defaults]\nci = "gitlab"\n')
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert find_config() == path
    config = load_config()
    assert config.path == path
    assert dict(config.defaults) == {"ci": "gitlab"}


def test_first_found_wins_and_files_are_not_merged(tmp_path: Path) -> None:
    write(user_folder(), '[defaults]\nauthor_name = "user"\nci = "github"\n')
    work = tmp_path / "work"
    here = write(work, '[defaults]\nauthor_name = "here"\n')
    explicit = write(tmp_path / "org", '[defaults]\npython_version = "3.13"\n', "acme.toml")

    assert dict(load_config(explicit, cwd=work).defaults) == {"python_version": "3.13"}
    assert load_config(cwd=work).path == here
    assert dict(load_config(cwd=work).defaults) == {"author_name": "here"}
    here.unlink()
    assert load_config(cwd=work).path == user_folder() / "pyframe.toml"
    assert dict(load_config(cwd=work).defaults) == {"author_name": "user", "ci": "github"}


def test_the_current_directory_is_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    here = write(tmp_path, '[defaults]\nci = "none"\n')
    monkeypatch.chdir(tmp_path)
    assert find_config() == here
    assert dict(load_config().defaults) == {"ci": "none"}


def test_a_missing_explicit_config_is_an_error_not_a_fallback(tmp_path: Path) -> None:
    write(tmp_path, '[defaults]\nci = "none"\n')  # ./pyframe.toml exists, and must not be used
    missing = tmp_path / "acme.toml"
    message = error_of(missing, cwd=tmp_path)
    assert message == f"{missing}: no such configuration file (given with config)"
    with pytest.raises(PyframeError, match="no such configuration file"):
        find_config(missing, cwd=tmp_path)


def test_a_relative_explicit_config_is_relative_to_the_current_directory(tmp_path: Path) -> None:
    path = write(tmp_path / "conf", '[defaults]\nci = "none"\n', "acme.toml")
    assert find_config(Path("conf/acme.toml"), cwd=tmp_path) == path
    assert load_config(Path("conf/acme.toml"), cwd=tmp_path).path == path


# --- Reading it ------------------------------------------------------------------------------


def documented_example() -> str:
    """The example file in scaffold/config.py's docstring, so the documentation stays valid."""
    doc = scaffold.config.__doc__ or ""
    block = doc.split("The format::\n\n", 1)[1]
    lines = []
    for line in block.splitlines():
        if line and not line.startswith("    "):
            break
        lines.append(line)
    return textwrap.dedent("\n".join(lines))


def test_the_documented_example_is_a_valid_configuration(tmp_path: Path) -> None:
    path = write(tmp_path, documented_example())
    config = load_config(path)
    assert dict(config.defaults) == {
        "author_name": "Acme Platform Team",
        "author_email": "platform@acme.example",
        "python_version": "3.12",
        "ci": "gitlab",
    }
    assert set(config.templates) == {"acme-api", "fastapi"}
    acme = config.templates["acme-api"]
    assert (acme.source, acme.vcs_ref) == ("gh:acme/pyframe-fastapi", "v2.3.0")
    assert acme.description == "Acme's FastAPI service"
    assert config.templates["fastapi"] == Registered(
        name="fastapi",
        source=None,
        vcs_ref="v0.1.0",
        description="",
        origin=config.templates["fastapi"].origin,
    )
    assert config.matrix_file == tmp_path / "acme-matrix.toml"
    assert dict(config.bonus) == {"fastapi": 3}
    assert dict(config.kind_templates) == {"api": "acme-api"}
    assert dict(config.framework_templates) == {"fastapi": "acme-api"}


def test_routed_names_the_template_and_the_line_that_routes_to_it(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, documented_example()))
    text = (tmp_path / "pyframe.toml").read_text().splitlines()
    template, where = config.routed("kind", "api")
    assert template == "acme-api"
    file, line = where.rsplit(":", 1)
    assert file == str(tmp_path / "pyframe.toml")
    assert text[int(line) - 1].replace(" ", "").startswith("api=")
    assert config.routed("use", "fastapi")[0] == "acme-api"
    assert config.routed("use", "flask") is None
    assert config.routed("kind", None) is None
    assert Config().routed("kind", "api") is None


def test_relative_paths_are_relative_to_the_config_files_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(
        tmp_path / "org" / "conf",
        """
        [templates.acme-web]
        source = "../templates/acme-web"

        [templates.remote]
        source = "https://git.acme.example/pyframe-flask.git"

        [templates.absolute]
        source = "/srv/templates/acme"

        [matrix]
        file = "acme-matrix.toml"
        """,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    config = load_config(path)
    assert config.templates["acme-web"].source == str(tmp_path / "org" / "templates" / "acme-web")
    assert config.templates["remote"].source == "https://git.acme.example/pyframe-flask.git"
    assert config.templates["absolute"].source == "/srv/templates/acme"
    assert config.matrix_file == tmp_path / "org" / "conf" / "acme-matrix.toml"


def test_provenance_gives_each_setting_its_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        # Acme's pyframe configuration
        [defaults]
        author_name = "Acme"
        ci = "gitlab"

        [templates.flask]
        vcs_ref = "v0.1.0"

        [templates.acme-api]
        description = "Acme's API"
        source = "gh:acme/pyframe-fastapi"

        [matrix]
        file = "org.toml"
        bonus = { fastapi = 3 }

        [matrix.kind]
        api = "acme-api"

        [matrix.use]
        flask = "flask"
        """,
    )
    config = load_config(path)
    assert config.templates["acme-api"].origin == f"{path}:9"
    assert config.templates["flask"].origin == f"{path}:6"
    assert config.provenance() == [
        ("defaults.author_name", "Acme", f"{path}:3"),
        ("defaults.ci", "gitlab", f"{path}:4"),
        ("templates.django.source", "built-in", "built-in"),
        ("templates.fastapi.source", "built-in", "built-in"),
        ("templates.flask.source", "built-in", "built-in"),
        ("templates.flask.vcs_ref", "v0.1.0", f"{path}:7"),
        ("templates.acme-api.source", "gh:acme/pyframe-fastapi", f"{path}:11"),
        ("templates.acme-api.description", "Acme's API", f"{path}:10"),
        ("matrix.file", str(tmp_path / "org.toml"), f"{path}:14"),
        ("matrix.bonus.fastapi", 3, f"{path}:15"),  # an inline table: the line that holds it
        ("matrix.kind.api", "acme-api", f"{path}:18"),
        ("matrix.use.flask", "flask", f"{path}:21"),
    ]


def test_a_config_is_read_only(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[defaults]\nci = "none"\n'))
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.path = None  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.defaults["ci"] = "github"  # type: ignore[index]


def test_defaults_keep_their_toml_types(tmp_path: Path) -> None:
    path = write(tmp_path, '[defaults]\nport = 8000\ndocker = true\nratio = 0.5\nci = "none"\n')
    assert dict(load_config(path).defaults) == {
        "port": 8000,
        "docker": True,
        "ratio": 0.5,
        "ci": "none",
    }


# --- Refusing a malformed file ---------------------------------------------------------------

MALFORMED = [
    pytest.param(
        '# org\n[default]\nci = "none"\n',
        2,
        "unknown top-level key 'default' (expected defaults, templates, matrix)",
        id="unknown top-level table",
    ),
    pytest.param(
        'ci = "none"\n',
        1,
        "unknown top-level key 'ci' (expected defaults, templates, matrix)",
        id="unknown top-level key",
    ),
    pytest.param(
        'defaults = "none"\n',
        1,
        "[defaults] must be a table of question = answer, got 'none'",
        id="defaults not a table",
    ),
    pytest.param(
        '[defaults]\nci = "none"\nlicenses = ["MIT"]\n',
        3,
        "[defaults] licenses must be a string, integer, float or boolean, got ['MIT']",
        id="default answer is an array",
    ),
    pytest.param(
        "[defaults]\nci = 1\n[defaults.db]\nname = 'x'\n",
        3,
        "[defaults] db must be a string, integer, float or boolean, got {'name': 'x'}",
        id="default answer is a table",
    ),
    pytest.param(
        "[defaults]\nsince = 2024-01-01\n",
        2,
        "[defaults] since must be a string, integer, float or boolean, "
        "got datetime.date(2024, 1, 1)",
        id="default answer is a date",
    ),
    pytest.param(
        '[templates.acme-api]\nsource = "gh:acme/x"\nref = "v1"\n',
        3,
        "unknown key 'ref' in [templates.acme-api] (expected source, vcs_ref, description)",
        id="typo in a template key",
    ),
    pytest.param(
        '# Acme\n# pyframe\n[templates.acme-api]\nvcs_ref = "v1"\nsource = 3\n',
        5,
        "[templates.acme-api] source must be a string (a path or git URL), got 3",
        id="source is not a string",
    ),
    pytest.param(
        '[templates.acme-api]\nsource = ""\n',
        2,
        "[templates.acme-api] source must be a string (a path or git URL), got ''",
        id="source is empty",
    ),
    pytest.param(
        '[defaults]\nci = "none"\n\n[templates.acme-api]\nvcs_ref = "v1"\n',
        4,
        "[templates.acme-api] needs a source (a path or git URL); only a built-in "
        "(django, fastapi, flask) can go without one",
        id="registered template without a source",
    ),
    pytest.param(
        '[templates.fastapi]\nvcs_ref = "v1"\nsource = "gh:acme/fastapi"\n',
        3,
        "[templates.fastapi] cannot have a source: 'fastapi' is a built-in template; pin it with "
        "vcs_ref alone, or register your own template under another name",
        id="source on a built-in name",
    ),
    pytest.param(
        '[templates.django]\nvcs_ref = "v1"\nsorce = "x"\n',
        3,
        "unknown key 'sorce' in [templates.django] (expected vcs_ref, description)",
        id="unknown key on a pinned built-in",
    ),
    pytest.param(
        '[templates.Acme]\nsource = "gh:acme/x"\n',
        1,
        "[templates.Acme] is not a valid template name: use lowercase letters, digits, '.', '_' "
        "and '-', starting with a letter or digit",
        id="upper-case template name",
    ),
    pytest.param(
        '[templates._acme]\nsource = "gh:acme/x"\n',
        1,
        "[templates._acme] is not a valid template name: use lowercase letters, digits, '.', '_' "
        "and '-', starting with a letter or digit",
        id="template name starting with an underscore",
    ),
    pytest.param(
        '[templates]\nacme-api = "gh:acme/x"\n',
        2,
        "[templates.acme-api] must be a table (source = ..., vcs_ref = ...), got 'gh:acme/x'",
        id="template given as a string",
    ),
    pytest.param(
        '[templates.acme-api]\nsource = "gh:acme/x"\nvcs_ref = 2.3\n',
        3,
        "[templates.acme-api] vcs_ref must be a string (a git tag, branch or commit), got 2.3",
        id="vcs_ref is a float",
    ),
    pytest.param(
        '[templates.acme-api]\nsource = "gh:acme/x"\ndescription = """two\nlines"""\n',
        3,
        "[templates.acme-api] description must be a string (one line), got 'two\\nlines'",
        id="description on two lines",
    ),
    pytest.param(
        "[templates]\nacme-api = { source = 3 }\n",
        2,
        "[templates.acme-api] source must be a string (a path or git URL), got 3",
        id="inline table: the line that holds it",
    ),
    pytest.param(
        "# org\ntemplates.acme-api.source = 3\n",
        2,
        "[templates.acme-api] source must be a string (a path or git URL), got 3",
        id="dotted key",
    ),
    pytest.param(
        '[templates."acme-api"]\nsource = 3\n',
        2,
        "[templates.acme-api] source must be a string (a path or git URL), got 3",
        id="quoted table name",
    ),
    pytest.param(
        '[matrix]\nfile = "org.toml"\nfiles = "x"\n',
        3,
        "unknown key 'files' in [matrix] (expected file, bonus, kind, use)",
        id="typo in [matrix]",
    ),
    pytest.param(
        "[matrix]\nfile = 1\n",
        2,
        "[matrix] file must be a string (the path of a matrix file), got 1",
        id="matrix file is not a string",
    ),
    pytest.param(
        "[matrix]\nbonus = 3\n",
        2,
        "[matrix.bonus] must be a table of framework = points, got 3",
        id="bonus is not a table",
    ),
    pytest.param(
        '[matrix.bonus]\ndjango = 1\nfastapi = "3"\n',
        3,
        "[matrix.bonus] fastapi must be an integer (points), got '3'",
        id="bonus is a string",
    ),
    pytest.param(
        "[matrix.bonus]\nfastapi = true\n",
        2,
        "[matrix.bonus] fastapi must be an integer (points), got True",
        id="bonus is a boolean",
    ),
    pytest.param(
        "[matrix.bonus]\nfastapi = 1.5\n",
        2,
        "[matrix.bonus] fastapi must be an integer (points), got 1.5",
        id="bonus is a float",
    ),
    pytest.param(
        '[templates.acme-api]\nsource = "gh:acme/x"\n\n[matrix.kind]\napi = "acme-apy"\n',
        5,
        "[matrix.kind] api = 'acme-apy' names no template: expected a built-in "
        "(django, fastapi, flask) or one registered under [templates] (acme-api)",
        id="kind names no template",
    ),
    pytest.param(
        '[matrix.use]\nfastapi = "acme-api"\n',
        2,
        "[matrix.use] fastapi = 'acme-api' names no template: expected a built-in "
        "(django, fastapi, flask) or one registered under [templates] (none registered)",
        id="use names an unregistered template",
    ),
    pytest.param(
        "[matrix.use]\nfastapi = 1\n",
        2,
        "[matrix.use] fastapi must be a string (a template name), got 1",
        id="use is not a string",
    ),
]


@pytest.mark.parametrize(("text", "line", "expected"), MALFORMED)
def test_a_malformed_file_gives_file_line_and_expectation(
    tmp_path: Path, text: str, line: int, expected: str
) -> None:
    path = write(tmp_path, text)
    assert error_of(path) == f"{path}:{line}: {expected}"


def test_a_toml_syntax_error_gives_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[defaults]\nci = "none"\nauthor_name = \n')
    message = error_of(path)
    assert re.fullmatch(rf"{re.escape(str(path))}:3: invalid TOML: .+ \(column \d+\)", message)


def test_a_file_that_is_not_utf8_gives_the_line_of_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "pyframe.toml"
    path.write_bytes('[defaults]\nci = "none"\nauthor_name = "Caf\xe9"\n'.encode("latin-1"))
    assert error_of(path) == f"{path}:3: not UTF-8 text; the configuration file is TOML"


def test_an_unreadable_config_names_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "pyframe.toml"
    folder.mkdir()  # found in the current directory, but it is a folder: say so, do not skip it
    with pytest.raises(PyframeError) as caught:
        load_config(cwd=tmp_path)
    assert caught.value.message.startswith(f"{folder}: cannot read the configuration file: ")


# --- The matrix it implies -------------------------------------------------------------------

ORG_MATRIX = """
[matrix]
frameworks = ["django", "litestar"]

[sources]
Handbook = "Acme's engineering handbook"

[vocabulary]
kind = { api = "an API", site = "a website" }
need = { admin = "an admin" }
team = { django = "knows Django" }
scale = { small = "small" }

[default]
django = 1
because = "our default"
source = ["Handbook: Defaults"]

[rules.kind.api]
litestar = 2
django = 1
because = "APIs"
source = ["Handbook: APIs"]
"""


def test_the_bonus_becomes_a_cited_rule_of_the_built_in_matrix(tmp_path: Path) -> None:
    path = write(tmp_path, "# Acme\n[matrix.bonus]\nflask = 2\ndjango = 0\n")
    matrix = matrix_for(load_config(path))
    assert matrix.bonus is not None
    assert dict(matrix.bonus.weights) == {"flask": 2}  # a zero changes nothing and is left out
    because = f"your organisation's pyframe configuration weighs flask up by 2 ({path}:2)"
    assert matrix.bonus.reason == because
    assert dataclasses.replace(matrix, bonus=None) == load_matrix()
    # kind=api is FastAPI 4, Flask 3 on its own: the organisation's 2 points tip it.
    recommendation = recommend(Needs(kind="api"), matrix)
    assert recommendation.framework == "flask"
    assert recommendation.reasons[-1] == Reason("flask", 2, because)


def test_a_bonus_can_weigh_a_framework_down(tmp_path: Path) -> None:
    path = write(tmp_path, "[matrix.bonus]\ndjango = -1\nfastapi = 2\n")
    matrix = matrix_for(load_config(path))
    assert matrix.bonus is not None
    assert matrix.bonus.because.startswith(
        "your organisation's pyframe configuration weighs django down by 1, fastapi up by 2 ("
    )


def test_no_bonus_or_only_zeros_leaves_the_matrix_alone(tmp_path: Path) -> None:
    assert matrix_for(load_config(write(tmp_path, "[matrix.bonus]\nflask = 0\n"))).bonus is None


def test_a_replacement_matrix_file_is_used_and_its_frameworks_checked(tmp_path: Path) -> None:
    write(tmp_path / "org", ORG_MATRIX, "acme-matrix.toml")
    path = write(
        tmp_path / "org",
        """
        [matrix]
        file = "acme-matrix.toml"

        [matrix.bonus]
        litestar = 2

        [matrix.use]
        litestar = "flask"

        [matrix.kind]
        site = "django"
        """,
    )
    matrix = matrix_for(load_config(path, cwd=tmp_path))
    assert matrix.frameworks == ("django", "litestar")
    assert matrix.vocabulary["kind"] == ("api", "site")
    # The file's [default] gives django 1; the organisation's 2 for litestar outweighs it.
    recommendation = recommend(Needs(), matrix)
    assert dict(recommendation.scores) == {"django": 1, "litestar": 2}
    assert recommendation.framework == "litestar"
    assert recommendation.reasons[0].because == "our default (Handbook: Defaults)"
    assert recommendation.reasons[1].because.startswith(
        "your organisation's pyframe configuration weighs litestar up by 2 ("
    )


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        pytest.param(
            "[matrix.bonus]\nfastapi = 1\npyramid = 2\n",
            3,
            "[matrix.bonus] 'pyramid' is not a framework of the built-in matrix "
            "(expected django, fastapi, flask)",
            id="bonus for an unknown framework",
        ),
        pytest.param(
            '# Acme\n[matrix.use]\nrails = "django"\n',
            3,
            "[matrix.use] 'rails' is not a framework of the built-in matrix "
            "(expected django, fastapi, flask)",
            id="use for an unknown framework",
        ),
        pytest.param(
            '[matrix.kind]\nwebsite = "django"\n',
            2,
            "[matrix.kind] 'website' is not a kind of the built-in matrix (expected api, "
            "web-app, cms, ecommerce, microservice, ml-serving, realtime, prototype, "
            "internal-tool, learning, enterprise)",
            id="kind the matrix does not declare",
        ),
    ],
)
def test_matrix_words_in_the_config_are_checked_against_the_matrix(
    tmp_path: Path, text: str, line: int, expected: str
) -> None:
    path = write(tmp_path, text)
    config = load_config(path)  # cheap: the matrix is not loaded yet, so this passes
    with pytest.raises(PyframeError) as caught:
        matrix_for(config)
    assert caught.value.message == f"{path}:{line}: {expected}"


def test_config_frameworks_are_checked_against_the_replacement_matrix(tmp_path: Path) -> None:
    write(tmp_path, ORG_MATRIX, "acme-matrix.toml")
    path = write(tmp_path, '[matrix]\nfile = "acme-matrix.toml"\n[matrix.bonus]\nfastapi = 3\n')
    with pytest.raises(PyframeError) as caught:
        matrix_for(load_config(path))
    assert caught.value.message == (
        f"{path}:4: [matrix.bonus] 'fastapi' is not a framework of "
        f"{tmp_path / 'acme-matrix.toml'} (expected django, litestar)"
    )


def test_a_missing_replacement_matrix_names_the_resolved_path(tmp_path: Path) -> None:
    path = write(tmp_path / "org", '[matrix]\nfile = "missing.toml"\n')
    with pytest.raises(PyframeError) as caught:
        matrix_for(load_config(path, cwd=tmp_path))
    expected = f"{tmp_path / 'org' / 'missing.toml'}: cannot read the matrix file: "
    assert caught.value.message.startswith(expected)


# --- Staying cheap ---------------------------------------------------------------------------


def test_importing_the_config_module_imports_nothing_heavy() -> None:
    heavy = "('copier', 'jinja2', 'yaml', 'rich', 'questionary')"
    code = f"import scaffold.config, sys; print(sorted(m for m in {heavy} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
