"""Language negotiation (``Accept-Language``, RFC 9110 §12.5.4): Chinese or English.

The gateway speaks two languages: ``zh`` (Simplified Chinese, the default) and ``en``. Any
range whose primary subtag is ``zh`` (``zh``, ``zh-CN``, ``zh-Hans`` …) selects Chinese, any
``en`` range (``en``, ``en-US`` …) English; q-values are honoured, ties go to the earlier range.

- :func:`requested` is the language the client asked for by name, or None (no header, only
  ``*`` or only languages the gateway does not speak). Problem titles are in that language,
  and bilingual ("English / 中文") when it is None.
- :func:`negotiate` always gives a language: the requested one, else Chinese (English when the
  client refused Chinese with ``zh;q=0``). Catalogue names and summaries use it.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Header

Lang = Literal["zh", "en"]
DEFAULT: Lang = "zh"
SUPPORTED: tuple[Lang, ...] = ("zh", "en")
# The Content-Language each language is labelled with.
TAGS: dict[Lang, str] = {"zh": "zh-CN", "en": "en"}
BILINGUAL_TAGS = "en, zh-CN"
SEPARATOR = " / "
_MAX_RANGES = 32  # a longer header is read no further (nobody prefers their 33rd language)

AcceptLanguage = Annotated[
    str | None,
    Header(
        alias="Accept-Language",
        description="`zh` (default) or `en`, e.g. `en-US,en;q=0.9` or `zh-CN`: the language "
        "of `name`, `department_name` and `summary`, and of problem titles",
    ),
]


def _primary(tag: str) -> Lang | None:
    primary = tag.split("-", 1)[0].strip().lower()
    return primary if primary in SUPPORTED else None


def _quality(params: list[str]) -> float | None:
    """The range's q-value: 1 when absent, None when malformed (the range is then ignored)."""
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return None
            return q if 0.0 <= q <= 1.0 else None
    return 1.0


def preferences(header: str | None) -> dict[Lang, float]:
    """The q-value the header gives each supported language it names (a missing one: unnamed).

    Named more than once (``zh-TW;q=0.2, zh-CN``), a language gets its highest q. The dict is
    ordered by preference: highest q first, then the range that gave it earliest in the header.
    """
    found: dict[Lang, tuple[float, int]] = {}
    if not header:
        return {}
    for position, entry in enumerate(header.split(",")[:_MAX_RANGES]):
        tag, *params = entry.split(";")
        lang = _primary(tag)
        q = None if lang is None else _quality(params)
        if lang is not None and q is not None and q > found.get(lang, (-1.0, 0))[0]:
            found[lang] = (q, position)
    ranked = sorted(found.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
    return {lang: q for lang, (q, _) in ranked}


def requested(header: str | None) -> Lang | None:
    """The language the client asked for by name (highest q > 0, earliest on ties), or None."""
    return next((lang for lang, q in preferences(header).items() if q > 0.0), None)


def negotiate(header: str | None) -> Lang:
    """The language to answer in: the requested one, else the default unless it was refused."""
    lang = requested(header)
    if lang is not None:
        return lang
    refused = {lang for lang, q in preferences(header).items() if q == 0.0}
    return next((lang for lang in (DEFAULT, *SUPPORTED) if lang not in refused), DEFAULT)


def pick(lang: Lang, zh: str, en: str) -> str:
    return en if lang == "en" else zh


def title(bilingual: str, lang: Lang | None) -> str:
    """One half of an "English / 中文" title; the title unchanged for None or a one-part title."""
    if lang is None:
        return bilingual
    en, sep, zh = bilingual.rpartition(SEPARATOR)
    if not sep or not en.strip() or not zh.strip():
        return bilingual
    return pick(lang, zh.strip(), en.strip())


def content_language(lang: Lang | None) -> str:
    """The Content-Language of an answer in ``lang`` (None: bilingual)."""
    return BILINGUAL_TAGS if lang is None else TAGS[lang]
