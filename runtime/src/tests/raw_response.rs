//! Raw responses: `with_response` around a transport call, nested, and around no call.

use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{get, transport, untyped_call};
use crate::runtime::*;

#[tokio::test]
async fn with_response_gives_the_final_status_and_headers() {
    let server = MockServer::start().await;
    let reply = ResponseTemplate::new(201).set_body_json(serde_json::json!(1)).insert_header("request-id", "r1");
    Mock::given(any()).respond_with(reply).mount(&server).await;
    let t = transport(&server);
    let options = RequestOptions::default();
    let value = untyped_call::<u8>(&t, get("/a"), &options).with_response().await.unwrap();
    assert_eq!((value.status(), value.request_id(), *value.value()), (StatusCode::CREATED, Some("r1"), 1));
    assert_eq!(value.headers()["request-id"], "r1");
    // Without the wrapper, the same call is the plain value.
    assert_eq!(untyped_call::<u8>(&t, get("/a"), &options).await.unwrap(), 1);
}

#[tokio::test]
async fn the_innermost_wrapper_gets_each_response() {
    let server = MockServer::start().await;
    for id in ["a", "b"] {
        let reply = ResponseTemplate::new(200).set_body_json(serde_json::json!(0)).insert_header("x-request-id", id);
        Mock::given(path(format!("/{id}"))).respond_with(reply).mount(&server).await;
    }
    let t = transport(&server);
    let options = RequestOptions::default();
    let outer = async {
        let inner = untyped_call::<u8>(&t, get("/b"), &options).with_response().await?;
        untyped_call::<u8>(&t, get("/a"), &options).await?;
        Ok::<_, Error>(inner.request_id().map(str::to_owned))
    }
    .with_response()
    .await
    .unwrap();
    assert_eq!((outer.request_id(), outer.value().as_deref()), (Some("a"), Some("b")));
}

#[tokio::test]
async fn a_future_that_made_no_call_is_an_invalid_request() {
    let result = async { Ok::<_, Error>(()) }.with_response().await;
    assert!(matches!(result, Err(Error::InvalidRequest(_))), "{result:?}");
    let failed = async { Err::<(), _>(Error::InvalidRequest("mine".into())) }.with_response().await;
    assert!(matches!(failed, Err(Error::InvalidRequest(why)) if why == "mine"));
}

#[tokio::test]
async fn a_wrapped_call_can_be_spawned() {
    let server = MockServer::start().await;
    let reply = ResponseTemplate::new(200).set_body_json(serde_json::json!(2)).insert_header("x-request-id", "s");
    Mock::given(any()).respond_with(reply).mount(&server).await;
    let t = transport(&server);
    let task = tokio::spawn(async move {
        let options = RequestOptions::default();
        t.call(Ok(get("/s")), &options, Response::json::<u8>, untyped).with_response().await
    });
    let reply = task.await.unwrap().unwrap();
    assert_eq!((reply.request_id(), *reply.value()), (Some("s"), 2));
}
