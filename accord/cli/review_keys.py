"""Single keys from the terminal for `accord review`, lines when stdin is not a terminal.

On a terminal the reader puts it in cbreak mode (no line buffering, no echo) for as long as it
is open, so a key acts without Enter. Cbreak rather than full raw mode: output keeps its
newline translation (rich's screen stays intact) and Ctrl-C still raises KeyboardInterrupt;
the terminal's settings are restored on every way out, Ctrl-C and exceptions included.
Piped input (scripts, tests) is read a line per key, its first character being the key.
"""

from __future__ import annotations

import os
import sys
import termios
import tty
from types import TracebackType
from typing import Self, TextIO

# Arrow keys arrive as escape sequences; they move like j and k.
_ARROWS = {"\x1b[A": "k", "\x1b[B": "j", "\x1b[C": "j", "\x1b[D": "k", "\x1bOA": "k", "\x1bOB": "j"}


class KeyReader:
    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stdin
        try:
            self.fd = self.stream.fileno()
        except (AttributeError, ValueError, OSError):  # CliRunner's stdin has no descriptor
            self.fd = -1
        self.tty = self.fd >= 0 and os.isatty(self.fd)
        self._saved: list | None = None

    def __enter__(self) -> Self:
        if self.tty:
            self._saved = termios.tcgetattr(self.fd)
            tty.setcbreak(self.fd)
        return self

    def __exit__(self, typ: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._restore()

    def _restore(self) -> None:
        if self._saved is not None:
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)

    def key(self) -> str:
        """One key ("" at the end of input); Escape alone is "esc"."""
        if not self.tty:
            line = self.stream.readline()
            if not line:
                return ""
            return line.strip()[:1] or "\n"
        ch = os.read(self.fd, 1).decode("utf-8", "replace")
        if ch == "\x1b":
            seq = ch + self._pending(2)
            return _ARROWS.get(seq, "esc")
        if ch == "\x04":  # Ctrl-D: end of input, as on a line
            return ""
        return ch

    def _pending(self, n: int) -> str:
        """Up to n bytes already waiting (the rest of an escape sequence), without blocking."""
        import select
        out = b""
        while len(out) < n and select.select([self.fd], [], [], 0.03)[0]:
            out += os.read(self.fd, 1)
        return out.decode("utf-8", "replace")

    def line(self, prompt: str) -> str | None:
        """A whole line (for a field's value), in the terminal's normal mode; None on Esc/EOF."""
        if not self.tty:
            sys.stdout.write(prompt)
            sys.stdout.flush()
            got = self.stream.readline()
            return None if not got else got.rstrip("\n")
        self._restore()
        try:
            return input(prompt)
        except EOFError:
            return None
        finally:
            tty.setcbreak(self.fd)
