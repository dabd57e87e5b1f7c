"""Reading predictions and goldens: every way they can be given, and errors that name the file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from harness.errors import ConfigError, GoldenError, PredictionError
from harness.goldens import load_golden_set
from harness.scoring import score_run
from harness.scoring.loading import load_predictions

from .builders import DOC_ID, TEXT, golden_data, prediction, prediction_data


def ok_line(doc_id: str = DOC_ID, **extra: Any) -> str:
    article = prediction(prediction_data() | {"doc_id": doc_id}).model_dump(mode="json")
    return json.dumps({"doc_id": doc_id, "status": "ok", "article": article, "attempts": 1, **extra})


def failed_line(doc_id: str) -> str:
    return json.dumps({"doc_id": doc_id, "status": "failed", "article": None, "error": "the model gave up"})


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "goldens"
    folder.mkdir()
    for doc_id in (DOC_ID, "doc_b"):
        (folder / f"{doc_id}.json").write_text(json.dumps(golden_data() | {"doc_id": doc_id}, default=str), "utf-8")
        (folder / f"{doc_id}.txt").write_text(TEXT, encoding="utf-8")
    return folder


class TestResultsJsonl:
    def test_ok_records_give_their_articles(self, tmp_path: Path) -> None:
        predictions = load_predictions(write_lines(tmp_path / "results.jsonl", ok_line()))
        assert predictions == {DOC_ID: prediction()}

    def test_a_failed_record_is_an_empty_prediction(self, tmp_path: Path) -> None:
        predictions = load_predictions(write_lines(tmp_path / "results.jsonl", ok_line(), failed_line("doc_b")))
        assert predictions["doc_b"] is None

    def test_a_failed_document_scores_as_empty(self, tmp_path: Path, gold_dir: Path) -> None:
        predictions = load_predictions(write_lines(tmp_path / "results.jsonl", ok_line(), failed_line("doc_b")))
        corpus = load_golden_set(gold_dir)
        run = score_run(predictions, corpus.goldens, corpus.texts)
        assert run.document(DOC_ID).to_flat_dict()["contacts.detection.recall"] == 1.0
        assert run.document("doc_b").predicted is False
        assert run.document("doc_b").to_flat_dict()["contacts.detection.recall"] == 0.0

    def test_the_last_record_of_a_document_wins(self, tmp_path: Path) -> None:
        predictions = load_predictions(write_lines(tmp_path / "results.jsonl", failed_line(DOC_ID), ok_line()))
        assert predictions[DOC_ID] == prediction()

    def test_a_torn_last_line_of_a_killed_job_is_skipped(self, tmp_path: Path) -> None:
        path = tmp_path / "results.jsonl"
        path.write_text(ok_line() + "\n" + failed_line("doc_b")[:25], encoding="utf-8")
        assert list(load_predictions(path)) == [DOC_ID]

    def test_a_run_folder_is_read_through_its_results_file(self, tmp_path: Path) -> None:
        write_lines(tmp_path / "results.jsonl", ok_line())
        (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
        assert list(load_predictions(tmp_path)) == [DOC_ID]

    def test_a_malformed_record_names_file_and_line(self, tmp_path: Path) -> None:
        path = write_lines(tmp_path / "results.jsonl", ok_line(), '{"doc_id": "doc_b", "status": "maybe"}')
        with pytest.raises(PredictionError, match=r"results\.jsonl:2: not a result record: status: ") as raised:
            load_predictions(path)
        assert (raised.value.path, raised.value.line) == (path, 2)

    def test_invalid_json_names_file_and_line(self, tmp_path: Path) -> None:
        path = write_lines(tmp_path / "results.jsonl", ok_line(), "", '{"doc_id": "doc_b",')
        with pytest.raises(PredictionError, match=r"results\.jsonl:3: not a result record: \$: Invalid JSON"):
            load_predictions(path)

    def test_an_invalid_article_names_the_field(self, tmp_path: Path) -> None:
        line = json.loads(ok_line())
        line["article"]["contacts"][0]["mode"] = "telepathy"
        path = write_lines(tmp_path / "results.jsonl", json.dumps(line))
        with pytest.raises(PredictionError, match=r":1: not a result record: article\.contacts\[0\]\.mode: "):
            load_predictions(path)

    def test_an_article_filed_under_another_doc_id_is_refused(self, tmp_path: Path) -> None:
        line = json.loads(ok_line())
        line["doc_id"] = "doc_b"
        with pytest.raises(
            PredictionError, match=r":1: not a result record: \$: Value error, the article's doc_id 'doc_a' differs"
        ):
            load_predictions(write_lines(tmp_path / "results.jsonl", json.dumps(line)))


class TestArticleFolder:
    def test_each_json_file_is_the_article_of_its_stem(self, tmp_path: Path) -> None:
        (tmp_path / f"{DOC_ID}.json").write_text(prediction().model_dump_json(), encoding="utf-8")
        assert load_predictions(tmp_path) == {DOC_ID: prediction()}

    def test_a_file_whose_doc_id_differs_from_its_name_is_refused(self, tmp_path: Path) -> None:
        (tmp_path / "other.json").write_text(prediction().model_dump_json(), encoding="utf-8")
        with pytest.raises(PredictionError, match=r"other\.json: doc_id 'doc_a' differs"):
            load_predictions(tmp_path)

    def test_malformed_json_names_file_and_line(self, tmp_path: Path) -> None:
        (tmp_path / f"{DOC_ID}.json").write_text('{\n  "doc_id": "doc_a",\n  "actors": [,]\n}', encoding="utf-8")
        with pytest.raises(PredictionError, match=r"doc_a\.json:3: invalid JSON"):
            load_predictions(tmp_path)

    def test_a_folder_without_predictions_is_an_error(self, tmp_path: Path) -> None:
        with pytest.raises(PredictionError, match="no predictions here"):
            load_predictions(tmp_path)

    def test_a_missing_path_is_an_error(self, tmp_path: Path) -> None:
        with pytest.raises(PredictionError, match="no such file or folder"):
            load_predictions(tmp_path / "absent")


class TestGoldens:
    def test_goldens_and_their_texts_are_keyed_by_doc_id(self, gold_dir: Path) -> None:
        corpus = load_golden_set(gold_dir)
        assert sorted(corpus.goldens) == sorted(corpus.texts) == ["doc_a", "doc_b"]
        assert corpus.texts[DOC_ID] == TEXT

    def test_a_malformed_golden_names_the_file(self, gold_dir: Path) -> None:
        broken = gold_dir / "doc_b.json"
        data = json.loads(broken.read_text(encoding="utf-8"))
        data["contacts"][0]["participants"] = ["berg"]
        broken.write_text(json.dumps(data), encoding="utf-8")
        with pytest.raises(GoldenError, match=r"(?s)doc_b\.json: .*contacts\[0\]\.participants") as raised:
            load_golden_set(gold_dir)
        assert raised.value.path == broken

    def test_a_golden_without_its_text_names_the_file(self, gold_dir: Path) -> None:
        (gold_dir / "doc_b.txt").unlink()
        with pytest.raises(GoldenError, match=r"doc_b\.json: its source text doc_b\.txt is missing"):
            load_golden_set(gold_dir)

    def test_a_golden_filed_under_another_name_is_refused(self, gold_dir: Path) -> None:
        (gold_dir / "doc_b.json").rename(gold_dir / "doc_c.json")
        (gold_dir / "doc_b.txt").rename(gold_dir / "doc_c.txt")
        with pytest.raises(GoldenError, match=r"doc_c\.json: doc_id 'doc_b' differs"):
            load_golden_set(gold_dir)

    def test_a_folder_without_goldens_is_a_configuration_error(self, tmp_path: Path) -> None:
        with pytest.raises(ConfigError, match="no golden files"):
            load_golden_set(tmp_path)
