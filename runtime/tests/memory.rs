//! Peak memory of reading responses, measured by a counting global allocator (its own test
//! binary, so the allocator counts nothing else): a 50 MB body over a 1 MiB limit costs at most
//! the limit plus [`SLACK`], with or without a `Content-Length`; a decode error's `Debug` and
//! `Display` never format the whole body.
//!
//! The scenarios run one at a time (see [`measure`]) and the server writes from one buffer made
//! before measuring, so what is counted is the call: the connection, hyper's buffers, the body.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use client_runtime::runtime::{Error, Method, Request, StatusCode, Transport, TransportBuilder};

/// Counts live heap bytes and their peak. A reallocation counts the new block before the old one
/// is freed, as if it were copied, whatever the system allocator does.
struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = CURRENT.fetch_add(bytes, Ordering::SeqCst) + bytes;
    PEAK.fetch_max(now, Ordering::SeqCst);
}

fn shrank(bytes: usize) {
    CURRENT.fetch_sub(bytes, Ordering::SeqCst);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let block = unsafe { System.alloc(layout) };
        if !block.is_null() {
            grew(layout.size());
        }
        block
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let block = unsafe { System.alloc_zeroed(layout) };
        if !block.is_null() {
            grew(layout.size());
        }
        block
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        unsafe { System.dealloc(block, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        grew(new_size);
        let moved = unsafe { System.realloc(block, layout, new_size) };
        shrank(if moved.is_null() { new_size } else { layout.size() });
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MIB: usize = 1 << 20;
/// The body the server sends: 50 MB.
const BODY: usize = 50_000_000;
/// What a call may cost beyond the body it keeps: hyper's read buffer (it grows to 408 KiB) and
/// the one a chunk still in hand holds (chunks share the buffer they were read into), the
/// connection, the request and the runtime's bookkeeping. Measured: 514 KiB.
const SLACK: usize = 1024 * 1024;

/// One scenario at a time, so the counters see only it.
static SERIAL: Mutex<()> = Mutex::new(());

/// Runs `scenario` on a fresh runtime; returns its output and the peak of live heap bytes above
/// those live when it started.
fn measure<T>(scenario: impl std::future::Future<Output = T>) -> (T, usize) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let base = CURRENT.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let output = runtime.block_on(scenario);
    (output, PEAK.load(Ordering::SeqCst) - base)
}

/// A server on its own thread answering one request with a 200 of `BODY` bytes, with a
/// `Content-Length` or chunked, written from one 64 KiB block.
fn serve_once(content_length: bool) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let block = vec![b'x'; 64 * 1024];
    let head = if content_length {
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {BODY}\r\n\r\n")
    } else {
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n".to_owned()
    };
    std::thread::spawn(move || {
        let Ok((mut socket, _)) = listener.accept() else { return };
        let mut request = [0u8; 4096];
        let mut read = 0;
        while !request[..read].windows(4).any(|w| w == b"\r\n\r\n") && read < request.len() {
            match socket.read(&mut request[read..]) {
                Ok(0) | Err(_) => return,
                Ok(n) => read += n,
            }
        }
        let _ = socket.write_all(head.as_bytes());
        let mut sent = 0;
        while sent < BODY {
            let n = block.len().min(BODY - sent);
            let written = if content_length {
                socket.write_all(&block[..n])
            } else {
                socket
                    .write_all(format!("{n:x}\r\n").as_bytes())
                    .and_then(|()| socket.write_all(&block[..n]))
                    .and_then(|()| socket.write_all(b"\r\n"))
            };
            if written.is_err() {
                return; // the client hung up, as it should past the limit
            }
            sent += n;
        }
        let _ = socket.write_all(if content_length { b"" } else { b"0\r\n\r\n" });
    });
    url
}

fn transport(url: &str, limit: usize) -> Transport {
    TransportBuilder::new(url).max_response_size(limit as u64).build().expect("transport")
}

fn get() -> Request {
    Request::new("getBlob", Method::GET, "/blob".to_owned(), &[])
}

/// Sends one GET for the 50 MB body with `limit`, measured.
fn fetch(content_length: bool, limit: usize) -> (Result<usize, Error>, usize) {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let url = serve_once(content_length);
    let transport = transport(&url, limit);
    measure(async move { transport.send(get()).await.map(|response| response.body.len()) })
}

#[test]
fn fifty_mb_with_content_length_over_a_1_mib_limit_costs_less_than_the_limit() {
    let (outcome, peak) = fetch(true, MIB);
    println!("50 MB with Content-Length, 1 MiB limit: peak {peak} bytes above the start");
    let err = outcome.expect_err("over the limit");
    assert!(
        matches!(err, Error::ResponseTooLarge { received_at_least: 0, content_length: Some(50_000_000), .. }),
        "{err:?}"
    );
    assert!(peak < MIB + SLACK, "peak {peak} bytes");
}

#[test]
fn fifty_mb_chunked_over_a_1_mib_limit_costs_at_most_the_limit_plus_a_constant() {
    let (outcome, peak) = fetch(false, MIB);
    println!("50 MB chunked, 1 MiB limit: peak {peak} bytes above the start");
    let err = outcome.expect_err("over the limit");
    assert!(matches!(err, Error::ResponseTooLarge { content_length: None, .. }), "{err:?}");
    assert!(peak < MIB + SLACK, "peak {peak} bytes");
}

#[test]
fn fifty_mb_under_the_limit_costs_the_body_once_with_content_length_and_twice_at_most_without() {
    let (outcome, peak) = fetch(true, 64 * MIB);
    println!("50 MB with Content-Length, 64 MiB limit: peak {peak} bytes above the start");
    assert_eq!(outcome.expect("under the limit"), BODY);
    assert!(peak < BODY + SLACK, "peak {peak} bytes");

    let (outcome, peak) = fetch(false, 64 * MIB);
    println!("50 MB chunked, 64 MiB limit: peak {peak} bytes above the start");
    assert_eq!(outcome.expect("under the limit"), BODY);
    assert!(peak < 2 * BODY + SLACK, "peak {peak} bytes");
}

#[test]
fn a_50_mb_decode_error_formats_in_a_few_kb() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let mut page = b"<!doctype html>".to_vec();
    page.resize(BODY, b'x');
    let response = client_runtime::runtime::Response {
        status: StatusCode::OK,
        headers: Default::default(),
        body: page.into(),
        operation: "getBlob",
    };
    let err = response.json::<Vec<u32>>().unwrap_err();
    let ((shown, debug), peak) = measure(async { (err.to_string(), format!("{err:?}")) });
    println!("Display {} bytes, Debug {} bytes, formatting peak {peak} bytes", shown.len(), debug.len());
    assert!(shown.len() < 4096 && debug.len() < 4096, "{shown}\n{debug}");
    assert!(peak < 64 * 1024, "formatting never copies the body: peak {peak} bytes");
    assert_eq!(err.body().map(|b| b.len()), Some(BODY));
}
