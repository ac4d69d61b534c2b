"""The entity knowledge base: canonical entities and the names they go by.

It starts from schemas/entities.yaml; aliases (and entities) that curators add live in the
workspace database and join from the next pre-annotation run on. The knowledge base becomes an
entity ruler that runs after the statistical NER and overrides it where it knows a mention:
"Millet" is Xiaomi, an ORG, whatever the model guessed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from annotations.schema import Entity, EntityFile


@dataclass(frozen=True)
class KnowledgeBase:
    entities: dict[str, Entity]

    @classmethod
    def build(cls, entity_file: EntityFile, extra_entities=(), extra_aliases=()) -> KnowledgeBase:
        """The YAML entities plus the database's: `extra_entities` as (kb_id, name, label),
        `extra_aliases` as (alias, kb_id)."""
        entities = dict(entity_file.entities)
        for kb_id, name, label in extra_entities:
            entities.setdefault(kb_id, Entity(kb_id, name, label))
        for alias, kb_id in extra_aliases:
            known = entities.get(kb_id)
            if known and alias not in known.aliases and alias != known.name:
                entities[kb_id] = Entity(kb_id, known.name, known.label, known.aliases + (alias,))
        return cls(entities)

    def aliases(self) -> dict[str, str]:
        """Every name, canonical or alias, to its kb_id."""
        names = {}
        for entity in self.entities.values():
            for name in (entity.name, *entity.aliases):
                names.setdefault(name, entity.kb_id)
        return names

    def ruler_patterns(self) -> list[dict]:
        return [{"label": self.entities[kb_id].label, "pattern": name, "id": kb_id}
                for name, kb_id in sorted(self.aliases().items())]

    def canonical(self, kb_id: str | None) -> str | None:
        entity = self.entities.get(kb_id) if kb_id else None
        return entity.name if entity else None

    @property
    def hash(self) -> str:
        data = sorted((e.kb_id, e.name, e.label, sorted(e.aliases)) for e in self.entities.values())
        return hashlib.sha256(json.dumps(data).encode()).hexdigest()
