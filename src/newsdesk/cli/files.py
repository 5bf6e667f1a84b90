"""The stage commands' file side: JSON Lines in (a file or '-' for stdin), JSON out.

Every read is capped (NEWSDESK_FETCH_MAX_BYTES a line, or for a whole input), and a bad
line ends the command with one error line naming the file and line.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from newsdesk.cli.common import fail
from newsdesk.ingest.imports import text_too_long
from newsdesk.ingest.localfiles import (
    ByteLines,
    LocalInputError,
    open_input,
    parse_json_line,
    read_capped,
    read_lines,
)
from newsdesk.records import Document, Story

STDIN = "-"
M = TypeVar("M", bound=BaseModel)


def stdin_is_piped() -> bool:
    """Whether standard input is a pipe or a redirected file (not a terminal, nor the
    /dev/null that cron and service managers give), so a command without a file argument
    reads it rather than the database."""
    try:
        mode = os.fstat(sys.stdin.fileno()).st_mode
    except (AttributeError, OSError, ValueError):  # no real stdin (closed, or a test's)
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


def read_json_lines(path: Path, max_bytes: int) -> Iterator[tuple[int, Any]]:
    """The JSON value of each line of ``path`` ('-': stdin), each line at most ``max_bytes``.

    A line that is too long, not UTF-8, not JSON or holds no valid text (a lone surrogate)
    ends the command with one error line naming the file and line.
    """
    try:
        with _open_lines(path) as stream:
            for number, line in read_lines(stream, str(path), max_bytes):
                if isinstance(line, LocalInputError):
                    raise line
                if line.strip():
                    yield number, parse_json_line(line, f"{path}:{number}")
    except LocalInputError as error:
        raise fail(str(error)) from None
    except OSError as error:
        raise fail(f"cannot read {path}: {error.strerror or error}") from None


def _open_lines(path: Path) -> AbstractContextManager[ByteLines]:
    if str(path) == STDIN:
        return nullcontext(sys.stdin.buffer)
    return open_input(path)


def read_whole(path: Path, max_bytes: int) -> bytes:
    """All of ``path`` ('-': stdin), refused when larger than ``max_bytes``."""
    try:
        if str(path) != STDIN:
            return read_capped(path, max_bytes)
        data = sys.stdin.buffer.read(max_bytes + 1)
    except LocalInputError as error:
        raise fail(str(error)) from None
    except OSError as error:
        raise fail(f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > max_bytes:
        raise fail(f"{path}: larger than {max_bytes} bytes; not read")
    return data


def read_documents(path: Path, max_bytes: int) -> list[Document]:
    documents = []
    for number, data in read_json_lines(path, max_bytes):
        document = validate(Document, data, f"{path}:{number}")
        too_long = text_too_long(document)
        if too_long is not None:
            raise fail(f"{path}:{number}: {too_long}")
        documents.append(document)
    return documents


def read_stories(path: Path, max_bytes: int) -> list[Story]:
    """One Story as a JSON document (pretty-printed or not), or Stories as JSON Lines (what
    ``newsdesk cluster --stories`` prints)."""
    data = read_whole(path, max_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise fail(f"{path}: not UTF-8 text (byte {error.start})") from None
    try:
        whole = json.loads(text)
    except json.JSONDecodeError:
        lines = [line for line in text.splitlines() if line.strip()]
        return [
            validate(Story, parse_json(line, f"{path}:{number}"), f"{path}:{number}")
            for number, line in enumerate(lines, 1)
        ]
    return [validate(Story, whole, str(path))]


def parse_json(text: str, where: str) -> Any:
    try:
        return parse_json_line(text, where)
    except LocalInputError as error:
        raise fail(str(error)) from None


def validate(model: type[M], data: Any, where: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise fail(f"{where}: not a {model.__name__}: {first_problem(error)}") from None


def first_problem(error: ValidationError) -> str:
    problem = error.errors()[0]
    where = ".".join(str(part) for part in problem["loc"]) or "record"
    return f"{where}: {problem['msg']}"


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
