"""``python -m bot knowledge …``: check, build, inspect and change the knowledge.

The changing commands are the same operations admins run from Telegram, and
are recorded in the audit log as done by ``cli``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import TypeVar

from bot.knowledge_admin import (
    AdminSession,
    Article,
    Change,
    KnowledgeAdmin,
    UploadKind,
    check_upload,
)
from bot.runtime import create_embedder, open_store, prepare_database
from bot.settings import Settings
from knowledge.index import passage_texts, state_items
from knowledge.loading import check_knowledge_text, load_knowledge_file, read_text_file
from knowledge.vectors import SHIPPED_VECTORS, write_shipped_vectors
from knowledge.versions import current_state, load_at_startup

CLI_ACTOR = "cli"
T = TypeVar("T")


def run_validate(args: argparse.Namespace, settings: Settings) -> int:
    """Print every problem of a knowledge file; exit 1 when there is any."""
    path = Path(args.file) if args.file else settings.knowledge_path
    try:
        text = read_text_file(path)
    except (OSError, UnicodeDecodeError) as error:
        print(f"{path}: cannot read: {error}", file=sys.stderr)
        return 1
    knowledge, problems = check_knowledge_text(text, name=str(path))
    for problem in problems:
        print(problem)
    if knowledge is None:
        print(f"{len(problems)} problem(s) in {path}", file=sys.stderr)
        return 1
    print(f"{path}: valid: {len(knowledge.facts)} facts, {len(knowledge.entities)} entities, "
          f"{len(knowledge.sources)} source(s)")
    return 0


def run_build(args: argparse.Namespace, settings: Settings) -> int:
    """Build the index from the knowledge file when needed (always, with --force)."""
    store = open_store(settings)
    try:
        before = store.meta("built_at")
        load_at_startup(store, settings.knowledge_path)
        state = current_state(store)
        if args.force and state is not None:
            store.prepare(state_items(state))
            store.replace_state(state)
        built = store.meta("built_at") != before
        print(f"{settings.database_file}: {'built' if built else 'already up to date'}, "
              f"version {store.version}")
    finally:
        store.close()
    return 0


def run_vectors(args: argparse.Namespace, settings: Settings) -> int:
    """Compute the vectors of the knowledge file's statements, shipped with the package
    so that no database build (the tests', a first start's) has to embed them."""
    knowledge = load_knowledge_file(settings.knowledge_path)
    texts = [text for fact in knowledge.facts for text in passage_texts(fact)]
    count = write_shipped_vectors(texts, create_embedder(settings))
    print(f"{SHIPPED_VECTORS}: {count} vectors")
    return 0


def run_stats(args: argparse.Namespace, settings: Settings) -> int:
    """Print what the knowledge holds (one JSON object with --json)."""
    prepare_database(settings)
    store = open_store(settings)
    try:
        stats = store.stats()
    finally:
        store.close()
    if args.json:
        print(json.dumps(stats.as_dict(), ensure_ascii=False))
    else:
        print(f"version {stats.version}: {stats.facts} facts, {stats.entities} entities, "
              f"{stats.sources} source(s); paragraphs cited: "
              + ", ".join(str(number) for number in stats.cited_paragraphs))
    return 0


def change_summary(change: Change) -> str:
    """One line: the new version and what changed, or that nothing did."""
    if change.version is None:
        return "no change: this knowledge is already being served"
    version = change.version
    return f"now serving version #{version.id} ({version.content_hash}): {change.diff.summary()}"


def _perform(settings: Settings, work: Callable[[AdminSession], T], *, action: str,
             detail: str = "") -> T:
    """Run an admin operation as ``cli`` (audited), once the database serves a first
    version (and only then: a changed knowledge file is for ``reload`` to apply, and
    to report)."""
    def serving_first(session: AdminSession) -> T:
        session.ensure_serving()
        return work(session)

    return KnowledgeAdmin(settings).perform(serving_first, actor=CLI_ACTOR, action=action,
                                            detail=detail)


def run_reload(args: argparse.Namespace, settings: Settings) -> int:
    """Read the knowledge file again and serve it if it changed."""
    print(change_summary(_perform(settings, AdminSession.reload, action="reload",
                                  detail=str(settings.knowledge_path))))
    return 0


def _upload_file(args: argparse.Namespace, settings: Settings, *, kind: UploadKind,
                 action: str) -> tuple[Article | None, Change]:
    """Check the file's kind before reading it, then apply it as an admin upload."""
    path = Path(args.file)
    check_upload(path.name, path.stat().st_size, expected=kind)
    data = path.read_bytes()
    return _perform(settings, lambda session: session.upload(data, name=path.name,
                                                             expected=kind),
                    action=action, detail=path.name)


def run_upload(args: argparse.Namespace, settings: Settings) -> int:
    """Serve a knowledge file (checked first) as a new version."""
    _, change = _upload_file(args, settings, kind="knowledge", action="upload")
    print(change_summary(change))
    return 0


def run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Add an article (.txt or .md) so questions about it are answered."""
    article, change = _upload_file(args, settings, kind="article", action="ingest")
    if article is not None:
        print(f"{article.id}: \u201c{article.title}\u201d, {len(article.paragraphs)} "
              f"paragraphs ({article.encoding})")
    print(change_summary(change))
    return 0


def run_versions(args: argparse.Namespace, settings: Settings) -> int:
    """List the latest versions."""
    for version in _perform(settings, lambda session: session.versions(limit=args.limit),
                            action="versions"):
        print(f"#{version.id} {version.content_hash} {version.created_at} by {version.actor}: "
              f"{version.action}: {version.summary}")
    return 0


def run_rollback(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the previous (or the named) version again."""
    print(change_summary(_perform(settings, lambda session: session.rollback(args.version),
                                  action="rollback", detail=args.version or "previous")))
    return 0


def run_sources(args: argparse.Namespace, settings: Settings) -> int:
    """List the built-in and ingested sources."""
    for source in _perform(settings, AdminSession.list_sources, action="sources_list"):
        kind = "built-in" if source.builtin else f"ingested {source.added_at} by {source.added_by}"
        print(f"{source.id}: \u201c{source.title}\u201d, {source.paragraphs} paragraphs, {kind}")
    return 0


def run_remove_source(args: argparse.Namespace, settings: Settings) -> int:
    """Stop serving an ingested article."""
    print(change_summary(_perform(settings, lambda session: session.remove_source(args.source),
                                  action="remove_source", detail=args.source)))
    return 0


def run_usage(args: argparse.Namespace, settings: Settings) -> int:
    """Print the question statistics shown by /stats (as JSON with --json)."""
    report, votes = _perform(settings, AdminSession.usage, action="stats")
    if args.json:
        print(json.dumps({**asdict(report), "votes": asdict(votes)}, ensure_ascii=False))
        return 0
    for name, counts in report.periods.items():
        print(f"{name}: {counts.questions} questions, {counts.answered} answered, "
              f"{counts.declined} declined")
    print(f"languages: {report.by_language}; fallbacks: {report.fallbacks}; "
          f"LLM errors: {report.llm_errors}")
    print(f"answer time: median {report.median_seconds}, p95 {report.p95_seconds} s; tokens: "
          f"{report.prompt_tokens} prompt, {report.completion_tokens} completion")
    for text, count in report.top_declined:
        print(f"declined {count}x: {text}")
    print(f"votes: {votes.answers} answers kept, {votes.voted_up} voted up, "
          f"{votes.voted_down} voted down")
    for item in votes.most_down:
        print(f"voted down {item.down}x: {item.question}")
    return 0


def add_knowledge_commands(commands: argparse._SubParsersAction) -> None:
    """Register ``knowledge <action>`` on the main parser."""
    knowledge = commands.add_parser("knowledge", help="check, build, inspect and change the "
                                                      "knowledge")
    actions = knowledge.add_subparsers(dest="action", required=True, metavar="ACTION")

    def action(name: str, handler: Callable[[argparse.Namespace, Settings], int],
               help_text: str) -> argparse.ArgumentParser:
        parser = actions.add_parser(name, help=help_text)
        parser.set_defaults(handler=handler)
        return parser

    action("validate", run_validate, "check a knowledge file, listing every problem").add_argument(
        "file", nargs="?", help="file to check (default: KNOWLEDGE_PATH)")
    action("build", run_build, "build the search index when needed").add_argument(
        "--force", action="store_true", help="rebuild even when up to date")
    action("vectors", run_vectors, "compute the statement vectors shipped with the package")
    action("stats", run_stats, "counts, cited paragraphs and version").add_argument(
        "--json", action="store_true", help="print one JSON object")
    action("reload", run_reload, "read the knowledge file again and serve it if it changed")
    action("upload", run_upload, "serve a knowledge file as a new version").add_argument(
        "file", help="a .yaml, .yml or .json knowledge file")
    action("ingest", run_ingest, "add an article so questions about it are answered"
           ).add_argument("file", help="a .txt or .md article (UTF-8, GB18030 or Big5)")
    action("versions", run_versions, "list the latest versions").add_argument(
        "--limit", type=int, default=10, help="how many (default 10)")
    action("rollback", run_rollback, "serve the previous (or the named) version again"
           ).add_argument("version", nargs="?", help="version number or content hash")
    action("sources", run_sources, "list the built-in and ingested sources")
    action("remove-source", run_remove_source, "stop serving an ingested article").add_argument(
        "source", help="the article's source id (see `knowledge sources`)")
    action("usage", run_usage, "question statistics (what /stats shows)").add_argument(
        "--json", action="store_true", help="print one JSON object")
