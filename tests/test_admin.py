"""The index swap inside one process: a moved index link is followed at the next request,
POST /admin/reload is token-guarded, and an index that cannot load never replaces a good one."""
import json
import os
import shutil
from dataclasses import replace

import pytest

from bot.engine import Bot
from web import create_app

TOKEN = "admin-token-for-tests-0123456789"


class VersionedIndex:
    """build/index as a link over copies of the session index, each with its own version."""

    def __init__(self, root, source):
        self.root, self.source = root, source
        self.link = root / "index"

    def add(self, version: str, damage: bool = False):
        target = self.root / f".index-{version}"
        shutil.copytree(self.source, target)
        manifest = json.loads((target / "manifest.json").read_text())
        manifest["index_version"] = version
        (target / "manifest.json").write_text(json.dumps(manifest))
        if damage:
            (target / "chunks.faiss").write_bytes(b"not a faiss index")
        return target

    def point_at(self, target) -> None:
        temporary = self.root / "index.tmp"
        os.symlink(target.name, temporary)
        os.replace(temporary, self.link)


@pytest.fixture()
def versions(tmp_path, index_dir):
    store = VersionedIndex(tmp_path, index_dir.resolve())
    store.point_at(store.add("v-old"))
    return store


@pytest.fixture()
def admin_client(settings, embedder, versions):
    app = create_app(replace(settings, index_dir=versions.link, admin_token=TOKEN),
                     bot=Bot.from_index(versions.link, embedder))
    return app.test_client()


def ask(client):
    response = client.post("/api/chat", json={"question": "what is modifier 59"})
    assert response.status_code == 200
    return response.headers["X-Index-Version"], response.get_json()["index_version"]


def test_a_moved_index_link_is_followed_at_the_next_request(admin_client, versions):
    assert ask(admin_client) == ("v-old", "v-old")
    versions.point_at(versions.add("v-new"))
    assert ask(admin_client) == ("v-new", "v-new")
    assert admin_client.get("/api/search?q=gait").get_json()["index_version"] == "v-new"


def test_reload_with_the_token(admin_client, versions):
    versions.point_at(versions.add("v-new"))
    response = admin_client.post("/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.get_json() == {"status": "reloaded", "index_version": "v-new", "previous_version": "v-old"}
    assert response.headers["X-Index-Version"] == "v-new"


@pytest.mark.parametrize("headers, status, code", [
    ({}, 401, "unauthorized"),
    ({"Authorization": "Bearer wrong"}, 401, "unauthorized"),
    ({"Authorization": TOKEN}, 401, "unauthorized"),
    ({"Authorization": f"Basic {TOKEN}"}, 401, "unauthorized"),
])
def test_reload_without_the_right_token_is_refused(admin_client, headers, status, code):
    response = admin_client.post("/admin/reload", headers=headers)
    assert response.status_code == status and response.get_json()["error"]["code"] == code
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_admin_endpoints_refuse_when_no_token_is_configured(client):
    response = client.post("/admin/reload", headers={"Authorization": "Bearer "})
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "admin_disabled" and "KBBOT_ADMIN_TOKEN" in error["message"]
    assert client.get("/admin/reload").get_json()["error"]["code"] == "method_not_allowed"
    assert client.post("/admin/nothing").get_json()["error"]["code"] == "not_found"


def test_an_index_that_cannot_load_never_replaces_the_good_one(admin_client, versions):
    versions.point_at(versions.add("v-broken", damage=True))
    assert ask(admin_client) == ("v-old", "v-old")  # still answered, from the old index
    response = admin_client.post("/admin/reload", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"]["code"] == "reload_failed" and "damaged" in body["error"]["message"]
    assert body["index_version"] == "v-old"
    versions.point_at(versions.add("v-fixed"))
    assert ask(admin_client) == ("v-fixed", "v-fixed")
