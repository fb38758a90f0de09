"""The text splitting of Langflow's knowledge-base ingestion (a recursive character splitter) and of its Split Text
component (a character splitter: one separator), done by our own deterministic code: the same text, sizes and
separators always give the same chunks, those langchain's splitters give."""

from __future__ import annotations

from collections import deque

# What the splitter tries after a given separator, and alone without one: paragraphs, lines, words, characters.
DEFAULT_SEPARATORS = ("\n\n", "\n", " ", "")


def separators_for(separator: str, *, fallback: bool = True) -> tuple[str, ...]:
    """The separators a form's `separator` field asks for: `\\n` and `\\t` typed as text are the characters; an
    empty field is the defaults; with `fallback` the defaults follow the given one (else it is tried alone)."""
    if not separator:
        return DEFAULT_SEPARATORS
    unescaped = separator.replace("\\n", "\n").replace("\\t", "\t")
    return (unescaped, *DEFAULT_SEPARATORS) if fallback else (unescaped,)


def split_text(text: str, *, chunk_size: int, chunk_overlap: int, separators: tuple[str, ...]) -> list[str]:
    """Chunks of at most `chunk_size` characters (unless a piece has nothing left to split on), neighbours
    sharing up to `chunk_overlap` characters of whole pieces, each stripped, none empty. Raises ValueError when
    the overlap is larger than the size, as Langflow's splitter does at construction."""
    check_sizes(chunk_size, chunk_overlap)
    if not text.strip():
        return []
    return _split(text, chunk_size, chunk_overlap, separators)


def check_sizes(chunk_size: int, chunk_overlap: int) -> None:
    """Raises ValueError, in langchain's words, for sizes its splitters refuse at construction."""
    if chunk_size <= 0:
        msg = f"chunk_size must be > 0, got {chunk_size}"
        raise ValueError(msg)
    if chunk_overlap < 0:
        msg = f"chunk_overlap must be >= 0, got {chunk_overlap}"
        raise ValueError(msg)
    if chunk_overlap > chunk_size:
        msg = f"Got a larger chunk overlap ({chunk_overlap}) than chunk size ({chunk_size}), should be smaller."
        raise ValueError(msg)


# what split_on makes at most (a deliberate difference: a tiny chunk size with a large overlap writes the text out
# thousands of times over, which would take the server's memory; Langflow makes it all)
MOST_CHUNKS = 10_000
MOST_CHARACTERS = 20_000_000


class TooManyChunks(ValueError):
    """The chunks would pass MOST_CHUNKS or MOST_CHARACTERS."""

    def __init__(self) -> None:
        super().__init__(f"mock-langflow refuses to make more than {MOST_CHUNKS:,} chunks or {MOST_CHARACTERS:,} "
                         "characters of chunks from one text")


def split_on(text: str, separator: str, *, chunk_size: int, chunk_overlap: int, keep: bool | str = False) -> list[str]:
    """A character splitter's chunks: `text` cut at each `separator` (a literal; empty: between characters), the
    pieces merged back with it up to `chunk_size` (a piece longer stays whole), neighbours sharing up to
    `chunk_overlap`. `keep` keeps each separator on the piece after it ("end": on the one before it); the pieces are
    then merged with nothing between them. Raises ValueError for sizes langchain refuses (check_sizes)."""
    check_sizes(chunk_size, chunk_overlap)
    if not separator:
        pieces = list(text)
    elif not keep:
        pieces = text.split(separator)
    else:
        parts = text.split(separator)
        if keep == "end":
            pieces = [part + separator for part in parts[:-1]] + parts[-1:]
        else:
            pieces = parts[:1] + [separator + part for part in parts[1:]]
    joiner = "" if keep else separator
    return _merge([piece for piece in pieces if piece], chunk_size, chunk_overlap, joiner, bounded=True)


def _split(text: str, size: int, overlap: int, separators: tuple[str, ...]) -> list[str]:
    # the first separator the text holds (the empty one always matches); those after it split what is too long
    index = next((i for i, sep in enumerate(separators) if sep == "" or sep in text), len(separators))
    if index == len(separators):
        return [text.strip()] if text.strip() else []
    sep, rest = separators[index], separators[index + 1:]
    pieces = _pieces(text, sep)
    chunks: list[str] = []
    small: list[str] = []
    for piece in pieces:
        if len(piece) <= size:
            small.append(piece)
            continue
        chunks.extend(_merge(small, size, overlap))
        small = []
        chunks.extend(_split(piece, size, overlap, rest) if rest else [piece.strip()] if piece.strip() else [])
    chunks.extend(_merge(small, size, overlap))
    return chunks


def _pieces(text: str, sep: str) -> list[str]:
    """`text` cut before each `sep`, which starts the piece after it; characters when `sep` is empty."""
    if sep == "":
        return list(text)
    parts = text.split(sep)
    return [p for p in [parts[0], *(sep + part for part in parts[1:])] if p]


def _merge(pieces: list[str], size: int, overlap: int, joiner: str = "", *, bounded: bool = False) -> list[str]:
    """Pieces joined (by `joiner`, which counts towards the length) into chunks of at most `size`; each new chunk
    starts with the last pieces of the one before that fit in `overlap`. Each chunk stripped; none empty.
    `bounded`: raises TooManyChunks past MOST_CHUNKS or MOST_CHARACTERS."""
    gap = len(joiner)
    made = 0  # characters in the chunks so far
    chunks: list[str] = []
    window: deque[str] = deque()  # (a chunk of a million characters pops each from its front)
    length = 0  # the window's pieces and the joiners between them
    for piece in pieces:
        if window and length + gap + len(piece) > size:
            joined = joiner.join(window).strip()
            if joined:
                chunks.append(joined)
                made += len(joined)
                if bounded and (len(chunks) > MOST_CHUNKS or made > MOST_CHARACTERS):
                    raise TooManyChunks
            while window and (length > overlap or length + gap + len(piece) > size):
                length -= len(window.popleft()) + (gap if window else 0)
        window.append(piece)
        length += len(piece) + (gap if len(window) > 1 else 0)
    joined = joiner.join(window).strip()
    if joined:
        chunks.append(joined)
    return chunks


def text_stats(chunks: list[str]) -> tuple[int, int]:
    """Words (runs of non-space) and characters in `chunks`, as Langflow counts a base's."""
    return sum(len(c.split()) for c in chunks), sum(len(c) for c in chunks)
