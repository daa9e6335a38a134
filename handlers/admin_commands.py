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
from typing import TypeVar

import httpx
from telegram import Update
from telegram.error import TelegramError

from bot.citations import paragraph_label
from bot.knowledge_admin import (
    AdminError,
    AdminSession,
    Article,
    Change,
    Problem,
    SourceInfo,
    UsageReport,
    Version,
    VoteReport,
    check_upload,
    upload_kind,
)
from bot.language import Script
from handlers import texts
from handlers.services import BotContext, is_private, reader_language
from handlers.user import notify, reply_html, shorten

logger = logging.getLogger(__name__)
MAX_PROBLEMS_SHOWN = 15
DOWNLOAD_TIMEOUT = 60.0
SLOW_UPLOAD_NOTICE = 2.0  # seconds before an admin is told that an upload is being applied
T = TypeVar("T")
Work = Callable[[AdminSession], T]  # runs in a worker thread
Reply = Callable[[T, Script], str]  # the reply HTML, built on the event loop


def actor_of(update: Update) -> str:
    """Who did it, as recorded in versions and the audit log."""
    return f"telegram:{update.effective_user.id}" if update.effective_user else "telegram:?"


def change_message(change: Change, language: Script) -> str:
    """The new version and what changed, or that nothing did."""
    if change.version is None:
        return texts.NO_CHANGE[language]
    diff = change.diff
    articles = ""
    if diff.articles_added or diff.articles_removed:
        articles = texts.ARTICLES_CHANGED[language].format(added=len(diff.articles_added),
                                                       removed=len(diff.articles_removed))
    return texts.CHANGED[language].format(
        id=change.version.id, hash=change.version.content_hash, added=len(diff.added),
        changed=len(diff.changed), removed=len(diff.removed), articles=articles)


def describe_problems(problems: list[Problem], language: Script) -> str:
    """The problems of a refused knowledge file: line, fact id, field and what is wrong."""
    lines = [texts.INVALID_KNOWLEDGE[language].format(count=len(problems))]
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        place = [texts.PROBLEM_PLACE[language].format(line=problem.line)] if problem.line else []
        if problem.fact_id:
            place.append(texts.PROBLEM_FACT[language].format(fact=problem.fact_id))
        if problem.field:
            place.append(problem.field)
        what = texts.PROBLEMS.get(problem.code, {}).get(language, problem.detail).replace(
            "{detail}", problem.detail)
        lines.append(f"• {html.escape(' · '.join(place))}: {html.escape(what)}")
    if len(problems) > MAX_PROBLEMS_SHOWN:
        lines.append(texts.MORE_PROBLEMS[language].format(count=len(problems) - MAX_PROBLEMS_SHOWN))
    return "\n".join(lines)


def explain_failure(error: AdminError, language: Script) -> str:
    """What to tell the admin when an operation was refused: nothing changed."""
    if error.code == "invalid_knowledge":
        return describe_problems(list(error.problems), language)
    return texts.ADMIN_REFUSED[error.code][language]


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
        await notify(update, context, "private_only", texts.PRIVATE_ONLY[language])
        return False
    if not context.services.is_admin(update.effective_user):
        await audit(update, context, action=action, detail=detail, result="refused: not an admin")
        await notify(update, context, "admin_only", texts.ADMIN_ONLY[language])
        return False
    return True


async def operation_reply(update: Update, context: BotContext, *, action: str, detail: str,
                          work: Work[T], reply: Reply[T]) -> str:
    """Run an allowed admin operation (and its audit) off the event loop; the reply HTML."""
    language = reader_language(update)
    try:
        outcome = await asyncio.to_thread(context.services.admin.perform, work,
                                          actor=actor_of(update), action=action, detail=detail)
    except AdminError as error:
        return explain_failure(error, language)
    except Exception:  # any failure is rolled back; the admin hears it, the log has why
        logger.exception("admin action %s failed", action)
        return texts.FAILED[language]
    return reply(outcome, language)


async def run_operation(update: Update, context: BotContext, *, action: str, detail: str,
                        work: Work[T], reply: Reply[T]) -> None:
    """Run an allowed admin operation (and its audit) off the event loop, then reply."""
    await reply_html(update, await operation_reply(update, context, action=action,
                                                   detail=detail, work=work, reply=reply))


async def run_admin_operation(update: Update, context: BotContext, *, action: str,
                              detail: str, work: Work[T], reply: Reply[T],
                              changes_knowledge: bool = False) -> None:
    """Refuse non-admins and other chats, and changes while an upload is being applied;
    otherwise run the operation, reply, audit."""
    if not await admin_allowed(update, context, action=action, detail=detail):
        return
    if changes_knowledge and context.services.uploads_applying:
        await audit(update, context, action=action, detail=detail,
                    result="refused: an upload is being applied")
        await reply_html(update, texts.UPLOAD_PENDING[reader_language(update)])
        return
    await run_operation(update, context, action=action, detail=detail, work=work, reply=reply)


async def reload_command(update: Update, context: BotContext) -> None:
    """Admins see the new version after the knowledge file is re-read; others a refusal."""
    await run_admin_operation(update, context, action="reload", detail="",
                              work=AdminSession.reload, reply=change_message,
                              changes_knowledge=True)


def versions_message(versions: list[Version], language: Script) -> str:
    """The latest versions, the one served marked."""
    current = versions[0].id if versions else None
    lines = [texts.VERSION_LINE[language].format(
        marker="▶ " if version.id == current else "", id=version.id,
        hash=version.content_hash, at=version.created_at[:16].replace("T", " "),
        actor=html.escape(version.actor), action=html.escape(version.action),
        summary=html.escape(version.summary)) for version in versions]
    return "\n".join([texts.VERSIONS_HEADING[language], *lines])


async def versions_command(update: Update, context: BotContext) -> None:
    """Admins see the latest versions: number, hash, time, who and what changed."""
    await run_admin_operation(update, context, action="versions", detail="",
                              work=lambda session: session.versions(limit=10),
                              reply=versions_message)


async def rollback_command(update: Update, context: BotContext) -> None:
    """Admins go back to the previous (or the named) version, recorded as a new version."""
    reference = context.args[0] if context.args else None
    await run_admin_operation(update, context, action="rollback", detail=reference or "previous",
                              work=lambda session: session.rollback(reference),
                              reply=change_message, changes_knowledge=True)


def sources_message(sources: list[SourceInfo], language: Script) -> str:
    """The built-in and the uploaded sources, one line each."""
    lines = [texts.SOURCE_LINE[language].format(
        id=html.escape(source.id), title=html.escape(source.title[:80]),
        paragraphs=source.paragraphs,
        kind=texts.BUILTIN[language] if source.builtin else texts.ADDED[language].format(
            at=source.added_at[:10], actor=html.escape(source.added_by)))
        for source in sources]
    return "\n".join([texts.SOURCES_LIST_HEADING[language], *lines])


async def sources_list_command(update: Update, context: BotContext) -> None:
    """Admins see the built-in article and the uploaded ones."""
    await run_admin_operation(update, context, action="sources_list", detail="",
                              work=AdminSession.list_sources, reply=sources_message)


async def remove_source_command(update: Update, context: BotContext) -> None:
    """Admins remove an uploaded article (the built-in one stays); without an id, the usage."""
    source_id = context.args[0] if context.args else ""
    if source_id:
        await run_admin_operation(update, context, action="remove_source", detail=source_id,
                                  work=lambda session: session.remove_source(source_id),
                                  reply=change_message, changes_knowledge=True)
    elif await admin_allowed(update, context, action="remove_source", detail=""):
        await audit(update, context, action="remove_source", detail="",
                    result="refused: no source id")
        await reply_html(update, texts.REMOVE_USAGE[reader_language(update)])


def describe_usage(report: UsageReport, votes: VoteReport, language: Script) -> str:
    """The /stats message: questions, then votes and the answers most voted down."""
    def counts(name: str) -> str:
        period = report.periods[name]
        return f"{period.questions} ({period.answered}/{period.declined})"

    def seconds(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f} s"

    none = texts.NONE[language]
    text = texts.STATS[language].format(
        day=counts("day"), week=counts("week"), all=counts("all"),
        languages=", ".join(f"{k} {v}" for k, v in sorted(report.by_language.items())) or none,
        fallbacks=report.fallbacks,
        errors=", ".join(f"{k} {v}" for k, v in sorted(report.llm_errors.items())) or none,
        median=seconds(report.median_seconds), p95=seconds(report.p95_seconds),
        prompt=report.prompt_tokens, completion=report.completion_tokens)
    if report.top_declined:
        text += "\n\n" + texts.TOP_DECLINED[language] + "\n" + "\n".join(
            f"{count}× {html.escape(question)}" for question, count in report.top_declined)
    return text + describe_votes(votes, language)


def describe_votes(votes: VoteReport, language: Script) -> str:
    """The share of answers voted up and down, and the answers most voted down."""
    def share(count: int) -> str:
        return f"{count} ({count / votes.answers:.0%})" if votes.answers else str(count)

    text = "\n\n" + texts.VOTES[language].format(answers=votes.answers, up=share(votes.voted_up),
                                              down=share(votes.voted_down))
    if votes.most_down:
        text += "\n\n" + texts.MOST_DOWN[language] + "\n" + "\n".join(
            f"{item.down}× 👎 {html.escape(shorten(item.question, 80))} → "
            f"{html.escape(shorten(item.answer, 120))}" for item in votes.most_down)
    return text


async def stats_command(update: Update, context: BotContext) -> None:
    """Admins see questions per period, answered vs declined, languages, failures, timings."""
    await run_admin_operation(update, context, action="stats", detail="",
                              work=AdminSession.usage,
                              reply=lambda figures, language: describe_usage(*figures, language))


def describe_flagged(article: Article, language: Script) -> str:
    """Which paragraphs of an article are not served, and why."""
    label = paragraph_label
    reasons = "；" if language != "en" else "; "
    return texts.FLAGGED[language].format(paragraphs=reasons.join(
        f"{label([number], language)} ({texts.FLAG_REASONS[flag][language]})"
        for number, flag in sorted(article.flagged.items())[:MAX_PROBLEMS_SHOWN]))


def upload_message(outcome: tuple[Article | None, Change], language: Script) -> str:
    """A new version from a knowledge file, or the ingested article and what was flagged."""
    article, change = outcome
    if article is None:
        return change_message(change, language)
    if change.version is None:
        return texts.ALREADY_INGESTED[language].format(id=article.id)
    reply = texts.INGESTED[language].format(
        title=html.escape(article.title[:80]), paragraphs=len(article.paragraphs),
        encoding=article.encoding, id=article.id)
    return reply + ("\n" + describe_flagged(article, language) if article.flagged else "")


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
        data = await download(context, message.document.file_id, name=name)
    except AdminError as error:
        await audit(update, context, action="upload", detail=name, result=f"refused: {error}")
        await reply_html(update, explain_failure(error, language))
        return
    except (TelegramError, httpx.HTTPError) as error:
        logger.warning("could not download the upload %s: %s", name, type(error).__name__)
        await audit(update, context, action="upload", detail=name, result="failed: download")
        await reply_html(update, texts.DOWNLOAD_FAILED[language])
        return
    # A large article takes minutes to embed: it is applied beside the chat's turn, so the
    # admin's next messages are answered meanwhile and no update deadline cuts it short.
    context.services.uploads_applying += 1  # counted from now: the next update may be /rollback
    context.application.create_task(apply_upload(update, context, name=name, data=data),
                                    update=update, name=f"upload {name}")


async def apply_upload(update: Update, context: BotContext, *, name: str, data: bytes) -> None:
    """The admin sees the upload's outcome; first "working on it" when it takes a while."""
    try:
        applying = asyncio.ensure_future(operation_reply(
            update, context, action="upload", detail=name,
            work=lambda session: session.upload(data, name=name), reply=upload_message))
        done, _ = await asyncio.wait({applying}, timeout=SLOW_UPLOAD_NOTICE)
        if not done:
            try:
                await reply_html(update, texts.UPLOAD_WORKING[reader_language(update)])
            except TelegramError as error:  # the outcome still goes out
                logger.warning("could not send the upload notice: %s", error)
        outcome = await applying
    finally:
        context.services.uploads_applying -= 1
    await reply_html(update, outcome)


async def download(context: BotContext, file_id: str, *, name: str) -> bytes:
    """An upload's bytes, read as a stream that stops one byte past the size limit.

    The size Telegram declares is not trusted: a longer file is refused (AdminError
    "too_large") after reading at most the limit and one more chunk of it.
    """
    file = await context.bot.get_file(file_id)
    check_upload(name, file.file_size)
    received = bytearray()
    async with httpx.AsyncClient(timeout=DOWNLOAD_TIMEOUT) as client, \
            client.stream("GET", file.file_path or "") as response:
        response.raise_for_status()
        async for chunk in response.aiter_bytes():
            received += chunk
            check_upload(name, len(received))
    return bytes(received)
