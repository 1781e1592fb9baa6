"""Scoring inside another trainer's own process: no `rewardkit serve` needed.

* `rewardkit.integrations.verl`: verl's ``compute_score(data_source, solution_str,
  ground_truth, extra_info)`` (and ``compute_score_batch``);
* `rewardkit.integrations.openrlhf`: OpenRLHF's ``reward_func(queries, prompts, labels)``.

Both files are loaded by path by their trainer; both score with the rubric named by
``REWARDKIT_RUBRIC`` (or a ``rubric=`` keyword), built once per process. See
docs/service.md.
"""
