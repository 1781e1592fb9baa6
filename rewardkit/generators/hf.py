"""The `hf` backend: a transformers causal LM sampling in batches on CPU or GPU.

>>> backend = HFGenerator(model="path/to/model", batch_size=32)   # doctest: +SKIP
>>> backend.generate(["2 + 2 ="], n=4, temperature=0.7, max_tokens=8, seed=0)  # doctest: +SKIP

Prompts are sorted by length and padded on the left, ``n`` continuations per prompt are
drawn by repeating each prompt row, and at most `batch_size` sequences run per forward
pass. With a seed (call-time ``seed``, else the config's) the same call gives the same
texts. torch and transformers are imported on first use, and the model is loaded then.

`agenerate` batches across callers: concurrent calls on one event loop (an LLM judge
scoring a batch one sample per task) with the same ``n`` and sampling are merged into
one `generate` call, run off the loop.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any, Literal, Sequence

from pydantic import BaseModel, ConfigDict, Field

from rewardkit.errors import ConfigError
from rewardkit.generators.base import BaseGenerator, GenerationError, check_n, cut_at_stop
from rewardkit.runtime_state import runtime


class HFConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = Field(description="local path or Hugging Face hub id")
    tokenizer: str | None = Field(None, description="default: the model's")
    device: str = Field("auto", description="'auto' (cuda when available), 'cpu', 'cuda:0', ...")
    dtype: Literal["auto", "float32", "bfloat16", "float16"] = "auto"
    batch_size: int = Field(64, ge=1, description="sequences (prompts x n) per forward pass")
    seed: int | None = Field(0, description="default seed; None samples unseeded")
    local_files_only: bool = False
    trust_remote_code: bool = False
    chat_template: bool = Field(False, description="wrap each prompt as a user turn with the "
                                "tokenizer's chat template (instruct models as judges)")
    system_prompt: str | None = Field(None, description="system turn when chat_template is on")
    sampling: dict[str, Any] = Field(default_factory=dict, description="default sampling")


class HFGenerator(BaseGenerator):
    """A transformers causal LM from a local path or hub id; batched, seeded sampling."""

    name = "hf"
    Config = HFConfig

    # runtime state: built on first use, never pickled (the model loads in `load`)
    @runtime
    def _model(self) -> Any:
        return None

    @runtime
    def _tokenizer(self) -> Any:
        return None

    @runtime
    def _lock(self) -> threading.Lock:
        return threading.Lock()

    @runtime
    def _pending(self) -> dict[Any, dict[tuple[int, str], list[tuple[list[str], Any]]]]:
        return {}

    # -- loading -------------------------------------------------------------------------

    def load(self) -> tuple[Any, Any]:
        """Load (once) and return the model and tokenizer."""
        if self._model is None:
            self._model, self._tokenizer = self._load()
        return self._model, self._tokenizer

    def _load(self) -> tuple[Any, Any]:
        try:
            import torch
            from transformers import AutoModelForCausalLM, AutoTokenizer
        except ImportError as exc:
            raise ConfigError("the 'hf' generator needs torch and transformers: "
                              "pip install 'rewardkit[train]'") from exc
        cfg = self.config
        device = ("cuda" if torch.cuda.is_available() else "cpu") if cfg.device == "auto" \
            else cfg.device
        if cfg.dtype == "auto":
            dtype = torch.bfloat16 if device.startswith("cuda") else torch.float32
        else:
            dtype = getattr(torch, cfg.dtype)
        common = {"local_files_only": cfg.local_files_only,
                  "trust_remote_code": cfg.trust_remote_code}
        try:
            tokenizer = AutoTokenizer.from_pretrained(cfg.tokenizer or cfg.model, **common)
            model = AutoModelForCausalLM.from_pretrained(cfg.model, dtype=dtype, **common)
        except (OSError, ValueError) as exc:
            raise ConfigError(f"generator 'hf' could not load model '{cfg.model}': {exc}") from exc
        tokenizer.padding_side = "left"
        if tokenizer.pad_token is None:
            if tokenizer.eos_token is None:
                raise ConfigError(f"the tokenizer of '{cfg.model}' has neither a pad nor an eos "
                                  "token; batched generation needs one (set pad_token)")
            tokenizer.pad_token = tokenizer.eos_token
        model.to(device).eval()  # type: ignore[arg-type]
        return model, tokenizer

    # -- generation ----------------------------------------------------------------------

    def generate(self, prompts: Sequence[str], n: int = 1, **sampling: Any) -> list[list[str]]:
        prompts = check_n(prompts, n)
        params = self.sampling(sampling)
        if not prompts:
            return []
        model, tokenizer = self.load()
        with self._lock:
            try:
                return self._generate(model, tokenizer, prompts, n, params)
            except ConfigError:
                raise
            except (RuntimeError, ValueError) as exc:  # CUDA OOM, bad token ids, ...
                self.stats.failures += 1
                raise GenerationError(f"generator 'hf' failed: {type(exc).__name__}: {exc}") \
                    from exc

    async def agenerate(self, prompts: Sequence[str], n: int = 1,
                        **sampling: Any) -> list[list[str]]:
        prompts = check_n(prompts, n)
        self.sampling(sampling)  # bad keys fail here, not in someone else's batch
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        waiting = self._pending.setdefault(loop, {})
        if not waiting:
            loop.create_task(self._flush(loop))
        key = (n, json.dumps(sampling, sort_keys=True, default=str))
        waiting.setdefault(key, []).append((prompts, future))
        return await future

    async def _flush(self, loop: Any) -> None:
        """Wait until no new caller joins for one loop turn, then generate for them all."""
        seen = -1
        for _ in range(50):
            count = sum(len(calls) for calls in self._pending.get(loop, {}).values())
            if count == seen:
                break
            seen = count
            await asyncio.sleep(0)
        for (n, raw), calls in self._pending.pop(loop, {}).items():
            prompts = [p for batch, _ in calls for p in batch]
            try:
                texts = await asyncio.to_thread(self.generate, prompts, n, **json.loads(raw))
            except Exception as exc:  # noqa: BLE001 - every caller in the batch gets the failure
                for _, future in calls:
                    if not future.done():
                        future.set_exception(exc)
                continue
            start = 0
            for batch, future in calls:
                if not future.done():
                    future.set_result(texts[start:start + len(batch)])
                start += len(batch)

    def _generate(self, model: Any, tokenizer: Any, prompts: list[str], n: int,
                  params: Any) -> list[list[str]]:
        import torch

        seed = params.seed if params.seed is not None else self.config.seed
        if seed is not None:
            torch.manual_seed(seed)
        ids = self.encode(tokenizer, prompts)
        order = sorted(range(len(prompts)), key=lambda i: len(ids[i]))
        per_batch = max(1, self.config.batch_size // n)
        options = self._options(tokenizer, params)
        results: list[list[str]] = [[] for _ in prompts]
        for start in range(0, len(order), per_batch):
            chunk = order[start:start + per_batch]
            rows = [ids[i] for i in chunk for _ in range(n)]  # n copies: greedy works too
            batch = tokenizer.pad({"input_ids": rows}, return_tensors="pt")
            batch = {k: v.to(model.device) for k, v in batch.items()}
            with torch.inference_mode():
                out = model.generate(**batch, **options)
            new = out[:, batch["input_ids"].shape[1]:]
            self.stats.tokens += _count_new_tokens(new, tokenizer.eos_token_id)
            texts = tokenizer.batch_decode(new, skip_special_tokens=True)
            for j, index in enumerate(chunk):
                results[index] = [cut_at_stop(t, params.stop) for t in texts[j * n:(j + 1) * n]]
        self.stats.requests += 1
        self.stats.texts += len(prompts) * n
        return results

    def encode(self, tokenizer: Any, prompts: list[str]) -> list[list[int]]:
        """Token ids of each prompt, through the chat template when the config asks."""
        if not self.config.chat_template:
            return tokenizer(prompts)["input_ids"]
        if not getattr(tokenizer, "chat_template", None):
            raise ConfigError(f"chat_template is on, but the tokenizer of '{self.config.model}' "
                              "has no chat template; turn it off or use an instruct model")
        system = [{"role": "system", "content": self.config.system_prompt}] \
            if self.config.system_prompt else []
        texts = [tokenizer.apply_chat_template([*system, {"role": "user", "content": p}],
                                               tokenize=False, add_generation_prompt=True)
                 for p in prompts]
        return tokenizer(texts, add_special_tokens=False)["input_ids"]

    @staticmethod
    def _options(tokenizer: Any, params: Any) -> dict[str, Any]:
        options: dict[str, Any] = {
            "max_new_tokens": params.max_tokens,
            "pad_token_id": tokenizer.pad_token_id, "do_sample": params.temperature > 0,
        }
        if tokenizer.eos_token_id is not None:
            options["eos_token_id"] = tokenizer.eos_token_id
        if params.temperature > 0:
            options.update(temperature=params.temperature, top_p=params.top_p,
                           top_k=params.top_k or 0)
        return options


def _count_new_tokens(new: Any, eos_id: int | None) -> int:
    """Generated tokens per row, up to and including the first eos."""
    if eos_id is None:
        return int(new.numel())
    is_eos = new == eos_id
    width = new.shape[1]
    first = is_eos.int().argmax(dim=1)
    lengths = (first + 1).where(is_eos.any(dim=1), first.new_full(first.shape, width))
    return int(lengths.sum())
