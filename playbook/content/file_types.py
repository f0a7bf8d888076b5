"""The kinds of file a playbook may publish: attachments to templates, and files beside the pages in docs/.

Everything in the site is served from the organisation's own origin, so a file that a browser would
run (HTML, SVG, JavaScript) could act as the site itself. Only documents, spreadsheets, slides, PDF,
plain text, raster images and zips are published, and a file must start as its kind does, so a page
renamed `.png` is refused too.
"""

from __future__ import annotations

from pathlib import Path

_ZIP = (b"PK\x03\x04",)
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".docx": _ZIP, ".xlsx": _ZIP, ".pptx": _ZIP, ".odt": _ZIP, ".ods": _ZIP, ".odp": _ZIP, ".zip": _ZIP,
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".csv": (), ".md": (), ".txt": (),
}  # fmt: skip
"""Allowed extensions, and how a file of each kind starts (nothing for plain text)."""
TEXT = frozenset({".csv", ".md", ".txt"})


def allowed_kinds() -> str:
    """`.csv, .docx, …` for messages."""
    return ", ".join(sorted(SIGNATURES))


def file_type_problem(path: Path) -> str:
    """Why `path` may not be published, or '' when it may."""
    suffix = path.suffix.lower()
    if suffix not in SIGNATURES:
        what = f"'{suffix}' files" if suffix else "files without an extension"
        return f"{what} are not published; allowed: {allowed_kinds()}"
    with path.open("rb") as file:
        head = file.read(4096)
    if suffix in TEXT:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 3:  # not just a character cut at the end of the first 4 KB
                return f"a {suffix} file must be UTF-8 text"
        return "a text file may not hold NUL bytes" if b"\0" in head else ""
    if not head.startswith(SIGNATURES[suffix]) or (suffix == ".webp" and head[8:12] != b"WEBP"):
        return f"the file is not a {suffix} file (its first bytes say otherwise); save it in that format"
    return ""
