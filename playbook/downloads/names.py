"""Where downloads sit in the site and what each file is called.

Apart from `files`, which makes them, so that a page linking to a download does not import the
Word, Excel, CSV and zip writers (`playbook validate` renders every page body).
"""

from __future__ import annotations

from playbook.content.model import Template

FOLDER = "downloads"
"""Where downloads sit in the site."""


def stem(template: Template) -> str:
    """`TPL-007-raid-log-v1.2.0`: id, slug and version, so a copy says what it is."""
    slug = template.slug
    name = template.id if slug == template.id.lower() else f"{template.id}-{slug}"
    return f"{name}-v{template.version}"


def file_name(template: Template, fmt: str) -> str:
    """`TPL-007-raid-log-v1.2.0.xlsx`."""
    return f"{stem(template)}.{fmt}"
