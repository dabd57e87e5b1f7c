"""Versioned prompt files: loading, listing, rendering, identity, and what a prompt may not say."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from command_line import invoke
from paths import GOLDENS, PROMPTS

from harness.documents import Document
from harness.errors import ConfigError
from harness.prompts import list_prompts, load_prompt

DOCUMENT = Document(id="doc_a", text="Anna Berg met Carl Dahl.", published=dt.date(2024, 3, 6), headline="Talks")

PROMPT_FILE = """---
description: a test prompt
notes: first line
  and its continuation
---
{% block system %}Extract. Modes: {{ modes | join(", ") }}.{% endblock %}
{% block user %}{{ document.published }} {{ document.id }}: {{ document.text }}{% endblock %}
"""


def write_prompt(root: Path, name: str, version: str, content: str = PROMPT_FILE) -> Path:
    path = root / name / f"{version}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write_prompt(tmp_path, "extract", "v1")
    write_prompt(tmp_path, "extract", "v2")
    write_prompt(tmp_path, "extract", "v10")
    write_prompt(tmp_path, "summary", "v1")
    return tmp_path


class TestLoading:
    def test_a_ref_names_prompt_and_version(self, root: Path) -> None:
        prompt = load_prompt("extract@v2", root)
        assert (prompt.name, prompt.version, prompt.ref) == ("extract", "v2", "extract@v2")
        assert prompt.path == root / "extract" / "v2.md"

    def test_a_bare_name_gives_the_highest_version_numerically(self, root: Path) -> None:
        assert load_prompt("extract", root).version == "v10"

    def test_front_matter_gives_description_and_notes(self, root: Path) -> None:
        prompt = load_prompt("extract@v1", root)
        assert (prompt.description, prompt.notes) == ("a test prompt", "first line and its continuation")

    def test_list_gives_every_version_by_name_then_version(self, root: Path) -> None:
        assert [p.ref for p in list_prompts(root)] == ["extract@v1", "extract@v2", "extract@v10", "summary@v1"]

    def test_the_environment_variable_chooses_the_default_folder(
        self, root: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("HARNESS_PROMPTS_DIR", str(root))
        assert load_prompt("summary").path == root / "summary" / "v1.md"

    def test_the_default_folder_is_the_projects_prompts_dir_setting(
        self, root: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("HARNESS_PROMPTS_DIR", raising=False)
        project = tmp_path_factory.mktemp("project")
        (project / "harness.toml").write_text(f'prompts_dir = "{root.as_posix()}"\n', encoding="utf-8")
        monkeypatch.chdir(project)
        assert load_prompt("summary").path == root / "summary" / "v1.md"

    def test_outside_any_project_the_default_folder_is_the_built_in_one(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.delenv("HARNESS_PROMPTS_DIR", raising=False)
        monkeypatch.chdir(tmp_path)
        assert load_prompt("extract@v1").path == PROMPTS / "extract" / "v1.md"


class TestErrors:
    def test_an_unknown_name_lists_the_prompts(self, root: Path) -> None:
        with pytest.raises(ConfigError, match="unknown prompt 'summarise'; available: extract, summary"):
            load_prompt("summarise@v1", root)

    def test_an_unknown_version_lists_the_versions(self, root: Path) -> None:
        with pytest.raises(ConfigError, match="no version 'v3'; available: extract@v1, extract@v2, extract@v10"):
            load_prompt("extract@v3", root)

    def test_a_missing_folder_is_named(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="no such prompts folder"):
            load_prompt("extract", tmp_path / "absent")

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            pytest.param(
                "---\nnotes: x\n---\n{% block system %}{% endblock %}",
                "needs a 'description:' line",
                id="no-description",
            ),
            pytest.param(
                "---\ndescription: x\nauthor: y\n---\n", r"v1\.md:3: front matter lines are", id="unknown-key"
            ),
            pytest.param(
                "---\ndescription: x\n---\n{% block system %}\n{{ oops \n",
                r"v1\.md:\d+: template syntax",
                id="syntax-error",
            ),
            pytest.param(
                "---\ndescription: x\n---\n{% block system %}s{% endblock %}\n",
                r"lacks the block\(s\) \['user'\]",
                id="missing-block",
            ),
        ],
    )
    def test_a_malformed_prompt_file_is_refused_naming_what_is_wrong(
        self, tmp_path: Path, content: str, message: str
    ) -> None:
        write_prompt(tmp_path, "bad", "v1", content)
        with pytest.raises(ConfigError, match=message):
            load_prompt("bad", tmp_path)

    def test_an_undefined_variable_is_an_error_not_an_empty_string(self, tmp_path: Path) -> None:
        body = "{% block system %}{{ nonsense }}{% endblock %}{% block user %}u{% endblock %}"
        write_prompt(tmp_path, "bad", "v1", f"---\ndescription: x\n---\n{body}")
        with pytest.raises(ConfigError, match="undefined variable: 'nonsense' is undefined"):
            load_prompt("bad", tmp_path).render(DOCUMENT)


class TestRendering:
    def test_render_gives_a_system_then_a_user_message(self, root: Path) -> None:
        messages = load_prompt("extract@v1", root).render(DOCUMENT)
        assert [m["role"] for m in messages] == ["system", "user"]
        assert messages[0]["content"].startswith("Extract. Modes: phone_call, video_call, meeting")
        assert messages[1]["content"] == "2024-03-06 doc_a: Anna Berg met Carl Dahl."

    def test_an_unknown_publication_date_renders_as_unknown(self, root: Path) -> None:
        undated = Document(id="doc_b", text="Text.")
        assert load_prompt("extract@v1", root).render(undated)[1]["content"] == "unknown doc_b: Text."

    def test_the_repository_prompt_sends_the_article_verbatim(self) -> None:
        system, user = load_prompt("extract@v1").render(DOCUMENT)
        assert system["content"] and DOCUMENT.text in user["content"]


class TestIdentity:
    def test_sha256_is_stable_across_loads(self, root: Path) -> None:
        assert load_prompt("extract@v1", root).sha256 == load_prompt("extract@v1", root).sha256

    def test_sha256_changes_when_the_file_changes(self, root: Path) -> None:
        before = load_prompt("extract@v1", root).sha256
        path = root / "extract" / "v1.md"
        path.write_text(path.read_text(encoding="utf-8").replace("first line", "first  line"), encoding="utf-8")
        assert load_prompt("extract@v1", root).sha256 != before


COMMON_WORDS = frozenset({"The", "As", "In", "On", "He", "We", "With", "During", "Both", "According", "Earlier"})
"""Capitalised in the articles only because they start a sentence."""
CAPITALISED_WORD = re.compile(r"\b[A-Z][\w'\u2019-]+")
"""Two characters or more: single capitals are initials or the prompt's placeholder actors (A, B, C)."""


def test_no_prompt_names_anything_from_the_golden_articles() -> None:
    golden_words = set()
    for article in GOLDENS.glob("*.txt"):
        golden_words |= set(CAPITALISED_WORD.findall(article.read_text(encoding="utf-8")))
    assert len(golden_words) > 100  # the articles were read
    forbidden = golden_words - COMMON_WORDS
    for prompt_file in sorted(PROMPTS.glob("*/*.md")):
        named = sorted(forbidden & set(CAPITALISED_WORD.findall(prompt_file.read_text(encoding="utf-8"))))
        assert named == [], f"{prompt_file} names {named}"


def test_cli_lists_prompts_with_a_short_sha(root: Path) -> None:
    result = invoke("prompts", "list", "--root", str(root))
    assert result.exit_code == 0, result.output
    sha = load_prompt("summary@v1", root).sha256
    assert "summary" in result.output and sha[:12] in result.output and sha[:13] not in result.output
