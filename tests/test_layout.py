"""The engine seam: only the engine modules import an engine's library."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENGINE_LIBRARIES = {"whoosh", "opensearchpy"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_engine_modules_import_whoosh_or_opensearch_py():
    checked, offenders = 0, []
    for folder in ("search", "index", "web", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.is_relative_to(ROOT / "search" / "engines"):
                continue
            checked += 1
            if _imports(path) & ENGINE_LIBRARIES:
                offenders.append(str(path.relative_to(ROOT)))
    assert checked > 30 and offenders == []
    # and the engines do use them (the check looks at the right names)
    assert "whoosh" in _imports(ROOT / "search/engines/whoosh/engine.py")
    assert "opensearchpy" in _imports(ROOT / "search/engines/opensearch/connection.py")
