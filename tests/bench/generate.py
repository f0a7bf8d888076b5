"""Write a synthetic catalog of N standards for benchmarks.

Each standard has 5 requirements and a ~500-word Markdown body; there is one template per
10 standards and one KPI per 20, on top of the good example catalog (roles, lifecycle,
models, glossary, guide), so every reference resolves.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

GOOD = Path(__file__).resolve().parent.parent / "examples" / "good"
WORDS = (
    "project sponsor milestone baseline risk issue budget forecast scope change report review gate "
    "team owner plan status health quality benefit decision schedule resource dependency"
).split()
LEVELS = ("MUST", "SHOULD", "MAY", "MUST NOT", "SHOULD NOT")


def _body(rng: random.Random, number: int) -> str:
    paragraphs = []
    for _ in range(5):
        words = [rng.choice(WORDS) for _ in range(100)]
        paragraphs.append(" ".join(words).capitalize() + ".")
    return f"## Guidance {number}\n\n" + "\n\n".join(paragraphs) + f'\n\nSee {{{{ ref("STD-{number:04d}#R1") }}}}.\n'


def _standard(n: int, templates: int) -> str:
    header = "# yaml-language-server: $schema=../playbook/schemas/standard.schema.json\n"
    reqs = "".join(
        f"  - id: R{i}\n    level: {level}\n    text: The project lead {level} keep item {i} of standard {n} current.\n"
        f"    rationale: Keeps item {i} comparable across projects.\n    evidence: [TPL-{100 + n % templates:03d}]\n"
        f"    since: 1.0.0\n"
        for i, level in enumerate(LEVELS, 1)
    )
    return (
        f"{header}apiVersion: playbook/v1\nkind: Standard\nid: STD-{n:04d}\ntitle: Synthetic standard {n}\n"
        f"summary: A generated standard used to measure validation and build speed.\ntags: [bench]\n"
        f'owner: pmo-lead\nstatus: active\nversion: 1.0.0\neffective: "2026-01-01"\n'
        f'last_reviewed: "2026-01-01"\nreview_every: 12\nmaintainers: ["@pmo/editors"]\n'
        f"applies_to:\n  models: [controlling]\n  phases: [execution]\n  roles: [project-lead]\n"
        f"related: [KPI-{100 + n % max(1, templates // 2):03d}]\nrequirements:\n{reqs}"
        f'changelog:\n  - version: 1.0.0\n    date: "2026-01-01"\n    summary: First version.\n'
    )


def _template(n: int) -> str:
    return (
        "# yaml-language-server: $schema=../../playbook/schemas/template.schema.json\n"
        f"apiVersion: playbook/v1\nkind: Template\nid: TPL-{n:03d}\ntitle: Synthetic template {n}\n"
        "summary: A generated table template used for benchmarks.\nowner: pmo-lead\nstatus: active\n"
        "version: 1.0.0\nformat: table\noutputs: [xlsx, csv]\ncolumns:\n"
        "  - {name: Item, type: text}\n  - {name: Severity, type: choice, allowed: [Low, Medium, High]}\n"
        '  - {name: Due, type: date}\nchangelog:\n  - {version: 1.0.0, date: "2026-01-01", summary: First.}\n'
    )


def _kpi(n: int) -> str:
    return (
        "# yaml-language-server: $schema=../../playbook/schemas/kpi.schema.json\n"
        f"apiVersion: playbook/v1\nkind: Kpi\nid: KPI-{n:03d}\ntitle: Synthetic KPI {n}\n"
        "summary: A generated KPI used for benchmarks.\nowner: pmo-lead\ndefinition: Share of items done.\n"
        'formula: done ÷ planned × 100\nunit: "%"\ndirection: higher-is-better\ntarget: "≥ 90%"\n'
        'thresholds: {green: "≥ 90%", amber: "75–90%", red: "< 75%"}\ncadence: monthly\n'
        "data_source: The project register.\n"
    )


def generate(root: Path, standards: int, seed: int = 7) -> Path:
    """Write the catalog under `root` (replacing it); returns `root`."""
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(GOOD, root)
    rng = random.Random(seed)
    templates = max(1, standards // 10)
    for n in range(100, 100 + templates):
        (root / "templates" / f"TPL-{n:03d}-synthetic-{n}.yaml").write_text(_template(n), encoding="utf-8")
    for n in range(100, 100 + max(1, templates // 2)):
        (root / "kpis" / f"KPI-{n:03d}-synthetic-{n}.yaml").write_text(_kpi(n), encoding="utf-8")
    for n in range(1000, 1000 + standards):
        stem = root / f"STD-{n:04d}-synthetic-{n}"
        stem.with_suffix(".yaml").write_text(_standard(n, templates), encoding="utf-8")
        stem.with_suffix(".md").write_text(_body(rng, n), encoding="utf-8")
    return root
