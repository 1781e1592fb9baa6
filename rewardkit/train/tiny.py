"""`model: tiny`: a small randomly initialised causal LM with its own tokenizer, offline.

The tokenizer is character level: every printable ASCII character is one token, and the
tags `<think>`, `</think>`, `<answer>`, `</answer>` are single (non-special) tokens so a
decoded completion keeps them. Nothing is downloaded; the same seed builds the same model.
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

    def model_post_init(self, _: Any) -> None:
        if self.hidden_size % self.heads:
            raise ValueError(f"hidden_size ({self.hidden_size}) must be a multiple of heads "
                             f"({self.heads})")
        if (self.hidden_size // self.heads) % 2:
            raise ValueError("hidden_size / heads must be even (rotary embeddings)")


def vocabulary() -> list[str]:
    """Specials, tags, then printable ASCII characters (ids are positions in this list)."""
    chars = [c for c in string.printable if c not in "\x0b\x0c\r"]
    return [*SPECIALS, *TAGS, *chars]


def build_tokenizer() -> Any:
    """A character-level `PreTrainedTokenizerFast` with the reasoning tags as single tokens."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers
    from transformers import AddedToken, PreTrainedTokenizerFast

    vocab = {token: i for i, token in enumerate(vocabulary())}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Split(Regex("."), behavior="isolated")
    core.decoder = decoders.Fuse()
    core.add_special_tokens(list(SPECIALS))
    core.add_tokens([AddedToken(tag, special=False, normalized=False) for tag in TAGS])
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, pad_token="<pad>", bos_token="<bos>", eos_token="<eos>",
        unk_token="<unk>", padding_side="left",
    )
    tokenizer.model_max_length = 4096
    return tokenizer


def build_model(config: TinyModelConfig | None = None, seed: int = 0) -> tuple[Any, Any]:
    """A random-init Qwen2-style causal LM and its tokenizer; deterministic in `seed`."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    config = config or TinyModelConfig()
    tokenizer = build_tokenizer()
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
