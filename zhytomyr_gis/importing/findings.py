"""What an import has to say about an element of a file or a row: in Ukrainian
for the clerk, in English for the log, with the place it refers to."""

from __future__ import annotations

from dataclasses import dataclass

ERROR = "error"  # the parcel or row is refused (a file-level error refuses the file)
WARNING = "warning"  # said, but nothing is refused


@dataclass(frozen=True)
class Finding:
    code: str  # stable id: area_mismatch, missing_polyline, unclosed_ring, ...
    message_uk: str
    message_en: str
    path: str = ""  # element path (or "row 12")
    line: int | None = None
    severity: str = ERROR

    def where(self) -> str:
        parts = [self.path] if self.path else []
        if self.line:
            parts.append(f"рядок {self.line}")
        return ", ".join(parts)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message_uk,
            "message_en": self.message_en,
            "path": self.path,
            "line": self.line,
        }

    def __str__(self) -> str:
        where = self.where()
        return f"{self.message_uk} ({where})" if where else self.message_uk


def refuses(findings: list[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)
