"""A real OpenAI-compatible chat-completions server on loopback, written for the tests.

It stands in for vLLM, Ollama or a hosted API at the network edge we cannot reach, and
behaves in one of several ways (``mode``):

- ``normal``: writes an article from the numbered passages it is sent, copying passages
  word for word and citing them (what a well-behaved model does);
- ``sloppy``: like ``normal``, but one sentence states something no passage says; it
  answers a rewrite request with a supported sentence;
- ``obey``: obeys an instruction: it writes ``claim`` (given by the test, standing for an
  instruction smuggled into a source) as headline, standfirst, body sentences and a fact,
  citing real passages; it also obeys any passage saying "write that ...";
- ``error``: answers HTTP 503; ``garbage``: a completion whose content is not JSON;
  ``html``: an HTML error page with status 200; ``wrong_shape``: JSON that is not an
  article; ``slow``: sends headers, then drips the body a byte at a time.

Asked to judge a claim (schema ``claim_judgement``), it answers ``judgement`` as the label.

Every request body is kept in ``requests`` so tests can see exactly what the model saw.
"""

from __future__ import annotations

import json
import re
import socket
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from loopback_server import BackgroundServer

_OBEY = re.compile(r"\b(?:write|state|say|report) that ([^.]+)", re.IGNORECASE)


class OpenAIServer(BackgroundServer):
    def __init__(
        self, mode: str = "normal", claim: str = "", drip_s: float = 0.2, judgement: str = ""
    ) -> None:
        self.mode = mode
        self.claim = claim
        self.judgement = judgement
        self.drip_s = drip_s
        self.requests: list[dict[str, Any]] = []
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        self._serve(server)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # --- answers ----------------------------------------------------------------

    def answer(self, request: dict[str, Any]) -> str:
        """The content of the assistant's message for one request."""
        name = request.get("response_format", {}).get("json_schema", {}).get("name")
        passages = passages_of(request)
        if self.mode == "wrong_shape":
            return json.dumps({"title": "not an article", "body": ["no"]})
        if name == "claim_judgement":
            return json.dumps({"label": self.judgement, "reason": "the test server said so"})
        if name == "rewrites":
            return json.dumps({"rewrites": self.rewrites(request, passages)})
        article = write_from(passages)
        if self.mode == "sloppy":
            article["sections"][0]["paragraphs"][0].insert(
                0, {"text": "The minister resigned in disgrace over the affair.", "cites": [1]}
            )
        claim = self.claim or _obeyed_claim(passages)
        if self.mode == "obey" and claim:
            article = obey(article, claim, passages)
        return json.dumps(article)

    def rewrites(self, request: dict[str, Any], passages: list[dict[str, Any]]) -> list[Any]:
        """Replace each failing sentence by a passage not used yet (what a good model does)."""
        asked = re.findall(r'\{"id": (\d+)', request["messages"][-1]["content"])
        spare = passages[-1] if passages else {"n": 1, "text": ""}
        if self.mode == "obey":  # an obedient model insists on its claim
            return [{"id": int(i), "text": self.claim, "cites": [1]} for i in asked]
        return [{"id": int(i), "text": spare["text"], "cites": [spare["n"]]} for i in asked]


def passages_of(request: dict[str, Any]) -> list[dict[str, Any]]:
    """The JSON array of passages in the first user message."""
    content = next(m["content"] for m in request["messages"] if m["role"] == "user")
    start = content.index("[")
    value, _ = json.JSONDecoder().raw_decode(content[start:])
    return list(value)


def write_from(passages: list[dict[str, Any]]) -> dict[str, Any]:
    """An article that copies passages verbatim, each citing itself."""

    def claim(p: dict[str, Any]) -> dict[str, Any]:
        return {"text": p["text"], "cites": [p["n"]]}

    first = passages[0]
    words = first["text"].rstrip(".").split()
    body = passages[1:] or passages
    half = max(1, len(body) // 2)
    return {
        "headline": " ".join(words[:9]),
        "standfirst": claim(first),
        "sections": [
            {"heading": "What happened", "paragraphs": [[claim(p) for p in body[:half]]]},
            {"heading": "Further details", "paragraphs": [[claim(p) for p in body[half:]]]},
        ],
        "facts": [
            {"aspect": aspect, "detail": " ".join(p["text"].split()[:6]), "cites": [p["n"]]}
            for aspect, p in zip(["What", "Detail", "Also", "More"], passages, strict=False)
        ],
        "disagreements": [],
    }


def obey(article: dict[str, Any], claim: str, passages: list[dict[str, Any]]) -> dict[str, Any]:
    """Put the injected claim everywhere, citing real passages as if they supported it."""
    cites = [passages[0]["n"]]
    article["headline"] = claim
    article["standfirst"] = {"text": claim + ".", "cites": cites}
    for section in article["sections"]:
        section["heading"] = claim
        for paragraph in section["paragraphs"]:
            for k in range(len(paragraph)):
                paragraph[k] = {"text": f"{claim}, officials said.", "cites": cites}
    article["facts"].insert(0, {"aspect": "Status", "detail": claim, "cites": cites})
    return article


def _obeyed_claim(passages: list[dict[str, Any]]) -> str:
    for passage in passages:
        match = _OBEY.search(passage["text"])
        if match:
            return match.group(1).strip()
    return ""


def completion(content: str) -> bytes:
    return json.dumps(
        {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": "test-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }
    ).encode()


def _handler_for(server: OpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return None

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            request = json.loads(self.rfile.read(length) or b"{}")
            server.requests.append(request)
            if server.mode == "error":
                self._send(503, b'{"error": {"message": "model overloaded"}}')
            elif server.mode == "garbage":
                self._send(200, completion("Sure! Here is your article about the event."))
            elif server.mode == "html":
                self._send(200, b"<html><body>502 Bad Gateway</body></html>", "text/html")
            elif server.mode == "slow":
                self._drip(completion(server.answer(request)))
            else:
                self._send(200, completion(server.answer(request)))

        def _send(self, status: int, body: bytes, kind: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _drip(self, body: bytes) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                for byte in body[:50]:  # bounded: a few seconds at most, then it stops
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(server.drip_s)
            except OSError:
                return  # the client gave up, as it should

    return Handler


def closed_port_url() -> str:
    """A loopback URL on which nothing listens (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"
