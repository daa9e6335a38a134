"""Handlers for admins: refresh the knowledge from Telegram, and see how the bot is used.

Every admin command and upload from anyone else gets a short refusal and
changes nothing. Every action, allowed or refused, goes to the audit table.
Changes run in a worker thread on their own database connection, so the bot
keeps answering (from the previous version) while a new one is built.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Callable

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.admin import KnowledgeAdmin, UnsupportedUpload, upload_kind
from bot.language import Language
from handlers import admin_texts as t
from handlers import texts
from handlers.user import reader_language, reply_html, services
from knowledge.articles import MAX_UPLOAD_BYTES, Article, ArticleError
from knowledge.loading import KnowledgeFileError, Problem
from knowledge.usage import UsageReport
from knowledge.versions import Change, RefreshError

logger = logging.getLogger(__name__)
MAX_PROBLEMS_SHOWN = 15
Operation = Callable[[str], tuple[str, str]]  # actor -> (reply HTML, audit result)


def actor_of(update: Update) -> str:
    """Who did it, as recorded in versions and the audit log."""
    return f"telegram:{update.effective_user.id}" if update.effective_user else "telegram:?"


def describe_change(change: Change, language: Language) -> str:
    """The new version and what changed, or that nothing did."""
    if change.version is None:
        return t.NO_CHANGE[language]
    diff = change.diff
    articles = ""
    if diff.articles_added or diff.articles_removed:
        articles = t.ARTICLES_CHANGED[language].format(added=len(diff.articles_added),
                                                       removed=len(diff.articles_removed))
    return t.CHANGED[language].format(
        id=change.version.id, hash=change.version.content_hash, added=len(diff.added),
        changed=len(diff.changed), removed=len(diff.removed), articles=articles)


def describe_problems(problems: list[Problem], language: Language) -> str:
    """The problems of a refused knowledge file: line, fact id, field and what is wrong."""
    lines = [t.INVALID_KNOWLEDGE[language].format(count=len(problems))]
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        place = [t.PROBLEM_PLACE[language].format(line=problem.line)] if problem.line else []
        if problem.fact_id:
            place.append(t.PROBLEM_FACT[language].format(fact=problem.fact_id))
        if problem.field:
            place.append(problem.field)
        what = t.PROBLEMS.get(problem.code, {}).get(language, problem.detail)
        lines.append(f"• {html.escape(' · '.join(place))}: {html.escape(what)}")
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(t.MORE_PROBLEMS[language].format(count=len(problems) - MAX_PROBLEMS_SHOWN))
    return "\n".join(lines)


def explain_failure(error: Exception, language: Language) -> str:
    """What to tell the admin when an operation was refused or failed."""
    match error:
        case KnowledgeFileError():
            return describe_problems(error.problems, language)
        case ArticleError():
            return t.UPLOAD_REFUSED.get(error.code, t.UPLOAD_REFUSED["undecodable"])[language]
        case UnsupportedUpload():
            return t.UPLOAD_REFUSED["unsupported"][language]
        case RefreshError(code="builtin_source"):
            return t.BUILTIN_SOURCE[language]
        case RefreshError(code="unknown_source"):
            return t.UNKNOWN_SOURCE[language]
        case RefreshError(code="unknown_version") if error.subject:
            return t.UNKNOWN_VERSION[language]
        case RefreshError():
            return t.NO_EARLIER_VERSION[language]
    return t.FAILED[language]


async def audit(update: Update, context: ContextTypes.DEFAULT_TYPE, *, action: str,
                detail: str, result: str) -> None:
    """Record an admin action; a failing audit write is logged, never shown."""
    try:
        await asyncio.to_thread(services(context).admin.audit, actor=actor_of(update),
                                action=action, detail=detail, result=result)
    except Exception:  # the audit trail must never stop the admin's reply
        logger.exception("could not write the audit log")


async def run_admin_operation(update: Update, context: ContextTypes.DEFAULT_TYPE, *,
                              action: str, detail: str, operation: Operation) -> None:
    """Refuse non-admins; otherwise run the operation off the event loop, reply, audit."""
    language = reader_language(update)
    if not services(context).is_admin(update.effective_user):
        await audit(update, context, action=action, detail=detail, result="refused: not an admin")
        await reply_html(update, t.ADMIN_ONLY[language])
        return
    try:
        reply, result = await asyncio.to_thread(operation, actor_of(update))
    except (KnowledgeFileError, ArticleError, UnsupportedUpload, RefreshError) as error:
        reply, result = explain_failure(error, language), f"refused: {error}"
    except Exception as error:  # any failure is rolled back; the admin hears it, the log has why
        logger.exception("admin action %s failed", action)
        reply, result = explain_failure(error, language), f"failed: {type(error).__name__}"
    await audit(update, context, action=action, detail=detail, result=result)
    await reply_html(update, reply)


def _change_reply(change: Change, language: Language) -> tuple[str, str]:
    summary = change.diff.summary() if change.version else "no change"
    return describe_change(change, language), f"ok: {summary}"


async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins see the new version after the knowledge file is re-read; others a refusal."""
    admin, language = services(context).admin, reader_language(update)
    await run_admin_operation(update, context, action="reload", detail="",
                              operation=lambda actor: _change_reply(admin.reload(actor=actor),
                                                                    language))


async def versions_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins see the latest versions: number, hash, time, who and what changed."""
    admin, language = services(context).admin, reader_language(update)

    def listing(actor: str) -> tuple[str, str]:
        versions = admin.versions(limit=10)
        current = versions[0].id if versions else None
        lines = [t.VERSION_LINE[language].format(
            marker="▶ " if version.id == current else "", id=version.id,
            hash=version.content_hash, at=version.created_at[:16].replace("T", " "),
            actor=html.escape(version.actor), action=html.escape(version.action),
            summary=html.escape(version.summary)) for version in versions]
        return "\n".join([t.VERSIONS_HEADING[language], *lines]), f"ok: {len(lines)} listed"

    await run_admin_operation(update, context, action="versions", detail="", operation=listing)


async def rollback_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins go back to the previous (or the named) version, recorded as a new version."""
    admin, language = services(context).admin, reader_language(update)
    reference = context.args[0] if context.args else None
    await run_admin_operation(update, context, action="rollback", detail=reference or "previous",
                              operation=lambda actor: _change_reply(
                                  admin.rollback(reference, actor=actor), language))


async def sources_list_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins see the built-in article and the uploaded ones."""
    admin, language = services(context).admin, reader_language(update)

    def listing(actor: str) -> tuple[str, str]:
        lines = [t.SOURCE_LINE[language].format(
            id=html.escape(source.id), title=html.escape(source.title[:80]),
            paragraphs=source.paragraphs,
            kind=t.BUILTIN[language] if source.builtin else t.ADDED[language].format(
                at=source.added_at[:10], actor=html.escape(source.added_by)))
            for source in admin.sources()]
        return "\n".join([t.SOURCES_LIST_HEADING[language], *lines]), f"ok: {len(lines)} listed"

    await run_admin_operation(update, context, action="sources_list", detail="",
                              operation=listing)


async def remove_source_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins remove an uploaded article (the built-in one stays)."""
    admin, language = services(context).admin, reader_language(update)
    source_id = context.args[0] if context.args else ""

    def remove(actor: str) -> tuple[str, str]:
        if not source_id:
            return t.REMOVE_USAGE[language], "refused: no source id"
        return _change_reply(admin.remove_source(source_id, actor=actor), language)

    await run_admin_operation(update, context, action="remove_source", detail=source_id,
                              operation=remove)


def describe_usage(report: UsageReport, language: Language) -> str:
    """The /stats message."""
    def counts(name: str) -> str:
        period = report.periods[name]
        return f"{period.questions} ({period.answered}/{period.declined})"

    def seconds(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f} s"

    none = t.NONE[language]
    text = t.STATS[language].format(
        day=counts("day"), week=counts("week"), all=counts("all"),
        languages=", ".join(f"{k} {v}" for k, v in sorted(report.by_language.items())) or none,
        fallbacks=report.fallbacks,
        errors=", ".join(f"{k} {v}" for k, v in sorted(report.llm_errors.items())) or none,
        median=seconds(report.median_seconds), p95=seconds(report.p95_seconds),
        prompt=report.prompt_tokens, completion=report.completion_tokens)
    if report.top_declined:
        text += "\n\n" + t.TOP_DECLINED[language] + "\n" + "\n".join(
            f"{count}× {html.escape(question)}" for question, count in report.top_declined)
    return text


async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins see questions per period, answered vs declined, languages, failures, timings."""
    admin, language = services(context).admin, reader_language(update)
    await run_admin_operation(update, context, action="stats", detail="",
                              operation=lambda actor: (describe_usage(admin.usage(), language),
                                                       "ok"))


def _upload_reply(kind: str, article: Article | None, change: Change,
                  language: Language) -> tuple[str, str]:
    if kind == "article" and article is not None:
        if change.version is None:
            return t.ALREADY_INGESTED[language].format(id=article.id), "ok: already known"
        return t.INGESTED[language].format(
            title=html.escape(article.title[:80]), paragraphs=len(article.paragraphs),
            encoding=article.encoding, id=article.id), f"ok: {change.diff.summary()}"
    return _change_reply(change, language)


async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins' knowledge files and articles are checked and applied; others' files are not."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or message.document is None or chat is None:
        return
    attachment = message.document
    name = attachment.file_name or "upload"
    kind = upload_kind(name)
    is_admin = services(context).is_admin(update.effective_user)
    if chat.type != ChatType.PRIVATE or (kind is None and not is_admin):
        if chat.type == ChatType.PRIVATE:
            await reply_html(update, texts.NOT_TEXT[reader_language(update)])
        return
    size = attachment.file_size or 0
    data = b""
    if is_admin and kind is not None and size <= MAX_UPLOAD_BYTES:
        try:
            file = await context.bot.get_file(attachment.file_id)
            data = bytes(await file.download_as_bytearray())
        except TelegramError:
            logger.exception("could not download the upload %s", name)
            await audit(update, context, action="upload", detail=name, result="failed: download")
            await reply_html(update, t.DOWNLOAD_FAILED[reader_language(update)])
            return
    await run_admin_operation(update, context, action="upload", detail=name,
                              operation=_checked_upload(data, name=name, size=size,
                                                        language=reader_language(update),
                                                        admin=services(context).admin))


def _checked_upload(data: bytes, *, name: str, size: int, language: Language,
                    admin: KnowledgeAdmin) -> Operation:
    """The upload as an admin operation: size and kind refused before anything is parsed."""
    def upload(actor: str) -> tuple[str, str]:
        if size > MAX_UPLOAD_BYTES:
            raise ArticleError("too_large", f"{size} bytes")
        kind, article, change = admin.upload(data, name=name, actor=actor)
        return _upload_reply(kind, article, change, language)

    return upload
