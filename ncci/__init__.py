"""The CMS NCCI tables: read the quarterly practitioner PTP and MUE files (reader,
layouts, names), keep them in an embedded SQLite file (store) and answer pair questions
from them (check). Imports index only; knows nothing of the bot or the web."""
