import numpy as np
import pytest

from newsdesk.embed import get_embedder, normalise_rows


def test_vectors_are_unit_length_and_similar_texts_are_closer() -> None:
    embedder = get_embedder()
    vectors = embedder.embed(
        [
            "An earthquake shook the port and damaged the harbour wall.",
            "The quake damaged the harbour wall of the port.",
            "The chess championship ended with a surprise winner.",
        ]
    )
    assert vectors.shape == (3, embedder.dim)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_empty_text_gives_a_zero_row_and_no_texts_an_empty_matrix() -> None:
    embedder = get_embedder()
    vectors = embedder.embed(["", "   ", "Ein Erdbeben erschütterte die Hafenstadt."])
    assert not vectors[0].any() and not vectors[1].any()
    assert np.linalg.norm(vectors[2]) == pytest.approx(1.0, abs=1e-5)
    assert embedder.embed([]).shape == (0, embedder.dim)


def test_the_model_is_loaded_once() -> None:
    assert get_embedder() is get_embedder("wordllama")


def test_unknown_embedder_is_named_in_the_error() -> None:
    with pytest.raises(ValueError, match="nope"):
        get_embedder("nope")


def test_normalise_rows_keeps_zero_rows() -> None:
    rows = normalise_rows(np.array([[3.0, 4.0], [0.0, 0.0]], dtype=np.float32))
    assert np.allclose(rows, [[0.6, 0.8], [0.0, 0.0]])
