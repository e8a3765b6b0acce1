//! Raw response access on success (issue 17): `call.with_response().await` gives the typed value
//! with the status, headers and request id of its response, for any operation method, through a
//! client generated from `tests/fixtures/client/shapes.yaml` against a local server.

use fixture_clients::client_shapes::{mock, Client, Error, ResponseExt, RetryPolicy};
use fixture_clients::runtime::{Bytes, Multipart, StatusCode};
use futures_util::StreamExt;
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, ResponseTemplate};

fn client(server: &mock::Server) -> Client {
    server.client_builder().build().expect("client builds")
}

fn form() -> Multipart {
    Multipart::new().text("description", "a report").file("file", "r.txt", "text/plain", "hello")
}

/// A 201 with a JSON body, one declared header (`X-Rate-Limit-Remaining`), one undeclared and a
/// request id.
fn created() -> ResponseTemplate {
    ResponseTemplate::new(201)
        .set_body_json(json!({"id": "F1"}))
        .insert_header("x-rate-limit-remaining", "41")
        .insert_header("x-undeclared", "yes")
        .insert_header("x-request-id", "req-201")
}

#[tokio::test]
async fn a_json_call_gives_its_status_headers_and_request_id() {
    let server = mock::Server::start().await;
    server.upload_file().respond_with(created()).await;
    let client = client(&server);

    let reply = client.upload_file(form()).with_response().await.expect("succeeds");
    assert_eq!(reply.status(), StatusCode::CREATED);
    assert_eq!(reply.headers()["x-rate-limit-remaining"], "41");
    assert_eq!(reply.headers()["x-undeclared"], "yes");
    assert_eq!(reply.request_id(), Some("req-201"));
    assert_eq!(reply.value().id, "F1");
    let (item, status, headers) = reply.into_parts();
    assert_eq!((item.id.as_str(), status.as_u16(), headers.len() >= 3), ("F1", 201, true));

    // The `_with_headers` form too: the declared headers typed, every header raw.
    let reply = client.upload_file_with_headers(form()).with_response().await.expect("succeeds");
    assert_eq!(reply.status(), StatusCode::CREATED);
    assert_eq!(reply.request_id(), Some("req-201"));
    let typed = reply.into_inner();
    assert_eq!(typed.headers.x_rate_limit_remaining, Some(41));
    assert_eq!(typed.value.id, "F1");
}

#[tokio::test]
async fn an_empty_204_and_a_download_give_their_responses() {
    let server = mock::Server::start().await;
    server
        .put_blob()
        .respond_with(
            ResponseTemplate::new(204).insert_header("request-id", "req-204").insert_header("x-undeclared", "1"),
        )
        .await;
    server
        .get_blob()
        .respond_with(
            ResponseTemplate::new(200).set_body_bytes(b"abc".to_vec()).insert_header("x-amz-request-id", "dl"),
        )
        .await;
    let client = client(&server);

    let reply = client.put_blob("b1", Bytes::from_static(b"abc")).with_response().await.expect("succeeds");
    assert_eq!(reply.status(), StatusCode::NO_CONTENT);
    assert_eq!(reply.request_id(), Some("req-204"));
    assert_eq!(reply.headers()["x-undeclared"], "1");
    let () = reply.into_inner();

    let download = client.get_blob_download("b1").with_response().await.expect("succeeds");
    assert_eq!((download.status(), download.request_id()), (StatusCode::OK, Some("dl")));
    let chunks: Vec<Bytes> = download.into_inner().map(|chunk| chunk.expect("chunk")).collect().await;
    assert_eq!(chunks.concat(), b"abc");
}

#[tokio::test]
async fn concurrent_calls_each_get_their_own_response() {
    let server = mock::Server::start().await;
    for (id, delay) in [("slow", 300), ("fast", 0), ("mid", 100)] {
        Mock::given(method("PUT"))
            .and(path(format!("/blobs/{id}")))
            .respond_with(
                ResponseTemplate::new(204).insert_header("x-request-id", id).set_delay(Duration::from_millis(delay)),
            )
            .mount(server.inner())
            .await;
    }
    let client = client(&server);
    // On one task, interleaved: each wrapped future has its own slot.
    let (slow, fast, mid) = tokio::join!(
        client.put_blob("slow", Bytes::new()).with_response(),
        client.put_blob("fast", Bytes::new()).with_response(),
        client.put_blob("mid", Bytes::new()).with_response(),
    );
    assert_eq!(slow.unwrap().request_id(), Some("slow"));
    assert_eq!(fast.unwrap().request_id(), Some("fast"));
    assert_eq!(mid.unwrap().request_id(), Some("mid"));

    // On other tasks (the wrapped future is `Send`).
    let tasks: Vec<_> = ["mid", "fast", "slow"]
        .into_iter()
        .map(|id| {
            let client = client.clone();
            tokio::spawn(async move { client.put_blob(id, Bytes::new()).with_response().await })
        })
        .collect();
    for (task, id) in tasks.into_iter().zip(["mid", "fast", "slow"]) {
        assert_eq!(task.await.unwrap().unwrap().request_id(), Some(id));
    }
}

#[tokio::test]
async fn nested_wrappers_each_see_the_calls_made_directly_inside_them() {
    let server = mock::Server::start().await;
    for id in ["outer", "inner"] {
        Mock::given(method("PUT"))
            .and(path(format!("/blobs/{id}")))
            .respond_with(ResponseTemplate::new(204).insert_header("x-request-id", id))
            .mount(server.inner())
            .await;
    }
    let client = client(&server);
    let outer = async {
        client.put_blob("outer", Bytes::new()).await?;
        let inner = client.put_blob("inner", Bytes::new()).with_response().await?;
        Ok::<_, Error>(inner.request_id().map(str::to_owned))
    }
    .with_response()
    .await
    .expect("succeeds");
    assert_eq!(outer.request_id(), Some("outer"));
    assert_eq!(outer.value().as_deref(), Some("inner"));
}

#[tokio::test]
async fn plain_calls_are_unaffected_and_errors_stay_errors() {
    let server = mock::Server::start().await;
    server.upload_file().respond_with(created()).await;
    server.put_blob().respond_with(ResponseTemplate::new(404).insert_header("x-request-id", "missing")).await;
    let client = client(&server);

    // A plain call returns the plain value, and leaves nothing behind for a later wrapper.
    assert_eq!(client.upload_file(form()).await.expect("succeeds").id, "F1");
    let nothing = async { Ok::<_, Error>(7) }.with_response().await;
    assert!(matches!(nothing, Err(Error::InvalidRequest(_))), "{nothing:?}");

    // A non-success status is the usual `Error::Api`, with its own request id.
    let err = client.put_blob("b", Bytes::new()).with_response().await.expect_err("404");
    assert_eq!(err.api().and_then(|api| api.request_id()), Some("missing"));

    // Retries: the final response's head.
    let retried = mock::Server::start().await;
    Mock::given(method("PUT"))
        .respond_with(
            ResponseTemplate::new(503).insert_header("x-request-id", "first").insert_header("retry-after", "0"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(retried.inner())
        .await;
    retried.put_blob().respond_with(ResponseTemplate::new(204).insert_header("x-request-id", "second")).await;
    let policy = RetryPolicy { initial_backoff: Duration::from_millis(5), ..RetryPolicy::default() };
    let client = retried.client_builder().retry_policy(policy).build().unwrap();
    let reply = client.put_blob("b", Bytes::new()).with_response().await.expect("the retry succeeds");
    assert_eq!((reply.status(), reply.request_id()), (StatusCode::NO_CONTENT, Some("second")));
}
