"""The plugin's options, and what it needs of the rest of mkdocs.yml: extensions, theme, link rules."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from pymdownx.superfences import fence_code_format  # type: ignore[import-untyped]

from playbook.content.errors import PlaybookError

PACKAGE = Path(__file__).resolve().parents[1]
ASSETS = PACKAGE / "assets"
"""The playbook's stylesheet and scripts, and the Mermaid it ships, copied under ASSET_URI."""
THEME = PACKAGE / "theme"
"""Template overrides for Material, ahead of its own templates and behind a site's custom_dir."""
ASSET_URI = "assets/playbook"
MERMAID_FENCE = {"name": "mermaid", "class": "mermaid", "format": fence_code_format}
MERMAID_CLASS = 'class="mermaid"'
MERMAID_JS = f"{ASSET_URI}/mermaid.min.js"
TITLES_JS = f"{ASSET_URI}/titles.js"
"""The guard that keeps tooltips text (site/tooltips.py); every page loads it before Material's bundle."""
EXTENSIONS: dict[str, dict[str, Any]] = {
    "abbr": {}, "admonition": {}, "attr_list": {}, "def_list": {}, "md_in_html": {}, "tables": {},
    "toc": {"permalink": True}, "pymdownx.details": {}, "pymdownx.tasklist": {"custom_checkbox": True},
    "pymdownx.superfences": {},
}  # fmt: skip
"""Markdown extensions the generated pages use; added to mkdocs.yml's list when missing."""


class PositiveInt(c.Type[int]):
    """A whole number of at least 1."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(int, **kwargs)

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool):  # a bool is an int to Python, not to someone writing YAML
            raise ValidationError(f"Expected a whole number of at least 1, got {value!r}")
        number = super().run_validation(value)
        if number < 1:
            raise ValidationError(f"Expected a whole number of at least 1, got {number}")
        return number


class PlaybookConfig(Config):
    content_dir = c.Dir(exists=True, default="standards")
    """Folder holding the content YAML files, relative to mkdocs.yml; it must exist."""
    nav_group_size = PositiveInt(default=40)
    """A kind with more entities than this is split into sub-sections in the nav."""
    parallel = c.Type(bool, default=True)
    """Convert half the generated pages on a second core, where the machine has one (see parallel.py)."""


def prepare(config: MkDocsConfig) -> None:
    """Check the settings playbook pages rely on; add the extensions, stylesheet, scripts and theme
    overrides they need. PlaybookError names the setting to change."""
    macros = config.plugins.get("macros")
    if macros is not None and macros.config.get("module_name") != "macros":
        raise PlaybookError("the macros plugin must use this project's sandboxed module: set 'module_name: macros'")
    if not config.use_directory_urls:
        raise PlaybookError(
            "mkdocs.yml sets use_directory_urls: false; playbook addresses (/standards/x/, /STD-004/) need "
            "directory URLs: remove the setting"
        )
    if str(config.validation.links.absolute_links) != str(_relative_to_docs()):
        raise PlaybookError(
            "mkdocs.yml must set validation: {links: {absolute_links: relative_to_docs}}; "
            "playbook links are written from the docs root"
        )
    _require_extensions(config)
    config.extra_css.append(f"{ASSET_URI}/playbook.css")
    _offline_theme(config)
    config.extra_javascript.append(f"{ASSET_URI}/in-force.js")
    config.extra_javascript.append(f"{ASSET_URI}/checklists.js")
    config.extra_javascript.append(f"{ASSET_URI}/tailor.js")
    config.extra_javascript.append(f"{ASSET_URI}/tables.js")


def hover_text(config: MkDocsConfig, glossary: dict[str, str]) -> None:
    """The words the `abbr` extension marks up, with their hover text, for the page MkDocs converts next."""
    config.mdx_configs["abbr"]["glossary"] = glossary


def _require_extensions(config: MkDocsConfig) -> None:
    for name, options in EXTENSIONS.items():
        if name not in config.markdown_extensions:
            config.markdown_extensions.append(name)
        merged = config.mdx_configs.setdefault(name, {})
        for key, value in options.items():
            merged.setdefault(key, value)
    fences = config.mdx_configs["pymdownx.superfences"].setdefault("custom_fences", [])
    if not any(fence.get("name") == "mermaid" for fence in fences):
        fences.append(MERMAID_FENCE)


def _offline_theme(config: MkDocsConfig) -> None:
    """Material's templates with the playbook's overrides, so no page asks a third party for anything."""
    if config.theme.name == "material":
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))


def _relative_to_docs() -> Any:
    from mkdocs.config.defaults import _AbsoluteLinksValidationValue

    return _AbsoluteLinksValidationValue.RELATIVE_TO_DOCS


def default_nav(docs_pages: list[str]) -> list[Any]:
    """Hand-written pages in file order, the home page first, when mkdocs.yml gives no nav."""
    return sorted(docs_pages, key=lambda uri: (uri != "index.md", uri))
