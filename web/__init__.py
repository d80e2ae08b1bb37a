"""The Flask app over the bot, and the `kbbot` command line (the composition root)."""
from __future__ import annotations

from flask import Flask

from .settings import Settings


def create_app(settings: Settings | None = None, bot=None) -> Flask:
    """The app. `bot` may be given (tests); otherwise it is loaded from the settings'
    index directory on first use."""
    from . import admin, api, cors, errors, feedback_api, learn, ncci_api, pages, ratelimit, requestlog, security, widget
    from .state import BotHolder

    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.sort_keys = False
    app.extensions["kbbot.settings"] = settings
    app.extensions["kbbot.bot"] = BotHolder(settings, bot)
    requestlog.register(app)
    security.register(app)
    errors.register(app)
    ratelimit.register(app)
    cors.register(app)
    api.register(app)
    ncci_api.register(app, settings)
    feedback_api.register(app, settings)
    admin.register(app)
    pages.register(app)
    widget.register(app)
    learn.register(app, settings)
    return app
