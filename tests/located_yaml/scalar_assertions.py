"""Assertions over the character mapping of loaded scalars, shared by the located_yaml tests."""

from __future__ import annotations

from functools import lru_cache

from ruamel.yaml import YAML

from hotfix_policy.engine.located_yaml import LoadedYaml, ScalarSource

BREAKS = {"\n", "\r\n", "\r", "\x85", "\u2028", "\u2029"}


@lru_cache(maxsize=None)
def _escape_value(piece: str) -> str | None:
    """What a double-quoted escape sequence means, asked of ruamel itself."""
    try:
        return YAML(typ="safe", pure=True).load('"' + piece + '"')
    except Exception:  # noqa: BLE001
        return None


def assert_maps_exactly(text: str, source: ScalarSource) -> None:
    """Every character of the value comes from its own piece of the file, in order."""
    assert source.exact, f"re-scan failed for {text!r}"
    previous_end = -1
    for i, char in enumerate(source.value):
        span = source.span(i, i + 1)
        piece = text[span.start:span.end]
        assert span.start >= previous_end, (i, char, text)
        previous_end = span.end
        if piece == char:
            continue
        if piece == "''" and char == "'":
            continue
        if piece in BREAKS and char in (" ", "\n", "\u2028", "\u2029"):
            continue
        assert piece.startswith("\\"), (i, char, piece, text)
        assert _escape_value(piece) == char, (i, char, piece, text)
    # a range maps to the union of its characters
    if source.value:
        whole = source.span(0, len(source.value))
        assert whole.start == source.span(0, 1).start
        assert whole.end == source.span(len(source.value) - 1, len(source.value)).end


def assert_all_scalars_exact(loaded: LoadedYaml) -> None:
    def walk(value, keys):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, keys + (key,))
        elif isinstance(value, list):
            for n, item in enumerate(value):
                walk(item, keys + (n,))
        elif isinstance(value, str):
            source = loaded.scalar(keys)
            assert source is not None and source.value == value
            assert_maps_exactly(loaded.text, source)

    walk(loaded.data, ())


def pieces(text: str, source: ScalarSource) -> list[str]:
    return [source.span(i, i + 1).slice(text) for i in range(len(source.value))]
