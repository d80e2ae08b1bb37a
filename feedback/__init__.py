"""What coders told us and what the bot could not answer: an embedded SQLite store
(`store`), grouping of similar questions (`grouping`) and the content team's report
(`report`, `render`). Free of Flask; `web/` records into it and serves the report."""
