//! Webhooks and callbacks: received bodies parsed into typed events by the generated `webhooks`
//! module (fixtures `tests/fixtures/webhooks.yaml` and `callbacks-3.0.yaml`, compiled in
//! `fixture-clients` as `events` and `callbacks`), and the README's receiver: a signed POST to a
//! real local server, verified (HMAC-SHA256, constant-time, timestamp tolerance) and then parsed.

use fixture_clients::callbacks::webhooks as job_events;
use fixture_clients::events::types::{PetAdoptedType, PetChangedPayload};
use fixture_clients::events::webhooks::{self, Event, WebhookError};
use std::time::{SystemTime, UNIX_EPOCH};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

/// A `petAdopted` event as a vendor sends it: an envelope with an id, a type and a timestamp.
const ADOPTED: &str = r#"{
  "id": "evt_1NxQ2r",
  "type": "pet.adopted",
  "created": 1700000000,
  "data": {"pet": {"id": 7, "name": "Rex", "tag": "dog"}, "adopter": "ada@example.com"}
}"#;

#[test]
fn a_known_event_decodes_into_its_variant() {
    let event = webhooks::parse("petAdopted", ADOPTED.as_bytes()).expect("parses");
    assert_eq!(event.name(), "petAdopted");
    let Event::PetAdopted(adopted) = &event else { panic!("{event:?}") };
    assert_eq!((adopted.id.as_str(), adopted.created), ("evt_1NxQ2r", 1_700_000_000));
    assert_eq!(adopted.r#type, PetAdoptedType::PetAdopted);
    assert_eq!((adopted.data.pet.id, adopted.data.pet.name.as_str()), (7, "Rex"));
    assert_eq!(adopted.data.adopter, "ada@example.com");
    // The typed function gives the payload alone.
    assert_eq!(&webhooks::parse_pet_adopted(ADOPTED.as_bytes()).expect("parses"), adopted);

    // A `oneOf` payload: the discriminator picks the variant; an unlisted one is kept as JSON.
    let vaccinated = br#"{"type": "pet.vaccinated", "id": 7, "vaccine": "rabies"}"#;
    let Ok(Event::PetChanged(PetChangedPayload::PetVaccinated(v))) = webhooks::parse("petChanged", vaccinated) else {
        panic!("not a vaccination")
    };
    assert_eq!((v.id, v.vaccine.as_str()), (7, "rabies"));
    let moved = br#"{"type": "pet.moved", "id": 7}"#;
    assert!(matches!(webhooks::parse("petChanged", moved), Ok(Event::PetChanged(PetChangedPayload::Unknown(_)))));

    // A callback, by `<operationId>.<callback name>`.
    let price = br#"{"symbol": "ACME", "price": 12.5, "at": "2024-05-01T12:00:00Z"}"#;
    let Ok(Event::SubscribeOnPrice(price)) = webhooks::parse("subscribe.onPrice", price) else { panic!("no price") };
    assert_eq!((price.symbol.as_str(), price.price), ("ACME", 12.5));
    assert_eq!(Event::NAMES, ["petAdopted", "petChanged", "subscribe.onPrice"]);
}

#[test]
fn callbacks_of_30_operations_by_ref_text_and_without_body() {
    let done = br#"{"id": "job_1", "status": "failed", "error": "disk full"}"#;
    let Ok(job_events::Event::StartJobDone(result)) = job_events::parse("startJob.done", done) else { panic!() };
    assert_eq!(result.error.as_deref(), Some("disk full"));
    // The same component callback on another operation is another event with the same payload type.
    assert!(matches!(job_events::parse("startExport.done", done), Ok(job_events::Event::StartExportDone(_))));
    // `text/plain` is kept as text; a body-less `DELETE` is a unit variant named with its method.
    let progress = job_events::parse("startJob.progress", b"42% done").expect("text");
    assert_eq!(progress, job_events::Event::StartJobProgress("42% done".into()));
    let deleted = job_events::parse("startJob.done DELETE", b"").expect("no body");
    assert_eq!((deleted.name(), deleted), ("startJob.done DELETE", job_events::Event::StartJobDoneDelete));
    let not_text = job_events::parse("startJob.progress", &[0xff]).unwrap_err();
    assert_eq!(not_text, WebhookError::NotText { event: "startJob.progress" });
}

#[test]
fn an_unknown_name_is_a_clear_error() {
    let error = webhooks::parse("pet.adopted", ADOPTED.as_bytes()).unwrap_err();
    assert!(matches!(&error, WebhookError::UnknownEvent { name, .. } if name == "pet.adopted"), "{error:?}");
    assert_eq!(
        error.to_string(),
        "no webhook or callback is named \"pet.adopted\": the names are `petAdopted`, `petChanged`, `subscribe.onPrice`"
    );
}

#[test]
fn a_bad_payload_names_the_field_path() {
    let bad = ADOPTED.replace(r#""id": 7"#, r#""id": "seven""#);
    let error = webhooks::parse("petAdopted", bad.as_bytes()).unwrap_err();
    let WebhookError::Decode { event, message } = &error else { panic!("{error:?}") };
    assert_eq!(*event, "petAdopted");
    assert!(message.starts_with("data.pet.id: invalid type: string \"seven\", expected i64"), "{message}");
    assert!(error.to_string().starts_with("the body of `petAdopted` does not match its schema: data.pet.id:"));
    // A missing field, and a `oneOf` variant that does not match, name where too.
    let missing =
        webhooks::parse("petAdopted", ADOPTED.replace(r#""adopter": "ada@example.com""#, r#""x": 1"#).as_bytes());
    assert!(missing.unwrap_err().to_string().contains("data: missing field `adopter`"));
    let renamed = br#"{"type": "pet.renamed", "id": 7}"#;
    let error = webhooks::parse("petChanged", renamed).unwrap_err().to_string();
    assert!(error.contains("PetRenamed") && error.contains("missing field `name`"), "{error}");
}

// The README's receiver ("Webhooks"): verify, then parse.

/// `signature` is the `Webhook-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`.
fn receive(secret: &[u8], signature: &str, name: &str, body: &[u8]) -> Result<Event, String> {
    let field = |key: &str| signature.split(',').find_map(|kv| kv.trim().strip_prefix(key)?.strip_prefix('='));
    let timestamp: u64 = field("t").and_then(|t| t.parse().ok()).ok_or("no timestamp")?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|e| e.to_string())?.as_secs();
    if now.abs_diff(timestamp) > 300 {
        return Err("timestamp outside the 5 minutes tolerated: a replay?".into());
    }
    let tag = field("v1").and_then(hex).ok_or("no v1 signature")?;
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    let signed = [timestamp.to_string().as_bytes(), b".", body].concat();
    ring::hmac::verify(&key, &signed, &tag).map_err(|_| "bad signature")?; // constant time
    webhooks::parse(name, body).map_err(|e| e.to_string())
}

fn hex(text: &str) -> Option<Vec<u8>> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// What a sender puts in `Webhook-Signature` for `body` at `timestamp`.
fn sign(secret: &[u8], timestamp: u64, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret);
    let tag = ring::hmac::sign(&key, &[timestamp.to_string().as_bytes(), b".", body].concat());
    let hex: String = tag.as_ref().iter().map(|b| format!("{b:02x}")).collect();
    format!("t={timestamp},v1={hex}")
}

/// One HTTP request read off a socket: its headers (names lower-cased) and its body.
async fn read_request(stream: &mut tokio::net::TcpStream) -> (Vec<(String, String)>, Vec<u8>) {
    let mut reader = BufReader::new(stream);
    let mut headers = Vec::new();
    let mut line = String::new();
    reader.read_line(&mut line).await.expect("request line");
    assert!(line.starts_with("POST /hooks "), "{line}");
    loop {
        line.clear();
        reader.read_line(&mut line).await.expect("header line");
        let Some((name, value)) = line.trim_end().split_once(':') else { break };
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    let length: usize = headers.iter().find(|(n, _)| n == "content-length").expect("content-length").1.parse().unwrap();
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.expect("body");
    (headers, body)
}

/// A local receiver for `requests` webhook POSTs: verifies and parses each, answers 200 or 400,
/// and returns what `receive` made of each.
async fn receiver(
    listener: tokio::net::TcpListener,
    secret: &'static [u8],
    requests: usize,
) -> Vec<Result<Event, String>> {
    let mut outcomes = Vec::new();
    for _ in 0..requests {
        let (mut stream, _) = listener.accept().await.expect("a connection");
        let (headers, body) = read_request(&mut stream).await;
        let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or_default();
        let outcome = receive(secret, header("webhook-signature"), header("x-event-name"), &body);
        let status = if outcome.is_ok() { "200 OK" } else { "400 Bad Request" };
        let response = format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        stream.write_all(response.as_bytes()).await.expect("response");
        outcomes.push(outcome);
    }
    outcomes
}

#[tokio::test]
async fn a_signed_webhook_posted_to_a_local_server_is_verified_and_parsed() {
    const SECRET: &[u8] = b"whsec_test";
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}/hooks", listener.local_addr().expect("address"));
    let server = tokio::spawn(receiver(listener, SECRET, 3));

    let http = fixture_clients::runtime::reqwest::Client::new();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs();
    let send = |signature: String, body: String| {
        http.post(&url)
            .header("content-type", "application/json")
            .header("x-event-name", "petAdopted")
            .header("webhook-signature", signature)
            .body(body)
            .send()
    };
    let signed = send(sign(SECRET, now, ADOPTED.as_bytes()), ADOPTED.to_owned()).await.expect("sent");
    assert_eq!(signed.status(), 200);
    // The same signature on a changed body, and a signature too old (a replay), are refused.
    let tampered = ADOPTED.replace("Rex", "Max");
    let refused = send(sign(SECRET, now, ADOPTED.as_bytes()), tampered).await.expect("sent");
    assert_eq!(refused.status(), 400);
    let stale = send(sign(SECRET, now - 3_600, ADOPTED.as_bytes()), ADOPTED.to_owned()).await.expect("sent");
    assert_eq!(stale.status(), 400);

    let outcomes = server.await.expect("the receiver ran");
    let Ok(Event::PetAdopted(adopted)) = &outcomes[0] else { panic!("{:?}", outcomes[0]) };
    assert_eq!(adopted.data.pet.name, "Rex");
    assert_eq!(outcomes[1], Err("bad signature".to_owned()));
    assert!(outcomes[2].as_ref().is_err_and(|e| e.contains("replay")), "{:?}", outcomes[2]);
}
