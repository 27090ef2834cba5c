"""What CBOR a LIC code may use, enforced while it is decoded.

cbor2 gives meaning to dozens of tags (a bignum becomes an int, tag 1 a datetime, tag 55799
freezes what it wraps) and ignores bytes after the first item. A code has no use for any of
that, and a verifier in another language would read such input differently: so the only tag
is 18 around COSE_Sign1, there are no simple values but false, true and null, and nothing
follows the item. web/static/verify/cbor.js applies the same rule in the browser.

The tags are refused by cbor2 itself (its semantic decoders replaced, its tag hook), so the
check costs little on the verifier's hot path; only simple values need a walk of the result.
"""

from __future__ import annotations

import io
import marshal
from collections.abc import Mapping
from typing import Any

import cbor2

# Every tag cbor2 6 decodes by itself (found by trying each tag up to 70 000).
SEMANTIC_TAGS = (0, 1, 2, 3, 4, 5, 25, 28, 29, 30, 35, 36, 37, 52, 54, 100, 256, 258, 260, 261,
                 1004, 43000, 55799)  # fmt: skip
PLAIN_TYPES = frozenset({int, float, bytes, str, bool, type(None)})


class ShapeError(ValueError):
    """Well-formed CBOR that a LIC code must not contain."""


def _refuse(tag: int) -> Any:
    def refuse(*arguments: Any) -> Any:
        raise ShapeError(f"CBOR tag {tag} is not used in LIC codes")

    return refuse


REFUSED = {tag: _refuse(tag) for tag in SEMANTIC_TAGS}


def loads_plain(data: bytes, top_tags: frozenset[int] = frozenset()) -> Any:
    """The one item in `data`, which may be wrapped in one of `top_tags` and holds no other
    tag and no simple value but false, true and null."""
    item, tagged = _loads_one(data, top_tags)
    _check_plain(item.value if tagged else item)
    return item


def loads_unwalked(data: bytes, top_tags: frozenset[int] = frozenset()) -> Any:
    """`loads_plain` but for the walk refusing simple values, left to a caller that checks
    the type of every value itself (the verifier's record check: it accepts only plain ones)."""
    return _loads_one(data, top_tags)[0]


def _loads_one(data: bytes, top_tags: frozenset[int]) -> tuple[Any, bool]:
    """The one item in `data`, and whether one of `top_tags` wraps it: no other tag."""
    kept: list[cbor2.CBORTag] = []

    def tag_hook(tag: cbor2.CBORTag, immutable: bool) -> Any:
        if tag.tag not in top_tags:
            raise ShapeError(f"CBOR tag {tag.tag} is not used in LIC codes")
        kept.append(tag)
        return tag

    stream = io.BytesIO(data)
    decoder = cbor2.CBORDecoder(stream, tag_hook=tag_hook, semantic_decoders=REFUSED)
    try:
        item = decoder.decode()
    except cbor2.CBORDecodeError as error:
        if isinstance(error.__cause__, ShapeError):  # cbor2 wraps what the hooks raise
            raise error.__cause__ from None
        raise
    if stream.tell() != len(data):
        raise ShapeError("bytes after the CBOR item")
    if kept and (len(kept) > 1 or kept[0] is not item):
        raise ShapeError(f"CBOR tag {kept[-1].tag} is allowed around the whole item only")
    return item, bool(kept)


def _check_plain(item: Any) -> None:
    """`_check_values` at C speed for the usual case: marshal serialises the builtin plain
    types (lists, tuples, dicts, ints, floats, texts, bytes, booleans, None) and refuses
    anything else, so a success proves there is no simple value. A failure (a simple value,
    or cbor2's frozendict inside the COSE tag) goes to the exact walk, which decides."""
    try:
        marshal.dumps(item)
    except ValueError:
        _check_values(item)


def _check_values(item: Any) -> None:
    """No undefined nor other simple value anywhere. Recursive: cbor2 refuses nesting deeper
    than 400, well within Python's limit; leaves, most of a record, are checked in the loop
    over their container, which keeps this a small part of a verification."""
    kind = type(item)
    if kind in PLAIN_TYPES:
        return
    if kind is list or kind is tuple:
        for value in item:
            if type(value) not in PLAIN_TYPES:
                _check_values(value)
    elif isinstance(item, Mapping):  # a dict, or cbor2's frozendict inside a tag
        for key, value in item.items():
            _check_values(key)
            _check_values(value)
    else:
        raise ShapeError("CBOR simple values other than false, true and null are not used")


# --- map labels: RFC 9052 (section 3) and RFC 8392 refuse a label given twice ---
#
# cbor2 keeps the last value of a repeated label, so a header or the claims could say one
# thing to this verifier and another to one that keeps the first. The maps where labels mean
# something (the headers, the claims) are read again from their bytes, label by label.


def unique_labels(data: bytes, offset: int = 0, decoded: Mapping[Any, Any] | None = None) -> None:
    """The map at `offset` in `data` (already decoded whole by `loads_plain`) has integer or
    text labels only, none twice.

    With `decoded`, the map as cbor2 gave it: when its head announces as many pairs as
    `decoded` holds and every label is an integer or a text, no label was given twice (cbor2
    keeps one entry per distinct label), without reading the map again. Anything else is
    read label by label, which names the culprit."""
    if decoded is not None and _distinct(data, offset, decoded):
        return
    stream = io.BytesIO(data)
    stream.seek(offset)
    major, count = _head(stream)
    if major != 5:
        raise ShapeError("a CBOR map was expected")
    decoder = _decoder(stream)
    seen: set[tuple[type, object]] = set()
    while count is None or len(seen) < count:
        if count is None and _at_break(stream):
            break
        label = decoder.decode()
        if type(label) not in (int, str):
            raise ShapeError(f"map label {label!r}: an integer or a text was expected")
        if (type(label), label) in seen:
            raise ShapeError(f"map label {label!r} given twice")
        seen.add((type(label), label))
        decoder.decode()  # its value


def _distinct(data: bytes, offset: int, decoded: Mapping[Any, Any]) -> bool:
    head = data[offset] if offset < len(data) else 0
    info = head & 0x1F
    if head >> 5 != 5 or info > 27:  # not a map, or of indefinite length
        return False
    count = info
    if info >= 24:  # the count follows the head in 1, 2, 4 or 8 bytes
        count = int.from_bytes(data[offset + 1 : offset + 1 + (1 << (info - 24))], "big")
    if count != len(decoded):
        return False
    return all(type(label) is int or type(label) is str for label in decoded)


def item_end(data: bytes, offset: int, heads: int = 0) -> int:
    """Where the item at `offset` ends; with `heads`, only that many heads (a tag's, an
    array's) are read instead, to step inside them."""
    quick = _quick_end(data, offset, heads)
    if quick is not None:
        return quick
    stream = io.BytesIO(data)
    stream.seek(offset)
    if heads:
        for _ in range(heads):
            _head(stream)
    else:
        _decoder(stream).decode()
    return stream.tell()


def _quick_end(data: bytes, offset: int, heads: int) -> int | None:
    """`item_end` from the heads alone where they say it all (heads with their argument, a
    byte string of definite length): a COSE_Sign1's headers are found on every
    verification. None for anything else."""
    for _ in range(heads or 1):
        if offset >= len(data) or data[offset] & 0x1F > 27:
            return None
        info = data[offset] & 0x1F
        size = 0 if info < 24 else 1 << (info - 24)
        if offset + 1 + size > len(data):
            return None
        argument = info if info < 24 else int.from_bytes(data[offset + 1 : offset + 1 + size])
        offset += 1 + size
        if not heads:
            if data[offset - 1 - size] >> 5 != 2 or offset + argument > len(data):
                return None
            offset += argument
    return offset


def _decoder(stream: io.BytesIO) -> cbor2.CBORDecoder:
    return cbor2.CBORDecoder(stream, tag_hook=lambda tag, _: tag, semantic_decoders=REFUSED)


def _head(stream: io.BytesIO) -> tuple[int, int | None]:
    """An item's major type and argument (None for an indefinite length)."""
    first = stream.read(1)
    if not first:
        raise ShapeError("CBOR ends too early")
    major, info = first[0] >> 5, first[0] & 0x1F
    if info < 24:
        return major, info
    if info == 31:
        return major, None
    if info > 27:
        raise ShapeError("reserved CBOR additional information")
    size = 1 << (info - 24)
    raw = stream.read(size)
    if len(raw) != size:
        raise ShapeError("CBOR ends too early")
    return major, int.from_bytes(raw, "big")


def _at_break(stream: io.BytesIO) -> bool:
    if stream.read(1) == b"\xff":
        return True
    stream.seek(-1, io.SEEK_CUR)
    return False
