//! Errors: decode failures, and how an API error shows itself.

use serde::Deserialize;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{get, transport};
use crate::runtime::*;

#[tokio::test]
async fn decode_failure_carries_status_and_body() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_string("{\"id\": \"x\"")).mount(&server).await;
    #[derive(Debug, Deserialize)]
    struct Pet {
        #[allow(dead_code)]
        id: u64,
    }
    let err = transport(&server).send(get("/pet")).await.unwrap().json::<Pet>().unwrap_err();
    match &err {
        Error::Decode(decode) => {
            assert_eq!(decode.status, StatusCode::OK);
            assert_eq!(&decode.body()[..], b"{\"id\": \"x\"");
            assert_eq!(decode.operation, "testOp");
            assert_eq!(decode.path, "id");
            assert!(decode.message.starts_with("invalid type: string \"x\", expected u64"), "{}", decode.message);
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(err.body().map(|b| b.len()), Some(10));
}

#[test]
fn api_error_display_and_request_id() {
    let mut headers = HeaderMap::new();
    headers.insert("x-amz-request-id", "amz-1".parse().unwrap());
    let err = ApiError {
        operation: "",
        status: StatusCode::NOT_FOUND,
        headers,
        body: Bytes::from_static(b" no such pet \n"),
        detail: None,
    };
    assert_eq!(err.request_id(), Some("amz-1"));
    assert_eq!(err.to_string(), "HTTP 404 Not Found: no such pet (request id amz-1)");

    let mut headers = HeaderMap::new();
    headers.insert("request-id", "second".parse().unwrap());
    headers.insert("x-request-id", "first".parse().unwrap());
    headers.insert("content-type", "text/plain".parse().unwrap());
    let long = "é".repeat(300);
    let err = Error::Api(Box::new(ApiError {
        operation: "createPet",
        status: StatusCode::BAD_REQUEST,
        headers,
        body: Bytes::from(long),
        detail: None,
    }));
    let api = err.api().unwrap();
    assert_eq!(api.request_id(), Some("first"));
    // At most 512 bytes of the body, cut between characters.
    let shown =
        format!("HTTP 400 Bad Request from `createPet` (text/plain): {}... (request id first)", "é".repeat(256));
    assert_eq!(err.to_string(), shown);

    let err = ApiError {
        operation: "",
        status: StatusCode::BAD_GATEWAY,
        headers: HeaderMap::new(),
        body: Bytes::from_static(b"\xff"),
        detail: None,
    };
    assert_eq!(err.request_id(), None);
    assert_eq!(err.body_text(), "\u{fffd}");
    let err = ApiError { body: Bytes::new(), ..err };
    assert_eq!(err.to_string(), "HTTP 502 Bad Gateway");
}

async fn serve(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(template).mount(&server).await;
    server
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // only decoded
struct Thing {
    #[serde(rename = "isDefault")]
    is_default: bool,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // only decoded
struct Things {
    data: Vec<Thing>,
}

#[tokio::test]
async fn an_html_success_names_its_content_type_and_quotes_the_body() {
    let page = "<!doctype html>\n<html><body>Gateway login</body></html>";
    let server = serve(ResponseTemplate::new(200).set_body_raw(page, "text/html; charset=utf-8")).await;
    let err = transport(&server).send(get("/things")).await.unwrap().json::<Things>().unwrap_err();
    let decode = err.decode().expect("a decode error");
    assert_eq!(decode.content_type(), Some("text/html; charset=utf-8"));
    assert_eq!(decode.path, "");
    assert_eq!(decode.body_text(), page);
    assert_eq!(
        err.to_string(),
        "decoding the 200 response of `testOp` (text/html; charset=utf-8, 55 bytes) failed: expected value at line 1 \
         column 1; body: `<!doctype html>\\n<html><body>Gateway login</body></html>`"
    );
}

#[tokio::test]
async fn a_nested_type_mismatch_names_the_field_path() {
    let body = r#"{"data": [{"isDefault": true}, {"isDefault": "yes"}]}"#;
    let server = serve(ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    let err = transport(&server).send(get("/things")).await.unwrap().json::<Things>().unwrap_err();
    assert_eq!(err.decode().map(|d| d.path.as_str()), Some("data[1].isDefault"));
    let shown = err.to_string();
    assert!(
        shown.starts_with(
            "decoding the 200 response of `testOp` (application/json, 53 bytes) failed at `data[1].isDefault`: invalid \
             type: string \"yes\", expected a boolean at line 1 column 50; body: `{\"data\""
        ),
        "{shown}"
    );
}

/// A 200 response of `body`, decoded as `T`, as an error.
fn decode_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: Vec<u8>, content_type: &str) -> Error {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", content_type.parse().unwrap());
    let response = Response { status: StatusCode::OK, headers, body: body.into(), operation: "updateThing" };
    response.json::<T>().unwrap_err()
}

#[test]
fn a_50_mb_body_gives_a_display_and_debug_of_a_few_kb() {
    let mut page = b"<!doctype html>\n".to_vec();
    page.resize(50 << 20, b'x');
    let err = decode_error::<Things>(page, "text/html");
    let (shown, debug) = (err.to_string(), format!("{err:?}"));
    assert!(shown.len() < 1024 && debug.len() < 1024, "{} and {} bytes", shown.len(), debug.len());
    assert!(shown.starts_with("decoding the 200 response of `updateThing` (text/html, 50 MiB) failed: expected value"));
    assert!(shown.ends_with(&format!("; body starts: `<!doctype html>\\n{}...`", "x".repeat(512 - 16))), "{shown}");
    assert!(debug.contains("body: \"<!doctype html>\\n"), "{debug}");
    assert!(debug.ends_with("xxx\"... (50 MiB), .. })"), "{debug}");
    assert_eq!(err.body().map(|b| b.len()), Some(50 << 20), "the whole body stays reachable");

    // serde quotes a string value in its message: a 50 MB one is cut too.
    let mut json = br#"{"data": [{"isDefault": ""#.to_vec();
    json.resize(50 << 20, b'y');
    json.extend_from_slice(br#""}]}"#);
    let err = decode_error::<Things>(json, "application/json");
    let decode = err.decode().unwrap();
    assert_eq!(decode.path, "data[0].isDefault");
    assert!(decode.message.len() <= 1024 + 3, "{}", decode.message.len());
    assert!(err.to_string().len() < 4096 && format!("{err:?}").len() < 4096 && format!("{err:#?}").len() < 4096);
}

#[test]
fn an_api_error_with_a_50_mb_body_is_bounded_too() {
    let mut headers = HeaderMap::new();
    headers.insert("content-type", "text/plain".parse().unwrap());
    headers.insert("set-cookie", "session=secret".parse().unwrap());
    #[derive(Debug)]
    struct Problem {
        #[allow(dead_code)] // only shown
        detail: String,
    }
    let err = Error::Api(Box::new(ApiError {
        operation: "getThing",
        status: StatusCode::INTERNAL_SERVER_ERROR,
        headers,
        body: vec![b'z'; 50 << 20].into(),
        detail: Some(std::sync::Arc::new(Problem { detail: "w".repeat(50 << 20) })),
    }));
    let (shown, debug) = (err.to_string(), format!("{err:?}"));
    assert!(shown.len() < 1024, "{}", shown.len());
    assert!(debug.len() < 4096, "{}", debug.len());
    assert!(shown.starts_with("HTTP 500 Internal Server Error from `getThing` (text/plain): zzz"), "{shown}");
    assert!(debug.contains("detail: Some(Problem { detail: \"www") && debug.contains("..."), "{debug}");
    assert!(!debug.contains("secret"), "response headers (cookies) stay out of Debug: {debug}");
    assert_eq!(err.api().unwrap().body().len(), 50 << 20);
}

#[test]
fn excerpts_escape_control_characters_and_cut_between_characters() {
    let mut body = "\u{1b}[31mred\r\n".to_owned();
    body.push_str(&"é".repeat(600));
    let err = decode_error::<Things>(body.into_bytes(), "text/plain");
    let shown = err.to_string();
    let excerpt = shown.split("body starts: `").nth(1).unwrap();
    assert!(excerpt.starts_with("\\u{1b}[31mred\\r\\n\u{e9}"), "{excerpt}");
    assert!(excerpt.ends_with("é...`"), "{excerpt}");
    assert!(!excerpt.contains('\u{fffd}'), "no character is cut in two: {excerpt}");

    let invalid = decode_error::<Things>(vec![0xff, b'{'], "application/octet-stream");
    assert!(invalid.to_string().ends_with("; body: `\u{fffd}{`"), "{invalid}");
    let empty = decode_error::<Things>(Vec::new(), "application/json");
    assert!(empty.to_string().ends_with("EOF while parsing a value at line 1 column 0; the body is empty"), "{empty}");
}

#[test]
fn invalid_requests_are_bounded() {
    let err = Error::InvalidRequest(format!("invalid header value `{}`", "v".repeat(1 << 20)));
    assert!(err.to_string().len() < 1100 && format!("{err:?}").len() < 1100);
}
