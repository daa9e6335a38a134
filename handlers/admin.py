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

import httpx
from telegram import Update
from telegram.error import TelegramError

from bot.admin import UnsupportedUpload, check_size_declared, check_upload, upload_kind
from bot.language import Language
from bot.sources import paragraph_label
from handlers import admin_texts as t
from handlers import texts
from handlers.services import BotContext, is_private, reader_language
from handlers.user import notify, reply_html, shorten
from knowledge.articles import Article, ArticleError
from knowledge.feedback import VoteReport
from knowledge.loading import KnowledgeFileError, Problem
from knowledge.usage import UsageReport
from knowledge.versions import Change, RefreshError

logger = logging.getLogger(__name__)
MAX_PROBLEMS_SHOWN = 15
DOWNLOAD_TIMEOUT = 60.0
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
        what = t.PROBLEMS.get(problem.code, {}).get(language, problem.detail).replace(
            "{detail}", problem.detail)
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


async def audit(update: Update, context: BotContext, *, action: str, detail: str,
                result: str) -> None:
    """Record an admin action; a failing audit write is logged, never shown."""
    try:
        await asyncio.to_thread(context.services.admin.audit, actor=actor_of(update),
                                action=action, detail=detail, result=result)
    except Exception:  # the audit trail must never stop the admin's reply
        logger.exception("could not write the audit log")


async def admin_allowed(update: Update, context: BotContext, *, action: str,
                        detail: str) -> bool:
    """Tell whether an admin action may run: an admin, in a private chat.

    Anyone else gets a short refusal (once a minute at most) and the refusal is
    audited (repeats are counted in one row); in a group, where every member would
    see the reply, admins are asked to use a private chat.
    """
    language = reader_language(update)
    if not is_private(update):
        await audit(update, context, action=action, detail=detail,
                    result="refused: not a private chat")
        await notify(update, context, "private_only", t.PRIVATE_ONLY[language])
        return False
    if not context.services.is_admin(update.effective_user):
        await audit(update, context, action=action, detail=detail, result="refused: not an admin")
        await notify(update, context, "admin_only", t.ADMIN_ONLY[language])
        return False
    return True


async def run_operation(update: Update, context: BotContext, *, action: str, detail: str,
                        operation: Operation) -> None:
    """Run an allowed admin operation off the event loop, then reply and audit."""
    language = reader_language(update)
    try:
        reply, result = await asyncio.to_thread(operation, actor_of(update))
    except (KnowledgeFileError, ArticleError, UnsupportedUpload, RefreshError) as error:
        reply, result = explain_failure(error, language), f"refused: {error}"
    except Exception as error:  # any failure is rolled back; the admin hears it, the log has why
        logger.exception("admin action %s failed", action)
        reply, result = explain_failure(error, language), f"failed: {type(error).__name__}"
    await audit(update, context, action=action, detail=detail, result=result)
    await reply_html(update, reply)


async def run_admin_operation(update: Update, context: BotContext, *, action: str,
                              detail: str, operation: Operation) -> None:
    """Refuse non-admins and other chats; otherwise run the operation, reply, audit."""
    if await admin_allowed(update, context, action=action, detail=detail):
        await run_operation(update, context, action=action, detail=detail, operation=operation)


def _change_reply(change: Change, language: Language) -> tuple[str, str]:
    summary = change.diff.summary() if change.version else "no change"
    return describe_change(change, language), f"ok: {summary}"


async def reload_command(update: Update, context: BotContext) -> None:
    """Admins see the new version after the knowledge file is re-read; others a refusal."""
    admin, language = context.services.admin, reader_language(update)
    await run_admin_operation(update, context, action="reload", detail="",
                              operation=lambda actor: _change_reply(admin.reload(actor=actor),
                                                                    language))


async def versions_command(update: Update, context: BotContext) -> None:
    """Admins see the latest versions: number, hash, time, who and what changed."""
    admin, language = context.services.admin, reader_language(update)

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


async def rollback_command(update: Update, context: BotContext) -> None:
    """Admins go back to the previous (or the named) version, recorded as a new version."""
    admin, language = context.services.admin, reader_language(update)
    reference = context.args[0] if context.args else None
    await run_admin_operation(update, context, action="rollback", detail=reference or "previous",
                              operation=lambda actor: _change_reply(
                                  admin.rollback(reference, actor=actor), language))


async def sources_list_command(update: Update, context: BotContext) -> None:
    """Admins see the built-in article and the uploaded ones."""
    admin, language = context.services.admin, reader_language(update)

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


async def remove_source_command(update: Update, context: BotContext) -> None:
    """Admins remove an uploaded article (the built-in one stays)."""
    admin, language = context.services.admin, reader_language(update)
    source_id = context.args[0] if context.args else ""

    def remove(actor: str) -> tuple[str, str]:
        if not source_id:
            return t.REMOVE_USAGE[language], "refused: no source id"
        return _change_reply(admin.remove_source(source_id, actor=actor), language)

    await run_admin_operation(update, context, action="remove_source", detail=source_id,
                              operation=remove)


def describe_usage(report: UsageReport, votes: VoteReport, language: Language) -> str:
    """The /stats message: questions, then votes and the answers most voted down."""
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
    return text + describe_votes(votes, language)


def describe_votes(votes: VoteReport, language: Language) -> str:
    """The share of answers voted up and down, and the answers most voted down."""
    def share(count: int) -> str:
        return f"{count} ({count / votes.answers:.0%})" if votes.answers else str(count)

    text = "\n\n" + t.VOTES[language].format(answers=votes.answers, up=share(votes.voted_up),
                                              down=share(votes.voted_down))
    if votes.most_down:
        text += "\n\n" + t.MOST_DOWN[language] + "\n" + "\n".join(
            f"{item.down}× 👎 {html.escape(shorten(item.question, 80))} → "
            f"{html.escape(shorten(item.answer, 120))}" for item in votes.most_down)
    return text


async def stats_command(update: Update, context: BotContext) -> None:
    """Admins see questions per period, answered vs declined, languages, failures, timings."""
    admin, language = context.services.admin, reader_language(update)
    await run_admin_operation(update, context, action="stats", detail="",
                              operation=lambda actor: (describe_usage(*admin.usage(), language),
                                                       "ok"))


def describe_flagged(article: Article, language: Language) -> str:
    """Which paragraphs of an article are not served, and why."""
    label = paragraph_label
    reasons = "；" if language != "en" else "; "
    return t.FLAGGED[language].format(paragraphs=reasons.join(
        f"{label([number], language)} ({t.FLAG_REASONS[flag][language]})"
        for number, flag in sorted(article.flagged.items())[:MAX_PROBLEMS_SHOWN]))


def _upload_reply(kind: str, article: Article | None, change: Change,
                  language: Language) -> tuple[str, str]:
    if kind == "article" and article is not None:
        if change.version is None:
            return t.ALREADY_INGESTED[language].format(id=article.id), "ok: already known"
        reply = t.INGESTED[language].format(
            title=html.escape(article.title[:80]), paragraphs=len(article.paragraphs),
            encoding=article.encoding, id=article.id)
        if article.flagged:
            reply += "\n" + describe_flagged(article, language)
        return reply, f"ok: {change.diff.summary()}, {len(article.flagged)} flagged"
    return _change_reply(change, language)


async def document(update: Update, context: BotContext) -> None:
    """Admins' knowledge files and articles are checked and applied; others' files are not."""
    message = update.effective_message
    if message is None or message.document is None or not is_private(update):
        return
    name = message.document.file_name or "upload"
    if upload_kind(name) is None and not context.services.is_admin(update.effective_user):
        await notify(update, context, "not_text", texts.NOT_TEXT[reader_language(update)])
        return
    if not await admin_allowed(update, context, action="upload", detail=name):
        return
    language = reader_language(update)
    try:
        check_upload(name, message.document.file_size)
        data = await download(context, message.document.file_id)
    except (ArticleError, UnsupportedUpload) as error:
        await audit(update, context, action="upload", detail=name, result=f"refused: {error}")
        await reply_html(update, explain_failure(error, language))
        return
    except (TelegramError, httpx.HTTPError) as error:
        logger.warning("could not download the upload %s: %s", name, type(error).__name__)
        await audit(update, context, action="upload", detail=name, result="failed: download")
        await reply_html(update, t.DOWNLOAD_FAILED[language])
        return
    admin = context.services.admin

    def upload(actor: str) -> tuple[str, str]:
        kind, article, change = admin.upload(data, name=name, actor=actor)
        return _upload_reply(kind, article, change, language)

    await run_operation(update, context, action="upload", detail=name, operation=upload)


async def download(context: BotContext, file_id: str) -> bytes:
    """An upload's bytes, read as a stream that stops one byte past the size limit.

    The size Telegram declares is not trusted: a longer file is refused (ArticleError
    "too_large") after reading at most MAX_UPLOAD_BYTES + 1 bytes of it.
    """
    file = await context.bot.get_file(file_id)
    check_size_declared(file.file_size)
    received = bytearray()
    async with httpx.AsyncClient(timeout=DOWNLOAD_TIMEOUT) as client, \
            client.stream("GET", file.file_path or "") as response:
        response.raise_for_status()
        async for chunk in response.aiter_bytes():
            received += chunk
            check_size_declared(len(received))
    return bytes(received)
