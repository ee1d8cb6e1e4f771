"""Linked data routes (downloads); see the linked data issue."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("downloads", __name__)
