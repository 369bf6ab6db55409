"""Text similarity for the marketplace: character n-gram TF-IDF, any Latin-script language.

Why character n-grams
    Community representatives write in Spanish, French or Bahasa Indonesia as often as in
    English, and spell freely. Pieces of words ("filt", "agua", "ua p") carry meaning in every
    language without a dictionary, a stemmer or a stop-word list, and survive plurals, typos
    and inflections ("filtro"/"filtros", "penjernih"/"penjernihan"). Nothing is downloaded.

Steps
    1. *Normalise*: Unicode NFKD, drop accents and other combining marks, casefold, keep letters
       and digits only (everything else becomes a space), drop tokens made only of digits
       (quantities and dates belong to other parts of the score).
    2. *Features*: the 3- and 4-character pieces of each word padded with one space on each
       side (" agua " gives " ag", "agu", "gua", "ua ", " agu", "agua", "gua "); pieces never
       span two words.
    3. *Weights*: ``(1 + ln count) × idf`` with the smoothed inverse document frequency
       ``idf = ln((1 + N) / (1 + df)) + 1`` over the N documents the model was fitted on, so
       pieces found everywhere ("de", "the", "untuk") weigh little; each document's vector is
       scaled to length 1. The fit always includes a dozen generic sentences (``GENERIC``,
       each counted four times) in the four languages, so that even two texts alone, or a
       small coalition's posts, weigh "families", "para" or "untuk" below the words that say
       what is needed.
    4. *Similarity*: the cosine of two vectors (their dot product), 0 (nothing shared) to 1
       (the same text).

The work is vectorised with numpy: the texts become one array of code points, and each piece
is hashed into one of about 4 million buckets (as scikit-learn's HashingVectorizer does): two
pieces rarely share a bucket, and when they do it adds a hair of noise, not a match.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
TermArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_SEP = 1  # the code point put between documents in the joined array
_SPACE = ord(" ")
_BMP = 0x10000
TERM_BITS = 22  # pieces are hashed into 2**22 (about 4 million) buckets
TERMS = 1 << TERM_BITS
_CHUNK = 2048  # texts per chunk of work
_MIX = np.uint64(0x9E3779B97F4A7C15)
_MIX4 = np.uint64(0xC2B2AE3D27D4EB4F)

# Generic sentences every model also sees, as if posted GENERIC_COPIES times each, so that the
# words almost every post uses (families, community, for, untuk, pour…) weigh little even in a
# coalition with a few dozen posts. They name no goods or services: those are what matching is
# about.
GENERIC_COPIES = 4
GENERIC = (
    "we need support for the families and households of our community in the neighbourhood",
    "we can offer help and donations to people in the village, available now, free of charge",
    "urgent request from the community for children, women, older people and disabled people",
    "necesitamos apoyo para las familias y los hogares de nuestra comunidad en el barrio",
    "podemos ofrecer ayuda y donaciones a las personas de la colonia, disponible ahora, gratis",
    "solicitud urgente de la comunidad para niños, mujeres, personas mayores y con discapacidad",
    "nous avons besoin de soutien pour les familles et les ménages de notre communauté",
    "nous pouvons offrir de l'aide et des dons aux habitants du quartier, disponible, gratuit",
    "demande urgente de la communauté pour les enfants, les femmes et les personnes âgées",
    "kami membutuhkan bantuan untuk keluarga dan rumah tangga di komunitas kami di kampung",
    "kami dapat menawarkan bantuan dan donasi kepada warga di desa, tersedia sekarang, gratis",
    "permintaan mendesak dari masyarakat untuk anak-anak, perempuan, lansia dan disabilitas",
)


def _char_tables() -> tuple[BoolArray, BoolArray, BoolArray]:
    """Which code points of the Basic Multilingual Plane are marks, letters or digits, digits."""
    chars = [chr(cp) for cp in range(_BMP)]
    # One more entry, False in every table, stands for every code point beyond the plane.
    mark = np.fromiter((unicodedata.combining(c) != 0 for c in chars), bool, _BMP)
    alnum = np.fromiter((c.isalnum() for c in chars), bool, _BMP)
    digit = np.fromiter((c.isdigit() for c in chars), bool, _BMP)
    beyond = np.zeros(1, dtype=bool)
    return (
        np.concatenate([mark, beyond]),
        np.concatenate([alnum & ~mark, beyond]),
        np.concatenate([digit, beyond]),
    )


_MARK, _ALNUM, _DIGIT = _char_tables()


def _normalised_points(texts: Sequence[str]) -> npt.NDArray[np.uint32]:
    """All texts normalised, as one array of code points: `` words \\x01 words \\x01 … ``.

    Each document starts and ends with one space and its words are separated by one space, so
    its pieces are the windows between two separators. Code points beyond the Basic
    Multilingual Plane (emoji and the like) count as punctuation.
    """
    clean = (
        (t if t.isascii() else unicodedata.normalize("NFKD", t)).replace("\x01", " ") for t in texts
    )
    joined = (" " + " \x01 ".join(clean) + " ").casefold()
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    points = points[~_MARK[np.minimum(points, _BMP)]]
    index = np.minimum(points, _BMP)
    alnum = _ALNUM[index]
    # Words made of digits only (quantities, years) are dropped.
    word = np.cumsum(~alnum, dtype=np.int64)
    letters = np.bincount(word, weights=alnum & ~_DIGIT[index], minlength=int(word[-1]) + 1)
    keep = (alnum & (letters[word] > 0)) | (points == _SEP)
    points = np.where(keep, points, _SPACE).astype(np.uint32)
    blank = points == _SPACE
    repeated = np.zeros(len(points), dtype=bool)
    repeated[1:] = blank[1:] & blank[:-1]
    return points[~repeated]


def normalise(text: str) -> str:
    """Casefolded, accent-free words separated by single spaces (see the module docstring)."""
    return _normalised_points([text]).tobytes().decode("utf-32-le").strip()


Pieces = tuple[TermArray, TermArray, FloatArray]  # document (in its chunk), term, count


def _pieces(texts: Sequence[str]) -> list[Pieces]:
    """Distinct (document, term) pairs of the texts with their counts, chunk by chunk.

    Working in chunks keeps every temporary array a few megabytes whatever the corpus: large
    fresh allocations are slow (each page is touched for the first time), small ones reuse
    memory.
    """
    return [_chunk_pieces(chunk) for chunk in _chunked(texts)]


def _chunk_pieces(texts: Sequence[str]) -> Pieces:
    # A closing separator gives the last document's last window of three a fourth point.
    points = np.append(_normalised_points(texts), np.uint32(_SEP)).astype(np.uint64)
    doc_of = np.cumsum(points == _SEP, dtype=np.int64).astype(np.uint64)
    sep, space = np.uint64(_SEP), np.uint64(_SPACE)
    a, b, c, d = points[:-3], points[1:-2], points[2:-1], points[3:]
    ok3 = (a != sep) & (b != sep) & (c != sep) & (b != space)
    ok4 = ok3 & (d != sep) & (c != space)
    mixed = ((a << np.uint64(42)) | (b << np.uint64(21)) | c) * _MIX
    shift, bits = np.uint64(64 - TERM_BITS), np.uint64(TERM_BITS)
    combined = np.concatenate(
        [
            (doc_of[:-3][ok3] << bits) | (mixed[ok3] >> shift),
            (doc_of[:-3][ok4] << bits) | (((mixed[ok4] ^ d[ok4]) * _MIX4) >> shift),
        ]
    )
    combined.sort()
    new = np.ones(len(combined), dtype=bool)
    new[1:] = combined[1:] != combined[:-1]
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, len(combined))).astype(np.float64)
    unique = combined[starts]
    docs = (unique >> bits).astype(np.int32)
    return docs, (unique & np.uint64(TERMS - 1)).astype(np.int32), counts


@dataclass(frozen=True)
class Vectors:
    """Documents as a sparse matrix in CSR form (row i: ``indptr[i]`` to ``indptr[i + 1]``).

    Terms are piece buckets; weights are scaled so that each row has length 1.
    """

    indptr: IntArray
    terms: TermArray
    weights: FloatArray

    def __len__(self) -> int:
        return len(self.indptr) - 1

    def take(self, rows: IntArray) -> Vectors:
        """The sub-matrix of the given rows, in that order."""
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=indptr[1:])
        positions = ranges(starts, lengths)
        return Vectors(indptr, self.terms[positions], self.weights[positions])


def ranges(starts: IntArray, lengths: IntArray) -> IntArray:
    """The concatenation of ``arange(s, s + n)`` for each start and length."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
    return offsets + np.arange(total, dtype=np.int64)


@dataclass(frozen=True)
class TextModel:
    """Each piece bucket's idf, from the documents the model was fitted on."""

    idf: FloatArray

    @classmethod
    def fit(cls, texts: Sequence[str]) -> tuple[TextModel, Vectors]:
        """The model of these texts (plus ``GENERIC``) and the texts' vectors."""
        pieces = _pieces(texts)
        df = np.zeros(TERMS)
        for _, terms, _ in pieces:
            np.add.at(df, terms, 1.0)
        for _, terms, _ in _pieces(GENERIC):
            np.add.at(df, terms, float(GENERIC_COPIES))
        n = len(texts) + GENERIC_COPIES * len(GENERIC)
        model = cls(np.log((1.0 + n) / (1.0 + df)) + 1.0)
        return model, model._vectors(texts, pieces)

    def transform(self, texts: Sequence[str]) -> Vectors:
        """Vectors of texts with this model's weights."""
        return self._vectors(texts, _pieces(texts))

    def _vectors(self, texts: Sequence[str], pieces: list[Pieces]) -> Vectors:
        lengths, weights = [], []
        for chunk, (docs, terms, counts) in zip(_chunked(texts), pieces, strict=True):
            weight = (1.0 + np.log(counts)) * self.idf[terms]
            norms = np.sqrt(np.bincount(docs, weights=weight * weight, minlength=len(chunk)))
            weight /= norms[docs]
            weights.append(weight)
            lengths.append(np.bincount(docs, minlength=len(chunk)))
        indptr = np.zeros(len(texts) + 1, dtype=np.int64)
        if pieces:
            np.cumsum(np.concatenate(lengths), out=indptr[1:])
            return Vectors(indptr, np.concatenate([p[1] for p in pieces]), np.concatenate(weights))
        return Vectors(indptr, np.zeros(0, dtype=np.int32), np.zeros(0))


def _chunked(texts: Sequence[str]) -> list[Sequence[str]]:
    return [texts[i : i + _CHUNK] for i in range(0, len(texts), _CHUNK)]


class _Columns(threading.local):
    """A term → dense column table, -1 everywhere between calls (one per thread)."""

    def __init__(self) -> None:
        self.table = np.full(TERMS, -1, dtype=np.int64)


_COLUMNS = _Columns()


def dot(left: Vectors, right: Vectors) -> FloatArray:
    """The ``len(left) × len(right)`` matrix of dot products of the rows.

    Dense columns are made for the terms of the side with fewer rows only, so one short text
    against thousands of long ones stays small. The product runs on BLAS: callers doing many
    small ones should hold BLAS to one thread (``matching_engine`` does).
    """
    if len(left) > len(right):
        return dot(right, left).T
    out = np.zeros((len(left), len(right)))
    if len(left.terms) == 0 or len(right.terms) == 0:
        return out
    table = _COLUMNS.table
    position = np.arange(len(left.terms))
    table[left.terms] = position
    vocab = left.terms[table[left.terms] == position]  # one entry per distinct term
    table[vocab] = np.arange(len(vocab))
    try:
        left_cols, right_cols = table[left.terms], table[right.terms]
    finally:
        table[vocab] = -1
    dense_left = np.zeros((len(left), len(vocab)))
    dense_left[np.repeat(np.arange(len(left)), np.diff(left.indptr)), left_cols] = left.weights
    shared = right_cols >= 0
    right_rows = np.repeat(np.arange(len(right)), np.diff(right.indptr))
    dense_right = np.zeros((len(right), len(vocab)))
    dense_right[right_rows[shared], right_cols[shared]] = right.weights[shared]
    np.matmul(dense_left, dense_right.T, out=out)
    return out


def cosine(left: Vectors, right: Vectors) -> FloatArray:
    """Cosine similarities of unit vectors, rounded to 6 places.

    Rounding makes the result independent of how rows were grouped into blocks (sums taken in
    another order differ in the last bits), which keeps rankings deterministic.
    """
    return np.clip(np.round(dot(left, right), 6), 0.0, 1.0)


def text_similarity(a: str, b: str, model: TextModel | None = None) -> float:
    """How alike two texts are, 0 to 1 (see the module docstring); works offline.

    Without ``model`` the weights come from the two texts themselves (and ``GENERIC``), as
    ``matching.score`` of one pair has them.
    """
    if model is None:
        _, vectors = TextModel.fit([a, b])
    else:
        vectors = model.transform([a, b])
    return float(cosine(vectors.take(np.array([0])), vectors.take(np.array([1])))[0, 0])
