"""The embeddable help widget: /widget.js and a demo page that shows both modes."""
from __future__ import annotations

from flask import Flask, render_template, send_from_directory
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"


def widget_js():
    response = send_from_directory(STATIC, "widget.js", mimetype="text/javascript", max_age=300)
    response.headers["Access-Control-Allow-Origin"] = "*"  # a script is public; the API is not
    return response


def demo():
    return render_template("widget_demo.html")


def register(app: Flask) -> None:
    app.add_url_rule("/widget.js", view_func=widget_js)
    app.add_url_rule("/widget/demo", view_func=demo)
