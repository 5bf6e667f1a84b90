"""Check claims: split a text into sentences, measure each against the evidence, decide.

A hard-rule failure in any sentence sinks the claim; otherwise it is scored on the worst
value of each signal over its sentences (see ``scoring.py``), and its evidence is the
best source passage of its weakest sentence. With citations, a claim is first checked
against the quoted passages, then against the whole documents: found only elsewhere it
is *flagged* and cited to the passage where it was found.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from newsdesk.injection import is_instruction
from newsdesk.records import Citation
from newsdesk.text import split_clauses, split_spans, tokenize
from newsdesk.verify.entities import hedging
from newsdesk.verify.evidence import EvidenceIndex, build_index, normalise_quotes
from newsdesk.verify.judge import LLMJudge
from newsdesk.verify.lexicon import has_negation, hedges_in
from newsdesk.verify.scoring import Decision, Model, decide
from newsdesk.verify.signals import Signals, measure
from newsdesk.verify.verdicts import Check, EvidencePassage, Verdict

# A claim longer than this is checked on its first sentences only and fails: nobody
# writes such a sentence, and the checker's time must stay bounded.
MAX_CLAIM_SENTENCES = 200


def check_text(
    claim: str, sources: Sequence[tuple[str, str]], judge: LLMJudge | None = None
) -> Verdict:
    """Label ``claim`` against ``sources`` (pairs of document id and text); a ``judge``
    gives its opinion on borderline verdicts."""
    index = build_index(sources)
    verdict = check_against(claim, index)
    return judge.review(claim, verdict, index) if judge is not None else verdict


def check_against(
    claim: str, index: EvidenceIndex, ablate: frozenset[str] = frozenset()
) -> Verdict:
    """Label ``claim`` against an index; ``ablate`` switches signals off (for measurement)."""
    if not claim.strip():
        return Verdict("unsupported", 0.0, "empty claim", None)
    if is_instruction(claim):
        return Verdict("unsupported", 0.0, "the claim carries instructions, not news", None)
    if not index.sentences:
        return Verdict("unsupported", 0.0, "no usable source text", None)
    copied = None if "verbatim" in ablate else verbatim_source(claim, index)
    if copied is not None:
        return Verdict("supported", 1.0, "verbatim in the sources", copied)
    sentences = measure_claim(claim, index)
    if sentences is None:
        return Verdict("unsupported", 0.0, "claim too long to check", None)
    decision, used = decide_claim(sentences, lambda: measure_claim(claim, index, True), ablate)
    evidence = used[decision.weakest].evidence
    found = EvidencePassage(evidence.document, evidence.text) if evidence else None
    return Verdict(
        decision.label, round(decision.score, 4), decision.reason, found, ruled=decision.ruled
    )


def decide_claim(
    sentences: list[Signals],
    clauses: Callable[[], list[Signals] | None],
    ablate: frozenset[str] = frozenset(),
    model: Model | None = None,
) -> tuple[Decision, list[Signals]]:
    """Decide on the sentences; a claim that fails only on its score (or on an added
    clause) gets a second chance clause by clause, since one sentence may join what two
    passages say ("..., in which turnout reached 48 percent"). Returns the decision and
    the signals it was made on."""
    decision = decide(sentences, ablate, model)
    # An added clause may be what another passage says: that rule, too, gets the chance.
    final = decision.ruled and decision.rule != "additions"
    if decision.label == "supported" or final or "clauses" in ablate:
        return decision, sentences
    pieces = clauses()
    if not pieces or len(pieces) <= len(sentences):
        return decision, sentences
    # The clauses are scored as the claim they come from: one sentence stays one sentence.
    combined = decide(pieces, ablate, model, several=len(sentences) > 1)
    if combined.label != "supported":
        return decision, sentences
    return replace(combined, reason="supported by combining source passages"), pieces


def measure_claim(claim: str, index: EvidenceIndex, clauses: bool = False) -> list[Signals] | None:
    """Signals of each sentence (or each clause) of ``claim``; None when it has too many
    sentences to check."""
    spans = split_spans(claim)
    if len(spans) > MAX_CLAIM_SENTENCES:
        return None
    if clauses:
        spans = [(s + a, s + b) for s, e in spans for a, b in split_clauses(claim[s:e])]
    return [measure(claim[start:end], index) for start, end in spans]


def check_claim(
    text: str,
    citations: Sequence[Citation],
    documents: Mapping[str, str],
    judge: LLMJudge | None = None,
) -> Check:
    """Check a cited claim: its quotes must be genuine, and must (or the documents may) hold it."""
    if not citations:
        return Check(False, "no citation")
    for citation in citations:
        source = documents.get(citation.document)
        if source is None:
            return Check(False, f"cites unknown document {citation.document!r}")
        if not citation.quote or citation.quote not in source:
            return Check(False, f"quote is not verbatim in {citation.document!r}")
    quoted = check_text(text, [(c.document, c.quote) for c in citations], judge)
    if quoted.supported:
        return _to_check(quoted, flagged=False)
    if quoted.label == "contradicted":
        return _to_check(quoted, flagged=False)
    whole = check_text(text, sorted(documents.items()), judge)
    if whole.supported:
        return _to_check(whole, flagged=True)
    return _to_check(quoted, flagged=False)


def _to_check(verdict: Verdict, *, flagged: bool) -> Check:
    reason = verdict.reason
    if flagged:
        reason = "supported by another passage than the one it cited"
    return Check(
        verdict.supported,
        reason,
        verdict.label,
        verdict.score,
        verdict.evidence,
        flagged,
        verdict.judged,
    )


def verbatim_source(claim: str, index: EvidenceIndex) -> EvidencePassage | None:
    """The source sentence that holds the claim word for word, with nothing before it in
    that sentence that negates or hedges it ("denied that ...", "reportedly ...")."""
    wanted = normalise_quotes(claim).rstrip(" .")
    if len(wanted.split()) < 3 or wanted not in index.flat_text:
        return None
    for sentence in index.sentences:
        text = normalise_quotes(sentence.text)
        at = text.find(wanted)
        if at >= 0 and _ends_word(text, at + len(wanted)):
            before = [t.word for t in tokenize(text[:at])]
            if has_negation(before) or hedges_in(before, [False] * len(before)):
                return None
            # "About 100 people ..." hedges the claim "100 people ...".
            if before and hedging(sentence.tokens, len(before) - 1):
                return None
            return EvidencePassage(sentence.document, sentence.text)
    return None


def _ends_word(text: str, end: int) -> bool:
    """The match stops at a word's end: "it was" is not held by "it wasn't"."""
    return end >= len(text) or not (text[end].isalnum() or text[end] in "'’")
