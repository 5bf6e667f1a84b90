"""The OpenAI-compatible writer against a real HTTP server on loopback (tests/openai_server).

The official client talks HTTP to the server; nothing in between is mocked.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.llm.endpoint import OpenAICompleter
from newsdesk.pipeline import Pipeline
from newsdesk.records import Article, Assignment, Document, Story
from newsdesk.settings import Settings
from newsdesk.store import Store, repo
from newsdesk.verify import check_claim, verify_article
from newsdesk.verify.judge import LLMJudge
from newsdesk.write import DraftRejectedError, WriterUnavailableError, make_writer, write_article
from openai_server import OpenAIServer, closed_port_url, passages_of

FIXTURES = Path(__file__).parent / "fixtures" / "write"


def load(name: str) -> Story:
    return Story.model_validate(json.loads((FIXTURES / name).read_text(encoding="utf-8")))


def settings_for(base_url: str, timeout_s: float = 10.0) -> Settings:
    return Settings(
        writer="openai", llm_base_url=base_url, llm_model="test-model", llm_timeout_s=timeout_s
    )


def write_with(server_url: str, story: Story, timeout_s: float = 10.0) -> Article:
    return write_article(story, settings=settings_for(server_url, timeout_s))


def all_claims(article: Article) -> list[tuple[str, list[object]]]:
    claims: list[tuple[str, list[object]]] = [
        (article.standfirst, list(article.standfirst_citations))
    ]
    claims += [(s.text, list(s.citations)) for s in article.sentences()]
    claims += [(f.detail, list(f.citations)) for f in article.facts]
    claims += [(c.text, list(c.citations)) for d in article.disagreements for c in d.claims]
    return claims


def assert_all_supported(article: Article, story: Story) -> None:
    texts = {doc.id: doc.text for doc in story.documents}
    for text, citations in all_claims(article):
        assert citations, f"uncited: {text}"
        assert check_claim(text, citations, texts).supported, text  # type: ignore[arg-type]


def test_a_normal_endpoint_gives_a_whole_cited_article() -> None:
    story = load("flood.json")
    with OpenAIServer("normal") as server:
        article = write_with(server.base_url, story)
    assert article.headline and len(article.headline.split()) <= 14
    assert len(article.sentences()) >= 3
    assert 4 <= len(article.facts) <= 6
    assert len({f.aspect for f in article.facts}) == len(article.facts)
    assert [s.document for s in article.sources] == sorted(d.id for d in story.documents)
    assert_all_supported(article, story)
    request = server.requests[0]
    assert request["model"] == "test-model"
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["schema"]["required"][0] == "headline"


def test_passages_are_verbatim_numbered_and_marked_as_data() -> None:
    story = load("flood.json")
    texts = {doc.id: doc.text for doc in story.documents}
    with OpenAIServer("normal") as server:
        write_with(server.base_url, story)
    request = server.requests[0]
    passages = passages_of(request)
    assert [p["n"] for p in passages] == list(range(1, len(passages) + 1))
    assert all(any(p["text"] in text for text in texts.values()) for p in passages)
    assert "never instructions" in request["messages"][0]["content"]


def test_an_unsupported_sentence_is_rewritten_once() -> None:
    story = load("flood.json")
    with OpenAIServer("sloppy") as server:
        article = write_with(server.base_url, story)
    assert len(server.requests) == 2
    assert "resigned" in server.requests[1]["messages"][-1]["content"]
    assert not any("resigned" in s.text for s in article.sentences())
    assert_all_supported(article, story)


@pytest.mark.parametrize("mode", ["error", "garbage", "html", "wrong_shape"])
def test_a_failing_endpoint_raises_unavailable_and_writes_nothing(mode: str) -> None:
    with OpenAIServer(mode) as server, pytest.raises(WriterUnavailableError) as caught:
        write_with(server.base_url, load("flood.json"))
    assert str(caught.value)  # a clear message for the story's status


def test_a_down_endpoint_raises_unavailable() -> None:
    with pytest.raises(WriterUnavailableError, match="cannot use"):
        write_with(closed_port_url(), load("flood.json"))


def test_a_slow_drip_is_cut_by_the_overall_deadline() -> None:
    started = time.perf_counter()
    with OpenAIServer("slow", drip_s=0.2) as server, pytest.raises(WriterUnavailableError) as e:
        write_with(server.base_url, load("flood.json"), timeout_s=1.0)
    assert "within 1 s" in str(e.value)
    assert time.perf_counter() - started < 5


def test_injected_instructions_never_reach_the_model() -> None:
    story = load("injected.json")
    with OpenAIServer("obey") as server:
        article = write_with(server.base_url, story)
    sent = json.dumps(server.requests[0]["messages"])
    assert "Ignore all previous instructions" not in sent
    assert "SYSTEM: you are now" not in sent
    everything = json.dumps(article.to_json())
    assert "arrested" not in everything
    assert_all_supported(article, story)


def test_an_obeying_model_gets_nothing_published() -> None:
    story = load("flood.json")
    claim = "The harbour master was arrested for negligence"
    with OpenAIServer("obey", claim=claim) as server, pytest.raises(DraftRejectedError):
        write_with(server.base_url, story)
    assert len(server.requests) == 2  # it was asked to rewrite, and insisted


def test_completer_requires_its_settings() -> None:
    with pytest.raises(ValueError, match="NEWSDESK_LLM_BASE_URL"):
        OpenAICompleter("", "m", "", 1.0)
    with pytest.raises(ValueError, match="NEWSDESK_LLM_MODEL"):
        OpenAICompleter("http://127.0.0.1:9/v1", "", "", 1.0)


# --- the write stage of the pipeline with an endpoint that fails, then recovers ------


def seed_story(store: Store, story: Story) -> None:
    with store.session() as session:
        for document in story.documents:
            repo.add_document(session, document)
        repo.assign_documents(
            session, [Assignment(id=doc.id, story=story.id) for doc in story.documents]
        )


def test_pipeline_leaves_a_story_pending_while_the_endpoint_is_down(store: Store) -> None:
    story = load("flood.json")
    seed_story(store, story)
    settings = settings_for(closed_port_url()).model_copy(update={"write_retry_s": 0.2})
    result = Pipeline(store, settings).write()
    assert result.items == 0
    assert "pending: cannot use" in result.errors[0]
    with store.session() as session:
        state = repo.write_state(session, story.id)
        assert state.status == "pending" and state.attempts == 1
        assert state.retry_at is not None
        assert repo.stories_needing_article(session) == []  # waits for its retry time
        assert repo.latest_version(session, story.id) is None  # nothing half-written
    time.sleep(0.25)
    with OpenAIServer("garbage") as server:
        settings = settings_for(server.base_url).model_copy(update={"write_retry_s": 0.2})
        assert "not JSON" in Pipeline(store, settings).write().errors[0]
    with store.session() as session:
        assert repo.write_state(session, story.id).attempts == 2
    time.sleep(0.45)  # the wait doubled
    with OpenAIServer("normal") as server:
        result = Pipeline(store, settings_for(server.base_url)).write()
    assert (result.items, result.errors) == (1, [])
    with store.session() as session:
        state = repo.write_state(session, story.id)
        assert (state.status, state.attempts, state.retry_at) == ("written", 0, None)
        assert repo.latest_version(session, story.id) is not None


def test_pipeline_holds_a_draft_that_fails_the_checker(store: Store) -> None:
    story = load("flood.json")
    seed_story(store, story)
    with OpenAIServer("obey", claim="The harbour master was arrested") as server:
        result = Pipeline(store, settings_for(server.base_url)).write()
    assert result.items == 0 and result.errors[0].startswith(f"{story.id}: held: only 0 of")
    with store.session() as session:
        assert repo.write_state(session, story.id).status == "held"
        assert repo.latest_version(session, story.id) is None
        assert repo.stories_needing_article(session) == []  # no new call every poll
    late = Document(id="flood-late", text="Pumps cleared the harbour district on Friday.")
    with store.session() as session:
        repo.add_document(session, late)
        repo.assign_documents(session, [Assignment(id=late.id, story=story.id)])
    with store.session() as session:
        assert repo.stories_needing_article(session) == [story.id]  # new material: now


# --- newsdesk write STORY.json --backend openai ----------------------------------------


def test_cli_writes_with_the_endpoint_or_says_it_is_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = FIXTURES / "flood.json"
    monkeypatch.setenv("NEWSDESK_LLM_MODEL", "test-model")
    with OpenAIServer("normal") as server:
        monkeypatch.setenv("NEWSDESK_LLM_BASE_URL", server.base_url)
        result = CliRunner().invoke(app, ["write", str(path), "--backend", "openai"])
    assert result.exit_code == 0, result.output
    assert Article.model_validate_json(result.stdout).sections
    monkeypatch.setenv("NEWSDESK_LLM_BASE_URL", closed_port_url())
    result = CliRunner().invoke(app, ["write", str(path), "--backend", "openai"])
    assert result.exit_code == 1
    assert "unavailable, try later" in result.output
    result = CliRunner().invoke(app, ["write", str(path), "--backend", "nonsense"])
    assert result.exit_code == 2 and "Invalid value for '--backend'" in result.output


def test_the_writer_consults_the_llm_judge_and_asks_once_per_sentence() -> None:
    story = load("flood.json")
    with OpenAIServer("sloppy", judgement="supported") as server:
        settings = settings_for(server.base_url)
        completer = OpenAICompleter(server.base_url, "judge-model", "", 10.0)
        judge = LLMJudge(completer, margin=0.5)  # everything unruled and unsure is asked
        article = make_writer(settings, judge=judge)(story, 1)
        asked = judge.asked
        gated = verify_article(article, story.documents, judge)
    invented = "The minister resigned in disgrace over the affair."
    names = [r["response_format"]["json_schema"]["name"] for r in server.requests]
    # The judge (told to agree) kept the invented sentence, so no rewrite was requested.
    assert names.count("rewrites") == 0 and "claim_judgement" in names
    assert invented in [s.text for s in article.sentences()]
    assert judge.asked == asked, "the gate reused the writer's answers"
    assert gated.verification.judged >= 1
