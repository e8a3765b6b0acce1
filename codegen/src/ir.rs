//! The resolved intermediate model: what will be generated, free of OpenAPI's quirks.
//!
//! Every name here is already a valid, unique Rust identifier; every `$ref` is resolved.
//! Emitters read only these types. Order is the spec's order, so output is deterministic.

use serde_json::Value;

/// One API: the contents of one generated module (or one standalone crate).
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Servers; the first is the client's default base URL.
    pub servers: Vec<Server>,
    /// Every named type, component schemas first, then inline types in discovery order.
    pub types: Vec<TypeDef>,
    /// Every operation, in path then method order as the spec lists them.
    pub operations: Vec<Operation>,
    /// Every webhook (3.1 `webhooks`, in spec order), then every callback of the operations kept
    /// (in operation order): the requests the API sends, which the `webhooks` module parses.
    pub events: Vec<Event>,
    /// Security schemes the client can be configured with.
    pub security_schemes: Vec<SecurityScheme>,
    /// The cargo feature of each tag (tag, feature), in order of first use, when a standalone crate
    /// gets tag features (operations have two tags or more between them); else empty.
    pub tag_features: Vec<(String, String)>,
}

/// A server URL from the spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// The URL with server variables replaced by their defaults.
    pub url: String,
    /// `description`.
    pub description: Option<String>,
}

/// Documentation carried from the spec to rustdoc.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Docs {
    /// `title` or `summary`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `example`.
    pub example: Option<Value>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// Further paragraphs: what a kept-as-string `format` holds, `readOnly`/`writeOnly`.
    pub notes: Vec<String>,
}

/// Validation keywords, carried into docs and the generated `validate()` methods.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// `minLength`.
    pub min_length: Option<usize>,
    /// `maxLength`.
    pub max_length: Option<usize>,
    /// `pattern`.
    pub pattern: Option<String>,
    /// `minimum`, and whether it is exclusive.
    pub minimum: Option<(f64, bool)>,
    /// `maximum`, and whether it is exclusive.
    pub maximum: Option<(f64, bool)>,
    /// `minItems`.
    pub min_items: Option<usize>,
    /// `maxItems`.
    pub max_items: Option<usize>,
    /// `multipleOf`.
    pub multiple_of: Option<f64>,
    /// `uniqueItems: true`.
    pub unique_items: bool,
}

impl Constraints {
    /// Whether no constraint is set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A named type to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust type name.
    pub name: String,
    /// JSON pointer of the schema this came from.
    pub pointer: String,
    /// Rustdoc.
    pub docs: Docs,
    /// What kind of type.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// An object with known properties.
    Struct {
        /// Declared properties, in spec order.
        fields: Vec<Field>,
        /// `additionalProperties` with a schema or `true`, kept beside the declared fields.
        additional: Option<TypeRef>,
    },
    /// A string enum; unknown values deserialize into a catch-all variant.
    StringEnum {
        /// Known values.
        variants: Vec<EnumVariant>,
    },
    /// `oneOf`/`anyOf`: the first variant that deserializes wins.
    Untagged {
        /// Variants, named after their schema.
        variants: Vec<(String, TypeRef)>,
        /// Indexes of the variants stored in a `Box` to break a cycle of directly contained types.
        boxed: Vec<usize>,
    },
    /// A named alias of another type (a component schema that is a primitive, array or map).
    Alias {
        /// The aliased type.
        target: TypeRef,
    },
    /// An alias that mentions itself (`A: {type: array, items: {$ref: A}}`), which a Rust type
    /// alias cannot: a tuple struct around the target, transparent to serde.
    Newtype {
        /// The wrapped type.
        target: TypeRef,
    },
    /// The non-path parameters of one operation, passed as one value.
    Params {
        /// The parameters, as fields.
        fields: Vec<Field>,
    },
    /// An integer enum (or integer `const`); unknown values deserialize into a catch-all variant.
    IntegerEnum {
        /// Known values.
        variants: Vec<IntegerVariant>,
    },
    /// `oneOf`/`anyOf` with a `discriminator`: the discriminator property picks the variant;
    /// values with an unlisted (or no) discriminator are kept as JSON in a catch-all variant.
    Tagged {
        /// The discriminator property on the wire.
        property: String,
        /// Variants, named after their schema.
        variants: Vec<TaggedVariant>,
    },
}

/// One value of an integer enum.
#[derive(Debug, Clone, PartialEq)]
pub struct IntegerVariant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub value: i64,
}

/// One variant of a discriminated `oneOf`.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    /// The Rust variant name.
    pub name: String,
    /// Discriminator values that select it (from `mapping`, else the schema name); the first is
    /// the one written when the variant's own fields do not carry the property.
    pub tags: Vec<String>,
    /// The variant's type.
    pub ty: TypeRef,
    /// Whether the variant must be boxed to break a cycle of directly contained types.
    pub boxed: bool,
}

/// One property of a struct (or one parameter of a params struct).
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The property name on the wire.
    pub wire_name: String,
    /// The value type (may be [`TypeRef::Nullable`]).
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// Whether the field must be boxed to break a cycle of directly contained types.
    pub boxed: bool,
    /// Rustdoc.
    pub docs: Docs,
    /// Validation keywords.
    pub constraints: Constraints,
    /// `default:`: an absent property decodes as this value (when the emitter can write it).
    pub default: Option<Value>,
}

/// One value of a string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub wire_value: String,
}

/// A reference to a type, as a field, parameter or body uses it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    /// A generated type, by Rust name.
    Named(String),
    /// A built-in scalar.
    Primitive(Primitive),
    /// An array.
    Array(Box<TypeRef>),
    /// A map with string keys.
    Map(Box<TypeRef>),
    /// Any JSON value.
    Any,
    /// A free-form JSON object.
    Object,
    /// `null` is allowed.
    Nullable(Box<TypeRef>),
}

/// Built-in scalar types and the Rust types they become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Primitive {
    /// `string`.
    String,
    /// `boolean`.
    Bool,
    /// `integer` with `format: int8`.
    I8,
    /// `integer` with `format: int16`.
    I16,
    /// `integer` with `format: int32`.
    I32,
    /// `integer` (`format: int64`, another format, or none).
    I64,
    /// `integer` with `format: uint8`.
    U8,
    /// `integer` with `format: uint16`.
    U16,
    /// `integer` with `format: uint32`.
    U32,
    /// `integer` with `format: uint64` or `uint`.
    U64,
    /// `number` with `format: float`.
    F32,
    /// `number`.
    F64,
    /// `string` with `format: date-time` (chrono).
    DateTime,
    /// `string` with `format: date` (chrono).
    Date,
    /// `string` with `format: uuid` (the uuid crate).
    Uuid,
    /// `string` with `format: ipv4` (`std::net::Ipv4Addr`).
    Ipv4,
    /// `string` with `format: ipv6` (`std::net::Ipv6Addr`).
    Ipv6,
    /// `string` with `format: ip`, either version (`std::net::IpAddr`).
    Ip,
}

impl Primitive {
    /// For an integer type: the smallest and the largest value it holds.
    pub fn integer_range(self) -> Option<(i128, i128)> {
        Some(match self {
            Self::I8 => (i8::MIN.into(), i8::MAX.into()),
            Self::I16 => (i16::MIN.into(), i16::MAX.into()),
            Self::I32 => (i32::MIN.into(), i32::MAX.into()),
            Self::I64 => (i64::MIN.into(), i64::MAX.into()),
            Self::U8 => (0, u8::MAX.into()),
            Self::U16 => (0, u16::MAX.into()),
            Self::U32 => (0, u32::MAX.into()),
            Self::U64 => (0, u64::MAX.into()),
            _ => return None,
        })
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path template.
    Path,
    /// In the query string.
    Query,
    /// In a request header.
    Header,
    /// In the `Cookie` header.
    Cookie,
}

/// One operation parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The Rust argument or field name.
    pub name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Whether the caller must give it.
    pub required: bool,
    /// Arrays: repeat the name per value (`explode: true`, the default for form style).
    pub explode: bool,
    /// `style` (query: form, spaceDelimited, pipeDelimited, deepObject; others: their default).
    pub style: ParamStyle,
    /// The value type.
    pub ty: TypeRef,
    /// The constraints of its schema (an inline one: a `$ref` carries none), checked before a
    /// request is sent.
    pub constraints: Constraints,
    /// Rustdoc.
    pub docs: Docs,
}

/// How a parameter value is serialized (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParamStyle {
    /// `form` (query and cookie default); `simple` for path and header.
    #[default]
    Form,
    /// `spaceDelimited`: array values joined by spaces.
    SpaceDelimited,
    /// `pipeDelimited`: array values joined by `|`.
    PipeDelimited,
    /// `deepObject`: `name[key]=value` per object property.
    DeepObject,
}

/// How a body is encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// `application/json` and `+json` types.
    Json(TypeRef),
    /// `text/*`.
    Text,
    /// Anything else, as raw bytes.
    Binary,
}

/// The request body of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The media type sent as `Content-Type`.
    pub media_type: String,
    /// How it is encoded.
    pub kind: BodyKind,
    /// `required`.
    pub required: bool,
    /// Rustdoc.
    pub docs: Docs,
    /// The other media types the operation accepts (media type and encoding), in spec order;
    /// when there are any, the caller picks one.
    pub alternatives: Vec<(String, BodyKind)>,
}

/// Which statuses a response covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// One code.
    Code(u16),
    /// `2XX` and the like: the first digit.
    Range(u16),
    /// `default`.
    Default,
}

/// One documented response.
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// The statuses it covers.
    pub status: StatusMatch,
    /// `description`.
    pub description: String,
    /// Its body, when it has one.
    pub body: Option<BodyKind>,
    /// The media type of that body (`text/event-stream` makes it a stream of events).
    pub media_type: Option<String>,
    /// The response headers the spec declares.
    pub headers: Vec<ResponseHeader>,
}

/// A response header the spec declares.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// The Rust field name.
    pub name: String,
    /// The header name on the wire.
    pub wire_name: String,
    /// The value type (a primitive; anything else stays a string).
    pub ty: TypeRef,
    /// `description`.
    pub description: Option<String>,
}

/// `x-pagination` on an operation (or its path item): forces, configures or turns off the
/// pagination helper. Without it, the emitter detects the usual patterns itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaginationHint {
    /// `x-pagination: false`: no helper even when a pattern is detected.
    pub disabled: bool,
    /// `kind`: `cursor`, `page`, `offset` or `link`.
    pub kind: Option<String>,
    /// `param`: the wire name of the cursor, page or offset query parameter.
    pub param: Option<String>,
    /// `next`: the wire name of the response property holding the next cursor.
    pub next: Option<String>,
    /// `items`: the wire name of the response property holding the page's items.
    pub items: Option<String>,
}

/// One operation: one client method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId`, or the one derived from method and path.
    pub id: String,
    /// The Rust method name.
    pub name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template, e.g. `/v1/accounts/{id}`.
    pub path: String,
    /// JSON pointer of the operation.
    pub pointer: String,
    /// Rustdoc.
    pub docs: Docs,
    /// Tags.
    pub tags: Vec<String>,
    /// Parameters: path ones in template order, then the others in spec order.
    pub params: Vec<Param>,
    /// Name of the params struct for the non-path parameters, when there are any.
    pub params_type: Option<String>,
    /// The request body.
    pub body: Option<RequestBody>,
    /// Documented responses.
    pub responses: Vec<Response>,
    /// What a success decodes to.
    pub success: Success,
    /// Alternatives (any one suffices) of security scheme names (all needed).
    pub security: Vec<Vec<String>>,
    /// `x-pagination`, when the spec sets it.
    pub pagination: Option<PaginationHint>,
    /// The names of what the client and the mock server generate for it besides the method.
    pub names: OperationNames,
}

/// The Rust names of the helpers and types one operation may generate, decided with every other
/// name of their scope (see [`crate::naming`]). Each is reserved whether or not it is generated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OperationNames {
    /// The private `Client` function that builds the request (`list_request`).
    pub request: String,
    /// The `Client` method also returning the declared response headers (`list_with_headers`).
    pub with_headers: String,
    /// The `Client` method streaming a binary body (`list_download`).
    pub download: String,
    /// The `Client` method paging through the results (`list_stream`).
    pub stream: String,
    /// The `mock::Server` method.
    pub mock: String,
    /// The enum of typed error bodies (`ListError`).
    pub error: String,
    /// The enum of several success bodies (`ListSuccess`).
    pub success: String,
    /// The struct of declared response headers (`ListHeaders`).
    pub headers: String,
    /// The enum of the request body's media types (`ListContent`).
    pub content: String,
}

/// A request the API sends to the user's server: a webhook or a callback. The generated
/// `webhooks` module parses its body into the variant `variant` of its `Event` enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// The name `webhooks::parse` takes: the webhook's key, or `<operationId>.<callback name>` for
    /// a callback; with ` <METHOD>` appended for a method other than POST, and ` #2`, ` #3` for
    /// a name taken before (see [`crate::naming`]).
    pub name: String,
    /// The variant of `webhooks::Event`.
    pub variant: String,
    /// The `webhooks` function parsing its body alone (`parse_new_pet`).
    pub function: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// Where the spec declares it.
    pub source: EventSource,
    /// JSON pointer of its operation object.
    pub pointer: String,
    /// Rustdoc: summary and description.
    pub docs: Docs,
    /// Tags: the webhook's own; a callback's are its operation's.
    pub tags: Vec<String>,
    /// Its body: media type and how it decodes; `None` when it has none.
    pub payload: Option<(String, BodyKind)>,
    /// The responses the API expects from the receiver: status and description.
    pub responses: Vec<(StatusMatch, String)>,
}

/// Where an event is declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventSource {
    /// A key of the 3.1 `webhooks`.
    Webhook {
        /// The key.
        key: String,
    },
    /// A callback of an operation.
    Callback {
        /// The operation's `Client` method name (unique; its id may not be).
        operation: String,
        /// The operation's `operationId` (or the one derived from method and path).
        operation_id: String,
        /// The callback's name.
        callback: String,
        /// The runtime expression of the URL the request goes to (`{$request.body#/url}`).
        expression: String,
    },
}

impl Event {
    /// The generated types its payload names.
    pub fn named_types(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some((_, BodyKind::Json(ty))) = &self.payload {
            ty.collect_named(&mut out);
        }
        out
    }
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// No body: `()`.
    Empty,
    /// A decoded body, for the listed statuses.
    Body {
        /// The statuses with this body.
        statuses: Vec<StatusMatch>,
        /// Documented 2xx statuses without a body: the call then returns `None`.
        empty_statuses: Vec<StatusMatch>,
        /// How it decodes.
        kind: BodyKind,
    },
}

/// How a security scheme is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// `Authorization: Bearer` (http bearer, oauth2, openIdConnect).
    Bearer,
    /// `Authorization: Basic`.
    Basic,
    /// An API key in a header.
    ApiKeyHeader(String),
    /// An API key in the query string.
    ApiKeyQuery(String),
    /// An API key in a cookie.
    ApiKeyCookie(String),
}

/// One security scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct SecurityScheme {
    /// Its key in `components.securitySchemes`.
    pub key: String,
    /// The snake-case name of the builder method that sets its credential.
    pub setter: String,
    /// The name of the generated constant describing it.
    pub constant: String,
    /// How it is applied.
    pub kind: SchemeKind,
    /// `description`.
    pub description: Option<String>,
    /// An OAuth2 scheme's client-credentials flow: the client can fetch its own token.
    pub client_credentials: Option<ClientCredentialsFlow>,
}

/// An OAuth2 client-credentials flow (`flows.clientCredentials`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCredentialsFlow {
    /// `tokenUrl`, absolute or relative to the server URL.
    pub token_url: String,
    /// `scopes`: each name and its description, in spec order.
    pub scopes: Vec<(String, String)>,
    /// The builder method that takes a client id and secret (`<setter>_client_credentials`).
    pub setter: String,
    /// The builder method that takes a `runtime::ClientCredentials` (`<setter>_client_credentials_with`).
    pub setter_with: String,
}

impl TypeRef {
    /// Pushes the names of the generated types this reference mentions, at any depth.
    pub fn collect_named(&self, out: &mut Vec<String>) {
        match self {
            TypeRef::Named(name) => out.push(name.clone()),
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.collect_named(out),
            TypeRef::Primitive(_) | TypeRef::Any | TypeRef::Object => {}
        }
    }
}

impl TypeKind {
    /// Every type reference inside this type: fields, extra properties, variants, alias target.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct { fields, additional } => fields.iter().map(|f| &f.ty).chain(additional).collect(),
            TypeKind::Params { fields } => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Untagged { variants, .. } => variants.iter().map(|(_, t)| t).collect(),
            TypeKind::Alias { target } | TypeKind::Newtype { target } => vec![target],
            TypeKind::StringEnum { .. } | TypeKind::IntegerEnum { .. } => Vec::new(),
            TypeKind::Tagged { variants, .. } => variants.iter().map(|v| &v.ty).collect(),
        }
    }
}

impl Operation {
    /// The generated types this operation names directly: parameters, bodies, responses.
    pub fn named_types(&self) -> Vec<String> {
        let mut out: Vec<String> = self.params_type.iter().cloned().collect();
        let alternatives = self.body.iter().flat_map(|b| b.alternatives.iter().map(|(_, kind)| kind));
        let bodies = self
            .body
            .iter()
            .map(|b| &b.kind)
            .chain(alternatives)
            .chain(self.responses.iter().filter_map(|r| r.body.as_ref()));
        let success = match &self.success {
            Success::Body { kind, .. } => Some(kind),
            Success::Empty => None,
        };
        for kind in bodies.chain(success) {
            if let BodyKind::Json(ty) = kind {
                ty.collect_named(&mut out);
            }
        }
        for param in &self.params {
            param.ty.collect_named(&mut out);
        }
        out
    }
}

/// The names reachable from `roots` through the types' references, `roots` included.
pub fn reachable_types(types: &[TypeDef], roots: Vec<String>) -> std::collections::HashSet<String> {
    TypeIndex::new(types).reachable(roots)
}

/// Types by name, built once for many reachability walks (one per tag feature: building it per
/// walk made Microsoft Graph's 500 tags cost tags x types).
pub struct TypeIndex<'a> {
    by_name: std::collections::HashMap<&'a str, &'a TypeKind>,
}

impl<'a> TypeIndex<'a> {
    /// Indexes `types` by name.
    pub fn new(types: &'a [TypeDef]) -> Self {
        Self { by_name: types.iter().map(|t| (t.name.as_str(), &t.kind)).collect() }
    }

    /// Every named type reachable from `roots`, the roots included.
    pub fn reachable(&self, roots: Vec<String>) -> std::collections::HashSet<String> {
        let by_name = &self.by_name;
        let mut seen = std::collections::HashSet::new();
        let mut pending = roots;
        while let Some(name) = pending.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            if let Some(kind) = by_name.get(name.as_str()) {
                for ty in kind.type_refs() {
                    ty.collect_named(&mut pending);
                }
            }
        }
        seen
    }
}

impl StatusMatch {
    /// As the spec writes it: `404`, `4XX`, `default`.
    pub fn text(self) -> String {
        match self {
            StatusMatch::Code(code) => code.to_string(),
            StatusMatch::Range(digit) => format!("{digit}XX"),
            StatusMatch::Default => "default".to_owned(),
        }
    }

    /// Whether this covers 2xx statuses (`default` does not count).
    pub fn is_success(&self) -> bool {
        match self {
            StatusMatch::Code(code) => (200..300).contains(code),
            StatusMatch::Range(digit) => *digit == 2,
            StatusMatch::Default => false,
        }
    }
}

impl Response {
    /// Whether its body is `text/event-stream`.
    pub fn is_event_stream(&self) -> bool {
        self.media_type.as_deref().is_some_and(|m| m.split(';').next().unwrap_or("").trim() == "text/event-stream")
    }
}

impl Operation {
    /// The documented 2xx responses, in spec order.
    pub fn successes(&self) -> Vec<&Response> {
        self.responses.iter().filter(|r| r.status.is_success()).collect()
    }

    /// The different bodies its 2xx responses have (several make a success enum).
    pub fn distinct_success_bodies(&self) -> Vec<&BodyKind> {
        let mut kinds: Vec<&BodyKind> = Vec::new();
        for kind in self.responses.iter().filter(|r| r.status.is_success()).filter_map(|r| r.body.as_ref()) {
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        kinds
    }
}
