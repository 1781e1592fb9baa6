"""Offline stand-ins for tests and benchmarks: no network, no hub download.

* `ScriptedGenerator`: a backend whose replies are scripted by prompt suffix or by a
  function (``package.module:function``); address it as
  ``"rewardkit.generators.testing:ScriptedGenerator"`` wherever a backend name goes.
* `LoopbackServer`: a real OpenAI-compatible HTTP server on 127.0.0.1, in a thread, whose
  replies come from a responder you give it (slow, failing, rate-limiting, ...).
* `tiny_causal_lm`: a few-kilobyte GPT-2 and word-level tokenizer saved to a folder,
  optionally rigged to always sample from a chosen set of words.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from rewardkit.dotted import import_object
from rewardkit.generators.base import BaseGenerator, GenerationError, check_n, cut_at_stop
from rewardkit.runtime_state import runtime

# -- a scripted backend ----------------------------------------------------------------


class ScriptedConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    replies: dict[str, list[str]] = Field(
        default_factory=dict, description="prompt suffix -> replies (cycled for n); the "
        "longest matching suffix wins")
    default: list[str] | None = Field(None, description="replies when no suffix matches")
    responder: str | None = Field(None, description="package.module:function(prompt, n, "
                                  "sampling) -> list[str], tried first")
    fail_on: list[str] = Field(default_factory=list,
                               description="a prompt containing one of these raises")
    sampling: dict[str, Any] = Field(default_factory=dict)


class ScriptedGenerator(BaseGenerator):
    """Replies scripted by prompt suffix or by a function; records every prompt it saw."""

    name = "scripted"
    Config = ScriptedConfig

    def __init__(self, **config: Any) -> None:
        super().__init__(**config)
        _ = self._responder  # imported now, so a bad path fails here

    @runtime
    def calls(self) -> list[tuple[str, int]]:
        """Every (prompt, n) this copy was asked, in order."""
        return []

    @runtime
    def _responder(self) -> Callable[..., list[str]] | None:
        return import_object(self.config.responder, "responder") if self.config.responder \
            else None

    def generate(self, prompts: Sequence[str], n: int = 1, **sampling: Any) -> list[list[str]]:
        prompts = check_n(prompts, n)
        params = self.sampling(sampling)
        self.stats.requests += 1
        out = []
        for prompt in prompts:
            self.calls.append((prompt, n))
            if any(bad in prompt for bad in self.config.fail_on):
                self.stats.failures += 1
                raise GenerationError("scripted failure: the prompt contains a fail_on marker")
            texts = self._reply(prompt, n, params)
            self.stats.texts += len(texts)
            out.append([cut_at_stop(t, params.stop) for t in texts])
        return out

    def _reply(self, prompt: str, n: int, params: Any) -> list[str]:
        if self._responder is not None:
            texts = self._responder(prompt, n, params)
            if texts is not None:
                return list(texts)
        keys = sorted((k for k in self.config.replies if prompt.endswith(k)), key=len)
        replies = self.config.replies[keys[-1]] if keys else self.config.default
        if not replies:
            raise GenerationError(f"no scripted reply for a prompt ending {prompt[-40:]!r}")
        return [replies[i % len(replies)] for i in range(n)]


# -- a loopback OpenAI-compatible server -----------------------------------------------


@dataclass
class Reply:
    """What the server sends: a status, a JSON (or text) body, headers, after a delay."""

    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


def completion(texts: Sequence[str], chat: bool = True) -> dict[str, Any]:
    """An OpenAI chat (or text) completion body with one choice per text."""
    key = "message" if chat else "text"
    choices = [{"index": i, key: {"role": "assistant", "content": t} if chat else t,
                "finish_reason": "stop"} for i, t in enumerate(texts)]
    tokens = sum(len(t.split()) for t in texts)
    return {"id": "cmpl-loopback", "object": "chat.completion" if chat else "text_completion",
            "choices": choices, "usage": {"completion_tokens": tokens}}


def prompt_of(body: Mapping[str, Any]) -> str:
    """The prompt text of a chat or completions request body (the last user turn)."""
    if "messages" in body:
        return str(body["messages"][-1]["content"])
    return str(body.get("prompt", ""))


Responder = Callable[[str, dict[str, Any], int], Reply]


def echo_responder(path: str, body: dict[str, Any], attempt: int) -> Reply:
    """Replies with the prompt's last word, n times."""
    words = prompt_of(body).split()
    text = words[-1] if words else ""
    return Reply(completion([text] * int(body.get("n", 1)), chat="messages" in body))


class LoopbackServer:
    """An OpenAI-compatible server on 127.0.0.1 (ephemeral port), run in a thread.

    ``responder(path, body, attempt)`` returns a `Reply`; `attempt` counts the requests
    with the same body so far (0 first), which scripts "fail twice, then succeed".
    `requests` logs every body; `max_in_flight` is the peak number of concurrent requests.
    """

    def __init__(self, responder: Responder = echo_responder) -> None:
        self.responder = responder
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.in_flight = self.max_in_flight = 0
        self._seen: dict[str, int] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                        daemon=True, name="loopback-openai")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> "LoopbackServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handle(self, path: str, raw: bytes, headers: dict[str, str]) -> Reply:
        body = json.loads(raw or b"{}")
        key = raw.decode(errors="replace")
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            attempt = self._seen.get(key, 0)
            self._seen[key] = attempt + 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            reply = self.responder(path, body, attempt)
            if reply.delay:
                time.sleep(reply.delay)
            return reply
        finally:
            with self._lock:
                self.in_flight -= 1

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                try:
                    reply = server._handle(self.path, raw, dict(self.headers))
                except Exception as exc:  # noqa: BLE001 - a broken responder is a 500, not a hang
                    reply = Reply({"error": f"{type(exc).__name__}: {exc}"}, status=500)
                data = reply.body if isinstance(reply.body, (bytes, str)) \
                    else json.dumps(reply.body)
                payload = data.encode() if isinstance(data, str) else data
                try:
                    self.send_response(reply.status)
                    for name, value in {"Content-Type": "application/json",
                                        **reply.headers}.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout): nothing to answer

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


# -- a tiny causal LM ------------------------------------------------------------------


def tiny_causal_lm(path: str | Path, words: Sequence[str], favour: Mapping[str, float] | None
                   = None, *, layers: int = 1, width: int = 32, heads: int = 2,
                   positions: int = 256, seed: int = 0,
                   chat_template: str | None = None) -> Path:
    """Save a tiny random GPT-2 with a word-level tokenizer over `words` to `path`.

    With `favour` (word -> logit), the network is rigged so that every position has the
    same next-word logits: the favoured words get their logit, all others 0. So
    ``favour={"42": 30}`` always writes "42", and ``{"7": 5, "42": 5}`` samples both.
    The tokenizer splits on whitespace; ``<eos>`` ends and pads, ``<unk>`` is unknown.
    `chat_template` (Jinja) is saved with the tokenizer when given.
    """
    import torch
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    vocab = {"<unk>": 0, "<eos>": 1}
    for word in words:
        vocab.setdefault(word, len(vocab))
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=core, unk_token="<unk>",
                                        eos_token="<eos>", pad_token="<eos>")
    if chat_template is not None:
        tokenizer.chat_template = chat_template
    torch.manual_seed(seed)
    config = GPT2Config(vocab_size=len(vocab), n_positions=positions, n_embd=width,
                        n_layer=layers, n_head=heads, bos_token_id=1, eos_token_id=1,
                        pad_token_id=1, tie_word_embeddings=False)
    model = GPT2LMHeadModel(config)
    if favour:
        unknown = sorted(set(favour) - set(vocab))
        if unknown:
            raise ValueError(f"favoured words are not in the vocabulary: {unknown}")
        with torch.no_grad():
            direction = torch.zeros(width)
            direction[0] = 1.0
            model.transformer.ln_f.weight.zero_()
            model.transformer.ln_f.bias.copy_(direction)
            model.lm_head.weight.zero_()
            for word, logit in favour.items():
                model.lm_head.weight[vocab[word]] = direction * logit
    path = Path(path)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path
