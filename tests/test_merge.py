"""``harness merge``: the run folders of shards merged into one, refused where they cannot be one run."""

from __future__ import annotations

from pathlib import Path

from command_line import invoke
from run_folders import ledger, perfect_articles, with_contact_changed, write_run

from harness.errors import ConfigError
from harness.run.results import RESULTS_FILE, read_manifest, read_results
from schemas import Article, ContactMode


def refusal(*arguments: str | Path) -> str:
    """The ``ConfigError`` (exit code 2 from the ``harness`` command) that ``harness ARGUMENTS`` raised."""
    result = invoke(*arguments)
    assert isinstance(result.exception, ConfigError), result.output
    return str(result.exception)


def halves(articles: dict[str, Article]) -> tuple[dict[str, Article], dict[str, Article]]:
    ids = sorted(articles)
    middle = len(ids) // 2
    return {i: articles[i] for i in ids[:middle]}, {i: articles[i] for i in ids[middle:]}


def test_two_shards_merge_into_one_folder_holding_every_record_with_totals_counted_again(tmp_path: Path) -> None:
    articles = perfect_articles()
    first, second = halves(articles)
    result = invoke("merge", tmp_path / "all", write_run(tmp_path / "s1", first), write_run(tmp_path / "s2", second))
    assert result.exit_code == 0, result.output
    merged = read_results(tmp_path / "all" / RESULTS_FILE)
    assert {doc_id: record.article for doc_id, record in merged.items()} == articles
    manifest = read_manifest(tmp_path / "all")
    assert manifest is not None
    assert (manifest.totals.documents, manifest.totals.ok, manifest.ledger) == (len(articles), len(articles), ledger())


def test_a_document_answered_the_same_in_two_folders_is_kept_once(tmp_path: Path) -> None:
    articles = perfect_articles()
    first, second = halves(articles)
    overlap = next(iter(second))
    folders = [write_run(tmp_path / "s1", first | {overlap: articles[overlap]}), write_run(tmp_path / "s2", second)]
    result = invoke("merge", tmp_path / "all", *folders)
    assert result.exit_code == 0, result.output
    assert "1 found the same in two folders, kept once" in result.output
    assert len((tmp_path / "all" / RESULTS_FILE).read_text(encoding="utf-8").splitlines()) == len(articles)


def test_a_document_answered_differently_in_two_folders_is_refused_naming_both(tmp_path: Path) -> None:
    articles = perfect_articles()
    doc_id = next(doc for doc, article in articles.items() if article.contacts)
    changed = with_contact_changed(articles, doc_id, 0, mode=ContactMode.CORRESPONDENCE)
    s1, s2 = write_run(tmp_path / "s1", articles), write_run(tmp_path / "s2", {doc_id: changed[doc_id]})
    error = refusal("merge", tmp_path / "all", s1, s2)
    assert f"{s2}: document {doc_id!r} has a different answer here than in {s1}" in error
    assert not (tmp_path / "all" / RESULTS_FILE).exists()


def test_folders_made_under_another_prompt_are_refused_naming_the_folder_and_field(tmp_path: Path) -> None:
    first, second = halves(perfect_articles())
    s1 = write_run(tmp_path / "s1", first)
    s2 = write_run(tmp_path / "s2", second, ledger(prompt_ref="extract@v2"))
    error = refusal("merge", tmp_path / "all", s1, s2)
    assert (
        f"{s2}: was made under a different prompt_ref (prompt_ref was 'extract@v1', now 'extract@v2') than {s1}"
        in error
    )


def test_a_folder_that_is_not_a_run_is_refused_naming_it(tmp_path: Path) -> None:
    s1 = write_run(tmp_path / "s1", perfect_articles())
    empty = tmp_path / "empty"
    empty.mkdir()
    assert f"{empty}: not a run folder" in refusal("merge", tmp_path / "all", s1, empty)


def test_harness_bench_runs_the_suite_of_the_checkout_with_its_arguments() -> None:
    result = invoke("bench", "--only", "99", "--no-write")
    assert result.exit_code == 0, result.output
    assert "| figure | value | target | met |" in result.output
