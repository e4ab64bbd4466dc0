import itertools

from rasad.cleaning import clean_text, from_bytes, jaccard_estimate, lsh_bands, minhash_signature, signature_bytes
from rasad.cleaning.dedup import BANDS, NEAR_DUPLICATE_THRESHOLD, NUM_PERM, content_hash, is_near_duplicate
from rasad.cleaning.evaluation import FIXTURES

SEEDS = [clean_text(p.read_text(encoding="utf-8")).body for p in sorted((FIXTURES / "seeds").glob("*.txt"))]


def test_signature_round_trip_and_bands():
    signature = minhash_signature(SEEDS[0])
    stored = signature_bytes(signature)
    assert len(stored) == NUM_PERM * 4
    assert jaccard_estimate(signature, from_bytes(stored)) == 1.0
    bands = lsh_bands(signature)
    assert len(bands) == BANDS and len(set(bands)) == BANDS
    assert bands == lsh_bands(from_bytes(stored))


def test_normalization_makes_spelling_variants_identical():
    a = clean_text(SEEDS[0])
    assert content_hash(a.body_normalized) == a.content_hash
    variant = SEEDS[0].replace("أ", "ا").replace("ة", "ه")
    assert jaccard_estimate(minhash_signature(SEEDS[0]), minhash_signature(variant)) == 1.0


def test_republished_wire_copy_is_a_near_duplicate():
    paragraphs = SEEDS[2].split("\n\n")
    copy = "\n\n".join(["(وكالات) - " + paragraphs[0], *paragraphs[1:-1], "يذكر أن الخبر قيد التحديث."])
    a, b = minhash_signature(SEEDS[2]), minhash_signature(copy)
    assert is_near_duplicate(a, b)
    assert set(lsh_bands(a)) & set(lsh_bands(b))


def test_lightly_edited_copy_is_a_near_duplicate():
    edited = SEEDS[3].replace("وقال", "وأكد").replace("أعلنت", "قالت").replace("الماضي", "المنصرم")
    assert jaccard_estimate(minhash_signature(SEEDS[3]), minhash_signature(edited)) >= NEAR_DUPLICATE_THRESHOLD


def test_different_stories_on_the_same_topic_do_not_match():
    signatures = [minhash_signature(body) for body in SEEDS]
    for a, b in itertools.combinations(signatures, 2):
        assert jaccard_estimate(a, b) < 0.2
        assert not set(lsh_bands(a)) & set(lsh_bands(b))
