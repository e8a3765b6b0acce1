//! Request validation (issue 16) through a client generated from
//! `tests/fixtures/client/validation.yaml` (module `fixture_clients::client_validation`): a request
//! whose body or parameters break the spec's constraints fails with `Error::Validation`, naming
//! each field and constraint, before a single byte reaches the server; a valid one goes through;
//! turning validation off for the client or for one call sends the bad request as it is.

use fixture_clients::client_validation::{types, AddNoteContent, Client, Error};
use fixture_clients::runtime::{RequestOptions, Violations};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server answering every request with 200 and `team` (or 204 without a body, for the others).
async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(valid_team())).mount(&server).await;
    server
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).build().expect("client builds")
}

fn valid_team() -> Value {
    json!({"name": "Support", "handle": "support", "size": 3, "contacts": [
        {"email": "a@example.com"}, {"email": "b@example.com"}, {"email": "c@example.com"}
    ]})
}

/// A team breaking `maxLength 50` (name), `pattern` (handle, contacts[2].email) and `minimum 1` (size).
fn bad_team() -> Value {
    json!({"name": "n".repeat(51), "handle": "Not Lower", "size": 0, "contacts": [
        {"email": "a@example.com"}, {"email": "b@example.com"}, {"email": "no at sign"}
    ]})
}

fn team(value: Value) -> types::Team {
    serde_json::from_value(value).expect("a team decodes, valid or not")
}

fn params(per_page: Option<i64>, trace: &str) -> types::PutTeamParams {
    types::PutTeamParams { per_page, x_trace: trace.to_owned() }
}

/// The violations of a call that failed validation, as `(path, rule)`.
fn violations<T: std::fmt::Debug>(result: Result<T, Error>) -> (String, Vec<(String, String)>) {
    match result {
        Err(error @ Error::Validation { .. }) => {
            let Error::Validation { operation, violations } = &error else { unreachable!() };
            assert_eq!(error.to_string(), format!("invalid request to `{operation}`: {violations}"));
            (error.to_string(), listed(violations))
        }
        other => panic!("expected Error::Validation, got {other:?}"),
    }
}

fn listed(violations: &Violations) -> Vec<(String, String)> {
    violations.iter().map(|v| (v.path.clone(), v.rule.clone())).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(path, rule)| (path.to_string(), rule.to_string())).collect()
}

#[tokio::test]
async fn a_bad_body_fails_naming_each_field_and_constraint_and_nothing_is_sent() {
    let server = server().await;
    let result = client(&server).put_team("support", &params(None, "t1"), &team(bad_team())).await;
    let (message, found) = violations(result);
    assert_eq!(
        found,
        pairs(&[
            ("body.name", "length 51 is above maxLength 50"),
            ("body.handle", "does not match pattern `^[a-z]+$`"),
            ("body.size", "0 is below minimum 1"),
            ("body.contacts[2].email", "does not match pattern `^[^@ ]+@[^@ ]+$`"),
        ])
    );
    assert!(
        message.starts_with("invalid request to `putTeam`: body.name: length 51 is above maxLength 50; body.handle: "),
        "{message}"
    );
    assert!(received(&server).await.is_empty(), "validation must stop the request before anything is sent");
}

#[tokio::test]
async fn bad_parameters_fail_naming_path_query_and_header() {
    let server = server().await;
    let result = client(&server).put_team("Support", &params(Some(0), "much-too-long"), &team(valid_team())).await;
    let (_, found) = violations(result);
    assert_eq!(
        found,
        pairs(&[
            ("path.slug", "does not match pattern `^[a-z]+$`"),
            ("query.per_page", "0 is below minimum 1"),
            ("header.X-Trace", "length 13 is above maxLength 8"),
        ])
    );
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn array_and_alternative_bodies_are_checked_item_by_item() {
    let server = server().await;
    let client = client(&server);
    let contacts: Vec<types::Contact> =
        serde_json::from_value(json!([{"email": "a@example.com"}, {"email": "x".repeat(60)}])).unwrap();
    let (_, found) = violations(client.add_contacts(&contacts).await);
    assert_eq!(
        found,
        pairs(&[
            ("body[1].email", "length 60 is above maxLength 50"),
            ("body[1].email", "does not match pattern `^[^@ ]+@[^@ ]+$`"),
        ])
    );
    let note = AddNoteContent::Json(serde_json::from_value(json!({"email": "nope"})).unwrap());
    let (_, found) = violations(client.add_note(Some(note)).await);
    assert_eq!(found, pairs(&[("body.email", "does not match pattern `^[^@ ]+@[^@ ]+$`")]));
    assert!(received(&server).await.is_empty());

    // A text body has no constraints; no body has nothing to check.
    client.add_note(Some(AddNoteContent::Text("anything at all".into()))).await.expect("sent");
    client.add_note(None).await.expect("sent");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_valid_request_goes_through() {
    let server = server().await;
    let sent = team(valid_team());
    let answer = client(&server).put_team("support", &params(Some(100), "t1"), &sent).await.expect("valid");
    assert_eq!(answer, sent);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/teams/support");
    assert_eq!(requests[0].url.query(), Some("per_page=100"));
    assert_eq!(serde_json::from_slice::<Value>(&requests[0].body).unwrap(), valid_team());
}

#[tokio::test]
async fn validation_turned_off_for_the_client_sends_the_bad_request() {
    let server = server().await;
    let lenient = Client::builder().base_url(server.uri()).validate_requests(false).build().unwrap();
    lenient.put_team("Support", &params(Some(0), "t1"), &team(bad_team())).await.expect("sent unchecked");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.path(), "/teams/Support");
    assert_eq!(serde_json::from_slice::<Value>(&requests[0].body).unwrap(), bad_team());

    // Other options for a call keep the client's setting; one call may turn it back on.
    let quick = lenient.with_options(RequestOptions::new().timeout(std::time::Duration::from_secs(5)));
    quick.put_team("support", &params(None, "t1"), &team(bad_team())).await.expect("still unchecked");
    let strict = lenient.with_options(RequestOptions::new().validate(true));
    violations(strict.put_team("support", &params(None, "t1"), &team(bad_team())).await);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn validation_turned_off_for_one_call_sends_the_bad_request() {
    let server = server().await;
    let client = client(&server);
    let unchecked = client.with_options(RequestOptions::new().validate(false));
    unchecked.put_team("support", &params(None, "t1"), &team(bad_team())).await.expect("sent unchecked");
    assert_eq!(received(&server).await.len(), 1);
    // The client itself still checks.
    violations(client.put_team("support", &params(None, "t1"), &team(bad_team())).await);
    assert_eq!(received(&server).await.len(), 1);
}
