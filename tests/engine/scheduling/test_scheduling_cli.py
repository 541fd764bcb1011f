"""The CLI prints one JSON object, and bad input gets one line and a non-zero exit."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from engine.scheduling.__main__ import main

ROOT = Path(__file__).resolve().parents[3]
README = ROOT / "engine" / "scheduling" / "README.md"


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "engine.scheduling", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def readme_example() -> dict:
    block = re.search(r"### Input\s+```json\n(.*?)```", README.read_text(), re.S)
    return json.loads(block.group(1))


def test_the_readme_example_is_planned_and_printed_as_json(tmp_path):
    path = tmp_path / "programme.json"
    path.write_text(json.dumps(readme_example()))
    done = run("solve", str(path), "--time-limit", "10", "--seed", "2")
    assert done.returncode == 0, done.stderr
    output = json.loads(done.stdout)
    assert output["feasible"] is True
    assert output["status"] in ("optimal", "feasible")
    assert {p["group"]: len(p["meetings"]) for p in output["plans"]} == {"g1": 4, "g2": 5, "g3": 4}
    first = output["plans"][0]["meetings"][0]
    assert set(first) == {"index", "date", "start", "end", "location", "room"}
    assert first["room"] in ("utrecht-1", "utrecht-2")
    for key in ("objective", "best_bound", "gap", "elapsed_s", "explanation", "answer_counts"):
        assert key in output


def test_an_infeasible_problem_prints_json_with_the_reason_and_exits_1():
    data = readme_example()
    data["meeting_count"] = 12
    done = run("solve", "-", "--time-limit", "10", stdin=json.dumps(data))
    assert done.returncode == 1
    output = json.loads(done.stdout)
    assert output["feasible"] is False
    assert any("12 meetings at least 21 days apart" in line for line in output["explanation"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[]", "input: expected an object"),
        ('{"window": {"start": "2027-01-04", "end": "2027-02-01"}, "groups": []}', "start_times"),
        (
            '{"window": {"start": "2027-13-04", "end": "2027-02-01"}, "start_times": [], '
            '"groups": []}',
            "window.start: expected a date",
        ),
        (
            '{"window": {"start": "2027-01-04", "end": "2027-02-01"}, "start_times": ["9h"], '
            '"groups": []}',
            "start_times[0]: expected a time",
        ),
        (
            '{"window": {"start": "2027-01-04", "end": "2027-02-01"}, "start_times": ["09:00"], '
            '"groups": [{"id": "g", "members": ["a"], "colour": "red"}]}',
            "groups[0]: unknown key 'colour'",
        ),
        (
            '{"window": {"start": "2027-01-04", "end": "2027-02-01"}, "start_times": ["09:00"], '
            '"groups": [{"id": "g", "members": ["a"]}], "min_gap_days": 9, "max_gap_days": 3}',
            "max_gap_days 3 is smaller than min_gap_days 9",
        ),
        (
            '{"window": {"start": "2027-01-04", "end": "2027-02-01"}, "start_times": ["09:00"], '
            '"groups": [], "answers": [{"person": "a", "date": "2027-01-05", "answer": "maybe"}]}',
            "answers[0].answer: expected one of yes, if_need_be, no",
        ),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(tmp_path, capsys, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert main(["solve", str(path), "--time-limit", "5"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("solve", "/nonexistent/programme.json", "--time-limit", "5"),
        ("solve", "x.json"),
        ("solve", "x.json", "--time-limit", "soon"),
        ("solve", "x.json", "--time-limit", "0"),
        ("plan",),
        (),
    ],
)
def test_usage_errors_get_one_line_and_exit_2(capsys, args):
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    assert code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.strip().splitlines()) == 1


def test_a_real_process_reports_bad_input_without_a_traceback(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"window": {"start": "2027-01-04", "end": "2027-02-01"}, "groups": []}')
    for args in (("solve", str(path), "--time-limit", "5"), ("solve", str(path))):
        done = run(*args)
        assert done.returncode == 2
        assert done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1
        assert "Traceback" not in done.stderr


def test_the_engine_imports_without_django():
    code = (
        "import sys, engine.scheduling, engine.scheduling.__main__; "
        "assert 'django' not in sys.modules, 'django was imported'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
