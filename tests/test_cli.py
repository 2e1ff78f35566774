"""The command line as a user runs it: `python -m qa ...` in a subprocess, over a temporary copy of docs_src/."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "What is the memory bandwidth of the H200?"
SEED_ARTICLES = {"h200-conditional-release-25pct.zh-hant", "h200-export-signal-euronews.zh-hans"}
ENV = {k: v for k, v in os.environ.items() if not k.startswith("QA_")} | {"HF_HUB_OFFLINE": "1"}


def run(*args: str, timeout: float = 600, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "qa", *args], cwd=ROOT, env=ENV | (env or {}), capture_output=True,
                          text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def cli(tmp_path_factory) -> SimpleNamespace:
    """A private copy of the articles and its --docs/--index flags; the index is built once, here (~1 min)."""
    tmp = tmp_path_factory.mktemp("cli")
    shutil.copytree(ROOT / "docs_src", tmp / "docs", ignore=shutil.ignore_patterns(".*"))
    flags = ["--docs", str(tmp / "docs"), "--index", str(tmp / "index")]
    out = run("build", *flags, "--json")
    assert out.returncode == 0, out.stderr
    return SimpleNamespace(docs=tmp / "docs", flags=flags)


def ask_json(cli: SimpleNamespace, *extra: str) -> dict:
    out = run("ask", QUESTION, "--json", *cli.flags, *extra)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def assert_clean_error(out: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit status 2, a one-line-style message on stderr naming ``words``, no traceback, nothing on stdout."""
    assert out.returncode == 2, (out.returncode, out.stdout, out.stderr)
    assert "Traceback" not in out.stderr and out.stdout == "", out.stderr
    assert "error" in out.stderr.lower(), out.stderr
    for word in words:
        assert word.lower() in out.stderr.lower(), out.stderr


def test_ask_json_cites_exact_passages(cli):
    answer = ask_json(cli)
    assert {"question", "language", "abstained", "passages"} <= set(answer)
    assert answer["question"] == QUESTION and answer["language"] == "en" and answer["abstained"] is False
    assert answer["passages"]
    for p in answer["passages"]:
        assert {"doc_id", "start", "end", "highlight", "text"} <= set(p)
        assert p["highlight"] is None or p["start"] <= p["highlight"][0] < p["highlight"][1] <= p["end"]
    assert answer["passages"][0]["highlight"] is not None
    docs = {d["doc_id"]: d for d in json.loads(run("docs", "--json", *cli.flags).stdout)}
    first = answer["passages"][0]
    text = (cli.docs / docs[first["doc_id"]]["path"]).read_text(encoding="utf-8")  # plain UTF-8, LF
    assert text[first["start"] : first["end"]] == first["text"]
    assert "4.8TB/s" in first["text"]


def test_plain_output_marks_the_answer_and_under_a_refusal_neither_marks_nor_rates_a_passage(cli):
    answered = run("ask", QUESTION, *cli.flags)
    assert answered.returncode == 0 and "»" in answered.stdout and "confidence" in answered.stdout
    refused = run("ask", "What did Samsung say about the H200 export decision?", *cli.flags)
    assert refused.returncode == 0 and "do not answer" in refused.stdout
    assert "»" not in refused.stdout and "confidence" not in refused.stdout and "¶" in refused.stdout
    # the converted line marks the answer too, where the conversion put it (it dropped the marks)
    converted = run("ask", QUESTION, "--script", "traditional", *cli.flags).stdout
    arrow = [line for line in converted.splitlines() if line.strip().startswith("→")]
    assert arrow and "»" in arrow[0] and "«" in arrow[0], converted


def test_empty_question_is_refused_without_traceback(cli):
    assert_clean_error(run("ask", "", *cli.flags), "question", "empty")


@pytest.mark.parametrize(("flags", "lang", "expected"), [
    (["--since", "notadate"], "C", "error: --since must be a date written YYYY-MM-DD, such as 2025-10-01; got 'notadate'"),
    (["--until", "2025-13-01"], "zh_TW.UTF-8", "error: --until 必須是 YYYY-MM-DD 格式的日期，例如 2025-10-01；收到的是「2025-13-01」"),
    (["--since", "2025-12-10", "--until", "2025-12-01"], "C",
     "error: --since 2025-12-10 is after --until 2025-12-01; swap them or widen the range"),
], ids=["since", "until-zh-Hant", "order"])
def test_a_bad_date_names_the_flag_the_user_typed(cli, flags, lang, expected):
    """`qa ask --since notadate` said "date_from must be ...": the name of a parameter the user never typed."""
    out = run("ask", QUESTION, *cli.flags, *flags, env={"LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""})
    assert_clean_error(out)
    assert out.stderr.strip() == expected and "date_" not in out.stderr


@pytest.mark.parametrize(("flags", "lang", "expected"), [
    (["--setting", "keyword_weight", "0.1"], "zh_CN.UTF-8",
     "error: --setting keyword_weight：没有这个设置；是不是 keyword_weight_zh / keyword_weight_other？`qa settings` 列出全部设置"),
    (["--setting", "sentence_share", "7"], "zh_TW.UTF-8",
     "error: 設定 sentence_share（QA_SENTENCE_SHARE）必須在 0 到 1 之間，收到的是 '7'"),
    (["--setting", "k", "2.5"], "C", "error: setting k (QA_K) must be a whole number, got '2.5'"),
], ids=["unknown-zh-Hans", "range-zh-Hant", "whole-en"])
def test_a_bad_setting_is_said_whole_in_the_terminals_language(cli, flags, lang, expected):
    """A Chinese terminal got "請求無效：" and then the English sentence, with every one of ~100 setting names; now
    the whole message is in its language, names the nearest setting and points to `qa settings`."""
    out = run("ask", QUESTION, *cli.flags, *flags, env={"LANG": lang, "LC_ALL": "", "LC_MESSAGES": ""})
    assert_clean_error(out)
    assert out.stderr.strip() == expected


def test_settings_lists_the_environment_variables():
    out = run("settings")
    assert out.returncode == 0, out.stderr
    for env in ("QA_K", "QA_KEYWORD_WEIGHT_ZH"):
        assert re.search(rf"\b{env}\b", out.stdout), out.stdout
    # a setting's range is listed where it is checked, so a user learns it before being refused
    assert re.search(r"^max_k\s.*\(at least 1\)", out.stdout, re.M) and re.search(r"^sentence_share\s.*\(from 0 to 1\)", out.stdout, re.M)


def test_settings_shows_what_the_flags_give_and_hides_only_secrets():
    """embed_tokens was masked as a secret ("token" in its name) and claimed changed; `qa settings --setting` and
    `--docs` were refused though every command takes them."""
    out = run("settings", "--setting", "k", "3", "--docs", "elsewhere", env={"QA_ADMIN_TOKEN": "s3cret-value"})
    assert out.returncode == 0, out.stderr
    lines = {line.split()[0]: line for line in out.stdout.splitlines() if line.strip()}
    assert lines["k"].endswith("[now 3]") and lines["docs_dir"].endswith("elsewhere']")
    assert "[now" not in lines["embed_tokens"] and "***" not in out.stdout
    assert lines["admin_token"].endswith("[set]") and "s3cret-value" not in out.stdout


def test_setting_flag_overrides_and_is_checked(cli):
    assert len(ask_json(cli, "--setting", "k", "2")["passages"]) == 2
    out = run("ask", QUESTION, *cli.flags, "--setting", "nope", "1")
    assert_clean_error(out, "nope")
    valid = [line.split()[0] for line in run("settings").stdout.splitlines() if re.match(r"\S+\s+QA_", line)]
    assert sum(re.search(rf"\b{name}\b", out.stderr) is not None for name in valid) >= 3, out.stderr  # lists the valid ones
    said = run("ask", QUESTION, "--json", *cli.flags, "--setting", "nope", "1")  # under --json, the API's error object
    assert said.returncode == 2 and json.loads(said.stdout) == {"ok": False, "error": out.stderr.strip()[7:], "status": 400}


def test_docs_lists_the_seed_articles(cli):
    out = run("docs", "--json", *cli.flags)
    assert out.returncode == 0, out.stderr
    assert {d["doc_id"] for d in json.loads(out.stdout)} == SEED_ARTICLES


def test_installed_console_script():
    beside = Path(sys.executable).parent / "qa"
    script = str(beside) if beside.exists() else shutil.which("qa")
    if script is None:
        pytest.skip("no `qa` console script: install the package (`pip install --no-deps -e .`, as scripts/setup.sh does)")
    out = subprocess.run([script, "--help"], cwd=ROOT, env=ENV, capture_output=True, text=True, timeout=120, check=False)
    assert out.returncode == 0, out.stderr
    assert "ask" in out.stdout and "build" in out.stdout


def test_a_replace_is_undone_from_the_command_line(cli, tmp_path):
    """`qa docs --restore` of a replaced version said "delete it first", and `qa` had no way to delete."""
    new = tmp_path / "fab.txt"
    new.write_text("高雄新廠\n台積電高雄二奈米廠預計2025年量產。", encoding="utf-8")
    assert run("add", str(new), *cli.flags, "--no-progress").returncode == 0
    new.write_text("高雄新廠\n台積電高雄二奈米廠延後到2026年量產。", encoding="utf-8")
    assert run("add", str(new), *cli.flags, "--no-progress").returncode == 0  # replaces fab.txt
    refused = run("docs", "--restore", "fab", *cli.flags)
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "delete it first (`qa docs --delete fab`" in refused.stderr, refused.stderr
    deleted = run("docs", "--delete", "fab", "--json", *cli.flags)
    assert deleted.returncode == 0 and json.loads(deleted.stdout)["deleted"]["doc_id"] == "fab", deleted.stderr
    trash = json.loads(run("docs", "--trash", "--json", *cli.flags).stdout)
    first = next(d["trash_id"] for d in trash if d["doc_id"] == "fab" and d["reason"] == "replaced")
    listed = subprocess.run([sys.executable, "-m", "qa", "docs", "--trash", *cli.flags], cwd=ROOT, text=True,
                            env=ENV | {"LANG": "zh_TW.UTF-8"}, capture_output=True, timeout=600, check=False).stdout
    assert f"{first}\t高雄新廠\t已被取代 " in listed and "replaced" not in listed, listed  # in the terminal's language
    assert run("docs", "--restore", first, *cli.flags).returncode == 0
    answer = json.loads(run("ask", "高雄二奈米廠預計哪一年量產？", "--json", *cli.flags).stdout)
    assert not answer["abstained"] and "2025" in answer["passages"][0]["text"]
    assert run("docs", "--delete", "fab", *cli.flags).returncode == 0  # leave the module's library as it was


def test_output_cut_short_by_a_pipe_is_not_a_traceback(cli):
    """`qa ask ... | head -2` printed BrokenPipeError with a traceback (here the reader is gone before the first line)."""
    command = f"{sys.executable} -m qa ask '{QUESTION}' {' '.join(cli.flags)} | true"
    out = subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=ROOT, env=ENV, capture_output=True, text=True,
                         timeout=600, check=False)
    assert out.returncode == 0 and "Traceback" not in out.stderr and "BrokenPipe" not in out.stderr, out.stderr


def test_eval_and_bench_squad_name_a_file_they_cannot_read(tmp_path):
    """`qa eval` on a missing file or a folder printed FileNotFoundError / IsADirectoryError with a traceback."""
    for path in (tmp_path / "nope.jsonl", tmp_path):
        assert_clean_error(run("eval", str(path)), str(path), "cannot read")
        assert_clean_error(run("bench", "squad", str(path)), str(path), "cannot read")


@pytest.mark.parametrize(("args", "status"), [
    (["ask", ""], 400), (["eval", "{tmp}/nope.jsonl"], 400), (["bench", "squad", "{tmp}/nope.json"], 400),
    (["docs", "--delete", "nosuch"], 404), (["ask", "x", "--k", "abc"], 400), (["ask"], 400),
], ids=["empty-question", "eval-file", "bench-file", "docs-delete", "argparse-type", "argparse-missing"])
def test_with_json_every_error_is_the_apis_json_object_on_stdout(tmp_path, args, status):
    """`qa ask "" --json` printed a plain "error: …" line on stderr: a script reading stdout as JSON got nothing to
    parse. Under --json the error is the HTTP API's object (qa.errors.error_body), with the same exit status 2 and
    the same message as without --json."""
    from qa.api import error_body as api_error_body
    from qa.errors import error_body

    assert api_error_body is error_body  # one copy of the shape
    flags = [] if args[0] == "bench" else ["--docs", str(tmp_path / "docs"), "--index", str(tmp_path / "index")]
    args = [a.format(tmp=tmp_path) for a in args]
    plain = run(*args, *(flags if len(args) > 1 else []))
    out = run(*args, "--json", *(flags if len(args) > 1 else []))
    assert out.returncode == plain.returncode == 2, (out.stdout, out.stderr)
    body = json.loads(out.stdout)
    assert set(body) == {"ok", "error", "status"} and body["ok"] is False and body["status"] == status
    assert "Traceback" not in out.stderr and "error:" not in out.stderr
    said = plain.stderr.strip().splitlines()[-1]  # "error: …" (argparse: "qa ask: error: …", after its usage lines)
    assert said.replace("error: ", "") == body["error"], (said, body)


def test_bench_squad_refuses_a_malformed_file_naming_the_element(tmp_path):
    """A paragraph with "text" for "context" printed KeyError: 'context' with a traceback."""
    path = tmp_path / "squad.json"
    path.write_text(json.dumps({"data": [{"paragraphs": [{"text": "c", "qas": []}]}]}))
    assert_clean_error(run("bench", "squad", str(path)), str(path), 'data[0].paragraphs[0]: no "context"')


def test_bench_speed_names_a_question_file_it_cannot_read(tmp_path):
    """`qa bench speed --questions` read the file on its own: a missing one was a FileNotFoundError traceback."""
    path = tmp_path / "nope.jsonl"
    assert_clean_error(run("bench", "speed", "--questions", str(path), "--no-ingest"), str(path), "cannot read")


def test_add_and_build_name_the_store_they_wrote_to(tmp_path) -> None:
    """`qa add --store x.db` reported "index index/" (the local folder it never touched)."""
    from qa.settings import Settings

    assert Settings.load(store=str(tmp_path / "m.db"), index_dir=tmp_path / "idx").index_location == str(tmp_path / "m.db")
    assert Settings.load(store="local", index_dir=tmp_path / "idx").index_location == str(tmp_path / "idx")


def test_bench_squad_refuses_a_file_without_questions(tmp_path):
    """A valid SQuAD file whose paragraphs hold no questions ran the benchmark and reported 0 queries."""
    path = tmp_path / "squad.json"
    path.write_text(json.dumps({"data": [{"title": "t", "paragraphs": [{"context": "The H200 has 141GB.", "qas": []}]}]}))
    assert_clean_error(run("bench", "squad", str(path)), str(path), "no questions")


@pytest.mark.parametrize(("content", "words"), [
    (None, "cannot read"),
    ("{not json", "cannot read SQuAD JSON"),
    (json.dumps({"data": [{"paragraphs": [{"text": "c"}]}]}), 'data[0].paragraphs[0]: no "context"'),
    (json.dumps({"data": []}), "no paragraphs"),
], ids=["missing", "not-json", "wrong-shape", "empty"])
def test_bench_speed_checks_its_contexts_files_first(tmp_path, content, words):
    """`qa bench speed --contexts BAD` timed cold starts and queries first, then failed in the ingest child with
    `RuntimeError: ingest benchmark failed` and a traceback. Now refused at once with `bench squad`'s messages
    (--cold-runs 0 --queries 1: even then the cold start and the query loop run before the ingest)."""
    path = tmp_path / "contexts.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    out = run("bench", "speed", "--contexts", str(path), "--docs", str(tmp_path / "no-docs"),
              "--index", str(tmp_path / "no-index"), timeout=120)
    assert_clean_error(out, str(path), words)
    assert not (tmp_path / "no-index").exists()  # nothing was built


@pytest.mark.parametrize("args", [
    ("eval", "QUESTIONS", "--k", "0"),  # printed hit@0 0.0 beside the real metrics
    ("eval", "QUESTIONS", "--k", "-1"),
    ("bench", "squad", "SQUAD", "--k", "0"),  # every question failed inside and was reported as refused: recall 0
    ("bench", "squad", "SQUAD", "--limit", "-1"),  # left out the last question
    ("bench", "squad", "SQUAD", "--limit", "0"),  # asked all of them
    ("bench", "sweep", "SQUAD", "--k", "0"),
    ("bench", "speed", "--cold-runs", "0", "--no-ingest"),  # StatisticsError traceback after the query loop
    ("bench", "speed", "--queries", "0", "--no-ingest"),  # asked one
    ("bench", "speed", "--batch-sizes", "16,lots", "--no-ingest"),  # ValueError traceback
    ("bench", "speed", "--batch-sizes", "0", "--no-ingest"),
    ("bench", "speed", "--ingest-limit", "0"),
    ("bench", "update", "SQUAD", "--paragraphs", "0"),
    ("bench", "ingest", "--limit", "-2"),
], ids=lambda a: " ".join(a))
def test_counts_on_the_command_line_must_be_whole_numbers_of_at_least_one(tmp_path, args):
    """A count flag below 1 was taken and gave a wrong report or a traceback late in the run; now argparse refuses
    it at once naming the flag (exit 2, no traceback)."""
    squad = tmp_path / "squad.json"
    squad.write_text(json.dumps({"data": [{"title": "t", "paragraphs": [{"context": "The H200 has 141GB.", "qas": [
        {"id": "a", "question": "How much memory does the H200 have?", "answers": [{"text": "141GB"}]}]}]}]}))
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "a", "lang": "en", "question": "H200 memory?", "answers": ["141GB"]}) + "\n")
    args = [{"SQUAD": str(squad), "QUESTIONS": str(questions)}.get(a, a) for a in args]
    flag = next(a for a in args if a.startswith("--") and a != "--no-ingest")
    out = run(*args, "--docs", str(tmp_path / "docs"), timeout=60)
    assert_clean_error(out, f"argument {flag}", "a whole number of at least 1")


def test_bench_ingest_of_nothing_is_an_error_not_a_report_of_zeros(tmp_path):
    """`qa bench ingest /missing` printed "0 documents … passages/s 0.0" and exited 0."""
    assert_clean_error(run("bench", "ingest", str(tmp_path / "missing"), "--no-references", timeout=120),
                       "no such file or folder")
    (tmp_path / "empty").mkdir()
    assert_clean_error(run("bench", "ingest", str(tmp_path / "empty"), "--no-references", timeout=120),
                       "no articles to index")


def test_eval_out_naming_a_file_is_refused_before_the_questions_are_asked(tmp_path):
    """`qa eval Q --out report.txt` (an existing file) asked every question, then ended in FileExistsError."""
    out_file = tmp_path / "report.txt"
    out_file.write_text("keep me")
    questions = tmp_path / "q.jsonl"
    questions.write_text(json.dumps({"id": "a", "lang": "en", "question": "H200 memory?", "answers": ["141GB"]}) + "\n")
    out = run("eval", str(questions), "--out", str(out_file), "--docs", str(tmp_path / "docs"),
              "--index", str(tmp_path / "index"), timeout=120)
    assert_clean_error(out, "--out", str(out_file), "not a folder")
    assert out_file.read_text() == "keep me" and not (tmp_path / "index").exists()
