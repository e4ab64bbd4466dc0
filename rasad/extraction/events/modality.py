"""Status from modality: the cue nearest a trigger group decides held, planned or proposed."""

from __future__ import annotations

from rasad.extraction.events.scope import CLAUSE, Sentence, with_conjunction
from rasad.extraction.matcher import Match
from rasad.extraction.model import status_rank


def mention_status(sent: Sentence, groups: list[list[Match]], gi: int, *, setting: bool) -> str | None:
    """The status cue nearest trigger group `gi` within its clause (ties: the stronger cue), or None.

    In "اقترح ... خلال قمتهما" the cue before the setting word is not the summit's.
    """
    text = sent.scan.text
    first_tok = groups[gi][0].token
    last_tok = groups[gi][-1].token_end
    # status: cues nearest to this group (ties: the stronger cue); in "اقترح ... خلال قمتهما" the cue
    # before the setting word is not the summit's
    setting_start = (
        min(
            (x.token for x in sent.misc if x.category == "setting" and first_tok - 2 <= x.token_end < first_tok),
            default=None,
        )
        if setting
        else None
    )
    best: tuple[int, int, str] | None = None
    governed = _governed_held_cues(sent)
    for c in sent.status:
        if id(c) in governed:
            continue
        if setting_start is not None and c.token_end < setting_start:
            continue
        dist = first_tok - c.token_end if c.token_end < first_tok else c.token - last_tok if c.token > last_tok else 0
        limit_after = 10  # within the clause (checked below): "اجتماعاً ... يضم مسؤولين من ... سيعقد"
        if (c.token_end < first_tok and dist > 7) or (c.token > last_tok and dist > limit_after):
            continue
        if c.token > last_tok and (CLAUSE.search(text[groups[gi][-1].end : c.start]) or before_only(sent, c)):
            continue
        if len(groups) > 1:
            nearest = min(range(len(groups)), key=lambda j: abs(groups[j][0].token - c.token))
            if nearest != gi and abs(groups[nearest][0].token - c.token) < abs(first_tok - c.token):
                continue
        cand = (dist, status_rank(c.category), c.category)
        if best is None or (cand[0] <= 1 and best[0] <= 1 and cand[1] < best[1]) or cand < best:
            best = cand
    if best is None or best[2] == "held":
        return _clause_status(sent, first_tok) or _question(sent) or (best[2] if best else None)
    if best[2] == "planned" and _possibility_over_plan(sent, first_tok, governed):
        return "proposed"
    return best[2]


def before_only(sent: Sentence, cue: Match) -> bool:
    """A cue that governs only a meeting after it ("وصل ... في زيارة")."""
    return with_conjunction(sent.words[cue.token], sent.kb.token_sets["fw:before_only_cues"])


def _possibility_over_plan(sent: Sentence, first_tok: int, governed: set[int]) -> bool:
    """A cue of possibility that governs the plan words after it: "منفتح على عقد لقاء", "دعوة ... لإجراء محادثات".

    Cues read outward from the trigger: the first cue before it is the plan ("على عقد"); a cue of
    possibility, willingness or invitation further out in the same clause is what the sentence says of it.
    """
    before = [
        c for c in sent.status if id(c) not in governed and c.token_end < first_tok and first_tok - c.token_end <= 12
    ]
    planned = [c.token for c in before if c.category == "planned" and first_tok - c.token_end <= 7]
    if not planned:
        return False
    inner = max(planned)
    return any(
        c.category == "proposed"
        and c.token_end < inner
        and not any(sent.clause_before(k) for k in range(c.token_end + 1, first_tok + 1))
        for c in before
    )


def _question(sent: Sentence) -> str | None:
    """A meeting in a question ("لماذا ألتقي بأردوغان؟") is at most a possibility."""
    return "proposed" if sent.scan.text[sent.s : sent.e].rstrip().endswith(("؟", "?")) else None


def _clause_status(sent: Sentence, first_tok: int) -> str | None:
    """The status of a conditional cue earlier in the trigger's clause ("في حال ... والمفاوضات"), at any distance."""
    found = None
    for c in sent.misc:
        if c.category != "conditional" or c.token_end >= first_tok or first_tok - c.token_end > 25:
            continue
        if any(sent.clause_before(k) for k in range(c.token_end + 1, first_tok + 1)):
            continue
        found = c.refs[0]
    return found


def _governed_held_cues(sent: Sentence) -> set[int]:
    """Held cues that are verbal nouns under a modal word right before them.

    "احتمال عقد لقاء", "قرب عقد اجتماع", "يعتزم إجراء": unvocalized, عقد is a past verb or a verbal
    noun; after a word of possibility, intention or plan it is the noun, and says nothing of a meeting held.
    """
    if sent.governed is None:  # once per sentence, shared by its trigger groups
        modal_ends = {c.token_end for c in sent.status if c.category != "held"}
        sent.governed = {
            id(c)
            for c in sent.status
            if c.category == "held" and (c.token - 1 in modal_ends or c.token - 2 in modal_ends)
        }
    return sent.governed
