//! The usage guide at the top of a generated crate's rustdoc.

use crate::ir::{Api, BodyKind, Operation, ParamLocation, Primitive, TypeKind, TypeRef};

/// Markdown paragraphs: building a client, calling an operation, errors, retries, tests.
/// The example is the crate's `examples/usage.rs` ([`example_source`]), so it is compiled.
pub fn paragraphs(api: &Api, path: &str) -> Vec<String> {
    vec![
        "# Usage".to_owned(),
        format!("```rust,ignore\n{}```", example_source(api, path)),
        "This is `examples/usage.rs`; `cargo run --example usage` runs it against the real server.".to_owned(),
        "Every operation is one async method on `Client`. Failures are one `Error`: `Api` for a \
         non-success status (status, headers, raw body, request id, and a typed body where the spec \
         documents one), `Decode` when a success body does not match its schema (never a panic), \
         `Transport`, `MissingCredentials`, `InvalidRequest`."
            .to_owned(),
        "429, 503 and connection failures are retried (3 attempts, exponential backoff with jitter, \
         `Retry-After` honoured, 120 s deadline); POST and PATCH only with an `Idempotency-Key`. \
         Secrets never appear in `Debug` output. Turn on the `mock` feature for `mock::Server`, a \
         typed fake of this API for your tests."
            .to_owned(),
    ]
}

/// The operation the example calls, if any has arguments with obvious placeholders.
pub fn example_operation(api: &Api) -> Option<(&Operation, String)> {
    api.operations.iter().find_map(|op| call_of(op, api).map(|call| (op, call)))
}

/// A complete program: build a client, call one operation, handle errors, set per-call options.
pub fn example_source(api: &Api, path: &str) -> String {
    let setter = api.security_schemes.first().map(|s| match s.kind {
        crate::ir::SchemeKind::Basic => {
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
            TypeRef::Primitive(Primitive::I32 | Primitive::I64) => "1".to_owned(),
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
