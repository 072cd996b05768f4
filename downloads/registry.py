"""The interface an app implements to have its export built in the background.

An app registers a builder under a stable kind (``"scoring.ranking_xlsx"``) at import time of
its own ``exports`` module, and a permission the requester must hold. The builder takes the
request's JSON parameters and a ``progress(done, total)`` callback and returns the file name
and its bytes. The downloads app knows no app: it only calls what was registered.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Progress = Callable[[int, int], None]
Builder = Callable[[Mapping[str, Any], Progress], tuple[str, bytes]]


@dataclass(frozen=True)
class ExportKind:
    kind: str
    label: str
    perm: str
    build: Builder
    content_type: str


_KINDS: dict[str, ExportKind] = {}


def register(
    kind: str, *, label: str, perm: str, content_type: str
) -> Callable[[Builder], Builder]:
    """Decorator: ``@register("scoring.ranking_xlsx", label=..., perm=..., content_type=...)``."""

    def decorate(build: Builder) -> Builder:
        _KINDS[kind] = ExportKind(kind, label, perm, build, content_type)
        return build

    return decorate


def get(kind: str) -> ExportKind | None:
    return _KINDS.get(kind)
