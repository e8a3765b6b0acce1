//! Reading responses: the size limit, checked on the declared length and counted while reading;
//! streams are not limited.

use futures_util::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{get, transport};
use crate::runtime::*;

/// How a [`raw_server`] frames its body.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Framing {
    ContentLength,
    Chunked,
}

/// The byte at `offset` of a [`raw_server`] body.
fn byte_at(offset: usize) -> u8 {
    (offset % 251) as u8
}

/// A server answering every request with `status` and a body of `size` bytes ([`byte_at`]) in
/// 16 KiB writes, framed as asked, on a raw socket (wiremock always sends a `Content-Length`).
async fn raw_server(status: u16, size: usize, framing: Framing) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match socket.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buffer[..n]),
                    }
                }
                let framing_header = match framing {
                    Framing::ContentLength => format!("content-length: {size}"),
                    Framing::Chunked => "transfer-encoding: chunked".to_owned(),
                };
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/octet-stream\r\nconnection: close\r\n\
                     {framing_header}\r\n\r\n"
                );
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let mut sent = 0;
                while sent < size {
                    let block: Vec<u8> = (sent..size.min(sent + 16 * 1024)).map(byte_at).collect();
                    let written = match framing {
                        Framing::ContentLength => socket.write_all(&block).await,
                        Framing::Chunked => {
                            let mut chunk = format!("{:x}\r\n", block.len()).into_bytes();
                            chunk.extend_from_slice(&block);
                            chunk.extend_from_slice(b"\r\n");
                            socket.write_all(&chunk).await
                        }
                    };
                    if written.is_err() {
                        return; // the client hung up
                    }
                    sent += block.len();
                }
                if framing == Framing::Chunked {
                    let _ = socket.write_all(b"0\r\n\r\n").await;
                }
                let _ = socket.shutdown().await;
            });
        }
    });
    url
}

fn limited(url: &str, limit: u64) -> Transport {
    TransportBuilder::new(url).max_response_size(limit).build().expect("transport builds")
}

const MIB: u64 = 1 << 20;

#[tokio::test]
async fn a_content_length_over_the_limit_fails_before_reading() {
    let url = raw_server(200, 10 << 20, Framing::ContentLength).await;
    let err = limited(&url, MIB).send(get("/file")).await.unwrap_err();
    match &err {
        Error::ResponseTooLarge { operation, status, limit, received_at_least, content_length } => {
            assert_eq!((*operation, status.as_u16(), *limit), ("testOp", 200, MIB));
            assert_eq!((*received_at_least, *content_length), (0, Some(10 << 20)));
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    assert_eq!(err.status(), Some(StatusCode::OK));
    assert_eq!(
        err.to_string(),
        "the 200 response of `testOp` is larger than the 1 MiB response size limit (its Content-Length is 10 MiB); \
         raise the limit with `max_response_size`, or use the operation's streaming form"
    );
}

#[tokio::test]
async fn a_body_without_content_length_fails_as_soon_as_it_passes_the_limit() {
    let url = raw_server(200, 10 << 20, Framing::Chunked).await;
    let err = limited(&url, MIB).send(get("/file")).await.unwrap_err();
    match &err {
        Error::ResponseTooLarge { received_at_least, content_length: None, limit: MIB, .. } => {
            assert!(*received_at_least > MIB && *received_at_least <= MIB + 64 * 1024, "{received_at_least}");
        }
        other => panic!("expected ResponseTooLarge, got {other:?}"),
    }
    assert!(err.to_string().contains("(at least 10"), "{err}");
}

#[tokio::test]
async fn bodies_up_to_the_limit_are_read_whole_in_order() {
    for framing in [Framing::ContentLength, Framing::Chunked] {
        for size in [0, 1, 100_000, MIB as usize] {
            let url = raw_server(200, size, framing).await;
            let response = limited(&url, MIB).send(get("/file")).await.unwrap_or_else(|e| panic!("{framing:?}: {e}"));
            assert_eq!(response.body.len(), size, "{framing:?}");
            assert!(response.body.iter().enumerate().all(|(i, b)| *b == byte_at(i)), "{framing:?} {size}");
        }
    }
}

#[tokio::test]
async fn error_responses_are_limited_too() {
    let url = raw_server(500, 2 << 20, Framing::Chunked).await;
    let err = limited(&url, MIB).send(get("/file")).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { status: StatusCode::INTERNAL_SERVER_ERROR, .. }), "{err:?}");
}

#[tokio::test]
async fn the_call_s_limit_overrides_the_client_s() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_bytes(vec![b'a'; 2000])).mount(&server).await;
    let strict = RequestOptions::new().max_response_size(1000);
    let err = transport(&server).send_with(get("/x"), &strict).await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit: 1000, content_length: Some(2000), .. }), "{err:?}");

    let lenient = RequestOptions::new().max_response_size(10_000);
    let small = TransportBuilder::new(&server.uri()).max_response_size(1000).build().unwrap();
    assert_eq!(small.send_with(get("/x"), &lenient).await.unwrap().body.len(), 2000);
    assert!(small.send(get("/x")).await.is_err());
}

#[tokio::test]
async fn a_streamed_body_over_the_limit_still_streams() {
    let url = raw_server(200, 5 << 20, Framing::Chunked).await;
    let transport = limited(&url, 64 * 1024);
    let streaming = transport.send_streaming(get("/file"), &RequestOptions::new()).await.unwrap().unwrap();
    let mut received = 0;
    let mut chunks = streaming.bytes();
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk.expect("a chunk");
        assert!(chunk.iter().enumerate().all(|(i, b)| *b == byte_at(received + i)));
        received += chunk.len();
    }
    assert_eq!(received, 5 << 20);

    // Read whole, the same response is limited.
    let streaming = transport.send_streaming(get("/file"), &RequestOptions::new()).await.unwrap().unwrap();
    let err = streaming.into_response().await.unwrap_err();
    assert!(matches!(err, Error::ResponseTooLarge { limit: 65536, .. }), "{err:?}");
}

#[test]
fn the_default_limit_is_64_mib() {
    assert_eq!(DEFAULT_MAX_RESPONSE_SIZE, 64 * MIB);
    assert!(format!("{:?}", TransportBuilder::new("http://a.test")).contains("max_response_size: 67108864"));
}
