"""The speed benchmarks stay runnable: the corpus generator is deterministic
and the runner goes end to end on a tiny corpus (the real sizes run with
``make bench``, never in the test suite)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import run as bench_run
from benchmarks.corpus import write_corpus


def _files(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_the_corpus_is_the_same_for_the_same_seed_and_size(tmp_path):
    first = write_corpus(tmp_path / "a", 300)
    second = write_corpus(tmp_path / "b", 300)

    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert first == second
    assert first["n_threads"] == 300
    threads = [json.loads(line) for path in (tmp_path / "a").glob("*.jsonl")
               for line in path.read_text(encoding="utf-8").splitlines()
               if '"type":"member"' not in line]
    assert len(threads) == 300
    assert sum(len(t["posts"]) for t in threads) == first["n_posts"]
    other = write_corpus(tmp_path / "c", 300, seed=1)
    assert _files(tmp_path / "c") != _files(tmp_path / "a") and other["n_threads"] == 300


def test_the_runner_measures_a_tiny_corpus_end_to_end(tmp_path, capsys):
    results = bench_run.main(["--sizes", "300", "--pass-threads", "100", "--repeat", "2",
                              "--skip", "fetch,cardano", "--no-record", "--workdir", str(tmp_path)])

    (pipeline,) = results["pipeline"]
    assert pipeline["threads"] == pipeline["counts"]["classifications"] == 300
    # A pass closes on the first archive batch that brings it to 100 new threads.
    sizes = [p["threads"] for p in pipeline["passes"]]
    assert sum(sizes) == 300 and len(sizes) >= 2 and min(sizes[:-1]) >= 100
    assert pipeline["threads_per_second"] > 0 and pipeline["peak_rss_mb"] > 0
    assert set(results["queries"]["queries"]) >= {"/queue", "/problems", "/credibility"}
    assert results["queries"]["report"]["seconds"] > 0
    printed = capsys.readouterr().out
    assert "### End-to-end pipeline" in printed and "### Targets" in printed
    assert len(results["targets"]) == 6
    assert results["targets"][1] == "not measured: pipeline log-log slope ≤ 1.1 (n/a)"
    assert list(tmp_path.iterdir()) == []  # the corpus and database are gone


def test_fetch_and_real_data_figures_are_rendered():
    results = {
        "machine": "test machine", "load_average": 0.5, "pass_threads": 100, "pipeline": [],
        "fetch": {"passes": [{"added": 100, "requests": 16, "requests_per_100": 16.0,
                              "by_path": {"/r/x/new": 2, "/comments/*": 10}}],
                  "idle": {"requests": 5}, "rate_limit_per_minute": 100},
        "cardano": {"skipped": "the Cardano dump is not at /nowhere"},
    }

    text, targets = bench_run.render(results, "python -m benchmarks.run --sizes 300")

    assert "| 100 | 16 | **16.0** | /r/x/new 2, /comments/* 10 |" in text
    assert "A pass with nothing new: 5 requests." in text
    assert "Skipped: the Cardano dump is not at /nowhere" in text
    assert targets == []
