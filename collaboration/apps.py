from django.apps import AppConfig


class CollaborationConfig(AppConfig):
    """Comments with @mentions, action items, notifications (in-app, e-mail, webhook).

    Its own app because it talks about the cycle without being part of its
    workflow: the cycles app never imports it; it listens to stage moves through
    cycles.hooks.
    """

    name = "collaboration"

    def ready(self) -> None:
        from collaboration import services
        from collaboration.board import board_panel
        from cycles import hooks
        from cycles.stages import Stage

        for stage in Stage:
            hooks.on_stage_exit(stage)(services.cycle_moved_notify)
        hooks.register_board_panel(board_panel)
