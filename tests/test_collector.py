"""The collector pause the reasoner and the validator run under."""

import gc

import pytest

from wpsgraph.collector import paused


@pytest.fixture
def collector_state():
    before = gc.isenabled()
    yield
    gc.enable() if before else gc.disable()


def test_the_collector_is_off_inside_and_back_on_after(collector_state):
    gc.enable()
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_nested_pause_leaves_the_outer_one_in_force(collector_state):
    gc.enable()
    with paused():
        with paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_switches_it_back_on(collector_state):
    gc.enable()
    with pytest.raises(ValueError), paused():
        raise ValueError("inside")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off(collector_state):
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()
