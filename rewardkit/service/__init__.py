"""rewardkit as a reward service: a rubric behind HTTP, for trainers other than TRL.

* `rewardkit.service.app`: the ASGI app (FastAPI): ``POST /v1/score`` (native),
  ``POST /get_reward`` (OpenRLHF's remote reward model protocol), ``GET /health`` and
  ``GET /ready``; bearer token, body size limit, concurrency limit with 503s.
* `rewardkit.service.server`: runs the app under uvicorn (``rewardkit serve``), or in a
  background thread for tests and notebooks.
* `rewardkit.service.models`, `rewardkit.service.openrlhf`: request models and the
  OpenRLHF adapter.
* `rewardkit.service.verl`: a custom reward function for verl that calls the service.

Install with ``pip install 'rewardkit[serve]'``; see docs/service.md.
"""
