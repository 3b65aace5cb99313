"""Container image references pinned to a tag or a digest."""

from __future__ import annotations

import re
from dataclasses import dataclass

from constructs_lib.errors import InvalidPropError

__all__ = ["Image"]

# Grammar of github.com/distribution/reference (regexp.go), which the kubelet
# and container runtimes use to parse an image reference. The API server does
# not parse references (pkg/apis/core/validation/validation.go), so a malformed
# one would otherwise fail only at pull time, on every node.
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[0-9a-fA-F:]+\])"
_REPOSITORY = re.compile(rf"(?:{_DOMAIN}(?::[0-9]+)?/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*")
_TAG = re.compile(r"[\w][\w.-]{0,127}")
_NAME_MAX_LENGTH = 255
# Digest algorithms and hex lengths that github.com/opencontainers/go-digest
# (algorithm.go) accepts; it rejects upper-case hex and other algorithms.
_DIGESTS = {
    "sha256": re.compile(r"[a-f0-9]{64}"),
    "sha384": re.compile(r"[a-f0-9]{96}"),
    "sha512": re.compile(r"[a-f0-9]{128}"),
}
_MOVING_TAGS = frozenset({"latest"})


@dataclass(frozen=True, slots=True)
class Image:
    """A container image pinned to a tag, a digest or both.

    Build one with :meth:`parse` from a reference such as
    ``"nginxinc/nginx-unprivileged:1.27-alpine"``, or directly.
    """

    repository: str
    """Registry and path, for example ``ghcr.io/example/staafu``."""
    tag: str | None = None
    """Tag such as ``1.4.2``. ``latest`` is rejected because it moves."""
    digest: str | None = None
    """Content digest such as ``sha256:…``; wins over the tag when both are set."""

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InvalidPropError(
                "Image",
                "",
                "reference",
                self.reference,
                "; ".join(problems),
                "Pin an explicit tag or a digest, for example 'nginx:1.27.3' or "
                "'nginx@sha256:<digest>'.",
            )

    @classmethod
    def parse(cls, reference: str) -> Image:
        """Parse ``repository[:tag][@digest]``.

        Raises:
            InvalidPropError: the reference is malformed, or has neither a tag
                nor a digest, or its tag is ``latest``.
        """
        if not isinstance(reference, str):
            raise InvalidPropError(
                "Image",
                "",
                "reference",
                reference,
                f"must be a string, not {type(reference).__name__}",
                "Pass a reference such as 'nginx:1.27.3'.",
            )
        rest, _, digest = reference.partition("@")
        slash = rest.rfind("/")
        colon = rest.rfind(":")
        tag: str | None = None
        if colon > slash:
            rest, tag = rest[:colon], rest[colon + 1 :]
        return cls(repository=rest, tag=tag, digest=digest or None)

    def problems(self) -> list[str]:
        """Return why this reference is unusable, or an empty list."""
        problems: list[str] = []
        if not isinstance(self.repository, str) or not _REPOSITORY.fullmatch(self.repository):
            problems.append(
                f"repository {self.repository!r} is not a valid image name "
                "(lower case path components separated by '/')"
            )
        elif len(self.repository) > _NAME_MAX_LENGTH:
            problems.append(f"repository must be no more than {_NAME_MAX_LENGTH} characters")
        if self.tag is not None and (not isinstance(self.tag, str) or not _TAG.fullmatch(self.tag)):
            problems.append(f"tag {self.tag!r} is not a valid tag")
        if self.digest is not None and not _digest_is_valid(self.digest):
            problems.append(
                f"digest {self.digest!r} is not 'sha256:' followed by 64 lower-case hex "
                "digits (or sha384 with 96, sha512 with 128)"
            )
        if self.tag is None and self.digest is None:
            problems.append("has no tag or digest, so every node may pull a different image")
        elif self.digest is None and self.tag is not None and self.tag in _MOVING_TAGS:
            problems.append(f"tag {self.tag!r} moves, so every node may pull a different image")
        return problems

    @property
    def reference(self) -> str:
        """The reference as a container's ``image`` field takes it."""
        text = self.repository
        if self.tag is not None:
            text += f":{self.tag}"
        if self.digest is not None:
            text += f"@{self.digest}"
        return text

    def __str__(self) -> str:
        return self.reference


def _digest_is_valid(digest: object) -> bool:
    if not isinstance(digest, str):
        return False
    algorithm, _, encoded = digest.partition(":")
    pattern = _DIGESTS.get(algorithm)
    return pattern is not None and pattern.fullmatch(encoded) is not None
