"""The golden files, and the checker that keeps them consistent with their source texts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from command_line import invoke
from paths import GOLDENS

from harness.errors import ConfigError, GoldenError, json_path
from harness.goldens import GoldenIssue, load_golden
from harness.goldens.check import check_goldens

ESPER_CALL = "000_16f2693d727d1e4c"  # the one-contact golden: contacts[0] is Esper's call to Bajwa

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture
def broken(tmp_path: Path) -> Callable[[Edit], Path]:
    """Copy the Esper golden and its text into tmp_path, apply one edit to the JSON, return the golden's path."""

    def make(edit: Edit) -> Path:
        shutil.copy(GOLDENS / f"{ESPER_CALL}.txt", tmp_path)
        data = json.loads((GOLDENS / f"{ESPER_CALL}.json").read_text(encoding="utf-8"))
        edit(data)
        golden = tmp_path / f"{ESPER_CALL}.json"
        golden.write_text(json.dumps(data, indent=2), encoding="utf-8")
        return golden

    return make


def issues_of(golden: Path) -> list[GoldenIssue]:
    return check_goldens(golden.parent)[golden]


def only_issue(golden: Path) -> GoldenIssue:
    issues = issues_of(golden)
    assert len(issues) == 1, issues
    return issues[0]


def test_the_five_goldens_pass_the_check() -> None:
    results = check_goldens(GOLDENS)
    assert len(results) == 5
    assert {file: issues for file, issues in results.items() if issues} == {}


def test_every_golden_loads_with_its_doc_id_as_file_stem() -> None:
    for file in sorted(GOLDENS.glob("*.json")):
        assert load_golden(file).doc_id == file.stem


def test_json_path_renders_pydantic_locations() -> None:
    assert json_path(("contacts", 1, "evidence", 0, "start")) == "contacts[1].evidence[0].start"
    assert json_path(()) == "$"


def test_a_shifted_offset_names_the_evidence(broken: Callable[[Edit], Path]) -> None:
    def shift(data: dict[str, Any]) -> None:
        data["contacts"][0]["evidence"][0]["start"] += 1
        data["contacts"][0]["evidence"][0]["end"] += 1

    issue = only_issue(broken(shift))
    assert issue.path == "contacts[0].evidence[0]"
    assert "not the quote" in issue.message
    assert str(issue).startswith(f"{issue.file}: contacts[0].evidence[0]: ")


def test_a_quote_not_in_the_text_is_reported(broken: Callable[[Edit], Path]) -> None:
    def invent(data: dict[str, Any]) -> None:
        data["contacts"][0]["evidence"][1] = {"quote": "Esper telephoned the moon", "start": None, "end": None}

    issue = only_issue(broken(invent))
    assert issue.path == "contacts[0].evidence[1]"
    assert "does not occur verbatim" in issue.message


def test_a_name_must_occur_itself_or_through_an_alias(broken: Callable[[Edit], Path]) -> None:
    def rename(data: dict[str, Any]) -> None:
        data["actors"][0].update(name="Mark Esperanto", aliases=[])

    issue = only_issue(broken(rename))
    assert issue.path == "actors[0].name"
    assert "Mark Esperanto" in issue.message


def test_malformed_json_is_reported_with_its_line(tmp_path: Path) -> None:
    shutil.copy(GOLDENS / f"{ESPER_CALL}.txt", tmp_path)
    golden = tmp_path / f"{ESPER_CALL}.json"
    golden.write_text('{\n  "doc_id": "x",\n  "actors": [\n}\n', encoding="utf-8")
    issue = only_issue(golden)
    assert (issue.path, issue.line) == ("$", 4)
    assert str(issue).startswith(f"{golden}:4: $: invalid JSON")


def test_load_golden_raises_on_malformed_json_naming_file_line_and_column(tmp_path: Path) -> None:
    golden = tmp_path / "bad.json"
    golden.write_text('{"doc_id": "bad",\n "actors": [1,, 2]}', encoding="utf-8")
    with pytest.raises(GoldenError, match=r"bad\.json:2: invalid JSON: .*\(column 15\)"):
        load_golden(golden)


def test_load_golden_raises_on_schema_errors_naming_each_path(broken: Callable[[Edit], Path]) -> None:
    golden = broken(lambda data: data["contacts"][0]["evidence"][0].update(start=-1))
    with pytest.raises(GoldenError, match=r"contacts\[0\]\.evidence\[0\]\.start: ") as raised:
        load_golden(golden)
    assert str(golden) in str(raised.value)


def test_published_must_agree_with_the_date_marker(broken: Callable[[Edit], Path]) -> None:
    def republish(data: dict[str, Any]) -> None:
        data["published"] = "2020-01-09"
        data["contacts"][0].update(date=None, date_text=None)  # keep the date checks out of this test

    issue = only_issue(broken(republish))
    assert issue.path == "published"
    assert "2020-01-08" in issue.message


def test_a_date_after_publication_is_reported(broken: Callable[[Edit], Path]) -> None:
    issues = issues_of(broken(lambda data: data["contacts"][0].update(date="2020-01-09")))
    assert any(issue.path == "contacts[0].date" and "after the publication date" in issue.message for issue in issues)


def test_a_golden_without_its_text_is_reported(broken: Callable[[Edit], Path]) -> None:
    golden = broken(lambda data: None)
    golden.with_suffix(".txt").unlink()
    issue = only_issue(golden)
    assert issue.path == "$"
    assert "missing" in issue.message


def test_a_folder_without_goldens_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no golden files"):
        check_goldens(tmp_path)


def test_cli_check_exits_0_on_the_real_goldens() -> None:
    result = invoke("goldens", "check", str(GOLDENS))
    assert result.exit_code == 0, result.output
    assert "5 golden file(s), no errors" in result.output


def test_cli_check_prints_each_error_and_exits_1(broken: Callable[[Edit], Path]) -> None:
    golden = broken(lambda data: data["contacts"][0].update(initiator="ghafoor"))
    result = invoke("goldens", "check", str(golden.parent))
    assert result.exit_code == 1
    assert f"{golden}: contacts[0]: initiator 'ghafoor'" in result.output
    assert "1 error(s) in 1 of 1 golden file(s)" in result.output


def test_the_harness_command_exits_1_on_an_error_and_0_on_the_real_goldens(broken: Callable[[Edit], Path]) -> None:
    golden = broken(lambda data: data["contacts"][0].update(initiator="ghafoor"))
    command = [sys.executable, "-m", "harness", "goldens", "check"]
    failing = subprocess.run([*command, str(golden.parent)], capture_output=True, text=True, check=False)
    passing = subprocess.run([*command, str(GOLDENS)], capture_output=True, text=True, check=False)
    assert (failing.returncode, passing.returncode) == (1, 0), failing.stderr + passing.stderr
    assert f"{golden}: contacts[0]: " in failing.stdout


def test_the_harness_command_exits_2_on_a_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    result = subprocess.run(
        [sys.executable, "-m", "harness", "goldens", "check", str(missing)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert f"{missing}: no such folder of goldens" in result.stderr


def _set(where: str, **values: Any) -> Edit:
    """An edit that updates the object at ``where`` (keys and indexes joined by dots; empty: the root)."""

    def edit(data: dict[str, Any]) -> None:
        target: Any = data
        for step in filter(None, where.split(".")):
            target = target[int(step)] if step.isdigit() else target[step]
        target.update(values)

    return edit


ONE_FAULT = {
    "quote-without-offsets": (_set("contacts.0.evidence.1", start=None, end=None), "contacts[0].evidence[1].start", ""),
    "initiator-outside-participants": (
        _set("contacts.0", initiator="ghafoor"),
        "contacts[0]",
        "'ghafoor' is not one of the participants",
    ),
    "schema-error-json-path": (_set("contacts.0.evidence.0", start="early"), "contacts[0].evidence[0].start", ""),
    "doc-id-not-file-stem": (_set("", doc_id="000_other"), "doc_id", ""),
    "date-disagrees-with-date-text": (_set("contacts.0", date="2020-01-01"), "contacts[0].date", "2020-01-08"),
    "date-the-text-cannot-give": (_set("contacts.0", date_text=None), "contacts[0].date", "cannot be derived"),
    "resolvable-date-text-without-date": (_set("contacts.0", date=None), "contacts[0].date", "date is null"),
    "alias-not-in-text": (lambda data: data["actors"][1]["aliases"].append("Bajwah"), "actors[1]", "Bajwah"),
}
"""Edits that each break one value of the Esper golden: the issue's JSON path and a fragment of its message."""


@pytest.mark.parametrize(("edit", "path", "fragment"), ONE_FAULT.values(), ids=ONE_FAULT.keys())
def test_one_faulty_value_is_one_issue_at_its_json_path(
    broken: Callable[[Edit], Path], edit: Edit, path: str, fragment: str
) -> None:
    issue = only_issue(broken(edit))
    assert issue.path == path
    assert fragment in issue.message
