"""The five stages of the monthly cycle, in order. Plain Python."""

from enum import StrEnum


class Stage(StrEnum):
    DATA_GATHERING = "data_gathering"
    DEMAND_PLANNING = "demand_planning"
    SUPPLY_PLANNING = "supply_planning"
    RECONCILIATION = "reconciliation"
    SIGN_OFF = "sign_off"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
