"""bot/beside.py: a call run on the calling thread's helper, its result or its exception
handed back, and the helper gone once its calling thread ends."""
import gc
import threading
import time

import pytest

from bot import beside


def _helpers() -> int:
    return sum(1 for t in threading.enumerate() if t.name == "beside")


def test_the_result_comes_back_while_the_caller_works():
    started = threading.Event()
    pending = beside.start(lambda: (started.set(), threading.current_thread().name)[1])
    assert started.wait(5)  # it ran without the caller waiting for it
    assert pending.result() == "beside"
    assert beside.start(sum, [1, 2, 3]).result() == 6  # the same helper serves the next call


def test_an_exception_is_raised_in_the_caller_and_the_helper_goes_on():
    with pytest.raises(ZeroDivisionError):
        beside.start(lambda: 1 / 0).result()
    assert beside.start(len, "abc").result() == 3


def test_a_helper_stops_when_its_calling_thread_ends():
    before = _helpers()
    threads = [threading.Thread(target=lambda: beside.start(len, "x").result()) for _ in range(5)]
    for thread in threads:
        thread.start()
        thread.join()
    gc.collect()
    deadline = time.monotonic() + 5
    while _helpers() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert _helpers() == before
