"""Per-client rate limit (429 + Retry-After), who counts as the client, liveness and readiness."""
import ipaddress
from dataclasses import replace

import pytest

from web import create_app
from web.ratelimit import TokenBuckets, client_address
from web.settings import SettingError, Settings


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_bucket_allows_a_minute_of_burst_then_refills_steadily():
    clock = Clock()
    buckets = TokenBuckets(per_minute=3, clock=clock)
    assert [buckets.take("a") for _ in range(3)] == [0, 0, 0]
    assert buckets.take("a") == pytest.approx(20.0)  # one request back every 60/3 s
    assert buckets.take("b") == 0  # another client has its own bucket
    clock.now += 20
    assert buckets.take("a") == 0 and buckets.take("a") > 0


@pytest.fixture()
def limited(settings, bot):
    proxies = (ipaddress.ip_network("10.0.0.5/32"),)
    return create_app(replace(settings, rate_limit=3, trusted_proxies=proxies), bot=bot).test_client()


def test_over_the_limit_gets_429_with_retry_after(limited):
    for _ in range(3):
        assert limited.get("/api/search?q=modifier%2059").status_code == 200
    response = limited.get("/api/search?q=modifier%2059")
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "rate_limited"
    assert 1 <= int(response.headers["Retry-After"]) <= 20
    assert limited.get("/healthz").status_code == 200  # probes and pages are not limited
    assert limited.get("/").status_code == 200


def test_forwarded_for_counts_only_behind_a_trusted_proxy(limited):
    def search(remote, forwarded):
        return limited.get("/api/search?q=gait", environ_base={"REMOTE_ADDR": remote},
                           headers={"X-Forwarded-For": forwarded}).status_code

    # an untrusted peer cannot dodge the limit by inventing X-Forwarded-For addresses
    assert [search("203.0.113.9", f"198.51.100.{i}") for i in range(4)] == [200, 200, 200, 429]
    # behind the trusted proxy, each forwarded client has its own allowance
    assert [search("10.0.0.5", "198.51.100.1") for _ in range(4)] == [200, 200, 200, 429]
    assert search("10.0.0.5", "198.51.100.2") == 200


@pytest.mark.parametrize("remote, forwarded, expected", [
    ("203.0.113.9", "1.2.3.4", "203.0.113.9"),
    ("10.0.0.5", "1.2.3.4", "1.2.3.4"),
    ("10.0.0.5", "6.6.6.6, 1.2.3.4", "1.2.3.4"),     # the client's own header entry is not believed
    ("10.0.0.5", "1.2.3.4, 10.0.0.6", "1.2.3.4"),    # a chain of trusted proxies
    ("10.0.0.5", "", "10.0.0.5"),
    ("10.0.0.5", "not-an-ip", "not-an-ip"),
])
def test_client_address(remote, forwarded, expected):
    trusted = (ipaddress.ip_network("10.0.0.0/29"),)
    assert client_address(remote, forwarded, trusted) == expected


def test_rate_limit_zero_turns_it_off(client):
    assert all(client.get("/api/search?q=gait").status_code == 200 for _ in range(5))


@pytest.mark.parametrize("variable, value", [("KBBOT_RATE_LIMIT", "-1"), ("KBBOT_RATE_LIMIT", "fast"),
                                             ("KBBOT_TRUSTED_PROXIES", "10.0.0.300"),
                                             ("KBBOT_FRAME_ANCESTORS", "javascript:alert(1)")])
def test_bad_limit_settings_are_refused(variable, value):
    with pytest.raises(SettingError, match=variable):
        Settings.from_env(environ={variable: value})


def test_liveness_and_readiness_before_and_after_loading(settings, client):
    unloaded = create_app(settings).test_client()  # no bot given: it would load on first use
    assert unloaded.get("/healthz").get_json() == {"status": "ok", "ready": False, "index_version": None}
    response = unloaded.get("/readyz")
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "not_ready"
    assert response.headers["Retry-After"]
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json()["status"] == "ready"


def test_readiness_when_the_index_cannot_load(settings, tmp_path):
    broken = create_app(replace(settings, index_dir=tmp_path / "no-index")).test_client()
    response = broken.post("/api/chat", json={"question": "what is modifier 59"})
    assert response.status_code == 503 and response.get_json()["error"]["code"] == "index_unavailable"
    assert broken.get("/readyz").get_json()["error"]["code"] == "index_unavailable"
    assert broken.get("/healthz").status_code == 200
