"""Facts related to the ones an answer cited: what a user may want to ask next."""

from __future__ import annotations

from knowledge.store import FactRecord, KnowledgeStore
from knowledge.terms import entity_token

# Facts read per entity: enough to rank, bounded however many passages mention it.
PER_ENTITY = 200


def related_facts(store: KnowledgeStore, facts: list[FactRecord], *,
                  limit: int = 6) -> list[FactRecord]:
    """Other facts about the entities of ``facts``, those sharing the rarer entities first
    (sharing "OpenAI" says little; sharing "Figure AI" says a lot)."""
    given = {fact.id for fact in facts}
    entities = list(dict.fromkeys(entity for fact in facts for entity in fact.entities))
    mentions: dict[str, list[int]] = {}
    for entity in entities:
        rows = store.db.execute(
            "SELECT rowid FROM facts_fts WHERE facts_fts MATCH ? ORDER BY rowid LIMIT ?",
            [f'tags:"{entity_token(entity)}"', PER_ENTITY]).fetchall()
        mentions[entity] = [rowid for (rowid,) in rows]
    score: dict[int, float] = {}
    for rowids in mentions.values():
        for rowid in rowids:
            score[rowid] = score.get(rowid, 0.0) + 1 / len(rowids)
    ranked = sorted(score, key=lambda rowid: (-score[rowid], rowid))
    found = store.facts_by_rowid(ranked[:limit + len(given)])
    related = [found[rowid][0] for rowid in ranked if rowid in found]
    return [fact for fact in related if fact.id not in given][:limit]
