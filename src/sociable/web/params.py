"""Bounded request parameters: ids and offsets that every database can hold.

SQLite and PostgreSQL integers are 64-bit; an id or offset beyond that used to reach the driver
and fail (500). Declaring the bounds makes FastAPI refuse such requests with a 422 that says
which parameter is out of range, and puts the bounds in /openapi.json.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Form, Path, Query

MAX_INT = 2**63 - 1

Id = Annotated[int, Path(ge=1, le=MAX_INT, description="a record id")]
Offset = Annotated[int, Query(ge=0, le=MAX_INT, description="how many to skip")]
FormId = Annotated[int, Form(ge=0, le=MAX_INT)]
