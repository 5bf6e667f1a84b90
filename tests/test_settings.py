"""Settings: read from the environment, and a value that cannot be used is a plain error."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.settings import SettingsError, load_settings


def test_environment_variables_set_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_PORT", "8123")
    assert load_settings().port == 8123
    assert load_settings(port=9000).port == 9000


def test_a_bad_value_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_PORT", "eighty")
    with pytest.raises(SettingsError, match=r"^NEWSDESK_PORT: Input should be a valid integer"):
        load_settings()


def test_the_llm_judge_needs_an_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NEWSDESK_LLM_BASE_URL", raising=False)
    with pytest.raises(SettingsError, match=r"^NEWSDESK_VERIFY_JUDGE=llm needs NEWSDESK_LLM_BASE"):
        load_settings(verify_judge="llm")
    monkeypatch.setenv("NEWSDESK_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("NEWSDESK_LLM_MODEL", "m")
    assert load_settings(verify_judge="llm").verify_judge == "llm"


def test_the_local_judge_needs_a_model_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"^NEWSDESK_VERIFY_JUDGE=local needs NEWSDESK_LOCAL"):
        load_settings(verify_judge="local", local_model=None)
    model = tmp_path / "judge.gguf"
    assert load_settings(verify_judge="local", local_model=model).local_model == model
