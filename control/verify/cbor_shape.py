"""What CBOR a LIC code may use, checked on the bytes before anything is read from them.

cbor2 gives meaning to dozens of tags (a bignum becomes an int, tag 1 a datetime, tag 55799
freezes what it wraps) and ignores bytes after the first item. A code has no use for any of
that, and a verifier in another language would read such input differently: so the only tag
is 18 around COSE_Sign1, there are no simple values but false, true and null, and nothing
follows the item. web/static/verify/cbor.js applies the same rule in the browser.
"""

from __future__ import annotations

FALSE, TRUE, NULL = 20, 21, 22


class ShapeError(ValueError):
    """Well-formed CBOR that a LIC code must not contain."""


def check_shape(data: bytes, top_tags: frozenset[int] = frozenset()) -> None:
    """`data` holds exactly one item, without tags (but one of `top_tags` around the whole)
    and without simple values other than false, true and null. Assumes well-formed CBOR
    (cbor2 has read it): a truncation still raises ShapeError rather than IndexError."""
    try:
        end = _item(data, 0, top_tags)
    except IndexError:
        raise ShapeError("truncated CBOR") from None
    if end != len(data):
        raise ShapeError("bytes after the CBOR item")


def _head(data: bytes, at: int) -> tuple[int, int, int | None, int]:
    """(major type, additional info, argument or None when indefinite, next position)."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        return major, info, info, at
    if info <= 27:
        size = 1 << (info - 24)
        if at + size > len(data):
            raise IndexError
        return major, info, int.from_bytes(data[at : at + size], "big"), at + size
    if info == 31:
        return major, info, None, at
    raise ShapeError("reserved additional information")


def _item(data: bytes, at: int, top_tags: frozenset[int] = frozenset()) -> int:
    """The position after the item at `at`; iterative, so deep nesting cannot overflow."""
    pending = 1  # items still to read at the current level (-1: until a break)
    stack: list[int] = []
    allowed = top_tags
    while True:
        if pending == 0:
            if not stack:
                return at
            pending = stack.pop()
            continue
        if pending == -1 and data[at] == 0xFF:
            at += 1
            pending = 0
            continue
        major, info, argument, at = _head(data, at)
        tags_here, allowed = allowed, frozenset()
        if pending > 0:
            pending -= 1
        if major in (0, 1):
            continue
        if major in (2, 3):
            if argument is None:  # indefinite string: definite chunks until a break
                while data[at] != 0xFF:
                    _, _, size, at = _head(data, at)
                    at += size or 0
                at += 1
            else:
                at += argument
            continue
        if major in (4, 5):
            count = -1 if argument is None else argument * (2 if major == 5 else 1)
            stack.append(pending)
            pending = count
            continue
        if major == 6:
            if argument not in tags_here:
                raise ShapeError(f"CBOR tag {argument} is not used in LIC codes")
            stack.append(pending)
            pending = 1
            continue
        if (info < 24 and info not in (FALSE, TRUE, NULL)) or info == 24:
            raise ShapeError("CBOR simple values other than false, true and null are not used")
