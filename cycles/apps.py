from django.apps import AppConfig


class CyclesConfig(AppConfig):
    """The monthly cycle, its stages, gates, sign-off and versions; the planning calendar."""

    name = "cycles"

    def ready(self) -> None:
        from exports.kinds import register_kind

        register_kind("version_csv", _version_csv)


def _version_csv():
    """A version of the plan as CSV, built by an exports worker."""
    from cycles import version_csv
    from exports.kinds import Kind

    return Kind(
        code="version_csv",
        action="cycle.view",
        prepare=version_csv.version_csv_request,
        rows=version_csv.version_csv_rows,
        chunks=version_csv.version_csv_chunks,
    )
