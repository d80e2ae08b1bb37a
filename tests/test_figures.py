"""The minute figures a coder types, matched against passages that work the same case."""
from bot.figures import FigureIndex, minute_figures


def test_minute_figures_read_the_ways_coders_write_minutes():
    assert minute_figures("30 min TE and 15 mins TA, 8-minute rule, 45min total") == {30, 15, 8, 45}
    assert minute_figures("97110 x 2 units, modifier 59") == frozenset()


def test_two_shared_figures_rank_the_closest_example_first():
    index = FigureIndex([
        "Timed codes are billed in 15-minute units.",                      # one figure shared
        "35 minutes of evaluation, 12 minutes of 97110, 10 minutes of 97140.",
        "12 minutes of 97110 and 10 minutes of 97140, plus 20 minutes of 97530.",
    ])
    assert index.rank("eval 35 min, 12 min ther ex, 10 min manual", k=5) == [(1, 1.0), (2, 2 / 3)]
    assert index.rank("hot pack 15 min", k=5) == []  # one figure says too little
