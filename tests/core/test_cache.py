from rewardkit import Rubric, Sample, criterion
from rewardkit.cache import ScoreCache
from rewardkit.engine import Engine
from tests.core.rewards_for_tests import Counting, length


def calls(path):
    return len(path.read_text()) if path.exists() else 0


def test_identical_work_is_done_once(tmp_path):
    counter = tmp_path / "calls"
    engine = Engine(cache=ScoreCache())
    reward = Counting(path=str(counter))
    engine.run(reward, [Sample("a"), Sample("b")])
    engine.run(reward, [Sample("a"), Sample("b"), Sample("c")])
    assert calls(counter) == 3
    assert engine.cache.hits == 2


def test_different_params_or_samples_are_different_keys(tmp_path):
    counter = tmp_path / "calls"
    engine = Engine(cache=ScoreCache())
    engine.run(Counting(path=str(counter)), [Sample("a")])
    engine.run(Counting(path=str(counter)), [Sample("a", reference="gold")])
    engine.run(Counting(path=str(counter) + "x"), [Sample("a")])
    assert calls(counter) == 2


def test_errors_are_not_cached(tmp_path):
    counter = tmp_path / "calls"
    engine = Engine(cache=ScoreCache())
    engine.run(Counting(path=str(counter)), [Sample("raise")])
    engine.run(Counting(path=str(counter)), [Sample("raise")])
    assert calls(counter) == 2


def test_non_cacheable_rewards_always_run(tmp_path):
    counter = tmp_path / "calls"
    reward = Counting(path=str(counter))
    reward.cacheable = False
    engine = Engine(cache=ScoreCache())
    engine.run(reward, [Sample("a")])
    engine.run(reward, [Sample("a")])
    assert calls(counter) == 2


def test_disk_cache_survives_the_process(tmp_path):
    counter, db = tmp_path / "calls", tmp_path / "cache" / "scores.sqlite"
    first = ScoreCache(db)
    Engine(cache=first).run(Counting(path=str(counter)), [Sample("a")])
    first.close()
    second = ScoreCache(db)
    scores = Engine(cache=second).run(Counting(path=str(counter)), [Sample("a")])
    assert calls(counter) == 1 and scores[0].value == 1.0


def test_rubric_cache_setting_enables_the_cache():
    rubric = Rubric([criterion(length)], cache=True)
    rubric.score([Sample("a")])
    rubric.score([Sample("a")])
    assert rubric.engine.cache.hits == 1
