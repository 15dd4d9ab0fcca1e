"""The recommender never sells what the skeleton lacks (issue 15).

For every framework and every need of the vocabulary, the project rendered with the answers
that need suggests implements it (the matrix names the file that does), or the recommendation's
reasons say plainly what the project will not have and what to add.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scaffold.config import load_config
from scaffold.core import choose, create
from scaffold.matrix import Needs, gaps, load_matrix, recommend, suggested_answers

MATRIX = load_matrix()
PAIRS = [(fw, need) for fw in MATRIX.frameworks for need in MATRIX.vocabulary["need"]]


def test_every_pair_says_what_the_skeleton_gives():
    missing = [
        pair
        for pair in PAIRS
        if pair[1] not in MATRIX.skeleton or pair[0] not in MATRIX.skeleton[pair[1]]
    ]
    assert missing == []


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """One render per distinct (framework, answers), shared by the pairs that need it."""
    cache: dict[tuple[str, tuple[tuple[str, object], ...]], Path] = {}

    def render(framework: str, answers: dict[str, object]) -> Path:
        key = (framework, tuple(sorted(answers.items())))
        if key not in cache:
            output = tmp_path_factory.mktemp(framework) / "promise"
            choice = choose(Needs(), load_config(None), framework=framework)
            create(choice, "promise", load_config(None), output=output, data=answers)
            cache[key] = output
        return cache[key]

    return render


@pytest.mark.parametrize(("framework", "need"), PAIRS, ids=[f"{f}-{n}" for f, n in PAIRS])
def test_the_project_has_the_need_or_the_reasons_say_it_does_not(rendered, framework, need):
    provision = MATRIX.skeleton[need][framework]
    needs = Needs(needs={need})
    if provision.has:
        project = rendered(framework, suggested_answers(needs, framework, MATRIX))
        path = project / provision.has.format(package="promise")
        assert path.is_file(), f"{framework} with {need} renders no {provision.has}"
        assert provision.contains in path.read_text()
        assert gaps(needs, framework, MATRIX) == ()
        return
    [note] = gaps(needs, framework, MATRIX)
    assert note.because == f"you need {need}, but the {framework} skeleton has {provision.lacks}"
    assert "add" in provision.lacks or "replacing" in provision.lacks  # what to do about it
    if recommend(needs, MATRIX).framework == framework:
        assert note in recommend(needs, MATRIX).reasons
    assert note in choose(needs, load_config(None), framework=framework).gaps


def test_a_cms_that_needs_websockets_is_told_what_its_skeleton_gives():
    result = recommend(Needs(kind="cms", needs={"websockets"}), MATRIX)
    provision = MATRIX.skeleton["websockets"][result.framework]
    notes = [r.because for r in result.reasons if "you need websockets" in r.because]
    assert bool(notes) == bool(provision.lacks)
