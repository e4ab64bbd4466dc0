"""Cleaning: the exact article out of a page (HTML or text), its metadata, fingerprints, rejections."""

from rasad.cleaning.decoding import decode_page
from rasad.cleaning.dedup import (
    content_hash,
    from_bytes,
    jaccard_estimate,
    lsh_bands,
    minhash_signature,
    signature_bytes,
)
from rasad.cleaning.models import CleanedArticle, Rejected
from rasad.cleaning.pipeline import clean_html, clean_text

__all__ = [
    "CleanedArticle",
    "Rejected",
    "clean_html",
    "clean_text",
    "content_hash",
    "decode_page",
    "from_bytes",
    "jaccard_estimate",
    "lsh_bands",
    "minhash_signature",
    "signature_bytes",
]
