"""Property-based: random JSON shapes, Unicode (lone surrogates included), control
characters, very long strings and odd content types against the real app and bot. Never
a 500; every refusal is a JSON error with a stable code and a message."""
import json
from urllib.parse import quote_from_bytes

from hypothesis import HealthCheck, given, settings, strategies as st

STABLE_CODES = {
    "unsupported_media_type", "invalid_json", "missing_question", "invalid_question", "empty_question",
    "question_too_long", "missing_q", "invalid_q", "empty_q", "q_too_long", "invalid_top_k",
    "body_too_large", "method_not_allowed", "not_found", "bad_request", "rate_limited",
    "origin_not_allowed", "admin_disabled", "unauthorized",
}
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

any_text = st.text(st.characters(exclude_categories=()), max_size=60)  # control characters too
with_surrogate = st.builds(lambda a, s, b: a + s + b, any_text, st.sampled_from(["\ud800", "\udc80", "\udfff"]), any_text)
long_text = st.text(st.characters(exclude_categories=()), min_size=990, max_size=1010)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | any_text
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(any_text, inner, max_size=4), max_leaves=12)
question_values = json_values | any_text | with_surrogate | long_text | st.sampled_from(
    ["does 97535 need modifier 59?", "  ", "\x00", "97535" * 250, "modifier\u202e59", "\ud800 59"])
content_types = st.sampled_from(["application/json", "application/json; charset=utf-16", "text/plain",
                                 "application/x-www-form-urlencoded", "multipart/form-data", "",
                                 "application/json; charset=latin-1", "APPLICATION/JSON", "application/jsonx"])


def check(response):
    assert response.status_code < 500, response.get_data(as_text=True)[:300]
    body = json.loads(response.get_data(as_text=True))
    if response.status_code >= 400:
        assert body["error"]["code"] in STABLE_CODES
        assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body


@FUZZ
@given(payload=st.fixed_dictionaries({}, optional={"question": question_values, "top_k": json_values})
       | json_values)
def test_chat_with_any_json(app, payload):
    response = app.test_client().post("/api/chat", data=json.dumps(payload), content_type="application/json")
    body = check(response)
    if response.status_code == 200:
        assert isinstance(body["answer"], str) and body["index_version"] == response.headers["X-Index-Version"]


@FUZZ
@given(body=st.binary(max_size=300) | any_text.map(lambda t: t.encode("utf-8", "surrogatepass")),
       content_type=content_types)
def test_chat_with_any_bytes_and_content_type(app, body, content_type):
    check(app.test_client().post("/api/chat", data=body, headers={"Content-Type": content_type}))


@FUZZ
@given(question=long_text | any_text | with_surrogate)
def test_chat_with_long_and_strange_questions(app, question):
    check(app.test_client().post("/api/chat", json={"question": question}))


def url_bytes(value) -> str:
    """Percent-encoded UTF-8, lone surrogates and all: invalid UTF-8 reaches the server."""
    return quote_from_bytes(str(value).encode("utf-8", "surrogatepass"))


@FUZZ
@given(q=question_values, k=any_text | st.integers().map(str))
def test_search_with_any_query(app, q, k):
    check(app.test_client().get(f"/api/search?q={url_bytes(q)}&k={url_bytes(k)}"))


printable_header = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=80)


@FUZZ
@given(method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
       path=st.sampled_from(["/admin/reload", "/readyz", "/healthz", "/api/chat", "/api/search", "/admin/x"]),
       authorization=printable_header, body=st.binary(max_size=200))
def test_admin_and_probes_with_any_method_and_credentials(app, method, path, authorization, body):
    response = app.test_client().open(path, method=method, data=body,
                                      headers={"Authorization": authorization, "Content-Type": "application/json"})
    if method != "OPTIONS" or response.status_code != 200:  # Flask answers OPTIONS itself, empty
        check(response)
