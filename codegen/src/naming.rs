//! Turning spec names into valid, unique Rust identifiers.
//!
//! # The rule
//!
//! Every name the generator invents lives in a scope, and every scope is a [`Namespace`]: it
//! starts with the names the generated code itself defines there (its *reserved* names, listed
//! below), and hands out the rest in a fixed order, so that names are unique by construction and
//! the same spec always gives the same names.
//!
//! 1. A spec name is converted first: [`type_name`] (`UpperCamelCase`) or [`value_name`]
//!    (`snake_case`). Keywords become raw identifiers (`r#type`); those that cannot be raw get a
//!    trailing `_` (`self_`); types named like a keyword or a prelude type the generated code uses
//!    unqualified get a `Model` suffix (`ResultModel`).
//! 2. A converted name that is reserved in its scope, or was claimed before in it, gets the first
//!    free suffix `_2`, `_3`, ... (method, field, feature names) or `2`, `3`, ... (type and variant
//!    names). Claims happen in spec order, so the first of two colliding names keeps its name:
//!    `getThing`, `get_thing` and `GetThing` become `get_thing`, `get_thing_2` and `get_thing_3`.
//! 3. Names taken from the spec are claimed before the names derived from them, so a helper never
//!    renames an operation: beside an operation `list_stream`, the `_stream` pager of `list` is
//!    `list_stream_2`.
//! 4. A method, cargo feature or client-module type renamed because its name is reserved (rule 2,
//!    not a collision between two spec names) is reported as warning W0059: `Client::options` and
//!    `mock::Server::start` are not what the spec's reader expects. The routine renames are
//!    silent: keywords, the `Model` suffix (AWS specs define a `String` schema each) and enum
//!    values named like the fallback (Google's `UNKNOWN` is `Unknown2`).
//!
//! | scope | reserved | decided in |
//! |---|---|---|
//! | `Client` methods: operations, then each one's `_request`, `_with_headers`, `_download` and `_stream` helpers | [`CLIENT_METHODS`] | `lower::operations` |
//! | `mock::Server` methods, one per operation | [`MOCK_SERVER_METHODS`] | `lower::operations` |
//! | types beside `Client`: each operation's `Error`, `Success`, `Headers` and `Content` types | [`CLIENT_MODULE_TYPES`] | `lower::operations` |
//! | `ClientBuilder` methods: one setter per security scheme, then the `_client_credentials` and `_client_credentials_with` setters of OAuth2 client-credentials flows | [`BUILDER_METHODS`] | `lower::security` |
//! | constants beside `Client`: one per security scheme | [`CLIENT_CONSTANTS`] | `lower::security` |
//! | the `types` module: component schemas, then inline and parameter types | [`PRELUDE_TYPES`] and keywords | `lower::schemas` |
//! | fields of one struct (properties, parameters, response headers) | keywords; `body`, `params` among parameters | `lower` |
//! | generated fields of one struct, after its properties: `additional_properties`, `presence` | the property names (a taken name gets `_2`, ...) | `emit::types` |
//! | methods of one model struct: `validate`, one `<field>_or_default` per defaulted field | none needed: field names are unique, and `validate` does not end in `_or_default` | `emit::types` |
//! | variants of one enum | `Unknown`, the fallback variant | `lower::schemas` |
//! | cargo features of a standalone crate, one per tag | [`CARGO_FEATURES`] | `lower` |
//! | variants of `webhooks::Event`: webhooks, then callbacks | none | `lower::events` |
//! | functions of the `webhooks` module: one `parse_<event>` per event | [`WEBHOOK_FUNCTIONS`] | `lower::events` |
//! | event names `webhooks::parse` takes (text, not identifiers: a name taken gets ` #2`) | none | `lower::events` |

use heck::{ToSnakeCase, ToUpperCamelCase};
use std::collections::HashSet;

/// Methods of the generated `Client` (and associated functions) that are not operations.
pub const CLIENT_METHODS: &[&str] = &["new", "builder", "base_url", "with_options", "options", "transport"];

/// Methods of the generated `mock::Server` that are not operations.
pub const MOCK_SERVER_METHODS: &[&str] = &["start", "uri", "client_builder", "inner", "received"];

/// Methods of the generated `ClientBuilder` that are not security scheme setters.
pub const BUILDER_METHODS: &[&str] = &[
    "new",
    "base_url",
    "timeout",
    "connect_timeout",
    "retry_policy",
    "user_agent",
    "http_client",
    "max_response_size",
    "validate_requests",
    "hook",
    "build",
];

/// Types in the client module (and re-exported beside it) that are not per-operation types.
pub const CLIENT_MODULE_TYPES: &[&str] = &[
    "Client",
    "ClientBuilder",
    "Error",
    "ApiError",
    "RequestOptions",
    "RetryPolicy",
    "ResponseExt",
    "WithResponse",
    "Hook",
    "CallInfo",
    "Method",
    "Request",
    "Response",
    "SchemeKind",
    "SecurityScheme",
    "Secret",
    "Duration",
];

/// Constants in the client module that are not security schemes.
pub const CLIENT_CONSTANTS: &[&str] = &["DEFAULT_BASE_URL"];

/// Functions of the generated `webhooks` module that are not one event's `parse_<event>`.
pub const WEBHOOK_FUNCTIONS: &[&str] = &["parse"];

/// Cargo features of a standalone crate that are not tags.
pub const CARGO_FEATURES: &[&str] = &["default", "mock"];

/// The fallback variant of string, integer and discriminated enums.
pub const ENUM_FALLBACK: &str = "Unknown";

/// Keywords of every edition: as field or method names they need `r#`, as types a suffix.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
    "union",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Prelude names a generated type must not shadow, since generated code uses them unqualified.
pub const PRELUDE_TYPES: &[&str] = &["String", "Vec", "Option", "Box", "Result", "Some", "None", "Ok", "Err", "From"];

/// Keeps only characters valid in identifiers, so heck sees word boundaries at the rest.
fn words(raw: &str) -> String {
    raw.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect()
}

/// An `UpperCamelCase` type or variant name for `raw`; never empty, never a keyword or prelude type.
pub fn type_name(raw: &str) -> String {
    let mut name = camel_name(raw);
    if is_reserved_type(&name) {
        name.push_str("Model");
    }
    name
}

/// `raw` in `UpperCamelCase`, a valid identifier but maybe a keyword or prelude type (which
/// [`type_name`] suffixes).
pub fn camel_name(raw: &str) -> String {
    let mut name = words(raw).to_upper_camel_case();
    name.retain(|c| c.is_ascii_alphanumeric());
    if name.is_empty() {
        return "Unnamed".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'T');
    }
    name
}

/// Whether a type named `name` would be a keyword or shadow a prelude name the generated code uses.
pub fn is_reserved_type(name: &str) -> bool {
    PRELUDE_TYPES.contains(&name) || KEYWORDS.contains(&name)
}

/// A `snake_case` field, argument or method name for `raw`; keywords become raw identifiers.
pub fn value_name(raw: &str) -> String {
    let mut name = words(raw).to_snake_case();
    name.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if name.is_empty() {
        return "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    } else if KEYWORDS.contains(&name.as_str()) {
        name.insert_str(0, "r#");
    }
    name
}

/// An `UPPER_SNAKE_CASE` constant name for `raw`.
pub fn const_name(raw: &str) -> String {
    let name = value_name(raw);
    name.trim_start_matches("r#").to_ascii_uppercase()
}

/// The `snake_case` name of a helper derived from `base` (a [`value_name`]): `list` and `stream`
/// give `list_stream`, `r#type` gives `type_stream`, `self_` gives `self_stream`.
pub fn derived_value_name(base: &str, suffix: &str) -> String {
    format!("{}_{suffix}", base.trim_start_matches("r#").trim_end_matches('_'))
}

/// Hands out names that are unique within one namespace, deterministically: `Foo`, `Foo2`, `Foo3`.
#[derive(Debug, Default)]
pub struct Namespace {
    taken: HashSet<String>,
    reserved: HashSet<String>,
}

impl Namespace {
    /// A namespace in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        let reserved: HashSet<String> = reserved.iter().map(|s| (*s).to_owned()).collect();
        Self { taken: reserved.clone(), reserved }
    }

    /// Whether `name` is one of the names the namespace was created with, which no claim gets.
    pub fn is_reserved(&self, name: &str) -> bool {
        self.reserved.contains(name)
    }

    /// Claims `name`, or the first free `name` + `separator` + n for n = 2, 3, ... A raw
    /// identifier loses its `r#` when suffixed (`r#type_2` is `type_2`), and a name already ending
    /// in the separator does not repeat it (`self_2`, not `self__2`).
    pub fn claim(&mut self, name: String, separator: &str) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let base = name.trim_start_matches("r#");
        let separator = if !separator.is_empty() && base.ends_with(separator) { "" } else { separator };
        (2..)
            .map(|n| format!("{base}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or(name)
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_are_camel_case_and_avoid_clashes() {
        assert_eq!(type_name("UpdateAccountDto"), "UpdateAccountDto");
        assert_eq!(type_name("foo_bar"), "FooBar");
        assert_eq!(type_name("Foo.Bar"), "FooBar");
        assert_eq!(type_name("foo bar"), "FooBar");
        assert_eq!(type_name("1x"), "T1x");
        assert_eq!(type_name(""), "Unnamed");
        assert_eq!(type_name("String"), "StringModel");
        assert_eq!(type_name("self"), "SelfModel");
        assert_eq!(type_name("a-b"), "AB");
    }

    #[test]
    fn value_names_are_snake_case_and_escape_keywords() {
        assert_eq!(value_name("isDefault"), "is_default");
        assert_eq!(value_name("type"), "r#type");
        assert_eq!(value_name("self"), "self_");
        assert_eq!(value_name("account_id"), "account_id");
        assert_eq!(value_name("x-org-id"), "x_org_id");
        assert_eq!(value_name("+1"), "n1");
        assert_eq!(value_name("$"), "value");
        assert_eq!(const_name("bearerAuth"), "BEARER_AUTH");
    }

    #[test]
    fn namespace_suffixes_collisions_in_order() {
        let mut ns = Namespace::with_reserved(&["Client"]);
        assert!(ns.is_reserved("Client") && !ns.is_reserved("FooBar"));
        assert_eq!(ns.claim("Client".into(), ""), "Client2");
        assert_eq!(ns.claim("FooBar".into(), ""), "FooBar");
        assert_eq!(ns.claim("FooBar".into(), ""), "FooBar2");
        assert_eq!(ns.claim("FooBar".into(), ""), "FooBar3");
        // A claimed name is not reserved: only the names the namespace started with are.
        assert!(!ns.is_reserved("FooBar"));
    }

    #[test]
    fn suffixed_names_stay_valid_snake_case() {
        let mut ns = Namespace::with_reserved(CLIENT_METHODS);
        assert_eq!(ns.claim(value_name("options"), "_"), "options_2");
        assert_eq!(ns.claim(value_name("options_2"), "_"), "options_2_2");
        // Raw identifiers lose `r#` once suffixed; a trailing `_` is not doubled.
        assert_eq!(ns.claim(value_name("type"), "_"), "r#type");
        assert_eq!(ns.claim(value_name("Type"), "_"), "type_2");
        assert_eq!(ns.claim(value_name("self"), "_"), "self_");
        assert_eq!(ns.claim(value_name("Self"), "_"), "self_2");
        // After snake-casing these are one name: first come, first served.
        let fields: Vec<String> =
            ["fooBar", "foo_bar", "FooBar", "foo-bar"].iter().map(|raw| ns.claim(value_name(raw), "_")).collect();
        assert_eq!(fields, ["foo_bar", "foo_bar_2", "foo_bar_3", "foo_bar_4"]);
        assert_eq!(derived_value_name("r#type", "request"), "type_request");
        assert_eq!(derived_value_name("self_", "stream"), "self_stream");
        assert_eq!(derived_value_name("list", "with_headers"), "list_with_headers");
    }

    #[test]
    fn variants_that_collide_after_camel_casing_or_with_the_fallback_are_suffixed() {
        let mut ns = Namespace::with_reserved(&[ENUM_FALLBACK]);
        let variants: Vec<String> =
            ["a-b", "a_b", "A_B", "Unknown", "unknown", "Self"].iter().map(|v| ns.claim(type_name(v), "")).collect();
        assert_eq!(variants, ["AB", "AB2", "AB3", "Unknown2", "Unknown3", "SelfModel"]);
        assert_eq!(camel_name("Result"), "Result");
        assert!(is_reserved_type("Result") && is_reserved_type("From") && !is_reserved_type("Client"));
        assert_eq!(type_name("From"), "FromModel");
    }

    fn lowered(text: &str) -> (crate::ir::Api, Vec<crate::Diagnostic>) {
        let document = crate::load::parse_text(text).expect("valid YAML");
        crate::frontend::lower_document("t.yaml", document, &Default::default()).expect("lowers")
    }

    /// Every name of every operation is unique in its scope and none is reserved there.
    fn assert_unique_per_scope(api: &crate::ir::Api) {
        fn check<'a>(scope: &str, reserved: &[&str], names: impl Iterator<Item = &'a String>) {
            let mut seen = HashSet::new();
            for name in names {
                assert!(!reserved.contains(&name.as_str()), "{scope}: `{name}` is reserved");
                assert!(seen.insert(name.clone()), "{scope}: `{name}` is handed out twice");
            }
        }
        let ops = &api.operations;
        check(
            "Client methods",
            CLIENT_METHODS,
            ops.iter().flat_map(|op| {
                [&op.name, &op.names.request, &op.names.with_headers, &op.names.download, &op.names.stream]
            }),
        );
        check("mock::Server methods", MOCK_SERVER_METHODS, ops.iter().map(|op| &op.names.mock));
        check(
            "client module types",
            CLIENT_MODULE_TYPES,
            ops.iter().flat_map(|op| [&op.names.error, &op.names.success, &op.names.headers, &op.names.content]),
        );
        check("types", PRELUDE_TYPES, api.types.iter().map(|t| &t.name));
        check("setters", BUILDER_METHODS, api.security_schemes.iter().map(|s| &s.setter));
        check("constants", CLIENT_CONSTANTS, api.security_schemes.iter().map(|s| &s.constant));
        check("features", CARGO_FEATURES, api.tag_features.iter().map(|(_, f)| f));
        check("webhooks::Event variants", &[], api.events.iter().map(|e| &e.variant));
        check("webhooks functions", WEBHOOK_FUNCTIONS, api.events.iter().map(|e| &e.function));
        check("event names", &[], api.events.iter().map(|e| &e.name));
        for def in &api.types {
            use crate::ir::TypeKind;
            let scope = format!("variants of {}", def.name);
            match &def.kind {
                TypeKind::Struct { fields, .. } | TypeKind::Params { fields } => {
                    check(&format!("fields of {}", def.name), &[], fields.iter().map(|f| &f.name));
                }
                TypeKind::StringEnum { variants } => check(&scope, &[ENUM_FALLBACK], variants.iter().map(|v| &v.name)),
                TypeKind::IntegerEnum { variants } => check(&scope, &[ENUM_FALLBACK], variants.iter().map(|v| &v.name)),
                TypeKind::Tagged { variants, .. } => check(&scope, &[ENUM_FALLBACK], variants.iter().map(|v| &v.name)),
                TypeKind::Untagged { variants, .. } => check(&scope, &[], variants.iter().map(|(name, _)| name)),
                TypeKind::Alias { .. } | TypeKind::Newtype { .. } => {}
            }
        }
    }

    #[test]
    fn operations_named_like_the_clients_own_methods_and_helpers_are_renamed() {
        let ok = "responses: {'204': {description: ok}}";
        let page =
            "{type: object, properties: {data: {type: array, items: {type: string}}, next_cursor: {type: string}}}";
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths:\n\
             \x20 /o: {{get: {{operationId: options, {ok}}}}}\n\
             \x20 /s: {{get: {{operationId: start, {ok}}}}}\n\
             \x20 /l:\n    get:\n      operationId: list\n      parameters: [{{name: cursor, in: query, schema: {{type: string}}}}]\n\
             \x20     responses: {{'200': {{description: ok, content: {{application/json: {{schema: {page}}}}}}}}}\n\
             \x20 /lr: {{get: {{operationId: list_request, {ok}}}}}\n\
             \x20 /ls: {{get: {{operationId: list_stream, {ok}}}}}\n\
             \x20 /a: {{get: {{operationId: getThing, {ok}}}}}\n\
             \x20 /b: {{get: {{operationId: get_thing, {ok}}}}}\n\
             \x20 /c: {{get: {{operationId: GetThing, {ok}}}}}\n\
             \x20 /d: {{get: {{operationId: getThing2, {ok}}}}}\n\
             \x20 /e: {{get: {{operationId: api, {ok}}}}}\n"
        );
        let (api, warnings) = lowered(&text);
        let op = |id: &str| api.operations.iter().find(|op| op.id == id).expect("operation");
        assert_eq!(op("options").name, "options_2");
        assert_eq!((op("start").name.as_str(), op("start").names.mock.as_str()), ("start", "start_2"));
        // Spec names first: `list_request` and `list_stream` keep theirs, `list`'s helpers give way.
        assert_eq!(
            (op("list_request").name.as_str(), op("list_stream").name.as_str()),
            ("list_request", "list_stream")
        );
        assert_eq!(
            (op("list").names.request.as_str(), op("list").names.stream.as_str()),
            ("list_request_2", "list_stream_2")
        );
        let things: Vec<&str> = ["getThing", "get_thing", "GetThing"].iter().map(|id| op(id).name.as_str()).collect();
        assert_eq!(things, ["get_thing", "get_thing_2", "get_thing_3"]);
        // `get_thing_2` and `get_thing2` are both `GetThing2` in camel case: the later one's types give way.
        assert_eq!(
            (op("get_thing").names.error.as_str(), op("getThing2").names.error.as_str()),
            ("GetThing2Error", "GetThing2Error2")
        );
        assert_eq!(op("api").names.error, "ApiError2");
        let renamed: Vec<(&str, &str)> =
            warnings.iter().filter(|w| w.code == "W0059").map(|w| (w.pointer.as_str(), w.message.as_str())).collect();
        assert_eq!(renamed.len(), 2, "{renamed:#?}");
        assert!(renamed[0].0 == "#/paths/~1o/get" && renamed[0].1.contains("`options_2`"), "{renamed:#?}");
        assert!(renamed[1].0 == "#/paths/~1s/get" && renamed[1].1.contains("`mock::Server::start_2`"), "{renamed:#?}");
        assert_unique_per_scope(&api);
    }

    #[test]
    fn the_collisions_fixture_gets_one_name_per_scope_and_a_warning_per_reserved_name() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/collisions.yaml");
        let (api, warnings) = lowered(&std::fs::read_to_string(path).expect("the fixture"));
        assert_unique_per_scope(&api);
        let renamed = warnings.iter().filter(|w| w.code == "W0059").count();
        // 5 client methods, 3 mock methods, `ApiError`, 2 features and 1 setter.
        assert_eq!(renamed, 12, "{warnings:#?}");
    }

    #[test]
    fn the_webhook_fixtures_get_one_name_per_scope() {
        for fixture in ["webhooks.yaml", "callbacks-3.0.yaml"] {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(fixture);
            let (api, _) = lowered(&std::fs::read_to_string(path).expect("the fixture"));
            assert!(api.events.len() >= 3, "{fixture}");
            assert_unique_per_scope(&api);
        }
    }

    /// The reserved lists are the names the emitted code defines: a method, type or constant
    /// added to the client module without being reserved here would let an operation clash with it.
    #[test]
    fn reserved_lists_cover_every_name_the_client_module_defines() {
        let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n\
            components: {securitySchemes: {key: {type: apiKey, in: header, name: X-Key}}}\n\
            paths: {/p: {get: {operationId: ping, security: [{key: []}], responses: {'204': {description: ok}}}}}\n";
        let (api, _) = lowered(text);
        let op = &api.operations[0];
        let own_methods = [&op.name, &op.names.request, &op.names.with_headers, &op.names.download, &op.names.stream];
        let own_types = [&op.names.error, &op.names.success, &op.names.headers, &op.names.content];
        let file: syn::File = syn::parse2(crate::emit::client_module(&api)).expect("valid Rust");
        let mut checked = 0;
        let fns_of = |items: &[syn::ImplItem]| -> Vec<String> {
            items
                .iter()
                .filter_map(|i| if let syn::ImplItem::Fn(f) = i { Some(f.sig.ident.to_string()) } else { None })
                .collect()
        };
        let self_type = |imp: &syn::ItemImpl| match &*imp.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
            _ => String::new(),
        };
        for item in &file.items {
            match item {
                syn::Item::Impl(imp) if self_type(imp) == "Client" => {
                    for f in fns_of(&imp.items).iter().filter(|f| !own_methods.contains(f)) {
                        assert!(CLIENT_METHODS.contains(&f.as_str()), "`Client::{f}` is not in CLIENT_METHODS");
                        checked += 1;
                    }
                }
                syn::Item::Impl(imp) if self_type(imp) == "ClientBuilder" => {
                    for f in fns_of(&imp.items).iter().filter(|f| **f != api.security_schemes[0].setter) {
                        assert!(
                            BUILDER_METHODS.contains(&f.as_str()),
                            "`ClientBuilder::{f}` is not in BUILDER_METHODS"
                        );
                        checked += 1;
                    }
                }
                syn::Item::Struct(syn::ItemStruct { ident, .. }) | syn::Item::Enum(syn::ItemEnum { ident, .. }) => {
                    let name = ident.to_string();
                    assert!(
                        own_types.contains(&&name) || CLIENT_MODULE_TYPES.contains(&name.as_str()),
                        "type `{name}`"
                    );
                    checked += 1;
                }
                syn::Item::Const(c) if c.ident != api.security_schemes[0].constant => {
                    assert!(CLIENT_CONSTANTS.contains(&c.ident.to_string().as_str()), "const `{}`", c.ident);
                }
                syn::Item::Use(u) => {
                    let mut names = Vec::new();
                    use_names(&u.tree, &mut names);
                    for name in names.iter().filter(|n| n.starts_with(|c: char| c.is_ascii_uppercase())) {
                        assert!(CLIENT_MODULE_TYPES.contains(&name.as_str()), "imported `{name}`");
                    }
                }
                syn::Item::Mod(m) if m.ident == "mock" => {
                    for inner in m.content.iter().flat_map(|(_, items)| items) {
                        if let syn::Item::Impl(imp) = inner {
                            if self_type(imp) == "Server" {
                                for f in fns_of(&imp.items).iter().filter(|f| **f != op.names.mock) {
                                    assert!(MOCK_SERVER_METHODS.contains(&f.as_str()), "`mock::Server::{f}`");
                                    checked += 1;
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        assert!(checked >= CLIENT_METHODS.len() - 2 + BUILDER_METHODS.len() - 1 + MOCK_SERVER_METHODS.len());
        // The crate root re-exports the runtime's names beside the client module's.
        let emitted = crate::emit::EmitApi {
            api: &api,
            module: "t",
            file: "t.yaml",
            features: &crate::emit::TagFeatures::none(),
        };
        let lib: syn::File = syn::parse2(crate::emit::lib_rs(crate::options::Layout::Standalone, &[emitted], "t", "d"))
            .expect("valid Rust");
        for item in &lib.items {
            if let syn::Item::Use(u) = item {
                let mut names = Vec::new();
                use_names(&u.tree, &mut names);
                for name in names.iter().filter(|n| n.starts_with(|c: char| c.is_ascii_uppercase())) {
                    assert!(CLIENT_MODULE_TYPES.contains(&name.as_str()), "re-exported `{name}`");
                }
            }
        }
    }

    fn use_names(tree: &syn::UseTree, out: &mut Vec<String>) {
        match tree {
            syn::UseTree::Path(p) => use_names(&p.tree, out),
            syn::UseTree::Name(n) => out.push(n.ident.to_string()),
            syn::UseTree::Rename(r) => out.push(r.rename.to_string()),
            syn::UseTree::Group(g) => g.items.iter().for_each(|t| use_names(t, out)),
            syn::UseTree::Glob(_) => {}
        }
    }
}
