"""``trace_links``: no database, the stable JSON shape, best candidates first; hit rates on the labelled set."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from compliance.tracing import Passage, UpstreamIndex, tokenize

DATA = Path(__file__).resolve().parent / "data"
PLAN = DATA / "univ_sci_plan_2021.txt"
SMALL = DATA / "upstream_small.txt"
SEEDS = Path(os.environ.get("DUBAN_SEEDS_DIR", Path(__file__).resolve().parents[4] / "shared" / "seeds"))


def _run(*args: str) -> dict:
    out = io.StringIO()
    call_command("trace_links", *args, stdout=out)
    return json.loads(out.getvalue())


def test_tokenize_keeps_subject_words_and_drops_filler():
    words = tokenize("加强高校实验室安全管理，推进科技成果转化工作。")
    assert "实验室" in words and "成果" in words
    assert not {"加强", "推进", "工作", "，"} & set(words)


def test_one_entry_per_requirement_row_with_candidates_best_first():
    """The plan's 18 task rows each get up to --top candidates from the upstream rows, scores descending."""
    result = _run(str(PLAN), str(SMALL), "--top", "2", "--json")
    assert set(result) == {"links"}
    links = result["links"]
    assert len(links) == 18
    assert links[0]["path"] == ["一", "（一）"]
    for link in links:
        assert set(link) == {"path", "candidates"}
        assert len(link["candidates"]) <= 2
        scores = [c["score"] for c in link["candidates"]]
        assert scores == sorted(scores, reverse=True) and all(isinstance(s, float) for s in scores)
    by_path = {tuple(link["path"]): [tuple(c["path"]) for c in link["candidates"]] for link in links}
    assert by_path[("三", "（四）")][0] == ("二", "2")  # 成果转化 → 专利转化机制
    assert by_path[("六", "（一）")][0] == ("一", "1")  # 实验室安全
    assert by_path[("六", "（二）")][0] == ("三", "3")  # 网络安全


def test_it_needs_no_database(django_db_blocker):
    """Run with the database blocked: any query would raise."""
    with django_db_blocker.block():
        assert _run(str(PLAN), str(SMALL), "--json")["links"]


def test_bad_input_is_refused_in_chinese(tmp_path):
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("trace_links", str(tmp_path / "无.txt"), str(SMALL))
    with pytest.raises(CommandError, match="至少为 1"):
        call_command("trace_links", str(PLAN), str(SMALL), "--top", "0")


def test_rows_sharing_no_word_get_no_candidate():
    index = UpstreamIndex([Passage(key=1, path=("一",), text="实验室安全检查")])
    assert index.rank(Passage(key=2, path=("1",), text="毕业生就业质量报告"), top=3) == []


@pytest.mark.skipif(not (SEEDS / "001_26b73e971332f242.txt").exists(), reason="seed files not present")
def test_hit_rates_on_the_labelled_pairs():
    """The figures in docs/benchmarks.md: the plan against the 2021 要点, and 2021 against 2019."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from benchmarks.bench_tracing import measure

    result = measure(SEEDS)
    assert result["plan_2021"]["top1"] >= 0.8 and result["plan_2021"]["top3"] >= 0.9
    assert result["yoy_2021_2019"]["top1"] >= 0.9 and result["yoy_2021_2019"]["top3"] == 1.0
