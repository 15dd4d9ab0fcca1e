import pytest

from scaffold.errors import PyframeError
from scaffold.names import package_name, validate_package_name, validate_project_name

#: Pure logic, no rendering: the fast tier (``pytest -m fast``).
pytestmark = pytest.mark.fast


@pytest.mark.parametrize(
    ("project", "package"),
    [
        ("my-service", "my_service"),
        ("My-Service", "my_service"),
        ("api2", "api2"),
        ("billing_api", "billing_api"),
        ("a--b", "a__b"),
        ("app", "app"),
    ],
)
def test_package_name_is_derived(project, package):
    assert package_name(project) == package
    assert validate_project_name(project) == package


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("class", "keyword"),
        ("match", "keyword"),
        ("test", "standard library"),
        ("email", "standard library"),
        ("json", "standard library"),
        ("django", "shadow a library"),
        ("flask", "shadow a library"),
        ("fastapi", "shadow a library"),
        ("config", "shadow a library or folder"),
        ("1service", "start with a digit"),
        ("../evil", "not a path"),
        ("a/b", "not a path"),
        ("a\\b", "not a path"),
        ("my service", "letters, digits"),
        ("café", "letters, digits"),
        ("-x", "must not start with '-'"),
        ("my.service", "letters, digits"),
    ],
)
def test_bad_project_names_are_refused_with_a_reason(name, fragment):
    with pytest.raises(PyframeError) as info:
        validate_project_name(name)
    assert fragment in info.value.message
    assert "\n" not in info.value.message


def test_package_name_must_be_lowercase_identifier():
    with pytest.raises(PyframeError, match="lowercase"):
        validate_package_name("MyPkg")
    with pytest.raises(PyframeError, match="identifier"):
        validate_package_name("my-pkg")
    assert validate_package_name("my_pkg") == "my_pkg"


#: Names the four package-name rules used to disagree on (issue 14); now one answer each.
PROBES = {
    "argparse": False,
    "app": True,
    "match": False,
    "type": False,
    "_x": False,
    "django": False,
    "zoneinfo": False,
    "items": True,
    "sqlite3": False,
    "celery": False,
}


@pytest.mark.parametrize(("name", "accepted"), PROBES.items())
def test_one_package_rule_answers_each_probe(name, accepted):
    try:
        validate_package_name(name)
    except PyframeError:
        assert not accepted, f"{name} should be accepted"
    else:
        assert accepted, f"{name} should be refused"
