import pytest


def test_chat_good_path(client):
    response = client.post("/api/chat", json={"question": "does 97535 need modifier 59 with gait training?"})
    assert response.status_code == 200
    data = response.get_json()
    assert set(data) >= {"question", "answer", "citations", "abstained", "confidence", "entities", "timings_ms"}
    assert data["abstained"] is False
    assert data["timings_ms"]["total"] > 0
    assert response.headers["X-Index-Version"] == data["index_version"]
    citation = data["citations"][0]
    assert set(citation) == {"n", "article_id", "title", "section", "url", "snippet", "score"}


def test_chat_declines_off_topic(client):
    data = client.post("/api/chat", json={"question": "what will the weather be in Paris tomorrow?"}).get_json()
    assert data["abstained"] is True and data["citations"] == []


LONG = "x" * 1001


@pytest.mark.parametrize("kwargs, status, code", [
    ({"data": "question=hi", "content_type": "application/x-www-form-urlencoded"}, 415, "unsupported_media_type"),
    ({"data": "{not json", "content_type": "application/json"}, 400, "invalid_json"),
    ({"data": "", "content_type": "application/json"}, 400, "invalid_json"),
    ({"json": ["does 97535 need 59?"]}, 400, "invalid_json"),
    ({"json": "a string"}, 400, "invalid_json"),
    ({"json": {}}, 400, "missing_question"),
    ({"json": {"question": None}}, 400, "missing_question"),
    ({"json": {"question": ""}}, 400, "empty_question"),
    ({"json": {"question": "   \n\t"}}, 400, "empty_question"),
    ({"json": {"question": 59}}, 400, "invalid_question"),
    ({"json": {"question": ["a"]}}, 400, "invalid_question"),
    ({"json": {"question": {"q": "a"}}}, 400, "invalid_question"),
    ({"json": {"question": LONG}}, 400, "question_too_long"),
    ({"json": {"question": "ok\u0000"}}, 400, "invalid_question"),
    ({"json": {"question": "modifier 59", "top_k": 0}}, 400, "invalid_top_k"),
    ({"json": {"question": "modifier 59", "top_k": "many"}}, 400, "invalid_top_k"),
    ({"json": {"question": "modifier 59", "top_k": True}}, 400, "invalid_top_k"),
    ({"data": "{\"question\": \"" + "y" * 20000 + "\"}", "content_type": "application/json"}, 413, "body_too_large"),
])
def test_chat_bad_input_gets_a_json_4xx(client, kwargs, status, code):
    response = client.post("/api/chat", **kwargs)
    assert response.status_code == status
    body = response.get_json()
    assert body["error"]["code"] == code
    assert body["error"]["message"]


def test_wrong_method_and_unknown_api_path_are_json(client):
    response = client.get("/api/chat")
    assert response.status_code == 405 and response.get_json()["error"]["code"] == "method_not_allowed"
    response = client.get("/api/nothing")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


def test_search(client):
    data = client.get("/api/search?q=modifier%2059&k=3").get_json()
    assert len(data["results"]) == 3
    assert data["results"][0]["article_id"] == "modifier-59"
    assert client.get("/api/search").status_code == 400
    assert client.get("/api/search?q=x&k=abc").get_json()["error"]["code"] == "invalid_top_k"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_citation_urls_resolve_to_article_sections(client):
    data = client.post("/api/chat", json={"question": "what is modifier 59"}).get_json()
    for citation in data["citations"]:
        path, anchor = citation["url"].split("#")
        page = client.get(path)
        assert page.status_code == 200
        assert f'id="{anchor}"'.encode() in page.data


def test_library_and_unknown_article(client):
    page = client.get("/kb")
    assert page.status_code == 200 and b"/kb/cpt-97535" in page.data
    missing = client.get("/kb/no-such-article")
    assert missing.status_code == 404 and b"Not found" in missing.data
    assert client.get("/").status_code == 200
