"""The deploy example behind its balancer: the web processes believe the balancer's
X-Forwarded-For, and nobody else's, so that limits count each visitor's own address."""

from __future__ import annotations

import re
from collections.abc import Iterator
from ipaddress import ip_address, ip_network
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi.testclient import TestClient

from newsdesk.store.db import Store
from newsdesk.store.site_models import RateEventRow
from web_seed import seeded_store, sign_in, site_settings, use_fast_hashing

yaml = pytest.importorskip("yaml")

DEPLOY = Path(__file__).parents[1] / "deploy"


def interpolate(value: str, environ: dict[str, str]) -> str:
    """``${NAME:-default}`` as docker compose reads it."""
    return re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: environ.get(m[1]) or m[2], value)


def compose_addresses(environ: dict[str, str]) -> tuple[str, str]:
    """(the addresses uvicorn trusts, the balancer's address) in docker-compose.yml."""
    spec = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    trusted = spec["services"]["web"]["environment"]["FORWARDED_ALLOW_IPS"]
    balancer = spec["services"]["balancer"]["networks"]["default"]["ipv4_address"]
    return interpolate(trusted, environ), interpolate(balancer, environ)


def test_compose_trusts_the_balancers_address_and_only_it() -> None:
    trusted, balancer = compose_addresses({})
    assert trusted == balancer == "172.30.0.10"
    # One variable moves both.
    assert compose_addresses({"NEWSDESK_PROXY_IP": "172.30.0.20"}) == ("172.30.0.20",) * 2
    spec = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    network = spec["networks"]["default"]["ipam"]["config"][0]
    assert ip_address(balancer) in ip_network(network["subnet"])
    assert ip_address(balancer) not in ip_network(network["ip_range"])  # never handed out


def test_nginx_passes_the_address_it_saw() -> None:
    conf = (DEPLOY / "nginx.conf").read_text()
    assert re.search(r"proxy_set_header X-Forwarded-For \$remote_addr;", conf)
    unit = (DEPLOY / "systemd" / "newsdesk-web@.service").read_text()
    assert "FORWARDED_ALLOW_IPS=" in unit


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Store, str]]:
    """The app as `newsdesk serve` hands it to uvicorn, with the example's environment."""
    from newsdesk.cli import service

    use_fast_hashing(monkeypatch)
    trusted, balancer = compose_addresses({})
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", trusted)
    settings, store = seeded_store(tmp_path)
    started: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(app=app, kw=kw))
    service._serve(site_settings(settings), store)
    config = uvicorn.Config(started["app"], log_config=None, **started["kw"])
    config.load()  # wraps the app in uvicorn's proxy-headers middleware
    yield config.loaded_app, store, balancer
    store.close()


def test_serve_counts_sign_ins_under_the_visitors_address(served: tuple[Any, Store, str]) -> None:
    app, store, balancer = served
    visitor = {"X-Forwarded-For": "203.0.113.7"}
    with TestClient(app, client=(balancer, 40000), headers=visitor) as via_balancer:
        assert sign_in(via_balancer, "nobody@example.org", "a wrong password").status_code == 400
    # Anyone else's header is not believed: they are counted under their own address.
    spoofed = {"X-Forwarded-For": "198.51.100.1"}
    elsewhere = TestClient(app, client=("172.30.0.200", 40000), headers=spoofed)
    assert sign_in(elsewhere, "nobody@example.org", "a wrong password").status_code == 400
    with store.session() as session:
        keys = {row.key for row in session.query(RateEventRow)}
    assert {"login:addr:203.0.113.7", "login:addr:172.30.0.200"} <= keys
    assert not {key for key in keys if balancer in key or "198.51.100.1" in key}


def deploy_commands() -> list[list[str]]:
    """Every newsdesk command line of the examples: compose services and systemd units."""
    spec = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    commands = [s["command"] for s in spec["services"].values() if "command" in s]
    for unit in sorted((DEPLOY / "systemd").glob("*.service")):
        for line in unit.read_text().splitlines():
            if line.startswith("ExecStart="):
                words = line.removeprefix("ExecStart=").split()
                commands.append(["newsdesk", *words[1:]])
    return [c for c in commands if c[0] == "newsdesk"]


def test_every_deploy_command_and_option_exists() -> None:
    import typer

    from newsdesk.cli import app

    root: Any = typer.main.get_command(app)
    commands = deploy_commands()
    assert {c[1] for c in commands} >= {"init", "serve", "worker"}
    for words in commands:
        command = root.commands[words[1]]
        known = {opt for param in command.params for opt in param.opts}
        options = [w for w in words[2:] if w.startswith("--")]
        assert [o for o in options if o not in known] == [], words


def test_every_web_process_of_compose_gets_the_same_signing_key() -> None:
    spec = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
    environment = spec["services"]["web"]["environment"]
    assert environment["NEWSDESK_SECRET_KEY"].startswith("${NEWSDESK_SECRET_KEY:?")
