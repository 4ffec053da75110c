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


#: The modules that are one engine's (or that pick one): the store factory and the two builds.
ENGINE_CHOOSERS = {"index/store.py", "index/builder.py", "index/opensearch_build.py"}
ENGINE_KINDS = {"whoosh", "opensearch"}
ENGINE_MODULES = ("search.engines.whoosh", "search.engines.opensearch", "index.builder", "index.opensearch_build")


def _engine_branches(path: Path) -> list[int]:
    """Lines that compare a value with an engine's name (``args.engine == "opensearch"``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [node.lineno for node in ast.walk(tree) if isinstance(node, ast.Compare)
            and ENGINE_KINDS & {n.value for n in ast.walk(node) if isinstance(n, ast.Constant)}]


def _engine_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
    return [m for m in names if m.startswith(ENGINE_MODULES)]


def test_no_engine_branches_outside_the_engines_and_the_store_factory():
    """#34: the command line, the app, the library and the scripts never ask which engine serves;
    ``search.engines`` and ``index.store`` do.  The app and the library outside the engines do not
    import an engine's modules either (scripts may: benchmarks of one engine's internals)."""
    checked, branches, imports = 0, [], []
    for folder in ("search", "index", "web", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            rel = str(path.relative_to(ROOT))
            if path.is_relative_to(ROOT / "search" / "engines") or rel in ENGINE_CHOOSERS:
                continue
            checked += 1
            branches += [f"{rel}:{n}" for n in _engine_branches(path)]
            if folder != "scripts":
                imports += [f"{rel}: {m}" for m in _engine_imports(path)]
    assert checked > 60 and branches == [] and imports == []
    # the checks see what they look for
    assert _engine_branches(ROOT / "index/store.py") and _engine_imports(ROOT / "index/store.py")
