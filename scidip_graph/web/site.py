"""Linked data routes (site); see the linked data issue."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("site", __name__)
