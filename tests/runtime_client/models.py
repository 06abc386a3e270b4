"""Hand-written models in the style of datamodel-code-generator's pydantic v2 output."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, Field, RootModel


class Status(Enum):
    draft = "draft"
    approved = "approved"


class BOMLine(BaseModel):
    id: UUID
    mpn: Annotated[str, Field(description="Manufacturer part number")]
    quantity: Annotated[int, Field(ge=0)]
    status: Status | None = None


class BOM(BaseModel):
    id: UUID
    name: str
    description: str | None = None
    status: Status
    lines: list[BOMLine] = []
    created_at: AwareDatetime | None = None


class UpdateBOM(BaseModel):
    name: str | None = None
    description: str | None = None
    status: Status | None = None


class CreateBOMLine(BaseModel):
    mpn: str
    quantity: int
    custom_id: Annotated[str | None, Field(alias="customId")] = None


class Tags(RootModel[list[str]]):
    root: list[str]


class JobStatus(Enum):
    pending = "pending"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class AsyncJob(BaseModel):
    id: UUID
    status: JobStatus
    job_type: str
    result: Any | None = None
    error: str | None = None


class Supplier(BaseModel):
    id: UUID
    name: str


class Team(BaseModel):
    id: UUID
    title: str


class Owner(BaseModel):
    owner: Supplier | Team | None = None
