"""The knowledge file checker reports every problem with its place."""

from __future__ import annotations

import json
import textwrap
import time

import pytest
import yaml

from knowledge.loading import MAX_FACTS, _line_map, check_knowledge_text, content_hash
from knowledge.schema import KnowledgeFile

VALID = textwrap.dedent("""\
    schema_version: 1
    sources:
      - id: article
        title: {zh: 標題, en: Title}
        outlet: {zh: 報社, en: Paper}
        date: "2024-10"
        language: zh-Hant
        paragraphs: 5
    entities:
      - id: tsmc
        kind: company
        names: {zh-Hant: 台積電, zh-Hans: 台积电, en: TSMC}
    facts:
      - id: one
        source: article
        paragraphs: [2]
        entities: [tsmc]
        zh: 台積電（TSMC）替客戶代工晶片。
        en: TSMC makes chips for its customers.
    """)


def codes(text: str) -> list[tuple[str | None, str | None, str]]:
    _, problems = check_knowledge_text(text, name="k.yaml")
    return [(problem.fact_id, problem.field, problem.code) for problem in problems]


def test_check_knowledge_text_valid_file_has_no_problems() -> None:
    knowledge, problems = check_knowledge_text(VALID, name="k.yaml")
    assert problems == []
    assert knowledge is not None and knowledge.facts[0].id == "one"


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("paragraphs: [2]", "paragraphs: [2, 9]", ("one", "paragraphs.1", "paragraph_out_of_range")),
    ("entities: [tsmc]", "entities: [tsmc, nvidia]", ("one", "entities.1", "unknown_entity")),
    ("source: article", "source: elsewhere", ("one", "source", "unknown_source")),
    ("    en: TSMC makes chips for its customers.\n", "", ("one", "en", "missing")),
    ("zh: 台積電（TSMC）替客戶代工晶片。", 'zh: "  "', ("one", "zh", "string_too_short")),
    ("zh: 台積電（TSMC）替客戶代工晶片。", "zh: only english", ("one", "zh", "not_chinese")),
    ("    en: TSMC", "    colour: red\n    en: TSMC", ("one", "colour", "extra_forbidden")),
    ("en: TSMC makes", "en: TSMC (台積電) makes", ("one", "en", "not_english")),
])
def test_check_knowledge_text_reports_fact_problem(old: str, new: str,
                                                   expected: tuple[str, str, str]) -> None:
    assert old in VALID
    assert codes(VALID.replace(old, new)) == [expected]


def test_check_knowledge_text_reports_every_problem_at_once_with_lines() -> None:
    broken = VALID + textwrap.indent(textwrap.dedent("""\
        - id: one
          source: article
          paragraphs: [7]
          entities: [ghost]
          zh: 重複
          en: duplicate
        """), "  ")
    _, problems = check_knowledge_text(broken, name="k.yaml")
    found = {(problem.code, problem.line) for problem in problems}
    assert found == {("duplicate_id", 20), ("paragraph_out_of_range", 22), ("unknown_entity", 23)}
    assert all(str(problem).startswith("k.yaml:") for problem in problems)


def test_check_knowledge_text_reports_yaml_syntax_error_line() -> None:
    _, problems = check_knowledge_text(VALID.replace("paragraphs: [2]", "paragraphs: [2"),
                                       name="k.yaml")
    assert [problem.code for problem in problems] == ["syntax"]
    assert problems[0].line is not None and problems[0].line >= 16


@pytest.mark.parametrize("text", ["", "just a string", "- a\n- list\n", "{}"])
def test_check_knowledge_text_refuses_non_knowledge(text: str) -> None:
    knowledge, problems = check_knowledge_text(text, name="k.yaml")
    assert knowledge is None and problems


def test_check_knowledge_text_accepts_json() -> None:
    import json

    import yaml
    knowledge, problems = check_knowledge_text(json.dumps(yaml.safe_load(VALID)), name="k.json")
    assert problems == [] and knowledge is not None


def test_content_hash_ignores_comments_and_layout() -> None:
    first, _ = check_knowledge_text(VALID, name="a")
    second, _ = check_knowledge_text("# a comment\n" + VALID.replace("[tsmc]", "\n      - tsmc"),
                                     name="b")
    changed, _ = check_knowledge_text(VALID.replace("paragraphs: [2]", "paragraphs: [3]"), name="c")
    assert first and second and changed
    assert content_hash(first) == content_hash(second) != content_hash(changed)


def alias_bomb(levels: int = 8) -> str:
    """The 386-byte kind of file that expands to billions of values ("billion laughs")."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_check_knowledge_text_refuses_an_alias_bomb_before_expanding_it() -> None:
    started = time.process_time()
    knowledge, problems = check_knowledge_text(alias_bomb(), name="bomb.yaml")
    assert knowledge is None and [p.code for p in problems] == ["yaml_alias"]
    assert problems[0].line == 1 and time.process_time() - started < 1


def test_check_knowledge_text_refuses_a_valid_file_sharing_an_anchored_list() -> None:
    shared = VALID.replace("    entities: [tsmc]\n", "    entities: &shared [tsmc]\n") + (
        "  - id: two\n    source: article\n    paragraphs: [3]\n    entities: *shared\n"
        "    zh: 台積電（TSMC）也替其他公司代工。\n    en: TSMC makes chips for others too.\n")
    _, problems = check_knowledge_text(shared, name="k.yaml")
    assert [p.code for p in problems] == ["yaml_alias"]


def test_line_map_visits_each_node_once() -> None:
    node = yaml.compose(alias_bomb(12), Loader=yaml.SafeLoader)  # 9^12 paths if followed
    started = time.process_time()
    lines = _line_map(node)
    assert time.process_time() - started < 1 and len(lines) < 1000


def test_check_knowledge_text_refuses_too_many_facts_saying_which_limit(
        bundled_knowledge: KnowledgeFile) -> None:
    facts = [fact.model_dump() | {"id": f"{fact.id}-copy-{n}"}
             for n in range(MAX_FACTS // len(bundled_knowledge.facts) + 1)
             for fact in bundled_knowledge.facts]
    text = json.dumps(bundled_knowledge.model_dump(mode="json") | {"facts": facts})
    knowledge, problems = check_knowledge_text(text, name="big.json")
    assert knowledge is None and [p.code for p in problems] == ["too_many_facts"]
    assert f"(limit {MAX_FACTS})" in problems[0].detail


def test_check_knowledge_text_refuses_deep_nesting() -> None:
    _, problems = check_knowledge_text("a: " + "[" * 500 + "]" * 500, name="deep.yaml")
    assert problems and problems[0].code in ("too_large", "syntax")


# Found by a hostile review: values YAML builds into dates or numbers that cannot be, keys
# given twice, invisible characters, and a file of empty facts.
@pytest.mark.parametrize(("old", "new", "code"), [
    ('date: "2024-10"', "date: 2024-13-45", "bad_value"),
    ("paragraphs: 5", "paragraphs: " + "1" * 5000, "bad_value"),
    ("facts:", "sources: []\nfacts:", "syntax"),
    ("    en: TSMC makes chips for its customers.",
     "    en: TSMC makes chips for its customers.\n    en: TSMC", "syntax"),
])
def test_check_knowledge_text_refuses_unreadable_values_without_raising(old: str, new: str,
                                                                        code: str) -> None:
    assert old in VALID
    knowledge, problems = check_knowledge_text(VALID.replace(old, new, 1), name="k.yaml")
    assert knowledge is None and [problem.code for problem in problems] == [code], problems


def test_check_knowledge_text_refuses_a_flood_of_empty_facts_quickly() -> None:
    text = '{"sources": [{}], "facts": [' + ",".join(["{}"] * 50_000) + "]}"
    started = time.perf_counter()
    knowledge, problems = check_knowledge_text(text, name="flood.json")
    assert knowledge is None and [problem.code for problem in problems] == ["too_many_facts"]
    assert time.perf_counter() - started < 30  # generous: it took minutes and gigabytes


@pytest.mark.parametrize("escape", ["\\u0000", "\\u202e", "\\x07"])
def test_check_knowledge_text_refuses_an_invisible_character_in_a_statement(escape: str) -> None:
    """NUL cuts a statement short in OpenCC; a direction override makes it read otherwise."""
    statement = "zh: 台積電（TSMC）替客戶代工晶片。"
    text = VALID.replace(statement, f'zh: "台積電（TSMC）{escape}替客戶代工晶片。"')
    assert text != VALID
    assert codes(text) == [("one", "zh", "bad_character")]
