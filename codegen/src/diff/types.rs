//! Generated types, matched by Rust name: struct fields, string enum values, `oneOf` variants,
//! alias targets. Params structs are left to the operations, whose parameters they hold.

use super::rust::{field_text, type_text};
use super::{docs_difference, token, At, ChangeKind, Changes, Impact, Item, Member};
use crate::ir::{
    reachable_types, Api, BodyKind, EnumVariant, Field, IntegerVariant, Operation, Success, TaggedVariant, TypeDef,
    TypeKind, TypeRef,
};
use std::collections::{HashMap, HashSet};

/// Every named type except params structs, matched by name.
pub(super) fn compare_types(changes: &mut Changes<'_>, old: &Api, new: &Api) {
    let roles = Roles::of(old, new);
    let is_model = |def: &&TypeDef| !matches!(def.kind, TypeKind::Params { .. });
    let old_by_name: HashMap<&str, &TypeDef> =
        old.types.iter().filter(is_model).map(|def| (def.name.as_str(), def)).collect();
    for def in new.types.iter().filter(is_model) {
        match old_by_name.get(def.name.as_str()) {
            Some(before) => {
                let pair = TypePair { before, after: def, role: roles.role(&def.name) };
                pair.compare(changes);
                pair.compare_serde(changes, &roles);
            }
            None => {
                let subject = changes.context.subject(Item::Type, &def.name, None);
                let reason = format!("new {} `types::{}`", kind_text(&def.kind), def.name);
                changes.push(ChangeKind::TypeAdded, Impact::Compatible, subject, reason, At::new(&def.pointer));
            }
        }
    }
    let new_names: HashSet<&str> = new.types.iter().filter(is_model).map(|def| def.name.as_str()).collect();
    for def in old.types.iter().filter(is_model).filter(|def| !new_names.contains(def.name.as_str())) {
        let subject = changes.context.subject(Item::Type, &def.name, None);
        let mut reason = format!("removed: `types::{}` is gone", def.name);
        let successor = new.types.iter().filter(is_model).find(|n| n.pointer == def.pointer);
        if let Some(successor) = successor.filter(|n| !old_by_name.contains_key(n.name.as_str())) {
            reason.push_str(&format!(" (its schema is now `types::{}`)", successor.name));
        }
        changes.push(ChangeKind::TypeRemoved, Impact::Breaking, subject, reason, At::old(&def.pointer));
    }
}

/// Which way a type travels: in requests, in responses, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Request,
    Response,
    Both,
}

impl Role {
    /// Whether callers build values of this type to send.
    fn sent(self) -> bool {
        self != Role::Response
    }

    /// Whether callers read values of this type from responses.
    fn received(self) -> bool {
        self != Role::Request
    }

    /// Where the type travels, in words.
    fn text(self) -> &'static str {
        match self {
            Role::Request => "in requests",
            Role::Response => "in responses",
            Role::Both => "in requests and responses",
        }
    }
}

/// Which types requests send and responses return in one model, by the emitter's rule for serde
/// derives (`Serialize` for what is sent, `Deserialize` for what is received): a type no operation
/// reaches, and everything it contains, counts as both.
struct Directions {
    sent: HashSet<String>,
    received: HashSet<String>,
    /// The types no operation reaches, and what they contain.
    unused: HashSet<String>,
}

impl Directions {
    fn of(api: &Api) -> Self {
        let sent: Vec<String> = api.operations.iter().flat_map(request_roots).collect();
        // Event payloads are received too: the `webhooks` module decodes them.
        let events = api.events.iter().flat_map(crate::ir::Event::named_types);
        let received: Vec<String> = api.operations.iter().flat_map(response_roots).chain(events).collect();
        let reached = reachable_types(&api.types, sent.iter().chain(&received).cloned().collect());
        let unreached: Vec<String> =
            api.types.iter().filter(|t| !reached.contains(&t.name)).map(|t| t.name.clone()).collect();
        let with_unreached = |mut roots: Vec<String>| {
            roots.extend(unreached.iter().cloned());
            reachable_types(&api.types, roots)
        };
        let unused = reachable_types(&api.types, unreached.clone());
        Self { sent: with_unreached(sent), received: with_unreached(received), unused }
    }

    /// The serde traits the type implements: (`Serialize`, `Deserialize`).
    fn serde(&self, name: &str) -> (bool, bool) {
        match (self.sent.contains(name), self.received.contains(name)) {
            (true, false) => (true, false),
            (false, true) => (false, true),
            _ => (true, true),
        }
    }
}

/// The directions of both models: a type's role is the union of the two, the stricter reading.
struct Roles {
    old: Directions,
    new: Directions,
}

impl Roles {
    fn of(old: &Api, new: &Api) -> Self {
        Self { old: Directions::of(old), new: Directions::of(new) }
    }

    fn role(&self, name: &str) -> Role {
        let (old_ser, old_de) = self.old.serde(name);
        let (new_ser, new_de) = self.new.serde(name);
        match (old_ser || new_ser, old_de || new_de) {
            (true, false) => Role::Request,
            (false, true) => Role::Response,
            _ => Role::Both,
        }
    }
}

fn request_roots(op: &Operation) -> Vec<String> {
    let mut roots = Vec::new();
    for param in &op.params {
        param.ty.collect_named(&mut roots);
    }
    if let Some(BodyKind::Json(ty)) = op.body.as_ref().map(|b| &b.kind) {
        ty.collect_named(&mut roots);
    }
    roots
}

fn response_roots(op: &Operation) -> Vec<String> {
    let mut roots = Vec::new();
    let success = match &op.success {
        Success::Body { kind, .. } => Some(kind),
        Success::Empty => None,
    };
    for kind in op.responses.iter().filter_map(|r| r.body.as_ref()).chain(success) {
        if let BodyKind::Json(ty) = kind {
            ty.collect_named(&mut roots);
        }
    }
    roots
}

fn kind_text(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::StringEnum { .. } => "string enum",
        TypeKind::Untagged { .. } => "`oneOf` enum",
        TypeKind::Alias { .. } => "type alias",
        TypeKind::Newtype { .. } => "newtype struct",
        TypeKind::Params { .. } => "params struct",
        TypeKind::IntegerEnum { .. } => "integer enum",
        TypeKind::Tagged { .. } => "discriminated `oneOf` enum",
    }
}

/// One type in both models.
struct TypePair<'a> {
    before: &'a TypeDef,
    after: &'a TypeDef,
    role: Role,
}

impl TypePair<'_> {
    fn compare(&self, changes: &mut Changes<'_>) {
        let parts = docs_difference(&self.before.docs, &self.after.docs);
        if !parts.is_empty() {
            let reason = format!("{} changed: only docs change", parts.join(", "));
            self.push(changes, ChangeKind::DocsChanged, Impact::NoApiChange, None, reason, self.at());
        }
        match (&self.before.kind, &self.after.kind) {
            (
                TypeKind::Struct { fields: old_fields, additional: old_extra },
                TypeKind::Struct { fields: new_fields, additional: new_extra },
            ) => {
                self.compare_fields(changes, old_fields, new_fields);
                self.compare_additional(changes, old_extra.as_ref(), new_extra.as_ref());
            }
            (TypeKind::StringEnum { variants: old_values }, TypeKind::StringEnum { variants: new_values }) => {
                let values = |variants: &[EnumVariant]| -> Vec<(String, String)> {
                    variants.iter().map(|v| (v.wire_value.clone(), v.name.clone())).collect()
                };
                self.compare_enum_values(changes, &values(old_values), &values(new_values))
            }
            (TypeKind::IntegerEnum { variants: old_values }, TypeKind::IntegerEnum { variants: new_values }) => {
                let values = |variants: &[IntegerVariant]| -> Vec<(String, String)> {
                    variants.iter().map(|v| (v.value.to_string(), v.name.clone())).collect()
                };
                self.compare_enum_values(changes, &values(old_values), &values(new_values))
            }
            (
                TypeKind::Tagged { property: old_property, variants: old_variants },
                TypeKind::Tagged { property: new_property, variants: new_variants },
            ) => {
                if old_property != new_property {
                    let reason = format!(
                        "the variant is now chosen by property `{new_property}` (was `{old_property}`): the Rust API is unchanged"
                    );
                    self.push(changes, ChangeKind::DiscriminatorChanged, Impact::NoApiChange, None, reason, self.at());
                }
                self.compare_tagged_variants(changes, old_variants, new_variants)
            }
            (TypeKind::Untagged { variants: old_variants, .. }, TypeKind::Untagged { variants: new_variants, .. }) => {
                self.compare_union_variants(changes, old_variants, new_variants)
            }
            (TypeKind::Alias { target: old_target }, TypeKind::Alias { target: new_target }) => {
                if old_target != new_target {
                    let reason = format!(
                        "`type {name} = {}` is now `type {name} = {}`",
                        type_text(old_target),
                        type_text(new_target),
                        name = self.after.name
                    );
                    self.push(changes, ChangeKind::AliasTargetChanged, Impact::Breaking, None, reason, self.at());
                }
            }
            (TypeKind::Newtype { target: old_target }, TypeKind::Newtype { target: new_target }) => {
                if old_target != new_target {
                    let reason = format!(
                        "`struct {name}({})` is now `struct {name}({})`",
                        type_text(old_target),
                        type_text(new_target),
                        name = self.after.name
                    );
                    self.push(changes, ChangeKind::AliasTargetChanged, Impact::Breaking, None, reason, self.at());
                }
            }
            (before, after) => {
                let reason = format!("was a {}, now a {}", kind_text(before), kind_text(after));
                self.push(changes, ChangeKind::TypeKindChanged, Impact::Breaking, None, reason, self.at());
            }
        }
    }

    fn at(&self) -> At<'_> {
        At::both(&self.before.pointer, &self.after.pointer)
    }

    /// The serde traits derived: `Serialize` where requests send the type, `Deserialize` where
    /// responses return it, both where no operation uses it.
    fn compare_serde(&self, changes: &mut Changes<'_>, roles: &Roles) {
        let name = &self.after.name;
        let ((old_ser, old_de), (new_ser, new_de)) = (roles.old.serde(name), roles.new.serde(name));
        let now_unused = roles.new.unused.contains(name) && !roles.old.unused.contains(name);
        let traits = [
            ("Serialize", old_ser, new_ser, "requests", "responses"),
            ("Deserialize", old_de, new_de, "responses", "requests"),
        ];
        for (serde_trait, before, after, users, others) in traits {
            let (kind, impact, reason) = match (before, after) {
                (true, false) => (
                    ChangeKind::SerdeImplRemoved,
                    Impact::Breaking,
                    format!("no longer implements `serde::{serde_trait}`: only {others} carry it now"),
                ),
                (false, true) if now_unused => (
                    ChangeKind::SerdeImplAdded,
                    Impact::Compatible,
                    format!("now implements `serde::{serde_trait}`: no operation uses it any more, and unused types derive both"),
                ),
                (false, true) => (
                    ChangeKind::SerdeImplAdded,
                    Impact::Compatible,
                    format!("now implements `serde::{serde_trait}`: {users} carry it now"),
                ),
                _ => continue,
            };
            self.push(changes, kind, impact, None, reason, self.at());
        }
    }

    fn push(
        &self,
        changes: &mut Changes<'_>,
        kind: ChangeKind,
        impact: Impact,
        member: Option<Member>,
        reason: String,
        at: At<'_>,
    ) {
        let subject = changes.context.subject(Item::Type, &self.after.name, member);
        changes.push(kind, impact, subject, reason, at);
    }

    /// Where a field is: `<type pointer>/properties/<wire name>` (a derived pointer: `allOf`
    /// members are merged into one struct, so the property may sit deeper).
    fn field_pointers(&self, wire_name: &str) -> (String, String) {
        let field = |def: &TypeDef| format!("{}/properties/{}", def.pointer, token(wire_name));
        (field(self.before), field(self.after))
    }

    fn compare_fields(&self, changes: &mut Changes<'_>, old_fields: &[Field], new_fields: &[Field]) {
        for field in new_fields {
            match old_fields.iter().find(|f| f.wire_name == field.wire_name) {
                Some(before) => self.compare_field(changes, before, field),
                None => self.field_added(changes, field),
            }
        }
        for field in old_fields.iter().filter(|f| !new_fields.iter().any(|n| n.wire_name == f.wire_name)) {
            let (old_pointer, _) = self.field_pointers(&field.wire_name);
            let reason = if self.role.sent() {
                format!("removed: code that sets or reads `{}` no longer compiles", field.name)
            } else {
                format!("removed from a response type: code that reads `{}` no longer compiles", field.name)
            };
            let member = Some(Member::Field(field.wire_name.clone()));
            self.push(changes, ChangeKind::FieldRemoved, Impact::Breaking, member, reason, At::old(&old_pointer));
        }
    }

    fn field_added(&self, changes: &mut Changes<'_>, field: &Field) {
        let (_, new_pointer) = self.field_pointers(&field.wire_name);
        let declaration = format!("`{}: {}`", field.name, field_text(field));
        let (impact, reason) = if field.required && self.role.sent() {
            (
                Impact::Breaking,
                format!("required field {declaration} added to a type sent in requests: callers must set it"),
            )
        } else if self.role.sent() {
            (Impact::Compatible, format!("optional field {declaration} added"))
        } else {
            (Impact::Compatible, format!("field {declaration} added to a response type"))
        };
        let member = Some(Member::Field(field.wire_name.clone()));
        self.push(changes, ChangeKind::FieldAdded, impact, member, reason, At::new(&new_pointer));
    }

    fn compare_field(&self, changes: &mut Changes<'_>, before: &Field, after: &Field) {
        let (old_pointer, new_pointer) = self.field_pointers(&after.wire_name);
        let at = || At::both(&old_pointer, &new_pointer);
        let member = || Some(Member::Field(after.wire_name.clone()));
        if before.name != after.name {
            let reason = format!("`{}` is now `{}`", before.name, after.name);
            self.push(changes, ChangeKind::FieldRenamed, Impact::Breaking, member(), reason, at());
        }
        let (old_type, new_type) = (field_text(before), field_text(after));
        let same_rust_type = old_type == new_type;
        if before.ty != after.ty || before.boxed != after.boxed {
            let impact = if same_rust_type { Impact::NoApiChange } else { Impact::Breaking };
            let reason = format!("type `{old_type}` -> `{new_type}` ({})", self.role.text());
            self.push(changes, ChangeKind::FieldTypeChanged, impact, member(), reason, at());
        }
        if before.required != after.required {
            let (kind, impact, reason) = self.required_change(after.required, &old_type, &new_type);
            self.push(changes, kind, impact, member(), reason, at());
        }
        let mut parts = docs_difference(&before.docs, &after.docs);
        let mut effects = vec!["docs"];
        if before.constraints != after.constraints {
            parts.push("constraints");
            effects.push("`validate()`");
        }
        if before.default != after.default {
            parts.push("default value");
            effects.push("what the field's `_or_default()` accessor gives");
        }
        if !parts.is_empty() {
            let reason = format!("{} changed: only {} change", parts.join(", "), effects.join(" and "));
            self.push(changes, ChangeKind::DocsChanged, Impact::NoApiChange, member(), reason, at());
        }
    }

    /// A field made required or optional: the rules for requests and responses, and
    /// breaking wherever the Rust type changes.
    fn required_change(&self, now_required: bool, old_type: &str, new_type: &str) -> (ChangeKind, Impact, String) {
        let types = format!("`{old_type}` -> `{new_type}`");
        let rust_type_changed = old_type != new_type;
        if now_required {
            let (impact, why) = if self.role.sent() {
                (Impact::Breaking, "requests without it are now rejected")
            } else if rust_type_changed {
                (Impact::Breaking, "code that handles the `Option` no longer compiles")
            } else {
                (Impact::NoApiChange, "it stays an `Option` (nullable)")
            };
            (ChangeKind::FieldBecameRequired, impact, format!("now required ({types}): {why}"))
        } else {
            let (impact, why) = if !rust_type_changed {
                (Impact::NoApiChange, "it was already an `Option` (nullable)")
            } else if self.role.received() {
                (Impact::Breaking, "responses may now lack it")
            } else {
                (Impact::Breaking, "callers now wrap the value in `Some`")
            };
            (ChangeKind::FieldBecameOptional, impact, format!("now optional ({types}): {why}"))
        }
    }

    fn compare_additional(&self, changes: &mut Changes<'_>, before: Option<&TypeRef>, after: Option<&TypeRef>) {
        let pointer = |def: &TypeDef| format!("{}/additionalProperties", def.pointer);
        let (old_pointer, new_pointer) = (pointer(self.before), pointer(self.after));
        let member = || Some(Member::Field("additionalProperties".to_owned()));
        let map = |ty: &TypeRef| format!("BTreeMap<String, {}>", type_text(ty));
        match (before, after) {
            (None, Some(ty)) => {
                let reason = format!("undeclared properties are now kept in a new field of type `{}`", map(ty));
                let at = At::new(&new_pointer);
                self.push(changes, ChangeKind::FieldAdded, Impact::Compatible, member(), reason, at);
            }
            (Some(ty), None) => {
                let reason = format!("the `{}` field for undeclared properties is gone", map(ty));
                let at = At::old(&old_pointer);
                self.push(changes, ChangeKind::FieldRemoved, Impact::Breaking, member(), reason, at);
            }
            (Some(old), Some(new)) if old != new => {
                let reason = format!("type `{}` -> `{}`", map(old), map(new));
                let at = At::both(&old_pointer, &new_pointer);
                self.push(changes, ChangeKind::FieldTypeChanged, Impact::Breaking, member(), reason, at);
            }
            _ => {}
        }
    }

    /// String or integer enum values, as (wire value, Rust variant name): both kinds have an
    /// `Unknown` fallback, so only removals and renames break.
    fn compare_enum_values(
        &self,
        changes: &mut Changes<'_>,
        old_values: &[(String, String)],
        new_values: &[(String, String)],
    ) {
        let enum_pointer = |def: &TypeDef| format!("{}/enum", def.pointer);
        let (old_pointer, new_pointer) = (enum_pointer(self.before), enum_pointer(self.after));
        let member = |wire: &str| Some(Member::Value(wire.to_owned()));
        let name = &self.after.name;
        for (wire, variant) in new_values {
            match old_values.iter().find(|(old_wire, _)| old_wire == wire) {
                None => {
                    let older = if self.role.received() {
                        "older code decodes the value as `Unknown`"
                    } else {
                        "older code can send it as `Unknown`"
                    };
                    let reason = format!("new variant `{name}::{variant}`; {older}");
                    let at = At::new(&new_pointer);
                    self.push(changes, ChangeKind::EnumValueAdded, Impact::Compatible, member(wire), reason, at);
                }
                Some((_, old_variant)) if old_variant != variant => {
                    let reason = format!("variant `{name}::{old_variant}` is now `{name}::{variant}`");
                    let at = At::both(&old_pointer, &new_pointer);
                    self.push(changes, ChangeKind::EnumVariantRenamed, Impact::Breaking, member(wire), reason, at);
                }
                Some(_) => {}
            }
        }
        for (wire, variant) in old_values.iter().filter(|(wire, _)| !new_values.iter().any(|(new, _)| new == wire)) {
            let variant = format!("`{name}::{variant}`");
            let reason = if self.role.sent() {
                format!("removed from a type sent in requests: the server no longer accepts it, and {variant} is gone")
            } else {
                format!("removed: the server no longer sends it, but {variant} is gone, so code naming it no longer compiles")
            };
            let at = At::old(&old_pointer);
            self.push(changes, ChangeKind::EnumValueRemoved, Impact::Breaking, member(wire), reason, at);
        }
    }

    /// Variants of a discriminated `oneOf`, which keeps unknown discriminators in a fallback.
    fn compare_tagged_variants(
        &self,
        changes: &mut Changes<'_>,
        old_variants: &[TaggedVariant],
        new_variants: &[TaggedVariant],
    ) {
        let member = |name: &str| Some(Member::Variant(name.to_owned()));
        for variant in new_variants {
            let name = &variant.name;
            let Some(before) = old_variants.iter().find(|old| old.name == variant.name) else {
                let reason = format!(
                    "new variant `{name}({})`; older code keeps such values in the fallback variant",
                    type_text(&variant.ty)
                );
                let at = At::new(&self.after.pointer);
                self.push(changes, ChangeKind::UnionVariantAdded, Impact::Compatible, member(name), reason, at);
                continue;
            };
            if before.ty != variant.ty {
                let reason = format!("`{name}({})` is now `{name}({})`", type_text(&before.ty), type_text(&variant.ty));
                self.push(changes, ChangeKind::UnionVariantChanged, Impact::Breaking, member(name), reason, self.at());
            }
            if before.tags != variant.tags {
                let reason = format!(
                    "chosen by discriminator values {} (was {}): the Rust API is unchanged",
                    variant.tags.join(", "),
                    before.tags.join(", ")
                );
                self.push(
                    changes,
                    ChangeKind::DiscriminatorChanged,
                    Impact::NoApiChange,
                    member(name),
                    reason,
                    self.at(),
                );
            }
        }
        for variant in old_variants.iter().filter(|old| !new_variants.iter().any(|new| new.name == old.name)) {
            let reason = format!("removed: `{}({})` is gone", variant.name, type_text(&variant.ty));
            let at = At::old(&self.before.pointer);
            self.push(changes, ChangeKind::UnionVariantRemoved, Impact::Breaking, member(&variant.name), reason, at);
        }
    }

    fn compare_union_variants(
        &self,
        changes: &mut Changes<'_>,
        old_variants: &[(String, TypeRef)],
        new_variants: &[(String, TypeRef)],
    ) {
        let member = |name: &str| Some(Member::Variant(name.to_owned()));
        for (name, ty) in new_variants {
            match old_variants.iter().find(|(old_name, _)| old_name == name) {
                None => {
                    let reason = format!(
                        "new variant `{name}({})`: a `oneOf` without discriminator has no fallback, so older code fails on such values",
                        type_text(ty)
                    );
                    let at = At::new(&self.after.pointer);
                    self.push(changes, ChangeKind::UnionVariantAdded, Impact::Breaking, member(name), reason, at);
                }
                Some((_, old_ty)) if old_ty != ty => {
                    let reason = format!("`{name}({})` is now `{name}({})`", type_text(old_ty), type_text(ty));
                    self.push(
                        changes,
                        ChangeKind::UnionVariantChanged,
                        Impact::Breaking,
                        member(name),
                        reason,
                        self.at(),
                    );
                }
                Some(_) => {}
            }
        }
        for (name, ty) in old_variants.iter().filter(|(old, _)| !new_variants.iter().any(|(new, _)| new == old)) {
            let reason = format!("removed: `{name}({})` is gone", type_text(ty));
            let at = At::old(&self.before.pointer);
            self.push(changes, ChangeKind::UnionVariantRemoved, Impact::Breaking, member(name), reason, at);
        }
    }
}
