//! Schemas into named types and type references.

use super::{formats, Lowerer};
use crate::diagnostics::{child, escape_token};
use crate::ir::{
    Constraints, Docs, EnumVariant, Field, IntegerVariant, Primitive, TaggedVariant, TypeDef, TypeKind, TypeRef,
};
use crate::naming::{type_name, value_name, Namespace};
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// How deep `allOf` members may refer to further `allOf`s. Cycles are found as such (E0031);
/// this only bounds the work: each type of a chain holds the properties of all below it, so a
/// chain of N costs N x N / 2 fields.
const MAX_MERGE_DEPTH: usize = 1_000;

impl Lowerer<'_> {
    /// Claims a Rust name for every component schema, before anything refers to them.
    pub(super) fn declare_components(&mut self) {
        let Some(components) = &self.spec.components else { return };
        for (key, schema) in &components.schemas {
            let name = self.type_names.claim(type_name(key), "");
            self.components.insert(key.clone(), name);
            if let ReferenceOr::Item(schema) = schema {
                if allows_null(schema) {
                    self.nullable_components.insert(key.clone());
                }
            }
        }
    }

    /// Lowers every component schema into its named type.
    pub(super) fn define_components(&mut self) {
        let Some(components) = &self.spec.components else { return };
        for (key, schema) in &components.schemas {
            let name = self.components[key].clone();
            let pointer = format!("{SCHEMA_PREFIX}{}", escape_token(key));
            match schema {
                ReferenceOr::Item(schema) => self.define(name, schema, &pointer),
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &pointer);
                    self.push_type(name, &pointer, Docs::default(), TypeKind::Alias { target });
                }
            }
        }
    }

    /// The type of a schema or reference used somewhere; `hint` names a type it needs.
    pub(crate) fn type_of(&mut self, schema: &ReferenceOr<Schema>, hint: &str, pointer: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    fn type_of_boxed(&mut self, schema: &ReferenceOr<Box<Schema>>, hint: &str, pointer: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, pointer),
            ReferenceOr::Item(schema) => self.inline(schema, hint, pointer),
        }
    }

    fn reference(&mut self, reference: &str, pointer: &str) -> TypeRef {
        let named = reference.strip_prefix(SCHEMA_PREFIX).map(unescape).and_then(|key| {
            let name = self.components.get(&key)?.clone();
            let nullable = self.nullable_components.contains(&key);
            Some(if nullable { nullable_of(TypeRef::Named(name)) } else { TypeRef::Named(name) })
        });
        named.unwrap_or_else(|| {
            self.error("E0030", pointer, format!("`$ref: {reference}` does not point to a component schema"));
            TypeRef::Any
        })
    }

    fn inline(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        let base = self.inline_base(schema, hint, pointer);
        if allows_null(schema) {
            nullable_of(base)
        } else {
            base
        }
    }

    fn inline_base(&mut self, schema: &Schema, hint: &str, pointer: &str) -> TypeRef {
        if let Some(simple) = self.simple_type(schema, hint, pointer) {
            return simple;
        }
        if let Some(cached) = self.inline_cache.get(pointer) {
            return cached.clone();
        }
        let name = self.type_names.claim(type_name(hint), "");
        let named = TypeRef::Named(name.clone());
        self.inline_cache.insert(pointer.to_owned(), named.clone());
        self.define(name, schema, pointer);
        named
    }

    /// Types that need no definition of their own: primitives, arrays, maps, single references.
    fn simple_type(&mut self, schema: &Schema, hint: &str, pointer: &str) -> Option<TypeRef> {
        Some(match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.iter().all(Option::is_none) => {
                TypeRef::Primitive(formats::string(formats::string_format(&s.format), self.options))
            }
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Primitive(Primitive::Bool),
            SchemaKind::Type(Type::Integer(i)) if i.enumeration.iter().all(Option::is_none) => {
                TypeRef::Primitive(formats::integer(formats::integer_format(&i.format), self.options))
            }
            SchemaKind::Type(Type::Number(n)) => TypeRef::Primitive(formats::number(formats::number_format(&n.format))),
            SchemaKind::Type(Type::Array(a)) => self.array(a.items.as_ref(), hint, pointer),
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                self.map(o.additional_properties.as_ref(), hint, pointer)
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 && is_plain_wrapper(schema) => {
                self.type_of(&all_of[0], hint, &child(&child(pointer, "allOf"), "0"))
            }
            SchemaKind::Any(any)
                if any.properties.is_empty()
                    && any.all_of.is_empty()
                    && any.one_of.is_empty()
                    && any.any_of.is_empty()
                    && enum_kind(&any.enumeration).is_none() =>
            {
                match any.typ.as_deref() {
                    Some("array") => self.array(any.items.as_ref(), hint, pointer),
                    Some("object") | None if any.additional_properties.is_some() => {
                        self.map(any.additional_properties.as_ref(), hint, pointer)
                    }
                    Some("object") => TypeRef::Object,
                    Some("string") if any.enumeration.is_empty() => TypeRef::Primitive(Primitive::String),
                    // An integer the typed model could not read (a bound past `i64`:
                    // `maximum: 18446744073709551615`) keeps its format.
                    Some("integer") if any.enumeration.is_empty() => {
                        TypeRef::Primitive(formats::integer(any.format.as_deref(), self.options))
                    }
                    Some("number") => TypeRef::Primitive(formats::number(any.format.as_deref())),
                    Some("boolean") => TypeRef::Primitive(Primitive::Bool),
                    None if any.enumeration.is_empty() => TypeRef::Any,
                    _ => {
                        // Not free-form: an `enum` mixing value types (or of floats or booleans
                        // only, without a `type`), or a `type` that does not fit the rest.
                        self.warn("W0032", pointer, fallback_message(any));
                        TypeRef::Any
                    }
                }
            }
            SchemaKind::Not { .. } => {
                self.warn("W0030", pointer, "`not` schemas are read as any JSON value");
                TypeRef::Any
            }
            _ => return None,
        })
    }

    fn array(&mut self, items: Option<&ReferenceOr<Box<Schema>>>, hint: &str, pointer: &str) -> TypeRef {
        let item = match items {
            Some(items) => self.type_of_boxed(items, &format!("{hint}Item"), &child(pointer, "items")),
            None => TypeRef::Any,
        };
        TypeRef::Array(Box::new(item))
    }

    fn map(&mut self, additional: Option<&AdditionalProperties>, hint: &str, pointer: &str) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(schema)) => TypeRef::Map(Box::new(self.type_of(
                schema,
                &format!("{hint}Value"),
                &child(pointer, "additionalProperties"),
            ))),
            _ => TypeRef::Object,
        }
    }

    /// Defines the named type `name` for `schema`.
    fn define(&mut self, name: String, schema: &Schema, pointer: &str) {
        let docs = docs_of(schema);
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.iter().any(Option::is_some) => {
                string_enum(s.enumeration.iter().flatten())
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                let fields = self.fields(&name, &o.properties, &o.required, pointer);
                let additional = self.additional(o.additional_properties.as_ref(), &name, pointer);
                TypeKind::Struct { fields, additional }
            }
            SchemaKind::Any(any) if !any.properties.is_empty() && any.all_of.is_empty() => {
                let fields = self.fields(&name, &any.properties, &any.required, pointer);
                let additional = self.additional(any.additional_properties.as_ref(), &name, pointer);
                TypeKind::Struct { fields, additional }
            }
            SchemaKind::Any(any) if enum_kind(&any.enumeration) == Some(EnumKind::String) => {
                string_enum(any.enumeration.iter().filter_map(|v| v.as_str().map(str::to_owned)))
            }
            SchemaKind::Type(Type::Integer(i)) if i.enumeration.iter().any(Option::is_some) => {
                integer_enum(i.enumeration.iter().flatten().copied())
            }
            SchemaKind::Any(any) if enum_kind(&any.enumeration) == Some(EnumKind::Integer) => {
                integer_enum(any.enumeration.iter().filter_map(serde_json::Value::as_i64))
            }
            SchemaKind::AllOf { all_of } => self.merge_all_of(&name, all_of, pointer),
            SchemaKind::Any(any) if !any.all_of.is_empty() => self.merge_all_of(&name, &any.all_of, pointer),
            SchemaKind::OneOf { one_of: options } | SchemaKind::AnyOf { any_of: options } => {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) { "oneOf" } else { "anyOf" };
                self.union(&name, schema, options, &child(pointer, key))
            }
            SchemaKind::Any(any) if !any.one_of.is_empty() || !any.any_of.is_empty() => {
                let (key, options) =
                    if any.one_of.is_empty() { ("anyOf", &any.any_of) } else { ("oneOf", &any.one_of) };
                self.union(&name, schema, options, &child(pointer, key))
            }
            _ => {
                let mut plain = schema.clone();
                plain.schema_data.nullable = false;
                let target = self.simple_type(&plain, &format!("{name}Item"), pointer).unwrap_or_else(|| {
                    self.warn("W0032", pointer, "this schema's shape is not supported: read as any JSON value");
                    TypeRef::Any
                });
                TypeKind::Alias { target }
            }
        };
        self.push_type(name, pointer, docs, kind);
    }

    pub(super) fn push_type(&mut self, name: String, pointer: &str, docs: Docs, kind: TypeKind) {
        self.types.push(TypeDef { name, pointer: pointer.to_owned(), docs, kind });
    }

    fn fields(
        &mut self,
        owner: &str,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        pointer: &str,
    ) -> Vec<Field> {
        let properties_pointer = child(pointer, "properties");
        let located =
            properties.iter().map(|(wire_name, schema)| (wire_name, schema, child(&properties_pointer, wire_name)));
        self.fields_at(owner, located, required)
    }

    /// Fields for properties, each with the pointer of its schema.
    fn fields_at<'p>(
        &mut self,
        owner: &str,
        properties: impl Iterator<Item = (&'p String, &'p ReferenceOr<Box<Schema>>, String)>,
        required: &[String],
    ) -> Vec<Field> {
        let mut names = Namespace::default();
        properties
            .map(|(wire_name, schema, here)| {
                let hint = format!("{owner}{}", type_name(wire_name));
                let ty = self.type_of_boxed(schema, &hint, &here);
                let (docs, constraints, default) = match schema {
                    ReferenceOr::Item(schema) => {
                        (docs_of(schema), constraints_of(schema), self.checked_default(schema, &here))
                    }
                    ReferenceOr::Reference { .. } => (Docs::default(), Constraints::default(), None),
                };
                Field {
                    name: names.claim(value_name(wire_name), "_"),
                    wire_name: wire_name.clone(),
                    ty,
                    required: required.contains(wire_name),
                    boxed: false,
                    docs,
                    constraints,
                    default,
                }
            })
            .collect()
    }

    fn additional(&mut self, additional: Option<&AdditionalProperties>, owner: &str, pointer: &str) -> Option<TypeRef> {
        let declared = match additional {
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Any),
            Some(AdditionalProperties::Any(false)) | None => None,
            Some(AdditionalProperties::Schema(schema)) => {
                Some(self.type_of(schema, &format!("{owner}Value"), &child(pointer, "additionalProperties")))
            }
        };
        declared.or_else(|| self.kept_unknown())
    }

    /// The extras of a struct that declares none: with `keep_unknown`, any JSON value.
    fn kept_unknown(&self) -> Option<TypeRef> {
        self.options.keep_unknown.then_some(TypeRef::Any)
    }

    /// `allOf`: the properties of every member (following references) in one struct.
    fn merge_all_of(&mut self, name: &str, members: &[ReferenceOr<Schema>], pointer: &str) -> TypeKind {
        let mut collected = MergedObject::default();
        let all_of = child(pointer, "allOf");
        // A component schema is on the path of every reference it leads to.
        let own = pointer.strip_prefix(SCHEMA_PREFIX).filter(|key| !key.contains('/')).map(unescape);
        let path: Vec<String> = own.into_iter().collect();
        let on_path = path.iter().cloned().collect();
        let mut walk = MergeWalk { path, on_path, merged: Default::default() };
        for (i, member) in members.iter().enumerate() {
            if !self.collect_members(member, &format!("{all_of}/{i}"), &mut collected, &mut walk) {
                break;
            }
        }
        let located = collected.properties.iter().map(|(wire_name, (schema, here))| (wire_name, schema, here.clone()));
        let fields = self.fields_at(name, located, &collected.required);
        let additional = collected.additional.then_some(TypeRef::Any).or_else(|| self.kept_unknown());
        TypeKind::Struct { fields, additional }
    }

    /// Adds the properties of `member` and of the members it refers to, depth first in spec order
    /// (without recursion: chains may be long). Returns false after an error (the walk is then
    /// left where it stopped).
    fn collect_members(
        &mut self,
        member: &ReferenceOr<Schema>,
        pointer: &str,
        into: &mut MergedObject,
        walk: &mut MergeWalk,
    ) -> bool {
        enum Step<'s> {
            Visit(&'s ReferenceOr<Schema>, String),
            /// The walk is done with the component last entered.
            Leave,
        }
        let spec = self.spec;
        let mut steps = vec![Step::Visit(member, pointer.to_owned())];
        while let Some(step) = steps.pop() {
            let (member, pointer) = match step {
                Step::Visit(member, pointer) => (member, pointer),
                Step::Leave => {
                    if let Some(left) = walk.path.pop() {
                        walk.on_path.remove(&left);
                    }
                    continue;
                }
            };
            let (schema, here) = match member {
                ReferenceOr::Reference { reference } => {
                    let key = reference.strip_prefix(SCHEMA_PREFIX).map(unescape);
                    match key.as_ref().and_then(|k| Some((k, spec.components.as_ref()?.schemas.get(k)?))) {
                        Some((key, target)) => {
                            if walk.on_path.contains(key) {
                                let from = walk.path.iter().position(|k| k == key).unwrap_or(0);
                                let cycle: Vec<&str> =
                                    walk.path[from..].iter().chain([key]).map(String::as_str).collect();
                                let shown = cycle.join("` -> `");
                                self.error("E0031", pointer, format!("`allOf` references form a cycle: `{shown}`"));
                                return false;
                            }
                            if walk.path.len() >= MAX_MERGE_DEPTH {
                                self.error(
                                    "E0033",
                                    pointer,
                                    format!("`allOf` references nest deeper than {MAX_MERGE_DEPTH} schemas"),
                                );
                                return false;
                            }
                            // A schema reached twice (`allOf: [B, C]`, both `allOf: [D]`) adds
                            // nothing new the second time.
                            if !walk.merged.insert(key.clone()) {
                                continue;
                            }
                            walk.path.push(key.clone());
                            walk.on_path.insert(key.clone());
                            steps.push(Step::Leave);
                            steps.push(Step::Visit(target, format!("{SCHEMA_PREFIX}{}", escape_token(key))));
                            continue;
                        }
                        None => {
                            self.error(
                                "E0030",
                                pointer,
                                format!("`$ref: {reference}` does not point to a component schema"),
                            );
                            continue;
                        }
                    }
                }
                ReferenceOr::Item(schema) => (schema, pointer),
            };
            let (properties, required, additional, nested) = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required, &o.additional_properties, None),
                SchemaKind::Any(a) => (&a.properties, &a.required, &a.additional_properties, Some(&a.all_of)),
                SchemaKind::AllOf { all_of } => {
                    let all_of_pointer = child(&here, "allOf");
                    for (i, m) in all_of.iter().enumerate().rev() {
                        steps.push(Step::Visit(m, format!("{all_of_pointer}/{i}")));
                    }
                    continue;
                }
                _ => {
                    self.warn("W0031", here, "an `allOf` member that is not an object is ignored in the merged struct");
                    continue;
                }
            };
            let props_pointer = child(&here, "properties");
            for (name, prop) in properties {
                into.properties.insert(name.clone(), (prop.clone(), child(&props_pointer, name)));
            }
            into.required.extend(required.iter().cloned());
            into.additional |= matches!(additional, Some(AdditionalProperties::Any(true)));
            let all_of_pointer = child(&here, "allOf");
            for (i, m) in nested.map_or(&[][..], Vec::as_slice).iter().enumerate().rev() {
                steps.push(Step::Visit(m, format!("{all_of_pointer}/{i}")));
            }
        }
        true
    }

    /// `oneOf`/`anyOf`: dispatched on the `discriminator` when there is one and every option is a
    /// reference to a component schema, else tried in order.
    fn union(&mut self, name: &str, schema: &Schema, options: &[ReferenceOr<Schema>], pointer: &str) -> TypeKind {
        let Some(discriminator) = &schema.schema_data.discriminator else {
            return self.untagged(name, options, pointer);
        };
        let keys: Option<Vec<String>> = options
            .iter()
            .map(|option| match option {
                ReferenceOr::Reference { reference } => reference.strip_prefix(SCHEMA_PREFIX).map(unescape),
                ReferenceOr::Item(_) => None,
            })
            .collect();
        let Some(keys) = keys.filter(|keys| keys.iter().all(|k| self.components.contains_key(k))) else {
            return self.untagged(name, options, pointer);
        };
        let mut names = Namespace::with_reserved(&["Unknown"]);
        let variants = keys
            .iter()
            .zip(options)
            .enumerate()
            .map(|(i, (key, option))| {
                let mut tags: Vec<String> = discriminator
                    .mapping
                    .iter()
                    .filter(|(_, target)| {
                        // A mapping value is a reference or a bare schema name.
                        let target = target.strip_prefix(SCHEMA_PREFIX).map_or_else(|| target.to_string(), unescape);
                        target == *key
                    })
                    .map(|(tag, _)| tag.clone())
                    .collect();
                if tags.is_empty() {
                    tags.push(key.clone());
                }
                let ty = self.type_of(option, &format!("{name}{}", type_name(key)), &format!("{pointer}/{i}"));
                TaggedVariant { name: names.claim(type_name(key), ""), tags, ty, boxed: false }
            })
            .collect();
        TypeKind::Tagged { property: discriminator.property_name.clone(), variants }
    }

    /// `oneOf`/`anyOf`: an untagged enum with one variant per option.
    fn untagged(&mut self, name: &str, options: &[ReferenceOr<Schema>], pointer: &str) -> TypeKind {
        let mut names = Namespace::default();
        let variants = options
            .iter()
            .enumerate()
            .map(|(i, option)| {
                let label = match option {
                    ReferenceOr::Reference { reference } => {
                        type_name(reference.rsplit('/').next().unwrap_or("Variant"))
                    }
                    ReferenceOr::Item(s) => variant_label(s, i),
                };
                let ty = self.type_of(option, &format!("{name}{label}"), &format!("{pointer}/{i}"));
                (names.claim(label, ""), ty)
            })
            .collect();
        TypeKind::Untagged { variants, boxed: Vec::new() }
    }
}

/// The component schemas an `allOf` merge is inside (to find cycles) and has merged.
struct MergeWalk {
    path: Vec<String>,
    on_path: std::collections::HashSet<String>,
    merged: std::collections::HashSet<String>,
}

#[derive(Default)]
struct MergedObject {
    properties: indexmap::IndexMap<String, (ReferenceOr<Box<Schema>>, String)>,
    required: Vec<String>,
    additional: bool,
}

/// Whether the schema allows `null`: `nullable`, or `null` listed in its `enum`.
fn allows_null(schema: &Schema) -> bool {
    schema.schema_data.nullable
        || match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => s.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Integer(i)) => i.enumeration.iter().any(Option::is_none),
            SchemaKind::Type(Type::Number(n)) => n.enumeration.iter().any(Option::is_none),
            SchemaKind::Any(any) => any.enumeration.iter().any(serde_json::Value::is_null),
            _ => false,
        }
}

fn integer_enum(values: impl Iterator<Item = i64>) -> TypeKind {
    let mut names = Namespace::with_reserved(&["Unknown"]);
    let mut seen = std::collections::HashSet::new();
    let variants = values
        .filter(|v| seen.insert(*v))
        .map(|value| {
            let name = if value < 0 { format!("Minus{}", value.unsigned_abs()) } else { format!("V{value}") };
            IntegerVariant { name: names.claim(name, ""), value }
        })
        .collect();
    TypeKind::IntegerEnum { variants }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn nullable_of(ty: TypeRef) -> TypeRef {
    match ty {
        TypeRef::Nullable(_) | TypeRef::Any => ty,
        other => TypeRef::Nullable(Box::new(other)),
    }
}

/// `allOf: [$ref]` with nothing but docs and `nullable` beside it stands for the reference itself.
fn is_plain_wrapper(schema: &Schema) -> bool {
    schema.schema_data.discriminator.is_none()
}

fn string_enum(values: impl Iterator<Item = impl AsRef<str>>) -> TypeKind {
    let mut names = Namespace::with_reserved(&["Unknown"]);
    let mut seen = std::collections::HashSet::new();
    let variants = values
        .filter(|v| seen.insert(v.as_ref().to_owned()))
        .map(|v| EnumVariant { name: names.claim(variant_name(v.as_ref()), ""), wire_value: v.as_ref().to_owned() })
        .collect();
    TypeKind::StringEnum { variants }
}

fn variant_name(value: &str) -> String {
    if value.is_empty() {
        return "Empty".to_owned();
    }
    let name = type_name(value);
    if name.starts_with('T') && value.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{}", &name[1..])
    } else {
        name
    }
}

fn variant_label(schema: &Schema, index: usize) -> String {
    if let Some(title) = &schema.schema_data.title {
        return type_name(title);
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => "String".to_owned(),
        SchemaKind::Type(Type::Integer(_)) => "Integer".to_owned(),
        SchemaKind::Type(Type::Number(_)) => "Number".to_owned(),
        SchemaKind::Type(Type::Boolean(_)) => "Boolean".to_owned(),
        SchemaKind::Type(Type::Array(_)) => "Array".to_owned(),
        _ => format!("Variant{}", index + 1),
    }
}

pub(super) fn docs_of(schema: &Schema) -> Docs {
    let data = &schema.schema_data;
    Docs {
        title: data.title.clone(),
        description: data.description.clone(),
        example: data.example.clone(),
        deprecated: data.deprecated,
        notes: notes_of(schema),
    }
}

/// Doc notes on what a schema's value holds beyond its Rust type.
fn notes_of(schema: &Schema) -> Vec<String> {
    let mut notes = Vec::new();
    if let SchemaKind::Type(Type::String(s)) = &schema.schema_kind {
        let note = match formats::string_format(&s.format) {
            Some("byte") => Some(
                "Base64-encoded bytes (`format: byte`), kept as the encoded text: decode it with a base64 \
                 crate; which alphabet and padding the server uses is not in the spec.",
            ),
            Some("binary") => Some("Raw bytes (`format: binary`) inside JSON, kept as a `String`."),
            Some("uri") | Some("uri-reference") | Some("url") => Some("A URI (`format: uri`); not validated."),
            Some("email") => Some("An email address (`format: email`); not validated."),
            _ => None,
        };
        notes.extend(note.map(str::to_owned));
    }
    let data = &schema.schema_data;
    if data.read_only {
        notes.push("Read-only: sent by the server only; requests should leave it out.".to_owned());
    }
    if data.write_only {
        notes.push("Write-only: sent in requests, never returned.".to_owned());
    }
    notes
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EnumKind {
    String,
    Integer,
}

/// What an untyped `enum` lists: strings (and `null`), or integers (and `null`).
fn enum_kind(values: &[serde_json::Value]) -> Option<EnumKind> {
    if values.iter().any(|v| v.is_string()) && values.iter().all(|v| v.is_string() || v.is_null()) {
        Some(EnumKind::String)
    } else if values.iter().any(|v| v.is_i64()) && values.iter().all(|v| v.is_i64() || v.is_null()) {
        Some(EnumKind::Integer)
    } else {
        None
    }
}

fn fallback_message(any: &openapiv3::AnySchema) -> String {
    if any.enumeration.is_empty() {
        format!(
            "`type: {}` does not fit the rest of the schema: read as any JSON value",
            any.typ.as_deref().unwrap_or("")
        )
    } else {
        let values: Vec<String> = any.enumeration.iter().map(ToString::to_string).collect();
        format!("an `enum` of {} is read as any JSON value", values.join(", "))
    }
}

pub(super) fn constraints_of(schema: &Schema) -> Constraints {
    let mut c = Constraints::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            c.min_length = s.min_length;
            c.max_length = s.max_length;
            c.pattern.clone_from(&s.pattern);
        }
        SchemaKind::Type(Type::Integer(i)) => {
            c.minimum = i.minimum.map(|m| (m as f64, i.exclusive_minimum));
            c.maximum = i.maximum.map(|m| (m as f64, i.exclusive_maximum));
            c.multiple_of = i.multiple_of.map(|m| m as f64);
        }
        SchemaKind::Type(Type::Number(n)) => {
            c.minimum = n.minimum.map(|m| (m, n.exclusive_minimum));
            c.maximum = n.maximum.map(|m| (m, n.exclusive_maximum));
            c.multiple_of = n.multiple_of;
        }
        SchemaKind::Type(Type::Array(a)) => {
            c.min_items = a.min_items;
            c.max_items = a.max_items;
            c.unique_items = a.unique_items;
        }
        _ => {}
    }
    c
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::Diagnostic;
    use crate::ir::TypeKind;
    use serde_json::{json, Value};

    fn lowered(schemas: Value) -> crate::lower::Lowered {
        let document = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": schemas}});
        let spec = crate::parse::parse(&document).expect("parses");
        crate::lower::lower(&spec, &Default::default())
    }

    fn codes(diagnostics: &[Diagnostic]) -> Vec<(&str, &str)> {
        diagnostics.iter().map(|d| (d.code, d.pointer.as_str())).collect()
    }

    #[test]
    fn all_of_cycles_are_named_at_the_ref_that_closes_them() {
        let lowered = lowered(json!({
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}, {"type": "object", "properties": {"a": {"type": "string"}}}]},
            "B": {"allOf": [{"allOf": [{"$ref": "#/components/schemas/A"}]}]},
            "S": {"allOf": [{"$ref": "#/components/schemas/S"}, {"type": "object"}]},
        }));
        assert_eq!(
            codes(&lowered.diagnostics),
            [
                ("E0031", "#/components/schemas/B/allOf/0/allOf/0"),
                ("E0031", "#/components/schemas/A/allOf/0"),
                ("E0031", "#/components/schemas/S/allOf/0")
            ]
        );
        assert!(lowered.diagnostics[0].message.ends_with("`A` -> `B` -> `A`"), "{}", lowered.diagnostics[0].message);
    }

    #[test]
    fn long_chains_and_diamonds_are_not_cycles() {
        // 40 levels, past the old guard of 32; D is reached twice from A.
        let mut schemas = serde_json::Map::new();
        for i in 0..40 {
            let member = json!({"type": "object", "properties": {format!("p{i}"): {"type": "string"}}});
            schemas.insert(
                format!("C{i}"),
                json!({"allOf": [{"$ref": format!("#/components/schemas/C{}", i + 1)}, member]}),
            );
        }
        schemas.insert("C40".into(), json!({"type": "object", "properties": {"p40": {"type": "string"}}}));
        schemas.insert(
            "A".into(),
            json!({"allOf": [{"$ref": "#/components/schemas/B"}, {"$ref": "#/components/schemas/D"}]}),
        );
        schemas.insert("B".into(), json!({"allOf": [{"$ref": "#/components/schemas/D"}, {"type": "object"}]}));
        schemas.insert("D".into(), json!({"type": "object", "properties": {"d": {"type": "string"}}}));
        let lowered = lowered(Value::Object(schemas));
        assert!(lowered.diagnostics.is_empty(), "{:#?}", lowered.diagnostics);
        let c0 = lowered.api.types.iter().find(|t| t.name == "C0").expect("C0");
        assert!(matches!(&c0.kind, TypeKind::Struct { fields, .. } if fields.len() == 41));
    }
}
