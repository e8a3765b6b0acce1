//! Server-sent events: a streamed body split into events, `data` decoded, comments skipped.

use futures_util::StreamExt;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{get, transport};
use crate::runtime::*;

#[tokio::test]
async fn events_are_parsed_and_decoded() {
    let server = MockServer::start().await;
    // The last event has no blank line after it: the end of the body completes it.
    let body = "event: greet\nid: 1\ndata: {\"n\": 1}\n\n: a comment\r\ndata: plain\ndata: two\n\nretry: 5\ndata: 3";
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).insert_header("content-type", "text/event-stream").set_body_string(body),
        )
        .mount(&server)
        .await;
    let Ok(streaming) = transport(&server).send_streaming(get("/events"), &RequestOptions::new()).await.unwrap() else {
        panic!("a success streams");
    };
    let events: Vec<Event<serde_json::Value>> = streaming.events().map(|event| event.expect("decodes")).collect().await;
    let event = |name: Option<&str>, retry, data| Event {
        event: name.map(str::to_owned),
        id: Some("1".to_owned()),
        retry,
        data,
    };
    assert_eq!(
        events,
        [
            event(Some("greet"), None, serde_json::json!({"n": 1})),
            // Not JSON: a `String` (here a JSON string) takes the lines as they are.
            event(None, None, serde_json::json!("plain\ntwo")),
            event(None, Some(5), serde_json::json!(3)),
        ]
    );
}

#[tokio::test]
async fn an_error_status_is_read_in_full() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(404).set_body_string("gone")).mount(&server).await;
    let response = transport(&server).send_streaming(get("/events"), &RequestOptions::new()).await.unwrap();
    let response = response.expect_err("not a success");
    assert_eq!((response.status, &response.body[..]), (StatusCode::NOT_FOUND, &b"gone"[..]));
}

#[tokio::test]
async fn an_event_that_does_not_decode_names_its_path_and_an_event_stream_is_not_limited() {
    #[derive(Debug, serde::Deserialize)]
    struct Tick {
        #[allow(dead_code)] // only decoded
        n: u32,
    }
    let server = MockServer::start().await;
    let big = format!("data: {{\"n\": 1, \"pad\": \"{}\"}}\n\n", "p".repeat(4096));
    let body = format!("{big}data: {{\"n\": \"two\"}}\n\n");
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream"))
        .mount(&server)
        .await;
    let transport = TransportBuilder::new(&server.uri()).max_response_size(1024).build().unwrap();
    let streaming = transport.send_streaming(get("/events"), &RequestOptions::new()).await.unwrap().unwrap();
    let events: Vec<Result<Event<Tick>, Error>> = streaming.events().collect().await;
    assert!(events[0].is_ok(), "a body over the limit still streams: {:?}", events[0]);
    let decode = events[1].as_ref().unwrap_err().decode().expect("a decode error");
    assert_eq!((decode.operation, decode.path.as_str()), ("testOp", "n"));
    assert_eq!(decode.content_type(), Some("text/event-stream"));
    assert_eq!(decode.body_text(), r#"{"n": "two"}"#);
}
