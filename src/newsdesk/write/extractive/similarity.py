"""TF-IDF sentence vectors and cosine similarities over one story (numpy, no model).

Idf is fitted on the story's own sentences, so words every outlet uses for this event
("flood", "Anselm") weigh less than in a general corpus but still link the sentences that
share them. Only terms that occur in two or more sentences get a column: a term seen once
cannot make two sentences similar, and dropping it keeps the matrix small (a 20-document
story stays well under a second) while the norms still count it.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float64]


class TfIdf:
    """Idf weights fitted on a story's sentences, and unit vectors over shared terms."""

    def __init__(self, token_lists: Sequence[Sequence[str]]) -> None:
        df: Counter[str] = Counter()
        for tokens in token_lists:
            df.update(set(tokens))
        total = len(token_lists)
        self.idf = {t: math.log((1 + total) / (1 + n)) + 1.0 for t, n in df.items()}
        self.default_idf = math.log(1 + total) + 1.0
        shared = sorted(t for t, n in df.items() if n >= 2)
        self.columns = {t: i for i, t in enumerate(shared)}

    def vectors(self, token_lists: Sequence[Sequence[str]]) -> Matrix:
        """One L2-normalised row per token list (norm over all terms, shared ones kept)."""
        matrix = np.zeros((len(token_lists), len(self.columns)), dtype=np.float64)
        for row, tokens in enumerate(token_lists):
            weights = {
                t: (1.0 + math.log(n)) * self.idf.get(t, self.default_idf)
                for t, n in Counter(tokens).items()
            }
            norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
            for term, weight in weights.items():
                column = self.columns.get(term)
                if column is not None:
                    matrix[row, column] = weight / norm
        return matrix

    def binary_vectors(self, token_lists: Sequence[Sequence[str]]) -> Matrix:
        """Unit rows of plain word presence: paraphrases of the core event stay close even
        though the story's idf discounts the words every outlet uses."""
        matrix = np.zeros((len(token_lists), len(self.columns)), dtype=np.float64)
        for row, tokens in enumerate(token_lists):
            words = set(tokens)
            weight = 1.0 / math.sqrt(len(words)) if words else 0.0
            for term in words:
                column = self.columns.get(term)
                if column is not None:
                    matrix[row, column] = weight
        return matrix


def cosine_matrix(vectors: Matrix) -> Matrix:
    """Pairwise cosine similarities of unit rows, with the diagonal zeroed."""
    similarity: Matrix = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    return similarity
