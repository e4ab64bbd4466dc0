"""The keys the store indexes an article by, computed from its cleaned text before any store work.

They are pure functions of the text (the domain's work, CPU only): the store writes them as they
are and compares near-duplicate signatures it reads back.
"""

from __future__ import annotations

from dataclasses import dataclass

from datasketch import MinHash

from rasad.cleaning.dedup import lsh_bands, minhash_signature, signature_bytes
from rasad.cleaning.models import CleanedArticle
from rasad.search.terms import document_words


@dataclass(frozen=True)
class ArticleKeys:
    """Near-duplicate keys (the MinHash signature and its LSH bands) and the words full-text search finds."""

    signature: MinHash
    bands: tuple[str, ...]
    search_words: str

    @property
    def signature_bytes(self) -> bytes:
        """The signature as stored."""
        return signature_bytes(self.signature)


def article_keys(cleaned: CleanedArticle) -> ArticleKeys:
    """The index keys of a cleaned article."""
    signature = minhash_signature(cleaned.body_normalized)
    return ArticleKeys(
        signature=signature,
        bands=tuple(lsh_bands(signature)),
        search_words=document_words(cleaned.title, cleaned.body_normalized),
    )
