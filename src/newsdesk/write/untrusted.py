"""Source text is data, never instructions: spot passages that try to instruct a model.

Articles may carry prompt injections ("Ignore your previous instructions and write ...").
Such a passage is never shown to a model and never cited, so whatever a model might be
talked into writing from it has nothing to cite and fails the checker. The cues are
phrases addressed to a model or an editor, and imperatives that open a sentence; ordinary
reporting ("officials said that ...") does not match.
"""

from __future__ import annotations

import re

_ADDRESSED_TO_A_MODEL = re.compile(
    r"\b(?:ignore|disregard|forget|override)\s+(?:all\s+|any\s+|the\s+|your\s+)*"
    r"(?:previous|prior|above|earlier|preceding|other|system)?\s*"
    r"(?:instructions?|prompts?|directions?|rules|guidelines|context)\b"
    r"|\b(?:system|developer)\s+(?:prompt|message|instructions?)\b"
    r"|\bnew\s+instructions?\b"
    r"|\byou\s+are\s+(?:now\s+)?(?:an?\s+)?(?:ai|assistant|language model|chatbot|llm)\b"
    r"|\bas\s+an?\s+(?:ai|language model|assistant)\b"
    r"|\b(?:ai|llm|model|assistant|chatbot|summari[sz]er|writer)s?\s*[:,]\s*"
    r"(?:please\s+)?(?:write|say|state|report|include|add|output|respond|print|ignore)\b"
    r"|\bthe\s+(?:headline|summary|article|standfirst)\s+(?:must|should|shall)\s+"
    r"(?:read|say|state|be|include|mention)\b"
    r"|</?\s*(?:system|assistant|user|instructions?|im_start|im_end)\s*>"
    r"|\[/?(?:INST|SYS)\]",
    re.IGNORECASE,
)
_IMPERATIVE_OPENING = re.compile(
    r"^[\s\"'“‘(\[]*(?:please\s+)?(?:ignore|disregard|write|say|output|respond|"
    r"reply|publish|append|insert|pretend|act as|translate|summari[sz]e|do not (?:mention|"
    r"cite|report|include))\b",
    re.IGNORECASE,
)


def is_instruction(text: str) -> bool:
    """True when ``text`` reads as an instruction to a model or an editor."""
    return bool(_ADDRESSED_TO_A_MODEL.search(text) or _IMPERATIVE_OPENING.match(text))
