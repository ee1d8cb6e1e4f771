"""Linked data routes (linkeddata); see the linked data issue."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("linkeddata", __name__)
