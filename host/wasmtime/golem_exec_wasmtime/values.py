"""WIT values between plain Python data and wasmtime-py's component values.

What wasmtime-py 50 offers: records are attribute objects (kebab-case field names via setattr), enums are strings,
`option` lifts to the value or None, `list<u8>` to bytes, variants to `Variant(tag, payload)`, resources to
`ResourceAny`. This host hands callers plain data instead: an Outcome dict, {"ok": True, "value": …} or
{"ok": False, "error": {"tag": …, "val": …}}, records as dicts, variants as {"tag", "val"}.
"""
from __future__ import annotations

import ctypes
from importlib.metadata import version as package_version
from typing import Any, Optional

from wasmtime import _ffi as ffi
from wasmtime.component import Record, Variant

Outcome = dict

LIMIT_FIELDS = ("time-ms", "memory-bytes", "file-size-bytes", "max-processes")


def record(**fields: Any) -> Record:
    """A WIT record from keyword fields (snake_case names become the WIT's kebab-case)."""
    value = Record()
    for name, field in fields.items():
        setattr(value, name.replace("_", "-"), field)
    return value


def wit_language(kind: str, version: Optional[str] = None) -> Record:
    return record(kind=kind, version=version)


def wit_file(name: str, content: bytes, encoding: Optional[str] = None) -> Record:
    return record(name=name, content=bytes(content), encoding=encoding)


def check_limits(limits: Optional[dict]) -> Optional[dict]:
    """`limits` uses the WIT names (time-ms, memory-bytes, file-size-bytes, max-processes): a typo must not silently
    mean "no limit"."""
    unknown = set(limits or {}) - set(LIMIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown limits field(s) {sorted(unknown)}: expected {', '.join(LIMIT_FIELDS)}")
    return limits


def wit_limits(limits: Optional[dict]) -> Optional[Record]:
    """The WIT `limits` record as the caller gave it (absent fields are none)."""
    if check_limits(limits) is None:
        return None
    return record(**{name.replace("-", "_"): limits.get(name) for name in LIMIT_FIELDS})


def to_python(value: Any) -> Any:
    """wasmtime-py values → plain data (records → dicts, variants → {"tag", "val"})."""
    if isinstance(value, Record):
        return {name: to_python(v) for name, v in vars(value).items()}
    if isinstance(value, Variant):
        return {"tag": value.tag, "val": to_python(value.payload)}
    if isinstance(value, list):
        return [to_python(v) for v in value]
    if isinstance(value, tuple):
        return tuple(to_python(v) for v in value)
    return value


def outcome_of(value: Any) -> Outcome:
    """A `result<T, error>` as an Outcome. wasmtime-py lifts results untagged: the error variant arrives as a Variant,
    any ok value as itself (no `T` of this WIT is a variant, so the two never mix)."""
    if isinstance(value, Variant):
        return {"ok": False, "error": to_python(value)}
    return {"ok": True, "value": to_python(value)}


def error(tag: str, val: Any = None) -> Outcome:
    return {"ok": False, "error": {"tag": tag, "val": val}}


def install_bytes_fast_path() -> None:
    """wasmtime-py 50 converts a `list<u8>` one element at a time in Python (~2 µs per byte: a 4 MiB stream of output
    took 8 s). Its C API represents the list as an array of tagged values (`wasmtime_component_val_t`); this writes
    and reads that array with one strided slice instead. Other lists keep wasmtime-py's own conversion."""
    from wasmtime.component import _types

    val_t = ffi.wasmtime_component_val_t
    size = ctypes.sizeof(val_t)
    kind_offset, payload_offset = val_t.kind.offset, val_t.of.offset  # u8 sits at the start of the payload union
    u8_kind, list_kind = ffi.WASMTIME_COMPONENT_U8.value, ffi.WASMTIME_COMPONENT_LIST
    generic_to_c, generic_from_c = _types.ListType.convert_to_c, _types.ListType.convert_from_c

    def convert_to_c(self, store, val, ptr):  # type: ignore[no-untyped-def]
        if not isinstance(val, (bytes, bytearray)) or not self._is_bytes():
            return generic_to_c(self, store, val, ptr)
        raw = ffi.wasmtime_component_vallist_t()
        ffi.wasmtime_component_vallist_new_uninit(raw, len(val))
        if val:
            array = bytearray(len(val) * size)
            array[kind_offset::size] = bytes([u8_kind]) * len(val)
            array[payload_offset::size] = val
            ctypes.memmove(raw.data, bytes(array), len(array))
        ptr.contents.kind = list_kind
        ptr.contents.of.list = raw

    def convert_from_c(self, c):  # type: ignore[no-untyped-def]
        if not self._is_bytes():
            return generic_from_c(self, c)
        try:
            count = c.of.list.size
            return ctypes.string_at(c.of.list.data, count * size)[payload_offset::size] if count else b""
        finally:
            ffi.wasmtime_component_vallist_delete(ctypes.byref(c.of.list))

    _types.ListType.convert_to_c = convert_to_c
    _types.ListType.convert_from_c = convert_from_c


if package_version("wasmtime") == "50.0.1":  # the layout this was written against; other versions keep the slow path
    install_bytes_fast_path()
