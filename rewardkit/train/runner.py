"""The bundled GRPO runner behind `rewardkit train`.

Order matters: the config, the rubric, TRL's own config classes and the data are all
checked before any model is built or downloaded, so a typo fails in a second.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rewardkit.errors import ConfigError
from rewardkit.train.config import TrainConfig, build_trl_config, check_keys

_RUNNER_DEFAULTS = {"report_to": "none", "disable_tqdm": True}


@dataclass
class TrainResult:
    """What a run produced: the logged rows, the artifacts and a first/last-fifth summary."""

    output_dir: Path
    criteria: list[str]
    weights: list[float]
    rows: list[dict[str, Any]]
    seconds: float
    phase_seconds: dict[str, float] = field(default_factory=dict)
    plot: Path | None = None
    model_dir: Path | None = None
    health: dict[str, Any] | None = None  # rewardkit.health: alerts, stop reason, canaries
    health_plot: Path | None = None

    def summary(self) -> dict[str, dict[str, float | None]]:
        """Mean of `reward` and each `rewards/<criterion>` over the first and last fifth of steps."""
        keys = ["reward", *(f"rewards/{name}" for name in self.criteria)]
        return {key: fifths(self.rows, key) for key in keys}

    def status_counts(self) -> dict[str, float]:
        """Per `rewardkit/<criterion>/<status>`: the mean count per scoring batch over the run."""
        sums: dict[str, list[float]] = {}
        for row in self.rows:
            for key, value in row.items():
                if key.startswith("rewardkit/") and value is not None:
                    sums.setdefault(key, []).append(value)
        return {key: sum(v) / len(v) for key, v in sorted(sums.items())}

    def to_dict(self) -> dict[str, Any]:
        return {"output_dir": str(self.output_dir), "criteria": self.criteria,
                "weights": self.weights, "steps": self.rows[-1]["step"] if self.rows else 0,
                "seconds": self.seconds, "phase_seconds": self.phase_seconds,
                "summary": self.summary(), "status_counts": self.status_counts(),
                "plot": str(self.plot) if self.plot else None,
                "model_dir": str(self.model_dir) if self.model_dir else None,
                "health": self.health,
                "health_plot": str(self.health_plot) if self.health_plot else None}


def fifths(rows: list[dict[str, Any]], key: str) -> dict[str, float | None]:
    """Mean of `key` over the first and the last fifth of `rows` (at least one row each)."""
    values = [row.get(key) for row in rows]
    n = max(1, len(values) // 5)

    def mean(part: list[Any]) -> float | None:
        part = [v for v in part if v is not None]
        return sum(part) / len(part) if part else None

    first, last = mean(values[:n]), mean(values[-n:])
    rise = None if first is None or last is None else last - first
    return {"first": first, "last": last, "rise": rise}


@dataclass
class Plan:
    """Everything checked and built before a model loads."""

    config: TrainConfig
    rubric: Any
    grpo_args: Any
    sft_args: Any
    prompts: Any
    demos: Any
    environment: Any = None  # TRL's environment_factory (the `environment:` block)


def prepare(config: TrainConfig, output_dir: str | Path | None = None,
            rubric: Any = None) -> Plan:
    """Validate everything that can be validated without a model, in one pass.

    `rubric`, when given, is a built `Rubric` used instead of ``config.rubric``.
    """
    from trl import GRPOConfig, SFTConfig

    from rewardkit.rubric import Rubric
    from rewardkit.train.data import load_prompts

    out = Path(output_dir or config.output_dir)
    check_keys(GRPOConfig, config.trl, "trl")
    if config.cold_start is not None:
        check_keys(SFTConfig, config.cold_start.trl, "cold_start.trl")
    if "reward_weights" in config.trl:
        raise ConfigError("trl.reward_weights: the weights come from the rubric's criteria; "
                          "set 'weight' on each criterion instead")
    if rubric is None:
        rubric = (Rubric.from_yaml(config.rubric) if isinstance(config.rubric, str)
                  else Rubric.from_dict(config.rubric, source="rubric"))
    rubric.configure(workers=config.workers, executor=config.executor)
    weights = [1.0] if config.reward_mode == "total" else [float(c.weight) for c in rubric.criteria]
    grpo = {**_RUNNER_DEFAULTS, **_precision(config.trl), "seed": config.seed, **config.trl,
            "output_dir": str(out), "reward_weights": weights}
    grpo_args = build_trl_config(GRPOConfig, grpo, "trl")
    sft_args = demos = None
    if config.cold_start is not None:
        sft = {**_RUNNER_DEFAULTS, **_precision(config.cold_start.trl), "seed": config.seed,
               "save_strategy": "no",
               **config.cold_start.trl, "output_dir": str(out / "cold_start")}
        sft_args = build_trl_config(SFTConfig, sft, "cold_start.trl")
        demos = load_prompts(config.cold_start, "cold_start", with_completion=True)
    prompts = load_prompts(config.dataset, "dataset")
    if config.health.enabled:
        from rewardkit.health.canaries import load_canaries

        for canary in config.health.canaries:
            load_canaries(canary.path, canary.criterion, rubric.names)
    environment = None
    if config.environment is not None:
        from rewardkit.train.environment import build_factory

        if config.dataset.chat_template == "never":
            raise ConfigError("environment: tools need chat prompts; set dataset.chat_template "
                              "to 'auto' or 'always'")
        environment = build_factory(config.environment)
    return Plan(config, rubric, grpo_args, sft_args, prompts, demos, environment)


def _precision(trl: dict[str, Any]) -> dict[str, Any]:
    """bf16 only where the hardware has it (TRL defaults to bf16 and refuses it on CPU)."""
    if "bf16" in trl or "fp16" in trl:
        return {}
    import torch

    return {"bf16": bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())}


def load_model(config: TrainConfig) -> tuple[Any, Any]:
    """The model and tokenizer: built offline for ``tiny``, else from the hub id or path."""
    if config.model.name == "tiny":
        from rewardkit.train.tiny import build_model

        return build_model(config.model.tiny, seed=config.seed)
    from transformers import AutoModelForCausalLM, AutoTokenizer

    try:
        tokenizer = AutoTokenizer.from_pretrained(
            config.model.name, trust_remote_code=config.model.trust_remote_code)
        model = AutoModelForCausalLM.from_pretrained(
            config.model.name, dtype=config.model.dtype,
            trust_remote_code=config.model.trust_remote_code)
    except OSError as exc:
        raise ConfigError(f"model.name: cannot load {config.model.name!r}: {exc}") from None
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer


def train(config: TrainConfig, output_dir: str | Path | None = None, *,
          progress: bool = True, callbacks: list[Any] | None = None,
          on_phase: Callable[[str], None] | None = None, rubric: Any = None,
          on_alert: Callable[[Any], None] | None = None) -> TrainResult:
    """Run the job described by `config`: optional cold start, then GRPO. See the module doc.

    `rubric` (a built `Rubric`) replaces ``config.rubric`` when given; `on_alert` receives
    each health `Alert` as it fires (default: a `RewardHealthWarning`).
    """
    started = time.perf_counter()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    plan = prepare(config, output_dir, rubric)
    out = Path(plan.grpo_args.output_dir)
    announce = on_phase or (lambda _: None)
    import transformers
    from trl import GRPOTrainer

    from rewardkit.train.callbacks import MetricsWriter, ProgressBar
    from rewardkit.train.data import apply_chat
    from rewardkit.trl import to_trl

    transformers.set_seed(config.seed)
    announce(f"building model {config.model.name}")
    model, tokenizer = load_model(config)
    phases: dict[str, float] = {"setup": time.perf_counter() - started}
    if plan.sft_args is not None:
        mark = time.perf_counter()
        announce(f"cold start: supervised fine-tuning on {len(plan.demos)} demonstrations")
        model = _cold_start(plan, model, tokenizer, progress)
        phases["cold_start"] = time.perf_counter() - mark
    mark = time.perf_counter()
    announce("warming up the rubric's workers")
    warm_up(plan.rubric, plan.prompts)
    phases["warm_up"] = time.perf_counter() - mark
    mark = time.perf_counter()
    _pin_reference(plan, model, out)
    funcs, _ = to_trl(plan.rubric, config.reward_mode)
    names = [f.__name__ for f in funcs]
    metrics = MetricsWriter(out / "metrics.jsonl", names)
    health = _health(config, funcs, out, on_alert)
    prompts = apply_chat(plan.prompts, config.dataset, tokenizer)
    trainer = GRPOTrainer(model=model, processing_class=tokenizer,
                          reward_funcs=list[Any](funcs),
                          args=plan.grpo_args, train_dataset=prompts,
                          callbacks=[*health, metrics, ProgressBar("GRPO", progress),
                                     *(callbacks or [])],
                          **_environment_kwargs(plan, tokenizer))
    _quiet(trainer)
    announce(f"GRPO: {plan.grpo_args.max_steps if plan.grpo_args.max_steps > 0 else 'epoch'} "
             f"steps, rubric {plan.rubric!r}")
    try:
        trainer.train()
    finally:
        plan.rubric.close()
        if plan.environment is not None:
            from rewardkit.train.environment import close

            close(plan.environment)
    phases["grpo"] = time.perf_counter() - mark
    result = TrainResult(out, names, list(plan.grpo_args.reward_weights), metrics.rows,
                         time.perf_counter() - started, phases,
                         health=health[0].summary() if health else None)
    if trainer.is_world_process_zero():
        if health:
            result.health_plot = health[0].plot(out / "health.png")
        _write_outputs(trainer, tokenizer, result)
    return result


def _pin_reference(plan: Plan, model: Any, out: Path) -> None:
    """Make TRL's KL reference (``beta > 0``) the policy GRPO starts from.

    TRL builds the reference by loading ``model.config._name_or_path``: nothing for a model
    built in memory (the tiny model), and the model *before* the cold start for a hub
    model. So the starting policy is saved to ``OUTPUT_DIR/reference`` and named there.
    """
    if float(plan.grpo_args.beta) == 0.0 or (plan.sft_args is None
                                              and plan.config.model.name != "tiny"):
        return
    from accelerate import PartialState

    path = out / "reference"
    state = PartialState()
    with state.main_process_first():
        if state.is_main_process:
            model.save_pretrained(path)
    model.config._name_or_path = str(path)


def _environment_kwargs(plan: Plan, tokenizer: Any) -> dict[str, Any]:
    """``environment_factory`` for GRPOTrainer, after checking the tokenizer can do tools."""
    if plan.environment is None:
        return {}
    from trl.chat_template_utils import supports_tool_calling

    if not supports_tool_calling(tokenizer):
        raise ConfigError(f"environment: the tokenizer of {plan.config.model.name!r} has no chat "
                          "template that renders tool calls; use a tool-calling model (or "
                          "model.tiny.chat: true)")
    return {"environment_factory": plan.environment}


def _health(config: TrainConfig, funcs: list[Any], out: Path,
            on_alert: Callable[[Any], None] | None) -> list[Any]:
    """The health callback (in a list, empty when ``health.enabled`` is false)."""
    if not config.health.enabled:
        return []
    from rewardkit.health.callback import HealthCallback

    return [HealthCallback(funcs, config.health, on_alert=on_alert, output_dir=out)]


def warm_up(rubric: Any, prompts: Any) -> None:
    """Start every criterion's worker processes before training (`Rubric.warm_up`).

    The probe is an empty completion of the first prompt, with its reference.
    """
    from rewardkit.types import Sample

    row = prompts[0]
    rubric.warm_up(Sample("", row["prompt"], row.get("reference")))


def _quiet(trainer: Any) -> None:
    """Drop the trainer's log printer: logs go to metrics.jsonl and the progress bar."""
    from transformers.trainer_callback import PrinterCallback

    trainer.remove_callback(PrinterCallback)


def _cold_start(plan: Plan, model: Any, tokenizer: Any, progress: bool) -> Any:
    from trl import SFTTrainer

    from rewardkit.train.callbacks import ProgressBar
    from rewardkit.train.data import apply_chat

    assert plan.config.cold_start is not None  # only called when the config has one
    demos = apply_chat(plan.demos, plan.config.cold_start, tokenizer, with_completion=True)
    columns = ["prompt", "completion"]
    if plan.environment is not None:  # render the same tool list as GRPO will
        from rewardkit.train.environment import tool_schemas

        schemas = tool_schemas(plan.environment)
        demos = demos.map(lambda _: {"tools": schemas})
        columns.append("tools")
    demos = demos.select_columns(columns)
    trainer = SFTTrainer(model=model, processing_class=tokenizer, train_dataset=demos,
                         args=plan.sft_args, callbacks=[ProgressBar("cold start", progress)])
    _quiet(trainer)
    trainer.train()
    if trainer.is_world_process_zero():
        path = Path(plan.sft_args.output_dir) / "log.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(h) + "\n" for h in trainer.state.log_history))
    return trainer.model


def _write_outputs(trainer: Any, tokenizer: Any, result: TrainResult) -> None:
    from rewardkit.train.plots import plot_rewards

    result.model_dir = result.output_dir / "final"
    trainer.save_model(str(result.model_dir))
    tokenizer.save_pretrained(str(result.model_dir))
    if result.rows:
        result.plot = plot_rewards(result.rows, result.criteria, result.output_dir / "rewards.png")
    (result.output_dir / "summary.json").write_text(json.dumps(result.to_dict(), indent=2))
