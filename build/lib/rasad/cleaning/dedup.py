"""Exact and near-duplicate fingerprints of cleaned bodies.

Exact duplicates share `content_hash` (sha256 of the normalized body). Near duplicates -- a wire
story republished with other furniture, a lightly edited copy -- share MinHash band keys: the
store indexes `lsh_bands(signature)` and compares `jaccard_estimate` on the candidates only.
The parameters were chosen by `bench/measure_dedup.py`; docs/cleaning.md records the measurement.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

import numpy as np
from datasketch import MinHash

from rasad.text.arabic import normalize_arabic

NUM_PERM = 128
SHINGLE_WORDS = 3
BANDS = 32
ROWS = NUM_PERM // BANDS  # 4 rows per band: candidate probability 0.5 at Jaccard ~0.42
NEAR_DUPLICATE_THRESHOLD = 0.5  # estimated Jaccard at or above which two bodies are one story
SEED = 1
_SCHEME = "affine32"
_WORD = re.compile(r"\w+", re.UNICODE)


def content_hash(body_normalized: str) -> str:
    """sha256 hex digest of the normalized body: equal for exact duplicates."""
    return hashlib.sha256(body_normalized.encode("utf-8")).hexdigest()


def shingles(text: str, size: int = SHINGLE_WORDS) -> set[bytes]:
    """Word `size`-grams of the normalized text (the whole text as one shingle when it is shorter)."""
    words = _WORD.findall(normalize_arabic(text))
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    template = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=_SCHEME)
    return template.permutations


def minhash_signature(text: str) -> MinHash:
    """MinHash over word shingles of the normalized text (normalization is applied here)."""
    signature = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=_SCHEME, permutations=_permutations())
    grams = shingles(text)
    if grams:
        signature.update_batch(list(grams))
    return signature


def signature_bytes(signature: MinHash) -> bytes:
    """The signature's hash values as little-endian uint32 bytes (NUM_PERM * 4 bytes)."""
    return np.asarray(signature.hashvalues, dtype="<u4").tobytes()


def from_bytes(data: bytes) -> MinHash:
    """Rebuild a signature stored with `signature_bytes`."""
    values = np.frombuffer(data, dtype="<u4").astype(np.uint64)
    if len(values) != NUM_PERM:
        raise ValueError(f"expected {NUM_PERM * 4} bytes of signature, got {len(data)}")
    return MinHash(seed=SEED, scheme=_SCHEME, hashvalues=values, permutations=_permutations())


def lsh_bands(signature: MinHash, bands: int = BANDS) -> list[str]:
    """Band keys "NN:hexdigest"; two bodies sharing any key are near-duplicate candidates."""
    values = np.asarray(signature.hashvalues, dtype="<u4")
    rows = len(values) // bands
    keys = []
    for band in range(bands):
        chunk = values[band * rows : (band + 1) * rows].tobytes()
        keys.append(f"{band:02d}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return keys


def jaccard_estimate(a: MinHash, b: MinHash) -> float:
    """Estimated Jaccard similarity of the two shingle sets."""
    return float(a.jaccard(b))


def is_near_duplicate(a: MinHash, b: MinHash, threshold: float = NEAR_DUPLICATE_THRESHOLD) -> bool:
    """Whether two signatures are one story by the measured threshold."""
    return jaccard_estimate(a, b) >= threshold
