"""GET /api/ncci/check?codes=97530,97535&date=2026-04-15: the NCCI pair checker over
HTTP, the same object as `kbbot ncci check --json`. Parse, check, serialise."""
from __future__ import annotations

from flask import Flask, current_app, jsonify, request

from ncci.check import PairChecker, parse_codes, parse_date
from ncci.errors import NcciInputError, NcciNotLoaded

from .errors import ApiError
from .settings import Settings

NOT_LOADED = ("no NCCI tables are loaded on this server; an administrator loads the CMS practitioner "
              "PTP and MUE files with 'kbbot ncci import PATH...'")


def check():
    codes = request.args.get("codes")
    if codes is None or not codes.strip():
        raise ApiError(400, "missing_codes", "'codes' is required, e.g. codes=97530,97535")
    try:
        result = current_app.extensions["kbbot.ncci"].check(parse_codes(codes), parse_date(request.args.get("date")))
    except NcciInputError as exc:
        raise ApiError(400, exc.code, str(exc)) from None
    except NcciNotLoaded:
        raise ApiError(503, "ncci_not_loaded", NOT_LOADED) from None
    return jsonify(result.to_json())


def register(app: Flask, settings: Settings) -> None:
    app.extensions["kbbot.ncci"] = PairChecker(settings.ncci_path)
    app.add_url_rule("/api/ncci/check", view_func=check, methods=["GET"])
