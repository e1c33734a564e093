"""The suite's oracles in tests/data are copies of ../shared: when ../shared is beside the repository,
they must still be the same files (an optional check; the suite itself never needs ../shared)."""

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
SHARED = DATA.parents[2] / "shared"
COPIES = {
    "seeds.json": "gold/seeds.json",
    "seeds.gold.jsonl": "eval/seeds.gold.jsonl",
    "seeds.indirect.gold.jsonl": "eval/seeds.indirect.gold.jsonl",
    "score.py": "eval/score.py",
}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_the_copied_oracle_matches_shared(name):
    original = SHARED / COPIES[name]
    if not original.exists():
        pytest.skip(f"{original} is not beside the repository (the copy in tests/data is used)")
    assert (DATA / name).read_bytes() == original.read_bytes(), f"refresh tests/data/{name} from {original}"
