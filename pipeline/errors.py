"""The one error type of the pipeline: it always names the vendor, the file and the problem."""

from __future__ import annotations

from pathlib import Path


class PipelineError(Exception):
    """A problem that stops regeneration; ``generated/`` is left untouched when it is raised.

    >>> str(PipelineError("broken $ref", vendor="shipbob", file=Path("specs/shipbob.yaml")))
    '[shipbob] specs/shipbob.yaml: broken $ref'
    """

    def __init__(self, problem: str, *, vendor: str | None = None, file: Path | str | None = None) -> None:
        self.problem = problem
        self.vendor = vendor
        self.file = Path(file) if file is not None else None
        super().__init__(problem)

    def __str__(self) -> str:
        prefix = f"[{self.vendor}] " if self.vendor else ""
        where = f"{self.file}: " if self.file else ""
        return f"{prefix}{where}{self.problem}"
