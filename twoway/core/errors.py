"""Domain errors raised by services and translated by views and API endpoints."""

from __future__ import annotations

from dataclasses import dataclass, field


class ApplicationError(Exception):
    """A rule of the domain refused the request; ``message`` is shown to the user as is."""

    def __init__(self, message: str, *, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


@dataclass(frozen=True)
class RowError:
    """One problem in one row of an uploaded file."""

    row: int  # 1-based line number as a spreadsheet shows it (the header is row 1)
    column: str
    reason: str
    value: str = ""


@dataclass
class ValidationReport:
    errors: list[RowError] = field(default_factory=list)

    def add(self, row: int, column: str, reason: str, value: str = "") -> None:
        self.errors.append(RowError(row=row, column=column, reason=reason, value=value))

    def __bool__(self) -> bool:
        return bool(self.errors)


class FileValidationError(ApplicationError):
    """A file was refused as a whole; ``report`` names every row, column and reason."""

    def __init__(self, message: str, *, report: ValidationReport) -> None:
        super().__init__(message)
        self.report = report
