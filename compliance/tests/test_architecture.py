"""Guard-rails on the code's shape: dependencies point one way, background work goes through one hook."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.db import transaction

from compliance import background

ROOT = Path(__file__).resolve().parents[2]


def _sources(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_compliance_never_imports_the_tasks_app():
    """`tasks` may import `compliance`; the domain asks for background work through compliance.background."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            m for m in _imported_modules(path) if m == "tasks" or m.startswith("tasks.")
        )
        for path in _sources("compliance")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_every_background_task_the_domain_names_is_registered():
    """A renamed Celery task cannot silently break the hook: each name resolves to a task."""
    from tasks.celery import app

    for module in {name.rpartition(".")[0] for name in background.TASKS}:
        __import__(module)
    for name in background.TASKS:
        assert name in app.tasks, name


@pytest.mark.django_db(transaction=True)
def test_after_commit_reports_a_broker_outage_to_the_caller(monkeypatch, caplog):
    """When the dispatcher cannot queue, the caller's on_failure runs and a warning is logged."""

    def broken(name, args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(background, "_dispatcher", broken)
    failures: list[Exception] = []
    with transaction.atomic():
        background.after_commit(background.BUILD_EXPORT, 7, on_failure=failures.append)
        assert failures == []  # nothing is sent before the commit
    assert len(failures) == 1 and "broker down" in str(failures[0])
    assert "Could not queue tasks.exports.build_export" in caplog.text


def test_run_without_a_dispatcher_says_so(monkeypatch):
    monkeypatch.setattr(background, "_dispatcher", None)
    with pytest.raises(background.BackgroundUnavailable, match="no background dispatcher"):
        background.run(background.RUN_IMPORT_JOB, 1)


# Pages and API views read through compliance.selectors (scoped to the user) and write through
# compliance.services; an empty ``Model.objects.none()`` (for schema generation) reads nothing.
DIRECT_QUERY_ALLOWED = {"compliance/views/exports.py"}  # still reads ExportJob directly


def _manager_uses(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            parent = parents.get(node)
            if not (isinstance(parent, ast.Attribute) and parent.attr == "none"):
                uses.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("get_object_or_404", "get_list_or_404")
            and node.args
            and isinstance(node.args[0], ast.Name)
        ):
            uses.append(f"{path.relative_to(ROOT)}:{node.lineno}")  # get_object_or_404(Model, ...)
    return uses


def test_views_and_api_views_query_no_model_directly():
    offenders = [
        use
        for package in ("compliance/views", "compliance/api")
        for path in _sources(package)
        if str(path.relative_to(ROOT)) not in DIRECT_QUERY_ALLOWED
        for use in _manager_uses(path)
    ]
    assert offenders == []


def test_no_module_over_600_lines_and_no_function_over_80():
    """Code is split by responsibility: no module in compliance/ or tasks/ (tests and migrations
    aside) is longer than 600 lines, and no function or method is longer than 80."""
    too_long: list[str] = []
    for package in ("compliance", "tasks"):
        for path in _sources(package):
            source = path.read_text(encoding="utf-8")
            name = str(path.relative_to(ROOT))
            if source.count("\n") > 600:
                too_long.append(f"{name}: {source.count(chr(10))} lines")
            for node in ast.walk(ast.parse(source)):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    length = node.end_lineno - node.lineno + 1
                    if length > 80:
                        too_long.append(f"{name}:{node.lineno} {node.name}() {length} lines")
    assert too_long == []
