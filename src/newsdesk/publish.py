"""Publishing helpers: what a published story is related to, by content."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from newsdesk.records import Article

RELATED_COUNT = 3


def article_text(article: Article) -> str:
    body = " ".join(s.text for s in article.sentences())
    facts = " ".join(f"{f.aspect} {f.detail}" for f in article.facts)
    return f"{article.headline}\n{article.standfirst}\n{body}\n{facts}"


def find_related(
    articles: Sequence[Article], count: int = RELATED_COUNT
) -> dict[str, list[tuple[str, float]]]:
    """For each article's story, the ``count`` most similar other stories, best first.

    Every story gets ``count`` neighbours when there are enough stories, even weak ones,
    so that a reader always has somewhere to go next; scores let the site rank them.
    """
    if len(articles) < 2:
        return {a.story: [] for a in articles}
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    try:
        matrix = vectorizer.fit_transform([article_text(a) for a in articles])
    except ValueError:
        return {a.story: [] for a in articles}
    similarity = (matrix @ matrix.T).toarray()
    np.fill_diagonal(similarity, -1.0)
    related: dict[str, list[tuple[str, float]]] = {}
    for i, article in enumerate(articles):
        # Sort by score, then by story id, so that ties do not depend on input order.
        order = sorted(
            (j for j in range(len(articles)) if j != i),
            key=lambda j: (-similarity[i, j], articles[j].story),
        )
        related[article.story] = [
            (articles[j].story, round(float(similarity[i, j]), 4)) for j in order[:count]
        ]
    return related
