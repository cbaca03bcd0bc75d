"""The app import graph finds a cycle between apps, names the imports that make it, and
passes a layered tree (`sop_planner/app_graph.py`, `bin/app-graph`)."""

import subprocess
from pathlib import Path

from sop_planner.app_graph import build_graph, main, report_lines


def make_tree(root: Path, files: dict[str, str]) -> Path:
    """A throwaway project: each app gets an `apps.py`, plus the files given."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        app = path.relative_to(root).parts[0]
        if app != "sop_planner":
            (root / app / "apps.py").touch()
    return root


def test_an_import_inside_a_function_closes_a_cycle_and_is_named_with_its_line(tmp_path):
    root = make_tree(
        tmp_path,
        {
            "lower/services.py": "import os\n\n\ndef f():\n    from upper.models import Thing\n",
            "upper/models.py": "from lower import services\n",
        },
    )
    graph = build_graph(root)
    assert graph.cycles() == [["lower", "upper"]]
    edges = {edge: [str(site) for site in sites] for edge, sites in graph.cycle_edges().items()}
    assert edges == {
        ("lower", "upper"): ["lower/services.py:5"],
        ("upper", "lower"): ["upper/models.py:1"],
    }
    assert "  lower -> upper: lower/services.py:5" in list(report_lines(graph))


def test_a_layered_tree_has_no_cycle_and_main_exits_0(tmp_path, capsys):
    root = make_tree(
        tmp_path,
        {
            "base/models.py": "from django.db import models\n",
            "middle/services.py": "from base.models import X\nfrom . import selectors\n",
            "middle/selectors.py": "",
            "top/views.py": "import middle.services\nfrom base import models\n",
        },
    )
    assert main(root) == 0
    printed = capsys.readouterr().out
    assert "top -> base middle" in printed
    assert "middle -> base" in printed
    assert "No cycle" in printed


def test_main_exits_1_and_prints_the_offending_imports_of_a_three_app_cycle(tmp_path, capsys):
    root = make_tree(
        tmp_path,
        {
            "a/x.py": "from b.y import f\n",
            "b/y.py": "import c.z\n",
            "c/z.py": "from importlib import import_module\n\nimport_module('a.x')\n",
            "d/w.py": "from a import x\n",
        },
    )
    assert main(root) == 1
    printed = capsys.readouterr().out
    assert "Cycle between: a b c" in printed
    assert "  c -> a: c/z.py:3" in printed
    assert "d ->" not in printed.split("Imports that make a cycle:")[1]


def test_migrations_and_tests_do_not_count(tmp_path):
    root = make_tree(
        tmp_path,
        {
            "a/models.py": "",
            "a/migrations/0002_x.py": "import b.models\n",
            "a/tests/test_x.py": "import b.models\n",
            "b/models.py": "import a.models\n",
        },
    )
    assert build_graph(root).cycles() == []


def test_the_project_shell_is_the_site_node_above_the_shared_helpers(tmp_path):
    root = make_tree(
        tmp_path,
        {
            "sop_planner/__init__.py": "from .celery import app\n",
            "sop_planner/celery.py": "",
            "sop_planner/settings.py": "",
            "sop_planner/numbers.py": "",
            "sop_planner/urls.py": "from shop.views import page\nfrom sop_planner import numbers\n",
            "shop/views.py": "from sop_planner.numbers import parse\n",
        },
    )
    graph = build_graph(root)
    assert graph.successors("site") == ["shop", "sop_planner"]
    assert graph.successors("shop") == ["sop_planner"]
    assert graph.successors("sop_planner") == []
    assert graph.cycles() == []


ROOT = Path(__file__).resolve().parents[2]


def test_the_real_apps_import_each_other_in_no_cycle():
    graph = build_graph(ROOT)
    cycle_imports = [f"{s} -> {t}: {sites[0]}" for (s, t), sites in graph.cycle_edges().items()]
    assert graph.cycles() == [], "apps import each other in a cycle:\n" + "\n".join(cycle_imports)
    assert graph.successors("sop_planner") == [], "the shared helpers import no app"
    assert graph.successors("home") and not [
        a for a, b in graph.edges if b == "home" and a != "site"
    ]


def test_bin_app_graph_exits_0_on_the_checkout():
    run = subprocess.run([str(ROOT / "bin" / "app-graph")], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.rstrip().endswith("No cycle: the apps are layered.")
