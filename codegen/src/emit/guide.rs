//! The usage guide at the top of a generated crate's rustdoc.

use crate::ir::{Api, BodyKind, Operation, ParamLocation, Primitive, TypeKind, TypeRef};

/// Markdown paragraphs: building a client, calling an operation, errors, retries, tests.
/// The example is the crate's `examples/usage.rs` ([`example_source`]), so it is compiled.
pub fn paragraphs(api: &Api, path: &str) -> Vec<String> {
    let mut paragraphs = vec![
        "# Usage".to_owned(),
        format!("```rust,ignore\n{}```", example_source(api, path)),
        "This is `examples/usage.rs`; `cargo run --example usage` runs it against the real server.".to_owned(),
        "Every operation is one async method on `Client`. Failures are one `Error`: `Api` for a \
         non-success status (status, headers, raw body, request id, and a typed body where the spec \
         documents one), `Decode` when a success body does not match its schema (never a panic; it \
         names the JSON path, status, content type and the start of the body), `ResponseTooLarge` \
         for a body over `max_response_size` (64 MiB by default; `_download` methods stream), \
         `Transport`, `MissingCredentials`, `InvalidRequest`. `Display` and `Debug` of an error \
         quote at most 512 bytes of the body; `error.body()` has all of it."
            .to_owned(),
        "408, 409, 429, 500, 502, 503 and 504, resets and timeouts are retried for idempotent methods, \
         POST and PATCH only with an `Idempotency-Key` or `x-should-retry: true`; refused connections \
         for any method (3 attempts, exponential backoff with jitter, `retry-after-ms` and \
         `Retry-After` honoured, 120 s deadline; the table is on `RetryPolicy`). \
         Secrets never appear in `Debug` output. Turn on the `mock` feature for `mock::Server`, a \
         typed fake of this API for your tests."
            .to_owned(),
    ];
    paragraphs.push(
        "Any call followed by `.with_response()` (trait `ResponseExt`) also gives the response's status, \
         headers and request id (`WithResponse`). `ClientBuilder::hook` adds a `Hook`, run on every \
         attempt inside the call's tracing span: `before_send` may change the request, \
         `after_receive` sees each response's status and headers."
            .to_owned(),
    );
    let flows = api.security_schemes.iter().filter_map(|s| s.client_credentials.as_ref());
    let setters: Vec<String> = flows.map(|flow| format!("`{}`", flow.setter)).collect();
    if !setters.is_empty() {
        paragraphs.push(format!(
            "OAuth2 client credentials ({}): the client fetches its own token from the flow's token URL, \
             caches it until shortly before it expires (one token request at a time), and renews it once \
             when the API answers 401; a failed token request is `Error::Token`, which never shows the \
             secret. No scope is requested unless set with `runtime::ClientCredentials::scopes` (the \
             `_with` setter).",
            setters.join(", ")
        ));
    }
    paragraphs
}

/// The operation the example calls, if any has arguments with obvious placeholders.
pub fn example_operation(api: &Api) -> Option<(&Operation, String)> {
    api.operations.iter().find_map(|op| call_of(op, api).map(|call| (op, call)))
}

/// A complete program: build a client, call one operation, handle errors, set per-call options.
pub fn example_source(api: &Api, path: &str) -> String {
    let setter = api.security_schemes.first().map(|s| match (&s.kind, &s.client_credentials) {
        (_, Some(flow)) => format!(
            "        .{}(\"client-id\", \"client-secret\") // OAuth2: the client fetches its own tokens\n",
            flow.setter
        ),
        (crate::ir::SchemeKind::Basic, _) => {
            format!("        .{}(\"user\", \"password\") // credentials: one setter per security scheme\n", s.setter)
        }
        _ => format!("        .{}(\"secret\") // credentials: one setter per security scheme\n", s.setter),
    });
    let call = match example_operation(api) {
        Some((_, call)) => format!(
            "    match {call}.await {{\n        Ok(value) => println!(\"{{value:?}}\"),\n        \
             Err(Error::Api(e)) => eprintln!(\"HTTP {{}}: {{}}\", e.status, e.body_text()),\n        \
             Err(e) => return Err(e),\n    }}\n"
        ),
        None => "    println!(\"{}\", client.base_url());\n".to_owned(),
    };
    let types = if call.contains("types::") { "types, " } else { "" };
    format!(
        "//! Calls the API once: build a client, make a call, handle the error kinds.\n\n\
         use {path}::{{{types}Client, Error, RequestOptions, RetryPolicy}};\nuse std::time::Duration;\n\n\
         #[tokio::main]\nasync fn main() -> Result<(), Error> {{\n    let client = Client::builder()\n{}        \
         .timeout(Duration::from_secs(20)) // each attempt; the default is 30 s\n        .build()?;\n\n{call}\n    \
         // Per call: no retries for calls made through `once`.\n    \
         let once = client.with_options(RequestOptions::new().retry_policy(RetryPolicy::none()));\n    \
         println!(\"{{}}\", once.base_url());\n    Ok(())\n}}\n",
        setter.unwrap_or_default()
    )
}

/// A call of `op` with placeholder arguments, when every argument has an obvious placeholder.
fn call_of(op: &Operation, api: &Api) -> Option<String> {
    // Calling a deprecated method warns (`-D warnings` fails the example).
    if op.docs.deprecated {
        return None;
    }
    let mut args = Vec::new();
    for param in op.params.iter().filter(|p| p.location == ParamLocation::Path) {
        args.push(match &param.ty {
            TypeRef::Primitive(Primitive::String) => format!("\"{}\"", param.name.trim_start_matches("r#")),
            TypeRef::Primitive(p) if p.integer_range().is_some() => "1".to_owned(),
            _ => return None,
        });
    }
    if let Some(params) = &op.params_type {
        let all_optional = api.types.iter().any(|t| {
            &t.name == params && matches!(&t.kind, TypeKind::Params { fields } if fields.iter().all(|f| !f.required))
        });
        if !all_optional {
            return None;
        }
        args.push("&Default::default()".to_owned());
    }
    if let Some(body) = &op.body {
        // A body in several media types is an enum the caller picks a variant of.
        if !body.alternatives.is_empty() {
            return None;
        }
        let BodyKind::Json(TypeRef::Named(name)) = &body.kind else { return None };
        let defaultable = api.types.iter().any(|t| {
            &t.name == name && matches!(&t.kind, TypeKind::Struct { fields, .. } if fields.iter().all(|f| !f.required))
        });
        if !defaultable || !body.required {
            return None;
        }
        args.push(format!("&types::{name}::default()"));
    }
    // As is: a keyword stays a raw identifier (`client.r#type()`).
    Some(format!("client.{}({})", op.name, args.join(", ")))
}
