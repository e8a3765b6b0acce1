//! Pagination: pages requested one after the other until one is empty or has no next page.

use futures_util::StreamExt;
use wiremock::matchers::{any, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{get, transport};
use crate::runtime::*;

fn page(body: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(body)
}

async fn all_items(server: &MockServer, pagination: Pagination) -> Vec<Result<u32, Error>> {
    paginate(transport(server), RequestOptions::new(), pagination, || Ok(get("/items"))).collect().await
}

#[tokio::test]
async fn page_numbers_run_until_an_empty_page() {
    let server = MockServer::start().await;
    Mock::given(query_param("page", "2"))
        .respond_with(page(serde_json::json!([3])))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(query_param("page", "3"))
        .respond_with(page(serde_json::json!([])))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(page(serde_json::json!([1, 2]))).mount(&server).await;
    let items = all_items(&server, Pagination { param: "page", items: "", paging: Paging::Page }).await;
    assert_eq!(items.into_iter().map(Result::unwrap).collect::<Vec<_>>(), [1, 2, 3]);
}

#[tokio::test]
async fn cursors_run_until_there_is_none_and_a_failed_page_ends_the_stream() {
    let server = MockServer::start().await;
    Mock::given(query_param("after", "c1"))
        .respond_with(page(serde_json::json!({"data": [2], "next": null})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(page(serde_json::json!({"data": [1], "next": "c1"}))).mount(&server).await;
    let cursor = Pagination { param: "after", items: "/data", paging: Paging::Cursor { next: "/next" } };
    let items = all_items(&server, cursor).await;
    assert_eq!(items.into_iter().map(Result::unwrap).collect::<Vec<_>>(), [1, 2]);

    let failing = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(500)).mount(&failing).await;
    let items = all_items(&failing, cursor).await;
    assert!(matches!(items.as_slice(), [Err(Error::Api(api))] if api.status == 500), "{items:?}");
}

#[test]
fn the_next_link_is_found_among_others() {
    let mut headers = HeaderMap::new();
    headers.insert(
        "link",
        "<https://a.test/x?page=1>; rel=\"prev\", <https://a.test/x?page=3>; rel=next".parse().unwrap(),
    );
    assert_eq!(next_link(&headers).as_deref(), Some("https://a.test/x?page=3"));
    assert_eq!(next_link(&HeaderMap::new()), None);
}

#[tokio::test]
async fn an_item_that_does_not_decode_is_named_by_its_path_in_the_page() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(page(serde_json::json!({"data": [1, "two"], "next": null}))).mount(&server).await;
    let cursor = Pagination { param: "after", items: "/data", paging: Paging::Cursor { next: "/next" } };
    let items = all_items(&server, cursor).await;
    let [Err(Error::Decode(decode))] = items.as_slice() else { panic!("{items:?}") };
    assert_eq!((decode.operation, decode.path.as_str()), ("testOp", "data[1]"));
    assert!(decode.message.starts_with("invalid type: string \"two\", expected u32"), "{}", decode.message);
}
