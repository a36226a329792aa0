"""A seed fixes a game bit for bit; replica k of any batch is replica k played alone."""

import numpy as np
import pytest

from racegame.model import RaceModel


def play(model, turns=None):
    while model.running and (turns is None or model.turn < turns):
        model.step()
    return model.state


def assert_same(a, b, check_turn=True):
    if check_turn:
        assert a.turn == b.turn
    for name, arr in a.arrays():
        other = getattr(b, name)
        assert arr.dtype == other.dtype, name
        assert np.array_equal(arr, other), f"{name} differs"


def test_same_seed_same_game_bit_for_bit(baseline):
    assert_same(play(RaceModel(baseline, rng=42)), play(RaceModel(baseline, rng=42)))


def test_different_seeds_give_different_games(baseline):
    a, b = play(RaceModel(baseline, rng=1), 8), play(RaceModel(baseline, rng=2), 8)
    assert not np.array_equal(a.capability, b.capability)


@pytest.mark.parametrize("batch, first", [(6, 0), (9, 3), (3, 4)])
def test_replica_of_a_batch_replays_alone(baseline, batch, first):
    together = play(RaceModel(baseline, rng=7, replicas=batch, first_replica=first))
    for k in range(batch):
        alone = play(RaceModel(baseline, rng=7, first_replica=first + k))
        # A finished game stays frozen in the batch while others play on: same arrays.
        assert_same(together.subset([k]), alone, check_turn=False)
        assert alone.ended.all()


def test_seed_is_recorded_even_when_not_given(baseline):
    model = RaceModel(baseline)
    assert isinstance(model.seed, int) and model.seed >= 0
    again = RaceModel(baseline, rng=model.seed)
    assert_same(play(model, 4), play(again, 4))


def test_mesa_generator_as_rng_is_reproducible(baseline):
    a = RaceModel(baseline, rng=np.random.default_rng(3))
    b = RaceModel(baseline, rng=np.random.default_rng(3))
    assert a.seed == b.seed


@pytest.mark.parametrize("engine", ["vectorised", "compiled"])
def test_a_country_without_labs_decides_as_it_would_alone(baseline, engine):
    """Replica 0 has lost every Chinese lab, replica 1 has not: China's government orders
    for replica 0 in the batch are those of replica 0 played alone."""
    if engine == "compiled":
        pytest.importorskip("numba")
    batch = RaceModel(baseline, rng=9, replicas=2, engine=engine)
    play(batch, 6)
    cn = batch.rules.country_ids.index("cn")
    batch.state.alive[0] &= batch.state.country[0] != cn
    batch.state.alarm[:] = 1.0  # the world is alarmed: a government with labs would seek a pause
    alone = RaceModel(baseline, rng=9, replicas=1, engine=engine)
    alone.state, alone.draws = batch.state.subset([0]), batch.draws.subset([0])
    _, together = batch.decide()
    _, by_itself = alone.decide()
    for name, value in vars(together.govs).items():
        assert np.array_equal(np.asarray(value)[:1], np.asarray(getattr(by_itself.govs, name))), name
