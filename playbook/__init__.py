"""PMO Playbook: governed PMO content (YAML + Markdown) in, a searchable static site out."""

__version__ = "0.1.0"
