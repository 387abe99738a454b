"""One error family: every error is exported, and a missing optional dependency is always a
MissingDependencyError naming the extra to install (library and CLI alike)."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import pvp_kg
import pvp_kg.errors
from pvp_kg.validate import validate

BIN = Path(sys.executable).parent / "pvp-kg"


def test_every_error_class_is_in_errors_py_and_exported() -> None:
    defined = {name for name, obj in vars(pvp_kg.errors).items()
               if inspect.isclass(obj) and issubclass(obj, Exception)
               and obj.__module__ == "pvp_kg.errors"}
    assert {"ReasonerError", "ServerError", "MissingDependencyError"} <= defined
    assert defined <= set(pvp_kg.__all__)
    for name in defined:
        assert issubclass(getattr(pvp_kg, name), pvp_kg.PVPKGError)
    # no module defines an exception of its own
    import importlib
    import pkgutil
    for info in pkgutil.walk_packages(pvp_kg.__path__, "pvp_kg."):
        if info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        own = [n for n, o in vars(module).items() if inspect.isclass(o)
               and issubclass(o, BaseException) and o.__module__ == module.__name__
               and not n.startswith("_")]
        assert module.__name__ == "pvp_kg.errors" or not own, (module.__name__, own)


def test_missing_dependency_is_also_an_import_error() -> None:
    exc = pvp_kg.MissingDependencyError("kg.validate()", extra="validate", package="pyshacl")
    assert isinstance(exc, ImportError) and isinstance(exc, pvp_kg.PVPKGError)
    assert "pip install 'pvp_kg[validate]'" in str(exc) and exc.name == "pyshacl"


@pytest.fixture()
def no_pyshacl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyshacl", None)  # makes `import pyshacl` fail


@pytest.mark.usefixtures("no_pyshacl")
def test_validate_without_pyshacl_fails_loudly(kg: pvp_kg.KnowledgeGraph) -> None:
    # it used to skip the shapes, add a note and still report ok
    with pytest.raises(pvp_kg.MissingDependencyError, match=r"pvp_kg\[validate\]"):
        validate(kg)


def test_hermit_without_owlready2_names_the_extra(monkeypatch: pytest.MonkeyPatch,
                                                  kg: pvp_kg.KnowledgeGraph) -> None:
    import pvp_kg.reason as module

    monkeypatch.setattr(module, "_importable", lambda name: name != "owlready2")
    monkeypatch.setattr(module.shutil, "which", lambda name: "/usr/bin/java")
    with pytest.raises(pvp_kg.MissingDependencyError, match=r"owlready2.*pvp_kg\[reason\]"):
        kg.reason(engine="hermit")


def test_oxigraph_backend_without_oxrdflib_names_the_extra(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "oxrdflib", None)
    with pytest.raises(pvp_kg.MissingDependencyError, match=r"pvp_kg\[oxigraph\]"):
        pvp_kg.load(backend="oxigraph")


def test_serve_without_the_server_names_the_extra(monkeypatch: pytest.MonkeyPatch,
                                                  kg: pvp_kg.KnowledgeGraph) -> None:
    import pvp_kg.server as module

    monkeypatch.setattr(module.shutil, "which", lambda name: None)
    monkeypatch.setattr(module.sys, "executable", "/nonexistent/python")
    with pytest.raises(pvp_kg.MissingDependencyError, match=r"pvp_kg\[server\]"):
        module.serve(kg)


def test_cli_missing_dependency_exits_1_with_the_extra(tmp_path: Path) -> None:
    # a sitecustomize on PYTHONPATH hides pyshacl from the child process
    (tmp_path / "sitecustomize.py").write_text("import sys\nsys.modules['pyshacl'] = None\n")
    env = {"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([str(BIN), "validate"], capture_output=True, text=True, timeout=120,
                         env=env)
    assert out.returncode == 1, (out.stdout, out.stderr)
    assert "pip install 'pvp_kg[validate]'" in out.stderr
    assert "Traceback" not in out.stderr
