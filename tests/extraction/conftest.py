from __future__ import annotations

import pytest

from rasad.extraction import load_knowledge_base
from rasad.extraction.kb import KnowledgeBase


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge_base()
