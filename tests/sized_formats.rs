//! Integer and IP address formats as Rust types (issue 16), against the types and client generated
//! from `tests/fixtures/schemas/sized-formats.yaml` (module `fixture_clients::schemas_sized_formats`):
//! values at the limits of each type round-trip, values past them fail to decode naming the field,
//! IP addresses are `std::net` types, enums, defaults and `validate()` keep working on the new
//! types, parameters reach the wire, and `plain_integers` / `formats_as_strings` opt out.

use fixture_clients::runtime::decode_json;
use fixture_clients::schemas_sized_formats::{mock, types, Client, Error};
use serde_json::{json, Value};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Decodes `value` as `T`, encodes it again, and checks the JSON is unchanged.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> T {
    let decoded: T = serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{value} does not decode: {e}"));
    assert_eq!(serde_json::to_value(&decoded).expect("encodes"), value, "the round trip changed the JSON");
    decoded
}

/// The error of decoding `value` as `T`, with its path.
fn decode_error<T: serde::de::DeserializeOwned + std::fmt::Debug>(value: &Value) -> String {
    decode_json::<T>(&serde_json::to_vec(value).expect("encodes")).expect_err("must not decode")
}

fn limits(overrides: Value) -> Value {
    let mut value = json!({"i8": 0, "i16": 0, "i32": 0, "i64": 0, "u8": 0, "u16": 0, "u32": 0, "u64": 0});
    for (key, v) in overrides.as_object().expect("an object") {
        value[key] = v.clone();
    }
    value
}

#[test]
fn sized_integers_round_trip_at_the_limits_of_their_types() {
    let max: types::Limits = round_trip(json!({
        "i8": i8::MAX, "i16": i16::MAX, "i32": i32::MAX, "i64": i64::MAX,
        "u8": u8::MAX, "u16": u16::MAX, "u32": u32::MAX, "u64": u64::MAX,
        "usize": u64::MAX, "huge": u64::MAX, "counter": i64::MAX,
    }));
    assert_eq!((max.i8, max.i16, max.i32, max.i64), (i8::MAX, i16::MAX, i32::MAX, i64::MAX));
    assert_eq!((max.u8, max.u16, max.u32, max.u64), (u8::MAX, u16::MAX, u32::MAX, u64::MAX));
    assert_eq!((max.usize, max.huge), (Some(u64::MAX), Some(u64::MAX)));
    let min: types::Limits = round_trip(json!({
        "i8": i8::MIN, "i16": i16::MIN, "i32": i32::MIN, "i64": i64::MIN,
        "u8": 0, "u16": 0, "u32": 0, "u64": 0, "counter": -1,
    }));
    assert_eq!((min.i8, min.i16, min.i32, min.i64), (i8::MIN, i16::MIN, i32::MIN, i64::MIN));
    assert_eq!(min.counter, Some(-1), "no format: `minimum: 0` does not make it unsigned");
}

#[test]
fn sized_integers_out_of_range_fail_to_decode_naming_the_field() {
    let cases = [
        ("i8", json!(128), "expected i8"),
        ("i8", json!(-129), "expected i8"),
        ("i16", json!(32768), "expected i16"),
        ("i32", json!(2_147_483_648i64), "expected i32"),
        ("u8", json!(256), "expected u8"),
        ("u8", json!(-1), "expected u8"),
        ("u16", json!(65536), "expected u16"),
        ("u32", json!(4_294_967_296i64), "expected u32"),
        ("u32", json!(-1), "expected u32"),
        ("u64", json!(-1), "expected u64"),
        ("i64", json!(u64::MAX), "expected i64"),
        ("usize", json!(-1), "expected u64"),
        // Past u64, serde_json reads a float: not an integer at all.
        ("u64", json!(18_446_744_073_709_551_616.0), "expected u64"),
    ];
    for (field, value, expected) in cases {
        let error = decode_error::<types::Limits>(&limits(json!({ field: value })));
        assert!(error.starts_with(&format!("{field}: ")), "{field} = {value}: {error}");
        assert!(error.contains(expected), "{field} = {value}: {error}");
    }
}

#[test]
fn ip_formats_are_std_net_addresses_and_other_text_fails_to_decode() {
    let host: types::Host = round_trip(json!({
        "address": "192.0.2.1",
        "v6": "2001:db8::1",
        "any": "::1",
        "others": ["10.0.0.1", "fe80::1"],
        "gateway": null,
    }));
    assert_eq!(host.address, Ipv4Addr::new(192, 0, 2, 1));
    assert_eq!(host.v6, Some(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)));
    assert_eq!(host.any, Some(IpAddr::V6(Ipv6Addr::LOCALHOST)));
    assert_eq!(host.others.as_deref(), Some(&["10.0.0.1".parse().unwrap(), "fe80::1".parse().unwrap()][..]));
    assert!(host.gateway.is_null());
    for (field, value) in [("address", "192.0.2.1/24"), ("address", "::1"), ("v6", "192.0.2.1"), ("any", "example.com")]
    {
        let mut body = json!({"address": "192.0.2.1"});
        body[field] = json!(value);
        let error = decode_error::<types::Host>(&body);
        assert!(error.starts_with(&format!("{field}: ")), "{field} = {value}: {error}");
        assert!(error.contains("address syntax"), "{field} = {value}: {error}");
    }
}

#[test]
fn enums_defaults_and_validation_work_on_sized_types() {
    // An integer enum with `format: uint8` keeps `i64` values (and unknown ones).
    assert_eq!(types::Level::from(2), types::Level::V2);
    assert_eq!(types::Level::from(300).value(), 300);
    let host: types::Host = serde_json::from_value(json!({"address": "192.0.2.1"})).unwrap();
    assert_eq!(host.weight_or_default(), 10u8);
    assert_eq!(host.level_or_default(), types::Level::V2);
    assert_eq!(host.sizes_or_default(), vec![1, u64::MAX], "a `uint64` default past i64");
    // `maximum: 300` on a `u8` and `maximum: 70000` on a `u16` hold for every value.
    let fine: types::Host =
        serde_json::from_value(json!({"address": "192.0.2.1", "weight": 255, "backlog": 65535, "offset": -128}))
            .unwrap();
    assert!(fine.validate().is_ok());
    let broken: types::Host =
        serde_json::from_value(json!({"address": "192.0.2.1", "backlog": 0, "mtu": 0, "offset": 3})).unwrap();
    let violations = broken.validate().expect_err("backlog and mtu are out of bounds");
    assert!(violations.at("backlog").is_some(), "{violations}");
    assert!(violations.at("mtu").is_some(), "{violations}");
    assert_eq!(violations.iter().count(), 2, "{violations}");
    let odd: types::Host = serde_json::from_value(json!({"address": "192.0.2.1", "mtu": 12})).unwrap();
    assert!(odd.validate().expect_err("not a multiple of 8").at("mtu").is_some());
}

#[tokio::test]
async fn sized_and_ip_parameters_and_bodies_on_the_wire() {
    let server = mock::Server::start().await;
    let body = limits(json!({"u64": u64::MAX, "i8": -128}));
    server
        .get_port()
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(body).insert_header("x-count", "4294967295"))
        .await;
    let client: Client = server.client_builder().build().expect("client builds");
    let params = types::GetPortParams {
        address: Some(Ipv4Addr::LOCALHOST),
        limit: Some(100), // `maximum: 100`
        offset: Some(i16::MIN),
        ports: Some(vec![1, u16::MAX]),
        x_retries: Some(u32::MAX),
    };
    let reply = client.get_port_with_headers(u64::MAX, &u16::MAX, &params).await.expect("decodes");
    assert_eq!((reply.value.u64, reply.value.i8), (u64::MAX, -128));
    assert_eq!(reply.headers.x_count, Some(u32::MAX));
    let request = &server.received().await[0];
    assert_eq!(request.url.path(), "/hosts/18446744073709551615/ports/65535");
    assert_eq!(request.url.query(), Some("address=127.0.0.1&limit=100&offset=-32768&ports=1&ports=65535"));
    assert_eq!(request.headers["x-retries"], "4294967295");

    let host: types::Host = serde_json::from_value(json!({"address": "192.0.2.1", "v6": "2001:db8::1"})).unwrap();
    server.put_host().respond_json(200, json!({"address": "192.0.2.1", "sizes": [u64::MAX]})).await;
    let stored = client.put_host("2001:db8::1".parse().unwrap(), &host).await.expect("decodes");
    assert_eq!(stored.sizes, Some(vec![u64::MAX]));
    let request = &server.received().await[1];
    assert_eq!(request.url.path(), "/hosts/2001%3Adb8%3A%3A1");
    let sent: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(sent, json!({"address": "192.0.2.1", "v6": "2001:db8::1"}));
}

#[tokio::test]
async fn a_response_value_out_of_range_is_a_decode_error_with_its_path() {
    let server = mock::Server::start().await;
    server.get_port().respond_json(200, limits(json!({"u16": 70000}))).await;
    let client: Client = server.client_builder().build().expect("client builds");
    let error = client.get_port(1, &1, &Default::default()).await.expect_err("70000 is no u16");
    let Error::Decode(decode) = &error else { panic!("not a decode error: {error}") };
    assert_eq!(decode.path, "u16");
    assert!(decode.message.contains("expected u16"), "{}", decode.message);
}

/// The `types.rs` generated from the fixture with `options`.
fn types_with(options: codegen::pipeline::ApiOptions) -> String {
    let file = "tests/fixtures/schemas/sized-formats.yaml";
    let loaded = codegen::load::load(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).expect("loads");
    let (spec, source) = codegen::pipeline::standalone(file, loaded.document, None, options);
    let generated = codegen::generate_crate(&spec, vec![source], &Default::default()).expect("generates");
    let types = generated.files.iter().find(|f| f.path == "src/types.rs").expect("types.rs");
    types.contents.clone()
}

#[test]
fn plain_integers_and_formats_as_strings_opt_out() {
    let sized = types_with(Default::default());
    for line in ["pub u32: u32,", "pub i8: i8,", "pub address: std::net::Ipv4Addr,", "pub type PortNumber = u16;"] {
        assert!(sized.contains(line), "{line}");
    }
    let plain = types_with(codegen::pipeline::ApiOptions { plain_integers: true, ..Default::default() });
    for line in ["pub u32: i64,", "pub u64: i64,", "pub i8: i64,", "pub i32: i32,", "pub type PortNumber = i64;"] {
        assert!(plain.contains(line), "plain_integers: {line}");
    }
    assert!(plain.contains("pub address: std::net::Ipv4Addr,"), "plain_integers leaves strings alone");
    let strings = types_with(codegen::pipeline::ApiOptions { formats_as_strings: true, ..Default::default() });
    for line in ["pub address: String,", "pub v6: Option<String>,", "pub any: Option<String>,", "pub u32: u32,"] {
        assert!(strings.contains(line), "formats_as_strings: {line}");
    }
}
