"""Tests for scaffold/matrix.py and the built-in scaffold/matrix.toml.

The first table is the seeds' own decision tables, one case per row, each named after the seed and
section it comes from (labels as declared in matrix.toml's [sources]: "Better Stack" is
seeds/000, "Choosing in 2026" 001, "Frameworks Guide" 002, "Expert Analysis" 003, "Backend
Comparison" 004). Each case checks the winner and that one of the winner's reasons cites that very
section. Then: where the seeds disagree, mixed cases, errors, the JSON shape, determinism and the
template answers a choice implies.
"""

import builtins
import dataclasses
import json
import re
from importlib import resources
from pathlib import Path
from types import MappingProxyType

import pytest
import yaml

from scaffold.cli import FLAGS
from scaffold.errors import PyframeError
from scaffold.matrix import (
    Matrix,
    Needs,
    Reason,
    Recommendation,
    Rule,
    check_needs,
    load_matrix,
    recommend,
    suggested_answers,
)

#: Pure logic, no rendering: the fast tier (``pytest -m fast``).
pytestmark = pytest.mark.fast

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def matrix() -> Matrix:
    return load_matrix()


def row(
    source: str,
    text: str,
    expected: str,
    *,
    kind: str | None = None,
    need: tuple[str, ...] = (),
    team: str | None = None,
    scale: str | None = None,
) -> object:
    """One row of a seed's table: ``source`` is "<seed label>: <section>", ``text`` the row."""
    needs = Needs(kind=kind, needs=frozenset(need), team=team, scale=scale)
    return pytest.param(source, needs, expected, id=f"{source} | {text} -> {expected}")


def words(needs: Needs) -> str:
    """A readable test id: ``kind=api need=admin,auth team=flask``."""
    given = {"kind": needs.kind, "need": ",".join(sorted(needs.needs)), "team": needs.team}
    given["scale"] = needs.scale
    return " ".join(f"{key}={value}" for key, value in given.items() if value) or "no inputs"


def cited(framework: str, recommendation: Recommendation, matrix: Matrix) -> set[str]:
    """Every "<label>: <section>" behind the reasons that raised ``framework``'s score."""
    lines = {
        reason.because
        for reason in recommendation.reasons
        if reason.framework == framework and reason.weight > 0
    }
    rules = [matrix.default, *(rule for words in matrix.rules.values() for rule in words.values())]
    return {source for rule in rules if rule.reason in lines for source in rule.sources}


QDM = "Frameworks Guide: Quick Decision Matrix"
FG_DJANGO = "Frameworks Guide: Choose Django when"
FG_FASTAPI = "Frameworks Guide: Choose FastAPI when"
FG_FLASK = "Frameworks Guide: Choose Flask when"
BS_DJANGO = "Better Stack: Choose Django When"
BS_FASTAPI = "Better Stack: Choose FastAPI When"
BS_FLASK = "Better Stack: Choose Flask When"
CG_FASTAPI = "Choosing in 2026: When to Choose FastAPI"
CG_DJANGO = "Choosing in 2026: When to Choose Django"
CG_FLASK = "Choosing in 2026: When to Choose Flask"
CG_TODAY = "Choosing in 2026: How to Choose Today"
BC_TABLE = "Backend Comparison: Project type table"
BC_DJANGO = "Backend Comparison: When to choose Django"
BC_FLASK = "Backend Comparison: When to choose Flask"
BC_FASTAPI = "Backend Comparison: When to choose FastAPI"

SEED_ROWS = [
    # seeds/002 "Quick Decision Matrix" (Requirement -> Recommendation), all 12 rows.
    row(QDM, "Full-stack web app", "django", kind="web-app"),
    row(QDM, "High-performance API", "fastapi", kind="api", need=("high-concurrency",)),
    row(QDM, "Quick prototype", "flask", kind="prototype"),
    row(QDM, "Admin panel needed", "django", need=("admin",)),
    row(QDM, "ML model serving", "fastapi", kind="ml-serving"),
    row(QDM, "Maximum flexibility", "flask", need=("flexibility",)),
    row(QDM, "WebSocket-heavy", "fastapi", need=("websockets",)),
    row(QDM, "Enterprise/stability", "django", kind="enterprise"),
    row(QDM, "Learning Python web", "flask", kind="learning"),
    row(QDM, "Microservices", "fastapi", kind="microservice"),
    row(QDM, "Content management", "django", kind="cms"),
    row(QDM, "Internal tool", "flask", kind="internal-tool"),
    # seeds/002 "Choose Django when" ("Teams with varying experience levels" is decided against:
    # see test_new_team_weighs_the_learning_curve).
    row(FG_DJANGO, "full-stack web applications with user interfaces", "django", kind="web-app"),
    row(FG_DJANGO, "built-in admin panel for content management", "django", need=("admin",)),
    row(FG_DJANGO, "rapid development, batteries included", "django", need=("fast-delivery",)),
    row(
        FG_DJANGO,
        "enterprise applications requiring stability and security",
        "django",
        kind="enterprise",
        need=("compliance",),
    ),
    row(FG_DJANGO, "projects requiring ORM with migrations", "django", need=("orm",)),
    row(FG_DJANGO, "CMS", "django", kind="cms"),
    row(FG_DJANGO, "e-commerce", "django", kind="ecommerce"),
    row(FG_DJANGO, "social platforms", "django", kind="web-app", need=("auth",)),
    # seeds/002 "Choose FastAPI when"
    row(
        FG_FASTAPI,
        "high-performance REST APIs",
        "fastapi",
        kind="api",
        need=("high-concurrency",),
    ),
    row(FG_FASTAPI, "async/await is critical", "fastapi", need=("async",)),
    row(FG_FASTAPI, "serving ML models or AI applications", "fastapi", kind="ml-serving"),
    row(FG_FASTAPI, "microservices architecture", "fastapi", kind="microservice"),
    row(
        FG_FASTAPI,
        "real-time applications with WebSockets",
        "fastapi",
        kind="realtime",
        need=("websockets",),
    ),
    row(
        FG_FASTAPI,
        "API-first development with auto-documentation",
        "fastapi",
        kind="api",
        need=("api-docs",),
    ),
    row(FG_FASTAPI, "type safety and validation are priorities", "fastapi", need=("type-safety",)),
    # seeds/002 "Choose Flask when"
    row(FG_FLASK, "small applications", "flask", scale="small"),
    row(FG_FLASK, "medium applications", "flask", scale="medium"),
    row(FG_FLASK, "maximum flexibility and control", "flask", need=("flexibility",)),
    row(FG_FLASK, "learning web development", "flask", kind="learning"),
    row(FG_FLASK, "rapid prototyping", "flask", kind="prototype"),
    row(FG_FLASK, "simple APIs without complex requirements", "flask", kind="api", scale="small"),
    row(FG_FLASK, "custom architecture requirements", "flask", need=("flexibility",)),
    row(FG_FLASK, "internal tools and utilities", "flask", kind="internal-tool"),
    # seeds/000 Better Stack "Choose Django When" (1-6) and its example projects.
    row(
        BS_DJANGO,
        "1 traditional web applications with server-side rendering",
        "django",
        kind="web-app",
        need=("templates",),
    ),
    row(BS_DJANGO, "2 rapid development with built-in features", "django", need=("fast-delivery",)),
    # "teams that benefit from conventions": the vocabulary's nearest word is a large application.
    row(BS_DJANGO, "3 teams that benefit from conventions", "django", scale="large"),
    row(BS_DJANGO, "4 admin interface for content management", "django", need=("admin",)),
    row(BS_DJANGO, "5 data-heavy applications, complex relationships", "django", need=("orm",)),
    # "mature ecosystem": no vocabulary word; enterprise is the kind that asks for it.
    row(BS_DJANGO, "6 mature ecosystem", "django", kind="enterprise"),
    row(BS_DJANGO, "example: content management systems", "django", kind="cms"),
    row(BS_DJANGO, "example: e-commerce platforms", "django", kind="ecommerce"),
    row(BS_DJANGO, "example: social media applications", "django", kind="web-app", need=("auth",)),
    row(
        BS_DJANGO,
        "example: enterprise web applications",
        "django",
        kind="enterprise",
        need=("templates",),
    ),
    row(BS_DJANGO, "example: news and blog websites", "django", kind="cms", need=("templates",)),
    # seeds/000 Better Stack "Choose FastAPI When" (1-6) and its example projects.
    row(BS_FASTAPI, "1 building APIs", "fastapi", kind="api"),
    row(BS_FASTAPI, "1 building microservices", "fastapi", kind="microservice"),
    row(
        BS_FASTAPI,
        "2 high performance and async capabilities",
        "fastapi",
        need=("high-concurrency", "async"),
    ),
    row(
        BS_FASTAPI,
        "3 automatic documentation and type safety",
        "fastapi",
        need=("api-docs", "type-safety"),
    ),
    row(BS_FASTAPI, "4 modern applications with separate frontend", "fastapi", kind="api"),
    row(BS_FASTAPI, "5 serving machine learning models", "fastapi", kind="ml-serving"),
    row(BS_FASTAPI, "6 real-time features with WebSockets", "fastapi", need=("websockets",)),
    row(BS_FASTAPI, "example: REST APIs for mobile apps", "fastapi", kind="api"),
    row(BS_FASTAPI, "example: microservices architecture", "fastapi", kind="microservice"),
    row(BS_FASTAPI, "example: real-time data processing", "fastapi", kind="realtime"),
    row(BS_FASTAPI, "example: machine learning model serving", "fastapi", kind="ml-serving"),
    row(
        BS_FASTAPI,
        "example: IoT data collection systems",
        "fastapi",
        kind="api",
        need=("high-concurrency",),
    ),
    # seeds/000 Better Stack "Choose Flask When" (1-6) and its example projects.
    row(BS_FLASK, "1 maximum flexibility in architecture", "flask", need=("flexibility",)),
    row(
        BS_FLASK,
        "2 small applications with specific requirements",
        "flask",
        need=("flexibility",),
        scale="small",
    ),
    row(
        BS_FLASK,
        "2 medium applications with specific requirements",
        "flask",
        need=("flexibility",),
        scale="medium",
    ),
    row(BS_FLASK, "3 learning web development concepts", "flask", kind="learning"),
    row(BS_FLASK, "4 prototyping and experimentation", "flask", kind="prototype"),
    row(BS_FLASK, "5 integrating with existing systems", "flask", need=("flexibility",)),
    row(BS_FLASK, "6 understand how web frameworks work", "flask", kind="learning"),
    row(
        BS_FLASK,
        "example: custom business applications",
        "flask",
        kind="internal-tool",
        need=("flexibility",),
    ),
    row(BS_FLASK, "example: prototypes and MVPs", "flask", kind="prototype"),
    row(
        BS_FLASK,
        "example: integration services",
        "flask",
        kind="microservice",
        need=("flexibility",),
    ),
    row(BS_FLASK, "example: simple web services", "flask", kind="api", scale="small"),
    row(BS_FLASK, "example: educational projects", "flask", kind="learning"),
    # seeds/001 "When to Choose FastAPI"
    row(CG_FASTAPI, "API-first applications", "fastapi", kind="api"),
    row(CG_FASTAPI, "microservice architecture", "fastapi", kind="microservice"),
    row(CG_FASTAPI, "real-time applications", "fastapi", kind="realtime"),
    row(CG_FASTAPI, "AI/ML services", "fastapi", kind="ml-serving"),
    row(CG_FASTAPI, "high-performance requirements", "fastapi", need=("high-concurrency",)),
    # seeds/001 "When to Choose Django"
    row(CG_DJANGO, "enterprise applications", "django", kind="enterprise", scale="large"),
    row(CG_DJANGO, "content management systems (blogs, news sites)", "django", kind="cms"),
    row(CG_DJANGO, "content management systems (e-commerce)", "django", kind="ecommerce"),
    row(
        CG_DJANGO,
        "rapid MVP development with Django Admin",
        "django",
        kind="prototype",
        need=("admin",),
    ),
    row(CG_DJANGO, "strict compliance requirements", "django", need=("compliance",)),
    row(CG_DJANGO, "team experience", "django", team="django"),
    # seeds/001 "When to Choose Flask"
    row(CG_FLASK, "rapid prototyping", "flask", kind="prototype"),
    row(CG_FLASK, "small projects", "flask", scale="small"),
    row(CG_FLASK, "small projects: internal tools", "flask", kind="internal-tool"),
    row(
        CG_FLASK,
        "small projects: simple web applications",
        "flask",
        kind="web-app",
        scale="small",
    ),
    row(CG_FLASK, "learning purposes", "flask", kind="learning"),
    row(CG_FLASK, "high customization", "flask", need=("flexibility",)),
    row(CG_FLASK, "legacy system integration", "flask", need=("flexibility",)),
    # seeds/001 "How to Choose Today" (Choose X if: ...)
    row(CG_TODAY, "FastAPI: a new API project", "fastapi", kind="api"),
    row(
        CG_TODAY,
        "FastAPI: performance and scalability are key",
        "fastapi",
        need=("high-concurrency",),
        scale="large",
    ),
    row(CG_TODAY, "FastAPI: team familiar with type hints, async", "fastapi", team="fastapi"),
    row(CG_TODAY, "FastAPI: automatically generated API docs", "fastapi", need=("api-docs",)),
    row(
        CG_TODAY,
        "Django: quickly build a full-featured web application",
        "django",
        kind="web-app",
        need=("fast-delivery",),
    ),
    row(CG_TODAY, "Django: built-in admin backend", "django", need=("admin",)),
    row(CG_TODAY, "Django: security compliance first", "django", need=("compliance",)),
    row(CG_TODAY, "Django: team has Django experience", "django", team="django"),
    row(CG_TODAY, "Flask: an MVP or prototype", "flask", kind="prototype"),
    row(CG_TODAY, "Flask: small with clear requirements", "flask", scale="small"),
    row(CG_TODAY, "Flask: maximum flexibility and control", "flask", need=("flexibility",)),
    row(CG_TODAY, "Flask: team prefers simple tools", "flask", team="flask"),
    # seeds/004 "Project type -> Recommended framework", all 5 rows.
    row(BC_TABLE, "Large monolithic web application", "django", kind="web-app", scale="large"),
    # The seeds split on microservices; this row is kept by reading "small services" as scale.
    row(BC_TABLE, "Microservices and small services", "flask", kind="microservice", scale="small"),
    row(BC_TABLE, "High-performance REST API", "fastapi", kind="api", need=("high-concurrency",)),
    row(BC_TABLE, "Real-time and async applications", "fastapi", kind="realtime", need=("async",)),
    row(BC_TABLE, "Rapid prototyping", "flask", kind="prototype"),
    # seeds/004 "When to choose Django / Flask / FastAPI"
    row(
        BC_DJANGO,
        "large web apps needing auth, admin, ORM",
        "django",
        kind="web-app",
        need=("auth", "admin", "orm"),
        scale="large",
    ),
    row(BC_DJANGO, "enterprise systems", "django", kind="enterprise"),
    row(BC_DJANGO, "content management platforms", "django", kind="cms"),
    row(BC_DJANGO, "large e-commerce projects", "django", kind="ecommerce", scale="large"),
    row(BC_FLASK, "smaller applications", "flask", scale="small"),
    row(BC_FLASK, "microservices (small)", "flask", kind="microservice", scale="small"),
    row(BC_FLASK, "flexibility over built-in functionality", "flask", need=("flexibility",)),
    row(BC_FLASK, "startups, prototypes", "flask", kind="prototype"),
    row(BC_FASTAPI, "modern API-driven applications", "fastapi", kind="api"),
    row(BC_FASTAPI, "microservices", "fastapi", kind="microservice"),
    row(BC_FASTAPI, "high performance and scalability", "fastapi", need=("high-concurrency",)),
    row(BC_FASTAPI, "heavily asynchronous processing", "fastapi", need=("async",)),
    row(BC_FASTAPI, "real-time communication", "fastapi", kind="realtime"),
    row(BC_FASTAPI, "integration with frontends and mobile apps", "fastapi", kind="api"),
]


@pytest.mark.parametrize(("source", "needs", "expected"), SEED_ROWS)
def test_seed_row(matrix: Matrix, source: str, needs: Needs, expected: str) -> None:
    recommendation = recommend(needs, matrix)
    assert recommendation.framework == expected, dict(recommendation.scores)
    assert source in cited(expected, recommendation, matrix)


# seeds/003 (Expert Analysis) "When NOT to use": the framework to avoid must not win.
@pytest.mark.parametrize(
    ("needs", "avoided"),
    [
        pytest.param(
            Needs(kind="api", scale="small"), "django", id="avoid Django for small, simple APIs"
        ),
        pytest.param(
            Needs(needs=frozenset({"admin", "compliance"}), scale="large"),
            "flask",
            id="avoid Flask for large projects needing built-in security and admin",
        ),
        pytest.param(
            Needs(kind="web-app", needs=frozenset({"templates"})),
            "fastapi",
            id="avoid FastAPI for a traditional multi-page website",
        ),
    ],
)
def test_expert_analysis_when_not_to_use(matrix: Matrix, needs: Needs, avoided: str) -> None:
    assert recommend(needs, matrix).framework != avoided


# --- Where the seeds disagree ----------------------------------------------------------------


def test_microservices_go_to_fastapi_and_say_what_was_traded(matrix: Matrix) -> None:
    """Frameworks Guide, Better Stack, Choosing in 2026 (and Backend Comparison's own FastAPI
    section) say FastAPI; Backend Comparison's table says Flask. FastAPI wins, Flask is the close
    runner-up, and the reason says what was traded and cites both sides."""
    recommendation = recommend(Needs(kind="microservice"), matrix)
    assert (recommendation.framework, recommendation.runner_up) == ("fastapi", "flask")
    assert recommendation.scores["fastapi"] - recommendation.scores["flask"] == 1
    because = recommendation.reasons[0].because
    assert "seeds split" in because
    assert "traded" in because
    assert "Frameworks Guide: Quick Decision Matrix" in because
    assert "Project type table" in because


def test_new_team_weighs_the_learning_curve(matrix: Matrix) -> None:
    """Frameworks Guide puts "teams with varying experience levels" under Django; four seeds say
    Flask is the easiest to learn. A team new to all three leans to Flask, and says so."""
    recommendation = recommend(Needs(team="new"), matrix)
    assert recommendation.framework == "flask"
    (reason,) = [r for r in recommendation.reasons if r.weight]
    assert "traded away" in reason.because
    assert "Frameworks Guide: Choose Django when" in reason.because


def test_rapid_work_splits_prototype_from_delivery(matrix: Matrix) -> None:
    """ "Rapid prototyping" is Flask's in four seeds, "rapid development" Django's: a prototype is
    Flask, a complete app delivered fast is Django, and an MVP built on an admin is Django."""
    assert recommend(Needs(kind="prototype"), matrix).framework == "flask"
    assert recommend(Needs(needs=frozenset({"fast-delivery"})), matrix).framework == "django"
    assert recommend(Needs(kind="prototype", needs={"admin"}), matrix).framework == "django"


# --- Mixed cases -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needs", "expected"),
    [
        # An API that is really a data back office: Django's admin, ORM and auth outweigh the
        # kind.
        (Needs(kind="api", needs=frozenset({"admin", "orm", "auth"})), "django"),
        # A CMS that also wants OpenAPI docs stays Django (with DRF suggested).
        (Needs(kind="cms", needs=frozenset({"api-docs"})), "django"),
        # An internal tool that needs an admin: Django's admin is the back office.
        (Needs(kind="internal-tool", needs=frozenset({"admin"})), "django"),
        # A prototype whose point is typed, documented endpoints.
        (Needs(kind="prototype", needs=frozenset({"api-docs", "type-safety"})), "fastapi"),
        # A small server-rendered site: Django can be overkill.
        (Needs(kind="web-app", scale="small"), "flask"),
        # Real-time plus high concurrency, even for a team that knows Django.
        (
            Needs(kind="realtime", needs=frozenset({"high-concurrency"}), team="django"),
            "fastapi",
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else words(value),
)
def test_mixed_needs(matrix: Matrix, needs: Needs, expected: str) -> None:
    assert recommend(needs, matrix).framework == expected


@pytest.mark.parametrize(
    ("kind", "need", "team", "expected"),
    [
        ("cms", ("admin",), "flask", "django"),
        ("cms", (), "fastapi", "django"),
        ("ml-serving", (), "django", "fastapi"),
        ("realtime", (), "flask", "fastapi"),
        ("learning", (), "django", "flask"),
        ("enterprise", ("compliance",), "flask", "django"),
    ],
)
def test_team_does_not_override_a_strong_fit(
    matrix: Matrix, kind: str, need: tuple[str, ...], team: str, expected: str
) -> None:
    recommendation = recommend(Needs(kind=kind, needs=frozenset(need), team=team), matrix)
    assert recommendation.framework == expected
    # The team's experience still counted, and the cost of not using it is spelled out.
    assert any(r.framework == team and r.weight > 0 for r in recommendation.reasons)
    notes = [r.because for r in recommendation.reasons if r.weight == 0]
    assert any(f"the team knows {team}, but {expected}" in n for n in notes)
    assert any("would have to learn" in n for n in notes)


def test_cms_with_admin_for_a_flask_team_names_what_to_learn(matrix: Matrix) -> None:
    recommendation = recommend(Needs(kind="cms", needs={"admin"}, team="flask"), matrix)
    assert recommendation.framework == "django"
    assert recommendation.reasons[-1].framework == "django"
    assert recommendation.reasons[-1].weight == 0
    assert "Django's conventions" in recommendation.reasons[-1].because


@pytest.mark.parametrize(
    ("kind", "team", "without", "with_team"),
    [
        ("microservice", "flask", "fastapi", "flask"),
        ("api", "flask", "fastapi", "flask"),
        ("web-app", "flask", "django", "flask"),
        ("prototype", "django", "flask", "django"),
        ("internal-tool", "django", "flask", "django"),
    ],
)
def test_team_tips_a_close_call(
    matrix: Matrix, kind: str, team: str, without: str, with_team: str
) -> None:
    assert recommend(Needs(kind=kind), matrix).framework == without
    assert recommend(Needs(kind=kind, team=team), matrix).framework == with_team


def test_a_tie_goes_to_the_team_and_says_so(matrix: Matrix) -> None:
    recommendation = recommend(Needs(kind="internal-tool", team="django"), matrix)
    assert recommendation.scores["django"] == recommendation.scores["flask"]
    assert recommendation.framework == "django"
    assert recommendation.reasons[-1].weight == 0
    assert "tie at 4 between django, flask" in recommendation.reasons[-1].because
    assert "the team already knows it" in recommendation.reasons[-1].because


def test_other_ties_follow_the_matrix_framework_order_and_say_so(matrix: Matrix) -> None:
    recommendation = recommend(Needs(kind="api", team="new"), matrix)
    assert recommendation.scores["fastapi"] == recommendation.scores["flask"]
    assert (recommendation.framework, recommendation.runner_up) == ("fastapi", "flask")
    assert "matrix's framework order (django, fastapi, flask)" in recommendation.reasons[-1].because


def test_no_inputs_gives_an_explained_default(matrix: Matrix) -> None:
    recommendation = recommend(Needs(), matrix)
    assert recommendation.framework == "django"
    assert recommendation.runner_up == "fastapi"
    assert dict(recommendation.scores) == {"django": 1, "fastapi": 0, "flask": 0}
    first = recommendation.reasons[0]
    assert (first.framework, first.weight) == ("django", 1)
    assert first.because.startswith("nothing said about the project yet")
    # fastapi and flask tie at 0: the runner-up's tie-break is stated too.
    assert "fastapi is the runner-up" in recommendation.reasons[1].because


def test_reasons_add_up_to_the_scores(matrix: Matrix) -> None:
    for words in [Needs(), *(p.values[1] for p in SEED_ROWS)]:
        recommendation = recommend(words, matrix)  # type: ignore[arg-type]
        for framework, score in recommendation.scores.items():
            moved = sum(r.weight for r in recommendation.reasons if r.framework == framework)
            assert moved == score


def test_reasons_follow_the_input_order(matrix: Matrix) -> None:
    needs = Needs(kind="api", needs={"websockets", "admin"}, team="django", scale="large")
    lines = [r.because for r in recommend(needs, matrix).reasons]
    starts = ["an API", "an admin interface", "WebSockets", "the team already knows Django"]
    starts.append("a large application")
    positions = [next(i for i, line in enumerate(lines) if line.startswith(s)) for s in starts]
    assert positions == sorted(positions)
    # Within one rule, the framework it favours most comes first.
    assert [r.framework for r in recommend(Needs(kind="prototype"), matrix).reasons] == [
        "flask",
        "django",
    ]


# --- An organisation's bonus ----------------------------------------------------------------

BONUS_BECAUSE = "your organisation's pyframe configuration weighs it up (/org/pyframe.toml:3)"


def with_bonus(matrix: Matrix, **weights: int) -> Matrix:
    """The matrix as ``scaffold.config.matrix_for`` builds it: a bonus rule without sources."""
    return dataclasses.replace(matrix, bonus=Rule(MappingProxyType(weights), BONUS_BECAUSE, ()))


def test_a_matrix_file_has_no_bonus(matrix: Matrix) -> None:
    assert matrix.bonus is None


def test_a_bonus_decides_a_close_call_and_touches_nothing_else(matrix: Matrix) -> None:
    needs = Needs(kind="api")
    plain = recommend(needs, matrix)
    assert (plain.framework, dict(plain.scores)) == (
        "fastapi",
        {"django": 0, "fastapi": 4, "flask": 3},
    )
    boosted = recommend(needs, with_bonus(matrix, flask=2))
    assert (boosted.framework, boosted.runner_up) == ("flask", "fastapi")
    assert dict(boosted.scores) == {"django": 0, "fastapi": 4, "flask": 5}
    # The answers' reasons are unchanged and come first; the bonus is one more, uncited, line.
    assert boosted.reasons[: len(plain.reasons)] == plain.reasons
    assert boosted.reasons[len(plain.reasons) :] == (Reason("flask", 2, BONUS_BECAUSE),)


def test_a_bonus_does_not_override_a_strong_fit(matrix: Matrix) -> None:
    recommendation = recommend(Needs(kind="cms", needs={"admin"}), with_bonus(matrix, fastapi=3))
    assert recommendation.framework == "django"
    assert Reason("fastapi", 3, BONUS_BECAUSE) in recommendation.reasons


def test_a_bonus_applies_with_no_inputs_after_the_default(matrix: Matrix) -> None:
    recommendation = recommend(Needs(), with_bonus(matrix, fastapi=3))
    assert recommendation.framework == "fastapi"
    assert dict(recommendation.scores) == {"django": 1, "fastapi": 3, "flask": 0}
    default, bonus = recommendation.reasons[:2]
    assert (default.framework, default.weight) == ("django", 1)
    assert default.because.startswith("nothing said about the project yet")
    assert bonus == Reason("fastapi", 3, BONUS_BECAUSE)


def test_a_tie_made_by_a_bonus_is_still_explained(matrix: Matrix) -> None:
    recommendation = recommend(Needs(kind="api"), with_bonus(matrix, flask=1))
    assert recommendation.scores["fastapi"] == recommendation.scores["flask"] == 4
    assert recommendation.framework == "fastapi"
    bonus, tie = recommendation.reasons[-2:]
    assert bonus == Reason("flask", 1, BONUS_BECAUSE)
    assert "tie at 4 between fastapi, flask" in tie.because


def test_bonus_reasons_add_up_to_the_scores(matrix: Matrix) -> None:
    boosted = with_bonus(matrix, django=-1, flask=2)
    for needs in [Needs(), Needs(kind="api", team="django"), Needs(needs={"admin"})]:
        recommendation = recommend(needs, boosted)
        for framework, score in recommendation.scores.items():
            moved = sum(r.weight for r in recommendation.reasons if r.framework == framework)
            assert moved == score


def test_a_rule_without_sources_reads_without_a_citation() -> None:
    assert Rule(MappingProxyType({"flask": 1}), "why", ()).reason == "why"
    assert Rule(MappingProxyType({"flask": 1}), "why", ("A: x", "A: y")).reason == "why (A: x, y)"


# --- Checking words --------------------------------------------------------------------------

ISSUE_VOCABULARY = {
    "kind": (
        "api",
        "web-app",
        "cms",
        "ecommerce",
        "microservice",
        "ml-serving",
        "realtime",
        "prototype",
        "internal-tool",
        "learning",
        "enterprise",
    ),
    "need": (
        "admin",
        "auth",
        "orm",
        "async",
        "websockets",
        "api-docs",
        "type-safety",
        "high-concurrency",
        "background-jobs",
        "compliance",
        "flexibility",
        "fast-delivery",
        "templates",
    ),
    "team": ("django", "fastapi", "flask", "new"),
    "scale": ("small", "medium", "large"),
}


def test_vocabulary_is_exactly_the_issue_words(matrix: Matrix) -> None:
    assert dict(matrix.vocabulary) == ISSUE_VOCABULARY
    assert matrix.frameworks == ("django", "fastapi", "flask")
    for dimension, words in ISSUE_VOCABULARY.items():
        assert tuple(matrix.descriptions[dimension]) == words
        assert all(matrix.descriptions[dimension][word].strip() for word in words)


def test_every_word_has_a_cited_one_line_rule(matrix: Matrix) -> None:
    for dimension, words in ISSUE_VOCABULARY.items():
        assert set(matrix.rules[dimension]) == set(words), dimension
    rules = [matrix.default, *(rule for words in matrix.rules.values() for rule in words.values())]
    for rule in rules:
        assert "\n" not in rule.reason
        assert rule.sources
        assert all(source.split(": ")[0] in matrix.sources for source in rule.sources)


def test_check_needs_message_names_the_flag_and_lists_the_words(matrix: Matrix) -> None:
    with pytest.raises(PyframeError) as caught:
        check_needs(Needs(kind="blog"), matrix)
    assert caught.value.text(FLAGS) == (
        "unknown --kind 'blog': choose one of api, web-app, cms, ecommerce, microservice, "
        "ml-serving, realtime, prototype, internal-tool, learning, enterprise"
    )


@pytest.mark.parametrize(
    ("needs", "flag", "word", "dimension"),
    [
        (Needs(kind="API"), "--kind", "API", "kind"),
        (Needs(needs={"admin", "graphql"}), "--need", "graphql", "need"),
        (Needs(team="rails"), "--team", "rails", "team"),
        (Needs(scale="huge"), "--scale", "huge", "scale"),
        (Needs(kind=""), "--kind", "", "kind"),
    ],
)
def test_unknown_words_are_refused(
    matrix: Matrix, needs: Needs, flag: str, word: str, dimension: str
) -> None:
    expected = f"unknown {flag} {word!r}: choose one of {', '.join(ISSUE_VOCABULARY[dimension])}"
    with pytest.raises(PyframeError) as caught:
        check_needs(needs, matrix)
    assert caught.value.text(FLAGS) == expected
    assert caught.value.message == expected.replace(flag, dimension)  # no flag outside the CLI
    with pytest.raises(PyframeError) as caught:
        recommend(needs, matrix)
    assert caught.value.text(FLAGS) == expected


def test_known_words_pass(matrix: Matrix) -> None:
    check_needs(Needs(kind="api", needs=set(ISSUE_VOCABULARY["need"]), team="new"), matrix)


def test_needs_must_be_a_collection_not_one_word() -> None:
    with pytest.raises(TypeError):
        Needs(needs="admin")  # type: ignore[arg-type]


# --- The JSON shape and determinism ----------------------------------------------------------


def test_to_dict_is_exactly_the_json_shape(matrix: Matrix) -> None:
    needs = Needs(kind="api", needs=["auth", "admin"], team="flask", scale="large")
    data = recommend(needs, matrix).to_dict()
    assert list(data) == ["framework", "runner_up", "scores", "reasons", "inputs"]
    assert data["framework"] in matrix.frameworks
    assert data["runner_up"] in matrix.frameworks
    assert data["runner_up"] != data["framework"]
    assert data["scores"] == {"django": 7, "fastapi": 6, "flask": 5}
    assert data["inputs"] == {
        "kind": "api",
        "needs": ["admin", "auth"],
        "team": "flask",
        "scale": "large",
    }
    assert isinstance(data["reasons"], list)
    for reason in data["reasons"]:
        assert list(reason) == ["framework", "weight", "because"]
        assert isinstance(reason["weight"], int)
        assert isinstance(reason["because"], str)
        assert "\n" not in reason["because"]
    assert json.loads(json.dumps(data)) == data


def test_to_dict_with_no_inputs_lists_every_input_as_null(matrix: Matrix) -> None:
    data = recommend(Needs(), matrix).to_dict()
    assert data["inputs"] == {"kind": None, "needs": [], "team": None, "scale": None}
    assert data["scores"] == {"django": 1, "fastapi": 0, "flask": 0}


def test_recommend_is_deterministic(matrix: Matrix) -> None:
    words = ["websockets", "admin", "auth", "async", "templates"]
    first = recommend(Needs(kind="web-app", needs=words, team="fastapi"), matrix)
    again = recommend(Needs(kind="web-app", needs=reversed(words), team="fastapi"), matrix)
    assert first == again
    assert first.to_dict() == again.to_dict()
    assert recommend(Needs(kind="web-app", needs=words, team="fastapi"), load_matrix()) == first


def test_recommend_does_no_io(matrix: Matrix, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("recommend must not do I/O")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(resources, "files", refuse)
    recommend(Needs(kind="api", needs={"background-jobs"}, team="django"), matrix)
    suggested_answers(Needs(needs={"background-jobs"}), "django", matrix)


# --- Loading ---------------------------------------------------------------------------------

MINIMAL = """\
[matrix]
frameworks = ["django", "fastapi", "flask"]

[sources]
Seed = "an article"

[vocabulary]
kind = { api = "an API", cms = "a CMS" }
need = { admin = "an admin" }
team = { flask = "knows Flask" }
scale = { small = "small" }

[default]
django = 1
because = "a default"
source = ["Seed: Top"]

[rules.kind.api]
fastapi = 2
flask = 1
because = "APIs"
source = ["Seed: Table"]
"""


def write(tmp_path: Path, text: str, name: str = "org-matrix.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_organisation_matrix_file_is_used(tmp_path: Path) -> None:
    matrix = load_matrix(write(tmp_path, MINIMAL))
    assert matrix.vocabulary["kind"] == ("api", "cms")
    recommendation = recommend(Needs(kind="api"), matrix)
    assert recommendation.framework == "fastapi"
    assert recommendation.reasons[0].because == "APIs (Seed: Table)"
    assert suggested_answers(Needs(kind="api"), "flask", matrix) == {}
    # A declared word without a rule is valid and neutral: the tie-break explains the pick.
    neutral = recommend(Needs(kind="cms"), matrix)
    assert neutral.framework == "django"
    assert "tie at 0" in neutral.reasons[0].because


def test_built_in_matrix_is_read_as_a_package_resource(matrix: Matrix) -> None:
    on_disk = REPO / "scaffold" / "matrix.toml"
    assert load_matrix(on_disk) == matrix


def test_toml_syntax_error_gives_file_line_and_column(tmp_path: Path) -> None:
    text = MINIMAL.replace("fastapi = 2", "fastapi = ")
    path = write(tmp_path, text)
    line = text.splitlines().index("fastapi = ") + 1
    with pytest.raises(PyframeError) as caught:
        load_matrix(path)
    message = caught.value.message
    assert "\n" not in message
    assert re.fullmatch(rf"{re.escape(str(path))}:{line}: invalid TOML: .+ \(column \d+\)", message)


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "fastapi = 2",
            "pyramid = 2",
            "[rules.kind.api]: unknown key 'pyramid' (expected django, fastapi, flask, because, "
            "source)",
            id="unknown framework in a rule",
        ),
        pytest.param(
            "[rules.kind.api]",
            "[rules.kind.blog]",
            "[rules.kind.blog]: 'blog' is not a declared kind word (declared: api, cms)",
            id="rule on an undeclared word",
        ),
        pytest.param(
            "[rules.kind.api]",
            "[rules.size.api]",
            "[rules]: unknown key 'size' (expected kind, need, team, scale)",
            id="rule on an undeclared dimension",
        ),
        pytest.param(
            "fastapi = 2",
            'fastapi = "2"',
            "[rules.kind.api]: weight for 'fastapi' must be an integer, got '2'",
            id="weight is a string",
        ),
        pytest.param(
            "fastapi = 2",
            "fastapi = 2.5",
            "[rules.kind.api]: weight for 'fastapi' must be an integer, got 2.5",
            id="weight is a float",
        ),
        pytest.param(
            "fastapi = 2",
            "fastapi = true",
            "[rules.kind.api]: weight for 'fastapi' must be an integer, got True",
            id="weight is a boolean",
        ),
        pytest.param(
            "fastapi = 2\nflask = 1",
            "fastapi = 0",
            "[rules.kind.api]: expected a non-zero weight for at least one of django, fastapi, "
            "flask",
            id="no weight at all",
        ),
        pytest.param(
            'because = "APIs"\n',
            "",
            "[rules.kind.api]: missing key 'because'",
            id="missing reason",
        ),
        pytest.param(
            'because = "APIs"',
            'because = """two\nlines"""',
            "[rules.kind.api] because: expected a non-empty one-line string",
            id="reason on two lines",
        ),
        pytest.param(
            'source = ["Seed: Table"]',
            "",
            "[rules.kind.api]: missing 'source'",
            id="missing source",
        ),
        pytest.param(
            '"Seed: Table"',
            '"Other: Table"',
            "[rules.kind.api] source: 'Other: Table' cites 'Other', which [sources] does not "
            "declare (declared: Seed)",
            id="source cites an undeclared seed",
        ),
        pytest.param(
            '"Seed: Table"',
            '"Seed"',
            "[rules.kind.api] source: 'Seed' is not '<label>: <section>'",
            id="source without a section",
        ),
        pytest.param(
            "[default]\ndjango = 1",
            "[defaults]\ndjango = 1",
            "top level: unknown key 'defaults'",
            id="unknown top-level key",
        ),
        pytest.param(
            'frameworks = ["django", "fastapi", "flask"]',
            'frameworks = ["django", "fastapi", "flask"]\ntie_break = "flask"',
            "[matrix]: unknown key 'tie_break' (expected frameworks)",
            id="unknown key in [matrix]",
        ),
        pytest.param(
            'scale = { small = "small" }\n',
            "",
            "[vocabulary]: missing key 'scale'",
            id="vocabulary without a dimension",
        ),
        pytest.param(
            'frameworks = ["django", "fastapi", "flask"]',
            'frameworks = ["django"]',
            "[matrix] frameworks: expected at least two different framework names",
            id="a single framework",
        ),
        pytest.param(
            "[rules.kind.api]",
            '[learn.pyramid]\nwhat = "x"\nsource = ["Seed: A"]\n\n[rules.kind.api]',
            "[learn.pyramid]: unknown framework 'pyramid' (expected django, fastapi, flask)",
            id="learn names an unknown framework",
        ),
        pytest.param(
            "[rules.kind.api]",
            '[suggest.kind.api]\nflask = { flavour = ["api"] }\n\n[rules.kind.api]',
            "[suggest.kind.api] flask: answer to 'flavour' must be a string, boolean or integer",
            id="suggested answer of the wrong type",
        ),
        pytest.param(
            "[rules.kind.api]",
            '[suggest.kind.api]\npyramid = { flavour = "api" }\n\n[rules.kind.api]',
            "[suggest.kind.api]: unknown key 'pyramid' (expected django, fastapi, flask)",
            id="suggestion for an unknown framework",
        ),
        pytest.param(
            "[rules.kind.api]",
            '[suggest.need.graphql]\nflask = { flavour = "api" }\n\n[rules.kind.api]',
            "[suggest.need.graphql]: 'graphql' is not a declared need word (declared: admin)",
            id="suggestion on an undeclared word",
        ),
    ],
)
def test_malformed_matrix_gives_one_line_with_file_and_place(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in MINIMAL
    path = write(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(PyframeError) as caught:
        load_matrix(path)
    message = caught.value.message
    assert "\n" not in message
    assert message.startswith(f"{path}: {expected}")


def test_missing_matrix_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    with pytest.raises(PyframeError) as caught:
        load_matrix(path)
    assert caught.value.message.startswith(f"{path}: cannot read the matrix file: ")
    assert "\n" not in caught.value.message


def test_matrix_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(MINIMAL.replace("an article", "caf\xe9").encode("latin-1"))
    with pytest.raises(PyframeError, match=r"latin1\.toml:5: not UTF-8 text"):
        load_matrix(path)


# --- Template answers ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needs", "framework", "expected"),
    [
        (Needs(needs={"websockets"}), "fastapi", {"websockets": True}),
        (Needs(needs={"websockets"}), "django", {"websockets": True}),
        (Needs(kind="realtime"), "django", {"websockets": True}),
        (Needs(needs={"websockets"}), "flask", {}),
        (Needs(kind="realtime"), "fastapi", {"websockets": True}),
        (
            Needs(needs={"background-jobs"}),
            "django",
            {"background_jobs": "celery", "cache": "redis"},
        ),
        (Needs(needs={"background-jobs"}), "fastapi", {"background_jobs": "celery"}),
        (Needs(needs={"background-jobs"}), "flask", {"background_jobs": "celery"}),
        (Needs(needs={"async"}), "django", {"asgi": True}),
        (Needs(needs={"async"}), "fastapi", {}),
        (Needs(needs={"admin"}), "flask", {"flavour": "web", "admin": "flask-admin"}),
        (Needs(needs={"admin"}), "django", {}),
        (Needs(needs={"auth"}), "fastapi", {"auth": "jwt"}),
        (Needs(kind="api"), "flask", {"flavour": "api"}),
        (Needs(kind="api"), "django", {"api": "drf"}),
        (Needs(kind="microservice"), "flask", {"flavour": "api"}),
        (Needs(kind="microservice"), "django", {"api": "drf"}),
        (Needs(needs={"api-docs"}), "django", {"api": "drf"}),
        (Needs(scale="large"), "django", {"database": "postgresql"}),
        (Needs(scale="large"), "fastapi", {"database": "postgresql"}),
        (Needs(scale="large"), "flask", {"database": "postgresql"}),
        # Flask-Admin needs the web flavour, which --kind api ruled out: admin is skipped whole.
        (Needs(kind="api", needs={"admin"}), "flask", {"flavour": "api"}),
        (
            Needs(kind="cms", needs={"background-jobs", "async"}, team="flask", scale="large"),
            "django",
            {"asgi": True, "background_jobs": "celery", "cache": "redis", "database": "postgresql"},
        ),
        (Needs(), "django", {}),
    ],
    ids=lambda value: words(value) if isinstance(value, Needs) else None,
)
def test_suggested_answers(
    matrix: Matrix, needs: Needs, framework: str, expected: dict[str, object]
) -> None:
    assert suggested_answers(needs, framework, matrix) == expected


def test_suggested_answers_refuse_unknown_framework_and_words(matrix: Matrix) -> None:
    with pytest.raises(PyframeError) as caught:
        suggested_answers(Needs(), "pyramid", matrix)
    assert caught.value.text(FLAGS) == (
        "unknown --framework 'pyramid': choose one of django, fastapi, flask"
    )
    with pytest.raises(PyframeError, match=r"^unknown need 'graphql': choose one of admin, "):
        suggested_answers(Needs(needs={"graphql"}), "django", matrix)


def _template_questions(framework: str) -> dict[str, dict[str, object]]:
    path = REPO / "templates" / framework / "copier.yml"
    if not path.is_file():
        pytest.skip(f"{path} is not in this checkout")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("_")}


@pytest.mark.parametrize("framework", ["django", "fastapi", "flask"])
def test_suggestions_are_valid_answers_to_the_built_in_templates(
    matrix: Matrix, framework: str
) -> None:
    """Every suggested question exists in that framework's copier.yml with that value allowed, so
    `pyframe new --need ...` can never hand Copier an answer it refuses."""
    questions = _template_questions(framework)
    for words in matrix.suggestions.values():
        for per_framework in words.values():
            for question, answer in per_framework.get(framework, {}).items():
                assert question in questions, (framework, question)
                spec = questions[question]
                if spec.get("type") == "bool":
                    assert isinstance(answer, bool), (framework, question, answer)
                else:
                    choices = spec["choices"]
                    allowed = list(choices.values()) if isinstance(choices, dict) else choices
                    assert answer in allowed, (framework, question, answer, allowed)


def test_what_a_person_needs_beats_what_the_team_knows_on_a_tie(matrix: Matrix) -> None:
    needs = Needs(kind="microservice", needs={"high-concurrency"}, team="flask", scale="small")
    result = recommend(needs, matrix)
    assert result.scores["fastapi"] == result.scores["flask"]  # the issue's tie
    assert result.framework == "fastapi" and result.runner_up == "flask"
    [note] = [r for r in result.reasons if r.because.startswith("tie at")]
    assert "what you need weighs more for it" in note.because
    learn = [r for r in result.reasons if r.because.startswith("the team knows flask")]
    assert learn and "they would have to learn" in learn[0].because


def test_the_team_still_breaks_a_tie_the_needs_leave(matrix: Matrix) -> None:
    result = recommend(Needs(kind="microservice", team="flask", scale="small"), matrix)
    if result.scores["fastapi"] == result.scores["flask"]:
        assert result.framework == "flask"
        assert any("the team already knows it" in r.because for r in result.reasons)
