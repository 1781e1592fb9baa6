"""`model: tiny`: a small randomly initialised causal LM with its own tokenizer, offline.

The tokenizer is character level: every printable ASCII character is one token, and the
tags `<think>`, `</think>`, `<answer>`, `</answer>` are single (non-special) tokens so a
decoded completion keeps them. Nothing is downloaded; the same seed builds the same model.

With ``chat: true`` the tokenizer also gets a chat template for tool calling
(`rewardkit.train.chat_template`): ChatML turns and Qwen3's ``<tool_call>`` syntax, whose
response template TRL ships, so TRL's ``parse_response`` reads the tool calls. Its markers
are single tokens and ``<|im_end|>`` ends a turn (the end-of-sequence token).
"""

from __future__ import annotations

import string
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

TAGS = ("<think>", "</think>", "<answer>", "</answer>")
SPECIALS = ("<pad>", "<bos>", "<eos>", "<unk>")


class TinyModelConfig(BaseModel):
    """Shape of the tiny model (the `model.tiny` block of a train config)."""

    model_config = ConfigDict(extra="forbid")

    hidden_size: int = Field(64, ge=8)
    layers: int = Field(2, ge=1)
    heads: int = Field(4, ge=1)
    intermediate_size: int = Field(128, ge=8)
    max_position_embeddings: int = Field(256, ge=16)
    chat: bool = Field(False, description="a chat template with tool calls (see the module doc)")

    def model_post_init(self, _: Any) -> None:
        if self.hidden_size % self.heads:
            raise ValueError(f"hidden_size ({self.hidden_size}) must be a multiple of heads "
                             f"({self.heads})")
        if (self.hidden_size // self.heads) % 2:
            raise ValueError("hidden_size / heads must be even (rotary embeddings)")


def vocabulary(chat: bool = False) -> list[str]:
    """Specials, tags, then printable ASCII characters (ids are positions in this list);
    with `chat`, the chat markers come last (so the plain vocabulary keeps its ids)."""
    from rewardkit.train.chat_template import MARKERS

    chars = [c for c in string.printable if c not in "\x0b\x0c\r"]
    return [*SPECIALS, *TAGS, *chars, *(MARKERS if chat else ())]


def build_tokenizer(chat: bool = False) -> Any:
    """A character-level `PreTrainedTokenizerFast` with the reasoning tags as single tokens
    (and, with `chat`, the tool-calling chat template; see the module doc)."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import AddedToken, PreTrainedTokenizerFast

    from rewardkit.train import chat_template

    vocab = {token: i for i, token in enumerate(vocabulary(chat))}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    core.decoder = decoders.Fuse()
    core.add_special_tokens(list(SPECIALS))
    tags = [*TAGS, *(chat_template.MARKERS if chat else ())]
    core.add_tokens([AddedToken(tag, special=False, normalized=False) for tag in tags])
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, pad_token="<pad>", bos_token="<bos>",
        eos_token=chat_template.END if chat else "<eos>", unk_token="<unk>",
        padding_side="left",
    )
    tokenizer.model_max_length = 4096
    if chat:
        chat_template.install(tokenizer)
    return tokenizer


def build_model(config: TinyModelConfig | None = None, seed: int = 0) -> tuple[Any, Any]:
    """A random-init Qwen2-style causal LM and its tokenizer; deterministic in `seed`."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    config = config or TinyModelConfig()
    tokenizer = build_tokenizer(config.chat)
    model_config = Qwen2Config(
        vocab_size=len(tokenizer), hidden_size=config.hidden_size,
        intermediate_size=config.intermediate_size, num_hidden_layers=config.layers,
        num_attention_heads=config.heads, num_key_value_heads=config.heads,
        max_position_embeddings=config.max_position_embeddings, tie_word_embeddings=True,
        pad_token_id=tokenizer.pad_token_id, bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    devices = [torch.cuda.current_device()] if torch.cuda.is_available() else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        model = Qwen2ForCausalLM(model_config)
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.bos_token_id = tokenizer.bos_token_id
    return model, tokenizer
