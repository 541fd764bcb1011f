"""python -m engine.grouping solve ...: one JSON object, or one line on bad input."""

import itertools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.grouping import evaluate, read_mdgplib

from .test_grouping_exact import MDGPLIB

README = Path(__file__).resolve().parents[3] / "engine" / "grouping" / "README.md"


def run(*args):
    return subprocess.run(
        [sys.executable, "-m", "engine.grouping", "solve", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def example_json() -> str:
    text = README.read_text()
    return text.split("```json\n", 1)[1].split("```", 1)[0]


def test_an_mdgplib_file_gives_one_json_answer():
    path = MDGPLIB / "RanInt_n030_ss_01.txt"
    done = run(str(path), "--format", "mdgplib", "--time-limit", "5", "--max-iterations", "50")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert set(answer) == {"objective", "groups", "feasible", "elapsed_s", "explanation"}
    assert answer["feasible"] is True
    assert sorted(i for g in answer["groups"] for i in g) == list(range(30))
    assert answer["objective"] == pytest.approx(evaluate(read_mdgplib(path), answer["groups"]))


def test_the_documented_json_example_solves(tmp_path):
    path = tmp_path / "programme.json"
    path.write_text(example_json())
    done = run(str(path), "--format", "json", "--time-limit", "5", "--seed", "3")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["feasible"] is True
    assert not any({"ann", "bob"} <= set(g) for g in answer["groups"])
    assert any("eva" in g for g in answer["groups"][:1])


def test_infeasible_rules_give_an_explanation(tmp_path):
    data = json.loads(example_json())
    data["cannot_link"] = [
        {"a": a, "b": b, "reason": "not_with"}
        for a, b in itertools.combinations(["ann", "cas", "dirk", "gus"], 2)
    ]  # four people pairwise apart, but only three groups
    path = tmp_path / "programme.json"
    path.write_text(json.dumps(data))
    done = run(str(path), "--format", "json")
    answer = json.loads(done.stdout)
    assert answer["feasible"] is False
    assert answer["groups"] == []
    assert answer["explanation"][0]["rule"] == "cannot_link"


@pytest.mark.parametrize(
    ("content", "fmt", "message"),
    [
        (None, "mdgplib", "cannot read"),
        ("4 2 ss 2 2 2 2\n0 1 3.0\n", "mdgplib", "must list 6 pairs"),
        ("3 2 ss 2 2 2 2\n0 1 1\n0 2 1\n1 2 1\n", "mdgplib", "at least 4 people"),
        ("3 2 ss 2 2\n0 1 1\n0 2 1\n1 2 1\n", "mdgplib", "bound values"),
        ("{not json", "json", "not valid JSON"),
        ('{"people": [{"id": 1}], "groups": {"size": [2, 3]}}', "json", "cannot be split"),
    ],
)
def test_bad_input_exits_with_one_line_and_no_traceback(tmp_path, content, fmt, message):
    path = tmp_path / "input.txt"
    if content is not None:
        path.write_text(content)
    done = run(str(path), "--format", fmt)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert message in done.stderr
