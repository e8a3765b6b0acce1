//! The cost of one plain successful call through the runtime, against a minimal local HTTP/1.1
//! server (a thread per connection answering every request with the same small JSON body, over a
//! kept-alive connection), so the figure is mostly the client's own work:
//! `cargo bench -p client-runtime --bench call [-- --quick]`.

use client_runtime::runtime::{
    CallInfo, Error, Hook, Method, Request, RequestOptions, Response, ResponseExt, Transport, TransportBuilder,
};
use criterion::{criterion_group, criterion_main, Criterion};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

const BODY: &str = r#"{"id":7,"name":"Rex","tags":["a","b"]}"#;

/// Answers every request on `stream` with 200 and [`BODY`] until the client hangs up. Requests
/// have no body, so one ends at its blank line.
fn serve(mut stream: TcpStream) {
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-request-id: req-1\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    let mut buffer = Vec::with_capacity(4096);
    let mut chunk = [0u8; 4096];
    loop {
        while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            buffer.drain(..end + 4);
            if stream.write_all(response.as_bytes()).is_err() {
                return;
            }
        }
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
        }
    }
}

fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let address = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let _ = stream.set_nodelay(true);
            std::thread::spawn(move || serve(stream));
        }
    });
    format!("http://{address}")
}

fn request() -> Result<Request, Error> {
    Request::operation("getPet", Method::GET, "/pets/{id}", &["7"], &[])
}

async fn plain(transport: &Transport, options: &RequestOptions) -> serde_json::Value {
    transport.call(request(), options, Response::json, client_runtime::runtime::untyped).await.expect("call")
}

/// A hook that adds one header to each attempt.
struct Tag;

impl Hook for Tag {
    fn before_send(&self, request: &mut client_runtime::runtime::reqwest::Request, _call: &CallInfo) {
        request.headers_mut().insert("x-tag", client_runtime::runtime::reqwest::header::HeaderValue::from_static("1"));
    }
}

fn calls(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio");
    let transport = TransportBuilder::new(&server()).build().expect("transport");
    let options = RequestOptions::default();
    let mut group = c.benchmark_group("call");
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("plain", |b| b.iter(|| runtime.block_on(plain(&transport, &options))));
    // For comparison: the same call read with its response head, and through a client with a hook.
    group.bench_function("with_response", |b| {
        b.iter(|| {
            runtime.block_on(async { Ok::<_, Error>(plain(&transport, &options).await) }.with_response()).expect("head")
        })
    });
    let hooked = TransportBuilder::new(transport.base_url()).hook(Tag).build().expect("transport");
    group.bench_function("one_hook", |b| b.iter(|| runtime.block_on(plain(&hooked, &options))));
    group.finish();
}

criterion_group!(benches, calls);
criterion_main!(benches);
