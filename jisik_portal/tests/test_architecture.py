"""Every dependency is an import you can see (issue 11): the arrows hold in the code itself.

Production code (every package of the portal, outside ``migrations/`` and ``tests/``) has

- no function-local import of project code (an import hidden in a function is an arrow
  import-linter cannot see, and a cycle waiting to happen). The one exception is Django's
  own: ``AppConfig.ready()`` in ``apps.py``, where signal handlers are imported because models
  cannot be imported before the app registry is ready;
- no ``except ImportError`` (no guard for an app that "might not exist": the apps are fixed);
- no model or module looked up by name (``apps.get_model(...)``, ``import_module(...)``,
  ``__import__(...)``): the dependency is a plain import instead.

The files are read with ``ast``, so comments and strings never count. Each rule has a planted
example below that the checker must catch (a checker that finds nothing proves nothing).
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The packages shipped as the portal. ``bench`` is a measuring tool run by hand (it sets up
# Django before importing the apps, so its imports are function-local on purpose).
PACKAGES = sorted(
    p.name
    for p in ROOT.iterdir()
    if (p / "__init__.py").is_file() and p.name not in {"bench"} and not p.name.startswith(".")
)
SKIPPED_DIRS = {"migrations", "tests", "__pycache__"}
NAME_LOOKUPS = {"get_model", "import_module", "__import__"}
IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError"}


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    rule: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.text}"


def _is_project_module(node: ast.Import | ast.ImportFrom, packages: set[str]) -> bool:
    if isinstance(node, ast.ImportFrom):
        if node.level:  # a relative import is always project code
            return True
        names = [node.module or ""]
    else:
        names = [alias.name for alias in node.names]
    return any(name.split(".")[0] in packages for name in names)


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


def _handled_names(handler: ast.ExceptHandler) -> set[str]:
    kinds = handler.type
    items = kinds.elts if isinstance(kinds, ast.Tuple) else [kinds] if kinds else []
    out = set()
    for item in items:
        if isinstance(item, ast.Name):
            out.add(item.id)
        elif isinstance(item, ast.Attribute):
            out.add(item.attr)
    return out


def _is_app_ready(node: ast.AST, path: str) -> bool:
    """``def ready(self)`` of an ``apps.py``: Django's sanctioned place for a late import."""
    return (
        Path(path).name == "apps.py"
        and isinstance(node, ast.FunctionDef)
        and (node.name == "ready")
    )


def check_source(source: str, path: str, packages: set[str]) -> list[Finding]:
    """The hidden dependencies in one module's source."""
    tree = ast.parse(source, filename=path)
    findings: list[Finding] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if _is_app_ready(child, path):
                continue
            nested = in_function or isinstance(
                child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
            )
            if (
                isinstance(child, ast.Import | ast.ImportFrom)
                and in_function
                and _is_project_module(child, packages)
            ):
                findings.append(
                    Finding(path, child.lineno, "function-local import", ast.unparse(child))
                )
            elif isinstance(child, ast.ExceptHandler) and _handled_names(child) & IMPORT_ERRORS:
                text = f"except {ast.unparse(child.type) if child.type else ''}"
                findings.append(Finding(path, child.lineno, "except ImportError", text))
            elif isinstance(child, ast.Call) and _call_name(child) in NAME_LOOKUPS:
                findings.append(
                    Finding(path, child.lineno, "looked up by name", ast.unparse(child)[:80])
                )
            visit(child, nested)

    visit(tree, False)
    return findings


def production_files() -> list[Path]:
    files = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
                files.append(path)
    return files


def tree_findings() -> list[Finding]:
    packages = set(PACKAGES)
    findings: list[Finding] = []
    for path in production_files():
        source = path.read_text(encoding="utf-8")
        findings += check_source(source, str(path.relative_to(ROOT)), packages)
    return sorted(findings)


# --- the positive controls: the checker catches each planted example ---------------------------

PLANTED = '''
import importlib
from django.apps import apps

import board.models  # top level: fine


def view(request):
    from board.models import Post  # hidden arrow
    from . import selectors  # hidden arrow, relative
    import json  # the standard library: not project code
    return Post


class Holder:
    def method(self):
        import proposals.services  # hidden arrow in a method

try:
    import clubs
except ImportError:  # a guard for an app that "might not exist"
    clubs = None

try:
    import contests
except (ValueError, ModuleNotFoundError):
    pass

Post = apps.get_model("board", "Post")
services = importlib.import_module("board.services")
"""a docstring that says import_module( and from board import x is not code"""
'''


def test_the_checker_catches_each_planted_example() -> None:
    packages = {"board", "proposals", "clubs", "contests"}
    found = check_source(PLANTED, "planted.py", packages)
    by_rule: dict[str, list[int]] = {}
    for finding in found:
        by_rule.setdefault(finding.rule, []).append(finding.line)
    assert by_rule["function-local import"] == [9, 10, 17]  # not json, not the top level
    assert by_rule["except ImportError"] == [21, 26]
    assert by_rule["looked up by name"] == [29, 30]
    assert len(found) == 7


def test_a_clean_module_has_no_findings() -> None:
    clean = "from board import services\n\n\ndef f():\n    import json\n    return services\n"
    assert check_source(clean, "clean.py", {"board"}) == []


def test_only_an_app_configs_ready_may_import_late() -> None:
    source = "class Config:\n    def ready(self):\n        from .signals import handler\n"
    assert check_source(source, "org/apps.py", {"org"}) == []
    late = check_source(source, "org/services.py", {"org"})
    assert [(f.rule, f.line) for f in late] == [("function-local import", 3)]


def test_it_reads_every_package_of_the_portal() -> None:
    assert {"board", "common", "jisik_portal", "programme", "proposals"} <= set(PACKAGES)
    paths = {str(p.relative_to(ROOT)) for p in production_files()}
    assert {"programme/jobs.py", "jisik_portal/health.py", "common/periods.py"} <= paths
    assert not any("/migrations/" in p or "/tests/" in p for p in paths)


# --- the tree ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "rule", ["function-local import", "except ImportError", "looked up by name"]
)
def test_production_code_has_no_hidden_dependency(rule: str) -> None:
    findings = [f for f in tree_findings() if f.rule == rule]
    assert findings == [], "\n".join(str(f) for f in findings)
