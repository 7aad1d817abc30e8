"""A streaming reader of a JSON array or JSON lines, so a 100k-task export never sits in memory whole."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import IO, Any

from planner.domain.errors import InvalidInputError


def iter_json_values(stream: IO[str], *, chunk_chars: int = 1 << 16) -> Iterator[tuple[int, Any]]:
    """Yield ``(line, value)`` for each value of a top-level JSON array, or of JSON lines.

    Reads the stream in chunks, so a 100k-task export never sits in memory
    as one string. Bad JSON raises InvalidInputError naming the line.
    """
    reader = _ChunkReader(stream, chunk_chars)
    decoder = json.JSONDecoder()
    opened = closed = False
    while reader.skip_separators():
        char = reader.buffer[reader.position]
        if char == "[" and not opened and not closed:
            opened = True
            reader.position += 1
            continue
        if char == "]" and opened and not closed:
            closed = True
            reader.position += 1
            continue
        if closed:
            raise InvalidInputError(f"line {reader.line}: bad JSON (text after the closing bracket)")
        while True:
            try:
                value, end = decoder.raw_decode(reader.buffer, reader.position)
            except json.JSONDecodeError as error:
                truncated = "\n" not in reader.buffer[error.pos:]
                if truncated and reader.read_more():
                    continue
                bad_line = reader.line + reader.buffer.count("\n", reader.position, error.pos)
                raise InvalidInputError(f"line {bad_line}: bad JSON ({error.msg})") from None
            except (RecursionError, ValueError) as error:
                raise InvalidInputError(f"line {reader.line}: bad JSON ({json_limit(error)})") from None
            if end == len(reader.buffer) and reader.read_more():
                continue  # a number or literal may go on in the next chunk
            break
        yield reader.line, value
        reader.line += reader.buffer.count("\n", reader.position, end)
        reader.position = end
    if opened and not closed:
        raise InvalidInputError(f"line {reader.line}: bad JSON (the array is not closed with ])")


def json_limit(error: RecursionError | ValueError) -> str:
    """What a JSON text exceeded when the decoder gave up on it (nesting, or digits of an integer)."""
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return "a number with too many digits" if "digits" in str(error) else str(error).splitlines()[0]


class _ChunkReader:
    """A window over a text stream: the unread text, its position and line."""

    def __init__(self, stream: IO[str], chunk_chars: int):
        self.stream, self.chunk_chars = stream, chunk_chars
        self.buffer, self.position, self.line, self.eof = "", 0, 1, False

    def read_more(self) -> bool:
        """Append the next chunk (dropping what was consumed); False at the end."""
        if self.eof:
            return False
        chunk = self.stream.read(self.chunk_chars)
        if not chunk:
            self.eof = True
            return False
        self.buffer = self.buffer[self.position:] + chunk
        self.position = 0
        return True

    def skip_separators(self) -> bool:
        """Skip blanks and commas between values; False when the stream is done."""
        while True:
            buffer, position = self.buffer, self.position
            while position < len(buffer) and buffer[position] in " \t\r\n,":
                if buffer[position] == "\n":
                    self.line += 1
                position += 1
            self.position = position
            if position < len(buffer):
                return True
            if not self.read_more():
                return False
