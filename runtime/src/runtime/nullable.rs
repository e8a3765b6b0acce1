//! What generated structs use for properties that may be absent or `null`.

/// An optional property that may also be `null`, with the difference kept: a `PATCH` body can send
/// `"name": null` to clear a field ([`Nullable::Null`]) and omit it to leave it alone
/// ([`Nullable::Absent`], the default).
///
/// Generated structs use it for properties that are neither `required` nor non-nullable, so an
/// absent property decodes as `Absent` and is not sent, `null` round-trips as `Null`, and a value
/// as `Value`. Required nullable properties are plain `Option<T>` (sent, `None` as `null`), and
/// optional non-nullable ones `Option<T>` (omitted when `None`); the struct's [`Presence`] keeps
/// what their `None` cannot say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// Not present in the JSON object.
    Absent,
    /// Present as `null`.
    Null,
    /// Present with a value.
    Value(T),
}

// Written out: the derive would require `T: Default`.
#[allow(clippy::derivable_impls)]
impl<T> Default for Nullable<T> {
    fn default() -> Self {
        Self::Absent
    }
}

impl<T> Nullable<T> {
    /// Whether the property is absent (used by `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the property is present as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one, by value.
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }
}

/// `Some(v)` is `Value(v)`; `None` is `Null` (an explicit `null`, not an absent property).
impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        value.map_or(Self::Null, Self::Value)
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => serializer.serialize_some(value),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(Self::from)
    }
}

/// The value of an optional property, or the spec's `default` when the property is absent (for a
/// [`Nullable`] one, `None` when it is `null`): what the `<field>_or_default()` accessors of
/// generated structs return. Decoding never fills defaults in; this is how to read them.
pub fn default_if_absent<F: SpecDefault>(field: &F, default: F::Value) -> F::Output {
    field.default_if_absent(default)
}

/// A field type that can be absent: `Option<T>`, [`Nullable<T>`]. See [`default_if_absent`].
pub trait SpecDefault {
    /// The value type.
    type Value;
    /// What the accessor returns: the value, or (for [`Nullable`]) `None` for `null`.
    type Output;
    /// The value, or `default` when absent.
    fn default_if_absent(&self, default: Self::Value) -> Self::Output;
}

impl<T: Clone> SpecDefault for Option<T> {
    type Value = T;
    type Output = T;
    fn default_if_absent(&self, default: T) -> T {
        self.clone().unwrap_or(default)
    }
}

impl<T: Clone> SpecDefault for Nullable<T> {
    type Value = T;
    type Output = Option<T>;
    fn default_if_absent(&self, default: T) -> Option<T> {
        match self {
            Self::Absent => Some(default),
            Self::Null => None,
            Self::Value(value) => Some(value.clone()),
        }
    }
}

/// Whether an optional property is left out when serialized: `None`, or [`Nullable::Absent`].
pub trait Absent {
    /// Whether the value is absent.
    fn is_absent(&self) -> bool;
}

impl<T> Absent for Option<T> {
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T> Absent for Nullable<T> {
    fn is_absent(&self) -> bool {
        Nullable::is_absent(self)
    }
}

/// What a decoded object's `Option` fields cannot say themselves, so that encoding the value gives
/// back the JSON it came from: the optional properties that were present as `null` (their `None`
/// alone would be left out) and the required nullable ones that were absent (their `None` alone
/// would be sent as `null`). Kept by wire name in the `presence` field of generated structs that
/// have such properties; it applies only while the field is `None`, so setting a value overrides it.
///
/// Empty for values built in code (`Presence::default()`), where `None` means the usual. Ignored
/// by `==` and `Hash`: two values that hold the same data are equal however they were received.
#[derive(Clone, Default)]
pub struct Presence(Vec<&'static str>);

impl Presence {
    /// Whether the property `wire_name` was received the other way than its `None` says: `null`
    /// for an optional property, absent for a required nullable one.
    pub fn contains(&self, wire_name: &str) -> bool {
        self.0.contains(&wire_name)
    }

    /// Records the property `wire_name` as received the other way than its `None` says.
    pub fn insert(&mut self, wire_name: &'static str) {
        if !self.contains(wire_name) {
            self.0.push(wire_name);
        }
    }

    /// Forgets the property `wire_name`: its `None` is written the usual way again.
    pub fn remove(&mut self, wire_name: &str) {
        self.0.retain(|name| *name != wire_name);
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The recorded properties, in the order they were read.
    pub fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().copied()
    }

    /// Records an optional property decoded from `null` into a field whose type has no `null`
    /// (`Option<T>`); `slot` is what was read (`None`: the property was absent).
    pub fn note_null<T: Absent>(&mut self, wire_name: &'static str, slot: &Option<T>) {
        if slot.as_ref().is_some_and(Absent::is_absent) {
            self.insert(wire_name);
        }
    }
}

impl PartialEq for Presence {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Presence {}

impl std::hash::Hash for Presence {
    fn hash<H: std::hash::Hasher>(&self, _: &mut H) {}
}

impl std::fmt::Debug for Presence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(&self.0).finish()
    }
}
