//! Wire tests of the client shapes (issue 5) through a client generated from
//! `tests/fixtures/client/shapes.yaml` (module `fixture_clients::client_shapes`): what crosses the
//! wire for each parameter style and body kind, and how each response kind decodes.

use fixture_clients::client_shapes::{
    mock, types, Client, CreateItemContent, CreateItemError, CreateItemSuccess, DeleteItemError, Error, RequestOptions,
    RetryPolicy,
};
use fixture_clients::runtime::{BinaryBody, Bytes, Multipart};
use futures_util::StreamExt;
use serde_json::json;
use std::time::{Duration, Instant};
use wiremock::ResponseTemplate;

fn client(server: &mock::Server) -> Client {
    server.client_builder().build().expect("client builds")
}

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_secs(5),
        deadline: Some(Duration::from_secs(10)),
    }
}

fn new_item() -> types::NewItem {
    types::NewItem {
        name: "a b&c".into(),
        tags: Some(vec!["x".into(), "y".into()]),
        meta: Some(types::NewItemMeta { color: Some("red".into()), ..Default::default() }),
        presence: Default::default(),
    }
}

#[tokio::test]
async fn query_styles_cookies_and_header_arrays_on_the_wire() {
    let server = mock::Server::start().await;
    server.search().respond_json(200, json!([{"id": "1"}])).await;
    let params = types::SearchParams {
        tags: Some(vec!["a".into(), "b c".into()]),
        ids: Some(vec![1, 2, 3]),
        words: Some(vec!["x".into(), "y".into()]),
        codes: Some(vec!["p".into(), "q".into()]),
        filter: Some(types::Filter { status: Some("open".into()), owner: Some("me".into()), ..Default::default() }),
        point: Some(types::Point { x: Some(1), y: Some(2), ..Default::default() }),
        session: Some("s1".into()),
        theme: Some("dark".into()),
        x_trace_ids: Some(vec!["t1".into(), "t2".into()]),
    };
    let items = client(&server).search(&params).await.expect("decodes");
    assert_eq!(items[0].id, "1");
    let request = &server.received().await[0];
    assert_eq!(
        request.url.query(),
        Some(
            "tags=a&tags=b+c&ids=1%2C2%2C3&words=x+y&codes=p%7Cq&filter%5Bstatus%5D=open&filter%5Bowner%5D=me&x=1&y=2"
        )
    );
    let pairs: Vec<(String, String)> = request.url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
    assert!(pairs.contains(&("words".into(), "x y".into())));
    assert!(pairs.contains(&("filter[owner]".into(), "me".into())));
    assert_eq!(request.headers.get_all("cookie").iter().count(), 1, "one Cookie header");
    assert_eq!(request.headers["cookie"], "session=s1; theme=dark");
    assert_eq!(request.headers["x-trace-ids"], "t1,t2");
}

#[tokio::test]
async fn optional_params_default_to_nothing_on_the_wire() {
    let server = mock::Server::start().await;
    server.search().respond_json(200, json!([])).await;
    client(&server).search(&Default::default()).await.unwrap();
    let request = &server.received().await[0];
    assert_eq!(request.url.query(), None);
    assert!(request.headers.get("cookie").is_none());
}

#[tokio::test]
async fn form_body_is_urlencoded_with_arrays_repeated_and_objects_nested() {
    let server = mock::Server::start().await;
    server.submit_form().respond_status(204).await;
    client(&server).submit_form(&new_item()).await.unwrap();
    let request = &server.received().await[0];
    assert_eq!(request.headers["content-type"], "application/x-www-form-urlencoded");
    assert_eq!(String::from_utf8_lossy(&request.body), "name=a+b%26c&tags=x&tags=y&meta%5Bcolor%5D=red");
}

#[tokio::test]
async fn the_caller_picks_the_content_type_and_several_2xx_decode_into_an_enum() {
    let server = mock::Server::start().await;
    server.create_item().times(1).respond_json(202, json!({"job_id": "J1"})).await;
    server.create_item().times(1).respond_json(200, json!({"id": "I1"})).await;
    server.create_item().respond_status(204).await;
    let client = client(&server);
    let json_body = client.create_item(&Default::default(), CreateItemContent::Json(new_item())).await.unwrap();
    assert_eq!(json_body, CreateItemSuccess::Accepted(types::Job { job_id: "J1".into() }));
    let form = client.create_item(&Default::default(), CreateItemContent::Form(new_item())).await.unwrap();
    assert!(matches!(form, CreateItemSuccess::Ok(types::Item { ref id, .. }) if id == "I1"), "{form:?}");
    let empty = client.create_item(&Default::default(), CreateItemContent::Json(new_item())).await.unwrap();
    assert_eq!(empty, CreateItemSuccess::NoContent);
    let requests = server.received().await;
    assert_eq!(requests[0].headers["content-type"], "application/json");
    assert_eq!(requests[0].body_json::<serde_json::Value>().unwrap()["tags"], json!(["x", "y"]));
    assert_eq!(requests[1].headers["content-type"], "application/x-www-form-urlencoded");
}

#[tokio::test]
async fn documented_error_statuses_decode_into_the_typed_error_enum() {
    let server = mock::Server::start().await;
    let problem = json!({"type": "about:blank", "title": "Conflict", "status": 409});
    server
        .create_item()
        .times(1)
        .respond_with(
            ResponseTemplate::new(409)
                .set_body_raw(problem.to_string(), "application/problem+json")
                .insert_header("x-request-id", "req-9"),
        )
        .await;
    server.create_item().times(1).respond_json(422, json!({"message": "bad name"})).await;
    server.create_item().times(1).respond_json(500, json!({"message": "boom"})).await;
    server.create_item().respond_json(400, json!({"unexpected": true})).await;
    let client = client(&server);
    let params = types::CreateItemParams::default();
    let call = || client.create_item(&params, CreateItemContent::Json(new_item()));

    let conflict = call().await.unwrap_err();
    match CreateItemError::of(&conflict) {
        Some(CreateItemError::Status409(p)) => assert_eq!(p.title.as_deref(), Some("Conflict")),
        other => panic!("expected the 409 problem, got {other:?}"),
    }
    let api = conflict.api().expect("still Error::Api");
    assert_eq!(api.status.as_u16(), 409);
    assert_eq!(api.request_id(), Some("req-9"));
    assert!(api.body_text().contains("Conflict"));

    let range = call().await.unwrap_err();
    assert!(matches!(CreateItemError::of(&range), Some(CreateItemError::Status4xx(e)) if e.message == "bad name"));
    let default = call().await.unwrap_err();
    assert!(matches!(CreateItemError::of(&default), Some(CreateItemError::Default(e)) if e.message == "boom"));
    // A body that does not match the documented schema keeps the raw body, no typed detail.
    let mismatch = call().await.unwrap_err();
    assert!(CreateItemError::of(&mismatch).is_none());
    assert_eq!(mismatch.api().unwrap().body_text(), r#"{"unexpected":true}"#);
}

#[tokio::test]
async fn an_idempotency_key_is_generated_per_call_and_reused_by_its_retries() {
    let server = mock::Server::start().await;
    server.create_item().times(1).respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0")).await;
    server.create_item().respond_json(202, json!({"job_id": "J"})).await;
    let client = server.client_builder().retry_policy(quick_retries()).build().unwrap();
    client.create_item(&Default::default(), CreateItemContent::Json(new_item())).await.unwrap();
    client.create_item(&Default::default(), CreateItemContent::Json(new_item())).await.unwrap();
    let requests = server.received().await;
    assert_eq!(requests.len(), 3, "the POST was retried because it carries a key");
    let key = |i: usize| requests[i].headers["idempotency-key"].to_str().unwrap().to_owned();
    assert_eq!(key(0), key(1), "a retry reuses its call's key");
    assert_ne!(key(1), key(2), "each call has a new key");
    assert_eq!(key(0).len(), 36);
    // A key the caller gives is sent as is.
    let params = types::CreateItemParams { idempotency_key: Some("mine".into()) };
    client.create_item(&params, CreateItemContent::Json(new_item())).await.unwrap();
    assert_eq!(server.received().await[3].headers["idempotency-key"], "mine");
}

#[tokio::test]
async fn per_call_options_override_timeout_retries_and_headers() {
    let server = mock::Server::start().await;
    server.list_items().respond_with(ResponseTemplate::new(503)).await;
    let retrying = server.client_builder().retry_policy(quick_retries()).build().unwrap();
    retrying.list_items(&Default::default()).await.unwrap_err();
    assert_eq!(server.received().await.len(), 3, "the client's policy: 3 attempts");

    let once = retrying.with_options(RequestOptions::new().retry_policy(RetryPolicy::none()).header("X-Extra", "1"));
    once.list_items(&Default::default()).await.unwrap_err();
    let requests = server.received().await;
    assert_eq!(requests.len(), 4, "the per-call policy: 1 attempt");
    assert_eq!(requests[3].headers["x-extra"], "1");

    let slow = mock::Server::start().await;
    slow.list_items().respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5))).await;
    let hasty = client(&slow).with_options(RequestOptions::new().timeout(Duration::from_millis(200)));
    let started = Instant::now();
    let err = hasty.list_items(&Default::default()).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(e) if e.is_timeout()), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn multipart_sends_fields_and_files_and_declared_headers_are_typed() {
    let server = mock::Server::start().await;
    server
        .upload_file()
        .respond_with(
            ResponseTemplate::new(201)
                .set_body_json(json!({"id": "F1"}))
                .insert_header("x-rate-limit-remaining", "41")
                .insert_header("etag", "\"v1\""),
        )
        .await;
    let form = Multipart::new().text("description", "a report").file("file", "r.txt", "text/plain", "hello");
    let reply = client(&server).upload_file_with_headers(form).await.unwrap();
    assert_eq!(reply.value.id, "F1");
    assert_eq!(reply.headers.x_rate_limit_remaining, Some(41));
    assert_eq!(reply.headers.e_tag.as_deref(), Some("\"v1\""));
    let request = &server.received().await[0];
    let content_type = request.headers["content-type"].to_str().unwrap().to_owned();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("multipart");
    let body = String::from_utf8_lossy(&request.body);
    assert!(body.contains("Content-Disposition: form-data; name=\"description\"\r\n\r\na report\r\n"), "{body}");
    assert!(body.contains("name=\"file\"; filename=\"r.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n"), "{body}");
    assert!(body.ends_with(&format!("--{boundary}--\r\n")));
}

#[tokio::test]
async fn binary_bodies_upload_and_download_and_a_streamed_body_is_never_replayed() {
    let server = mock::Server::start().await;
    server
        .get_blob()
        .respond_with(ResponseTemplate::new(200).set_body_raw(vec![7u8; 100_000], "application/octet-stream"))
        .await;
    let client = server.client_builder().retry_policy(quick_retries()).build().unwrap();
    assert_eq!(client.get_blob("b 1").await.unwrap().len(), 100_000);
    let mut chunks = client.get_blob_download("b 1").await.unwrap();
    let mut total = 0;
    while let Some(chunk) = chunks.next().await {
        total += chunk.unwrap().len();
    }
    assert_eq!(total, 100_000);
    assert_eq!(server.received().await[0].url.path(), "/blobs/b%201");

    let uploads = mock::Server::start().await;
    uploads.put_blob().respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0")).await;
    let client = uploads.client_builder().retry_policy(quick_retries()).build().unwrap();
    client.put_blob("x", Bytes::from_static(b"abc")).await.unwrap_err();
    assert_eq!(uploads.received().await.len(), 3, "bytes in memory are retried (PUT is idempotent)");
    let chunks = futures_util::stream::iter(vec![
        Ok::<_, std::io::Error>(Bytes::from_static(b"ab")),
        Ok(Bytes::from_static(b"c")),
    ]);
    let err = client.put_blob("x", BinaryBody::stream(chunks)).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let requests = uploads.received().await;
    assert_eq!(requests.len(), 4, "a streamed body is sent once, never replayed");
    assert_eq!(requests[3].body, b"abc");
    assert_eq!(requests[3].headers["content-type"], "application/octet-stream");
}

#[tokio::test]
async fn server_sent_events_arrive_as_a_stream_of_typed_events() {
    let server = mock::Server::start().await;
    let body =
        ": comment\nevent: tick\nid: 1\ndata: {\"n\": 1}\n\ndata: {\"n\":\ndata: 2}\n\ndata: {\"bad\": true}\n\n";
    server.stream_events().respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/event-stream")).await;
    let events: Vec<_> = client(&server).stream_events().await.unwrap().collect().await;
    assert_eq!(events.len(), 3);
    let first = events[0].as_ref().unwrap();
    assert_eq!((first.event.as_deref(), first.id.as_deref(), first.data.n), (Some("tick"), Some("1"), 1));
    assert_eq!(events[1].as_ref().unwrap().data.n, 2, "multi-line data is joined");
    assert!(matches!(&events[2], Err(Error::Decode { .. })), "a bad event is an error item, not a panic");

    let failing = mock::Server::start().await;
    failing.stream_events().respond_json(401, json!({"message": "no"})).await;
    let err = client(&failing).stream_events().await.map(|_| ()).unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn cursor_pagination_streams_every_item_across_pages() {
    let server = mock::Server::start().await;
    let page = |cursor: Option<&str>, ids: &[&str], next: serde_json::Value| {
        let data: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
        let mut mock = wiremock::Mock::given(wiremock::matchers::path("/items"));
        mock = match cursor {
            Some(c) => mock.and(wiremock::matchers::query_param("cursor", c)),
            None => mock.and(wiremock::matchers::query_param_is_missing("cursor")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": data, "next_cursor": next})))
    };
    page(None, &["1", "2"], json!("c2")).mount(server.inner()).await;
    page(Some("c2"), &["3"], json!("c3")).mount(server.inner()).await;
    page(Some("c3"), &["4"], json!(null)).mount(server.inner()).await;
    let params = types::ListItemsParams { limit: Some(2), ..Default::default() };
    let ids: Vec<String> = client(&server).list_items_stream(&params).map(|i| i.unwrap().id).collect().await;
    assert_eq!(ids, ["1", "2", "3", "4"]);
    let requests = server.received().await;
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[2].url.query(), Some("limit=2&cursor=c3"), "other params are kept");
}

#[tokio::test]
async fn page_number_and_link_header_pagination() {
    let server = mock::Server::start().await;
    // The first request leaves `page` to the server's default (1); later ones count up from it.
    for (page, ids) in [(None, vec!["a", "b"]), (Some("2"), vec!["c"]), (Some("3"), vec![])] {
        let items: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
        let matcher = wiremock::Mock::given(wiremock::matchers::path("/pages"));
        let matcher = match page {
            Some(page) => matcher.and(wiremock::matchers::query_param("page", page)),
            None => matcher.and(wiremock::matchers::query_param_is_missing("page")),
        };
        matcher
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "items": items })))
            .mount(server.inner())
            .await;
    }
    let ids: Vec<String> =
        client(&server).list_pages_stream(&Default::default()).map(|i| i.unwrap().id).collect().await;
    assert_eq!(ids, ["a", "b", "c"]);

    let linked = mock::Server::start().await;
    let next = format!("<{}/linked?after=k2>; rel=\"next\"", linked.uri());
    wiremock::Mock::given(wiremock::matchers::path("/linked"))
        .and(wiremock::matchers::query_param_is_missing("after"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([{"id": "1"}])).insert_header("link", next.as_str()),
        )
        .mount(linked.inner())
        .await;
    wiremock::Mock::given(wiremock::matchers::path("/linked"))
        .and(wiremock::matchers::query_param("after", "k2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "2"}])))
        .mount(linked.inner())
        .await;
    let ids: Vec<String> =
        client(&linked).list_linked_stream(&Default::default()).map(|i| i.unwrap().id).collect().await;
    assert_eq!(ids, ["1", "2"]);
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_its_error() {
    let server = mock::Server::start().await;
    server.list_items().respond_json(500, json!({"message": "down"})).await;
    let results: Vec<_> = client(&server).list_items_stream(&Default::default()).collect().await;
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].as_ref().unwrap_err().status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn offset_pagination_advances_by_the_items_received() {
    let server = mock::Server::start().await;
    for (offset, ids) in [(None, vec!["a", "b"]), (Some("2"), vec!["c"]), (Some("3"), vec![])] {
        let items: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
        let matcher = wiremock::Mock::given(wiremock::matchers::path("/offsets"));
        let matcher = match offset {
            Some(offset) => matcher.and(wiremock::matchers::query_param("offset", offset)),
            None => matcher.and(wiremock::matchers::query_param_is_missing("offset")),
        };
        matcher
            .and(wiremock::matchers::query_param("limit", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "items": items })))
            .mount(server.inner())
            .await;
    }
    let params = types::ListByOffsetParams { limit: Some(2), ..Default::default() };
    let ids: Vec<String> = client(&server).list_by_offset_stream(&params).map(|i| i.unwrap().id).collect().await;
    assert_eq!(ids, ["a", "b", "c"]);
}

#[tokio::test]
async fn x_pagination_names_the_parameter_and_fields_to_page_with() {
    let server = mock::Server::start().await;
    wiremock::Mock::given(wiremock::matchers::path("/forced"))
        .and(wiremock::matchers::query_param_is_missing("token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"things": [{"id": "x"}], "continuation": "t2"})))
        .mount(server.inner())
        .await;
    wiremock::Mock::given(wiremock::matchers::path("/forced"))
        .and(wiremock::matchers::query_param("token", "t2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"things": [{"id": "y"}]})))
        .mount(server.inner())
        .await;
    let ids: Vec<String> =
        client(&server).list_forced_stream(&Default::default()).map(|i| i.unwrap().id).collect().await;
    assert_eq!(ids, ["x", "y"]);
}

#[tokio::test]
async fn operations_with_the_same_errors_share_one_typed_error_enum() {
    let server = mock::Server::start().await;
    server.delete_item().times(1).respond_json(422, json!({"message": "in use"})).await;
    let client = client(&server);
    let error = client.delete_item("i1").await.unwrap_err();
    // `DeleteItemError` is an alias of `CreateItemError`: the same variants, decoded the same way.
    let typed: Option<&DeleteItemError> = DeleteItemError::of(&error);
    assert!(matches!(typed, Some(CreateItemError::Status4xx(e)) if e.message == "in use"));
    assert_eq!(server.received().await[0].url.path(), "/items/i1");
}

#[tokio::test]
async fn operation_futures_are_send_so_they_can_be_spawned() {
    let server = mock::Server::start().await;
    server.delete_item().respond_status(204).await;
    let client = client(&server);
    // `tokio::spawn` needs a `Send + 'static` future: the method's future must be `Send`.
    let task = tokio::spawn(async move { client.delete_item("i1").await });
    task.await.expect("the task ran").expect("the call succeeded");
}
