"""The OpenAPI 3.1 description at /openapi.json: a valid document, every route in it, and the
live app's responses conforming to it (schemathesis generates requests from it, Arabic and
hostile input included, and checks status codes, content types, headers and JSON bodies)."""
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import positive_data_acceptance

from web import create_app
from web.openapi import spec


@pytest.fixture(scope="module")
def api_app(sample_index):
    return create_app({"TESTING": True, "INDEX_DIR": str(sample_index)})


#: The description as the app serves it (a pure function: no index needed to read it).
schema = schemathesis.openapi.from_dict(spec())


def test_the_description_is_valid_openapi_3_1(api_app):
    doc = api_app.test_client().get("/openapi.json").get_json()
    assert doc == spec() and doc["openapi"] == "3.1.0"
    validate(doc)


def test_every_route_is_in_the_description(api_app):
    doc = api_app.test_client().get("/openapi.json").get_json()
    for rule in api_app.url_map.iter_rules():
        if rule.endpoint in ("static", "search.favicon", "search.home"):
            continue
        path = rule.rule.replace("<path:doc_id>", "{id}")
        assert path in doc["paths"], rule.rule


@schema.parametrize()
@settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_live_responses_conform_to_the_description(case, api_app):
    """Every check but one: a request the schema allows may still be refused with the documented 400
    where the rule is one OpenAPI cannot state (q or f must have words; at most 10 filters in q
    and f together; a valid date range), so positive_data_acceptance is left out.  No 5xx, only
    documented statuses, content types and headers, bodies matching their schemas."""
    case.call_and_validate(app=api_app, excluded_checks=[positive_data_acceptance])


@pytest.mark.parametrize("path, query", [("/search", {"q": "حفتر", "format": "json"}),
                                         ("/search", {"q": "طرابلس", "f": ["person:خليفة حفتر"], "sort": "date"}),
                                         ("/search", {"q": "", "format": "json"}),
                                         ("/search.csv", {"q": "طرابلس"}), ("/search.jsonl", {"q": "حفتر"}),
                                         ("/search.atom", {"q": "طرابلس"}),
                                         ("/article", {"id": "no-such", "format": "json"}), ("/healthz", {})])
def test_known_requests_conform(api_app, path, query):
    """Requests with real Arabic words, as generated ones rarely match an article."""
    case = schema[path]["GET"].Case(query=query)
    response = case.call_and_validate(app=api_app)
    assert response.status_code in (200, 400, 404)
