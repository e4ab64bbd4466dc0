"""Extraction: people, organizations, places, meetings and calls, quotes and topic relevance.

from rasad.extraction import extract, load_knowledge_base, to_json
"""

from rasad.extraction.candidates import Candidate, kb_candidates
from rasad.extraction.kb import KnowledgeBase, KnowledgeBaseError, load_knowledge_base
from rasad.extraction.model import (
    Event,
    Evidence,
    Extraction,
    Mention,
    OrganizationEntity,
    PersonEntity,
    PlaceEntity,
    Quote,
    TopicScore,
)
from rasad.extraction.pipeline import extract
from rasad.extraction.serialize import event_from_json, to_json

__all__ = [
    "Candidate",
    "Event",
    "Evidence",
    "Extraction",
    "KnowledgeBase",
    "KnowledgeBaseError",
    "Mention",
    "OrganizationEntity",
    "PersonEntity",
    "PlaceEntity",
    "Quote",
    "TopicScore",
    "event_from_json",
    "extract",
    "kb_candidates",
    "load_knowledge_base",
    "to_json",
]
