"""The EventBridge scheduled event every scheduled handler receives."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ScheduledEvent(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    source: str = "aws.events"
    detail_type: str = Field(default="Scheduled Event", alias="detail-type")
    time: str = ""
    resources: list[str] = []
