"""The command line as a user runs it: ``python -m bot …``, in this process through
``main(argv)`` (the ``cli`` fixture), and once in a child process as a smoke test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import CommandLine
from tests.support.processes import run_bot

ROOT = Path(__file__).resolve().parent.parent
CONTENT_PARAGRAPHS = {3, 4, 5, 7, 8, 9, 10, 11, 13, 14, 15, 16, 17, 18, 19}


def test_cli_knowledge_stats_json_lists_every_content_paragraph(cli: CommandLine,
                                                                tmp_path: Path) -> None:
    result = cli("knowledge", "stats", "--json", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert stats["facts"] >= 60 and stats["entities"] > 0 and stats["sources"] == 1
    assert set(stats["cited_paragraphs"]) >= CONTENT_PARAGRAPHS
    assert stats["cited_paragraphs"] == sorted(stats["cited_paragraphs"])
    assert len(stats["version"]) == 16
    assert (tmp_path / "bot.db").exists()


def test_cli_knowledge_validate_reports_problems_with_lines(cli: CommandLine,
                                                            tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema_version: 1\nsources: []\nfacts:\n  - id: x\n", encoding="utf-8")
    result = cli("knowledge", "validate", str(bad), data_dir=tmp_path)
    assert result.returncode == 1
    assert f"{bad}:2: sources" in result.stdout and "fact x" in result.stdout


def test_cli_knowledge_validate_accepts_the_bundled_file(cli: CommandLine, tmp_path: Path) -> None:
    result = cli("knowledge", "validate", data_dir=tmp_path)
    assert result.returncode == 0 and "valid" in result.stdout


def test_cli_knowledge_build_is_skipped_when_up_to_date(cli: CommandLine, tmp_path: Path) -> None:
    first = cli("knowledge", "build", data_dir=tmp_path)
    second = cli("knowledge", "build", data_dir=tmp_path)
    assert "built" in first.stdout and "already up to date" in second.stdout


@pytest.mark.parametrize(("question", "language", "figure"), [
    ("OpenAI 最新一輪融資籌了多少錢？", "zh-Hant", "66億美元"),
    ("OpenAI 最新一轮融资筹了多少钱？", "zh-Hans", "66亿美元"),
    ("How much did OpenAI raise in its latest round?", "en", "US$6.6 billion"),
])
def test_cli_ask_json_answers_one_question(cli: CommandLine,
                                           tmp_path: Path, question: str, language: str,
                                           figure: str) -> None:
    result = cli("ask", "--json", question, data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["answered"] is True and figure in answer["answer"]
    assert (answer["language"], answer["backend"]) == (language, "offline")
    assert answer["sources"][0]["source"] == "cbj-2024-openai-hardware"
    assert 10 in answer["sources"][0]["paragraphs"]


def test_cli_ask_reads_questions_from_stdin_one_per_line(cli: CommandLine, tmp_path: Path) -> None:
    questions = ("Who is building OpenAI's first chip?\n\n今天天氣如何？\n"
                 "When was Figure AI founded?\n")
    result = cli("ask", "--json", data_dir=tmp_path, stdin=questions)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 0 and len(lines) == 3
    assert [line["answered"] for line in lines] == [True, False, True]
    assert lines[1]["sources"] == [] and lines[1]["language"] == "zh-Hant"


def test_cli_ask_prints_sources_under_a_text_answer(cli: CommandLine, tmp_path: Path) -> None:
    result = cli("ask", "When was Figure AI founded?", data_dir=tmp_path)
    assert result.returncode == 0
    assert "2022" in result.stdout and "Sources:" in result.stdout and "¶16" in result.stdout


def test_cli_ask_falls_back_and_never_prints_the_key(cli: CommandLine, tmp_path: Path) -> None:
    secret = "sk-very-secret-value-123"
    result = cli("ask", "--json", "When was Figure AI founded?", data_dir=tmp_path,
                     env={"OPENAI_API_KEY": secret, "OPENAI_BASE_URL": "http://127.0.0.1:9/v1",
                          "LLM_MAX_RETRIES": "0", "LLM_TIMEOUT": "2"})
    answer = json.loads(result.stdout)
    assert result.returncode == 0
    assert (answer["backend"], answer["fallback"], answer["llm_error"]) == (
        "offline", True, "connection")
    assert "2022" in answer["answer"]
    assert secret not in result.stdout + result.stderr


def test_cli_chat_runs_commands_and_questions(cli: CommandLine, tmp_path: Path) -> None:
    script = "\n".join(["/help", "When was Figure AI founded?", "/sources", "/reset",
                        "/sources", "/quit"]) + "\n"
    result = cli("chat", data_dir=tmp_path, stdin=script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "/sources" in out and "2022" in out
    assert out.count("¶16") >= 2  # in the answer, then in /sources with the statement
    assert "this conversation is forgotten" in out and "cited no sources" in out


def test_cli_invalid_setting_is_one_line_without_the_value(cli: CommandLine,
                                                           tmp_path: Path) -> None:
    result = cli("knowledge", "stats", data_dir=tmp_path,
                     env={"LLM_TIMEOUT": "not-a-number-secret"})
    assert result.returncode == 2
    assert "llm_timeout" in result.stderr and "not-a-number-secret" not in result.stderr


def test_cli_knowledge_ingest_versions_rollback_and_sources(cli: CommandLine,
                                                            tmp_path: Path) -> None:
    article = tmp_path / "frost.md"
    text = "# 星辰科技的寒霜散熱模組\n\n寒霜散熱模組能讓 AI 晶片的溫度降低攝氏十五度。\n"
    article.write_bytes(text.encode("gb18030"))
    ingested = cli("knowledge", "ingest", str(article), data_dir=tmp_path)
    assert ingested.returncode == 0, ingested.stderr
    assert "gb18030" in ingested.stdout and "version #2" in ingested.stdout
    again = cli("knowledge", "ingest", str(article), data_dir=tmp_path)
    assert "no change" in again.stdout
    answer = json.loads(cli("ask", "--json", "寒霜散熱模組能讓晶片降溫多少？",
                                data_dir=tmp_path).stdout)
    assert answer["answered"] and answer["sources"][0]["source"].startswith("article-")
    sources = cli("knowledge", "sources", data_dir=tmp_path).stdout
    assert "built-in" in sources and "ingested" in sources
    rolled = cli("knowledge", "rollback", data_dir=tmp_path)
    assert "version #3" in rolled.stdout and "-1 article(s)" in rolled.stdout
    versions = cli("knowledge", "versions", data_dir=tmp_path).stdout.splitlines()
    assert [line.split()[0] for line in versions] == ["#3", "#2", "#1"]


def test_cli_knowledge_upload_refuses_a_broken_file(cli: CommandLine, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 1\nsources: []\n", encoding="utf-8")
    result = cli("knowledge", "upload", str(broken), data_dir=tmp_path)
    assert result.returncode == 1 and "broken.yaml:2" in result.stderr


@pytest.mark.parametrize(("action", "name"), [("ingest", "notes.pdf"), ("ingest", "k.yaml"),
                                              ("upload", "article.txt")])
def test_cli_knowledge_refuses_the_wrong_kind_of_file(cli: CommandLine, tmp_path: Path, action: str,
                                                      name: str) -> None:
    path = tmp_path / name
    path.write_text("A title\nA paragraph about chips.\n", encoding="utf-8")
    result = cli("knowledge", action, str(path), data_dir=tmp_path)
    assert result.returncode == 1 and f"error: {name}: expected a file ending in" in result.stderr
    assert not (tmp_path / "bot.db").exists()  # refused before the database was touched


def test_cli_knowledge_usage_json_starts_empty(cli: CommandLine, tmp_path: Path) -> None:
    result = cli("knowledge", "usage", "--json", data_dir=tmp_path)
    usage = json.loads(result.stdout)
    assert usage["periods"]["all"] == {"questions": 0, "answered": 0, "declined": 0}


@pytest.mark.slow
def test_cli_python_m_bot_answers_in_a_child_process(tmp_path: Path) -> None:
    result = run_bot("ask", "--json", "When was Figure AI founded?", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["answered"] and "2022" in answer["answer"]
