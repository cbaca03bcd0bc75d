from tests.cycles.conftest import cycle, manager, planners, walk  # noqa: F401  (shared fixtures)
