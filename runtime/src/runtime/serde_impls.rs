//! The serde impls of generated object types and string enums: `object_serde!` and `string_enum!`,
//! and the helpers their expansions call. Expansions name everything as `$crate::runtime::...`,
//! the path of this module in a generated crate.

use std::fmt;

use super::{Absent, Presence};

/// An object's property name as read, borrowed from the input when it can be: the generated
/// `Deserialize` impls of object types match on it.
pub struct FieldName<'de>(std::borrow::Cow<'de, str>);

impl FieldName<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name, owned (for properties the spec does not declare).
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for FieldName<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = FieldName<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(FieldName(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(FieldName(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(FieldName(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// Reads the value of the property just named into its slot. The generated `visit_map` calls this for every property
/// and checks one result per property read: a `?` per field would give the function an early
/// return per field, each dropping every other field, which is most of what rustc spends on
/// checking large object types.
pub fn set<'de, T: serde::Deserialize<'de>, A: serde::de::MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Keeps an undeclared property's decoded value, as [`set`] does a declared one's.
pub fn keep<T, E>(
    extra: &mut std::collections::BTreeMap<String, T>,
    name: FieldName<'_>,
    value: Result<T, E>,
) -> Result<(), E> {
    extra.insert(name.into_string(), value?);
    Ok(())
}

/// Writes the properties of an object: the generated `Serialize` impls call one method per
/// property, which does nothing once a write has failed, and [`MapWriter::end`] returns the first
/// error. One call per property and no early returns keep the impls cheap for rustc to check.
pub struct MapWriter<M: serde::ser::SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: serde::ser::SerializeMap> MapWriter<M> {
    /// Starts a map of unknown length on `serializer`.
    pub fn new<S: serde::Serializer<SerializeMap = M, Error = M::Error>>(serializer: S) -> Result<Self, M::Error> {
        Ok(Self { map: serializer.serialize_map(None)?, error: None })
    }

    fn entry<T: serde::Serialize + ?Sized>(&mut self, key: &str, value: &T) {
        if self.error.is_none() {
            self.error = self.map.serialize_entry(key, value).err();
        }
    }

    /// A required property: always written.
    pub fn required<T: serde::Serialize>(&mut self, key: &'static str, value: &T) {
        self.entry(key, value);
    }

    /// A required nullable property: written (`None` as `null`) unless it is `None` and was
    /// received absent.
    pub fn nullable<T: serde::Serialize>(&mut self, key: &'static str, value: &Option<T>, presence: &Presence) {
        if value.is_some() || !presence.contains(key) {
            self.entry(key, value);
        }
    }

    /// An optional property: written unless absent; `null` when absent but received as `null`.
    pub fn optional<T: serde::Serialize + Absent>(&mut self, key: &'static str, value: &T, presence: &Presence) {
        if !value.is_absent() {
            self.entry(key, value);
        } else if presence.contains(key) {
            self.entry(key, &Option::<()>::None);
        }
    }

    /// The undeclared properties, kept in a map.
    pub fn extra<V: serde::Serialize>(&mut self, extra: &std::collections::BTreeMap<String, V>) {
        for (key, value) in extra {
            self.entry(key, value);
        }
    }

    /// Ends the map, or returns the first error.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.map.end(),
        }
    }
}

/// The first of `required` (name, present) whose property is absent, for serde's "missing
/// field" error; `""` when all are present.
pub fn first_missing(required: &[(&'static str, bool)]) -> &'static str {
    required.iter().find(|(_, present)| !present).map_or("", |(name, _)| name)
}

/// `Serialize` and `Deserialize` for an object type, from one list of its properties grouped by
/// how they are absent: `required`; `nullable` (required, may be `null`: an `Option`, sent as
/// `null` when `None`); `optional` (`Option` or [`Nullable`](super::Nullable), left out when
/// absent); `extra` (the map of undeclared properties); `presence` (the struct's
/// [`Presence`](super::Presence) field, when it has `Option` fields in `nullable` or `optional`).
/// Then the impls wanted: `serialize;` or `serialize(cfg);`, and `deserialize;`.
///
/// Does what the derives would: properties by wire name, unknown ones ignored (or kept in the
/// extras), an absent required one serde's "missing field" error. And one thing they do not: a
/// decoded value encodes back to the JSON it came from, an optional property sent as `null` and a
/// required nullable one left out included (the `presence` field remembers them). Never a value
/// the JSON did not have: the spec's `default`s are not filled in. A macro so the generated types
/// stay short to read and to generate; what it expands to is smaller for rustc than the derives:
/// no field-name enum, visitors or sequence form, and one early return for all required
/// properties (see [`set`]).
#[allow(unused_macros)] // in a crate without object types
macro_rules! object_serde {
    ($name:ident $fields:tt $($impl:ident $(($($cfg:tt)*))?;)*) => {
        $($crate::runtime::object_serde!(@$impl [$($($cfg)*)?] $name $fields);)*
    };
    (@cfg [] $item:item) => {
        $item
    };
    (@cfg [$($cfg:tt)+] $item:item) => {
        #[cfg($($cfg)+)]
        $item
    };
    (@unknown $map:ident $key:ident) => {
        $map.next_value::<serde::de::IgnoredAny>().map(|_| ())
    };
    (@unknown $map:ident $key:ident $extra:ident) => {
        $crate::runtime::keep(&mut $extra, $key, $map.next_value())
    };
    (@presence $this:ident) => {
        &$crate::runtime::Presence::default()
    };
    (@presence $this:ident $presence:ident) => {
        &$this.$presence
    };
    (
        @serialize [$($cfg:tt)*] $name:ident {
            $(required { $($required:ident: $required_wire:literal),* $(,)? })?
            $(nullable { $($nullable:ident: $nullable_wire:literal),* $(,)? })?
            $(optional { $($optional:ident: $optional_wire:literal),* $(,)? })?
            $(extra { $extra:ident })?
            $(presence { $presence:ident })?
        }
    ) => {
        $crate::runtime::object_serde!(@cfg [$($cfg)*] impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                #[allow(unused_variables)]
                let presence: &$crate::runtime::Presence = $crate::runtime::object_serde!(@presence self $($presence)?);
                let mut map = $crate::runtime::MapWriter::new(serializer)?;
                $($(map.required($required_wire, &self.$required);)*)?
                $($(map.nullable($nullable_wire, &self.$nullable, presence);)*)?
                $($(map.optional($optional_wire, &self.$optional, presence);)*)?
                $(map.extra(&self.$extra);)?
                map.end()
            }
        });
    };
    (
        @deserialize [] $name:ident {
            $(required { $($required:ident: $required_wire:literal),* $(,)? })?
            $(nullable { $($nullable:ident: $nullable_wire:literal),* $(,)? })?
            $(optional { $($optional:ident: $optional_wire:literal),* $(,)? })?
            $(extra { $extra:ident })?
            $(presence { $presence:ident })?
        }
    ) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<__A: serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<$name, __A::Error> {
                        $($(let mut $required = None;)*)?
                        $($(let mut $nullable = None;)*)?
                        $($(let mut $optional = None;)*)?
                        $(let mut $extra = std::collections::BTreeMap::new();)?
                        while let Some(key) = map.next_key::<$crate::runtime::FieldName<'de>>()? {
                            let read = match key.as_str() {
                                $($($required_wire => $crate::runtime::set(&mut $required, &mut map),)*)?
                                $($($nullable_wire => $crate::runtime::set(&mut $nullable, &mut map),)*)?
                                $($($optional_wire => $crate::runtime::set(&mut $optional, &mut map),)*)?
                                _ => $crate::runtime::object_serde!(@unknown map key $($extra)?),
                            };
                            read?;
                        }
                        $(
                            let missing = $crate::runtime::first_missing(&[$(($required_wire, $required.is_some())),*]);
                            let ($(Some($required),)*) = ($($required,)*) else {
                                return Err(serde::de::Error::missing_field(missing));
                            };
                        )?
                        #[allow(unused_mut, unused_variables)]
                        let mut presence = $crate::runtime::Presence::default();
                        $($(
                            if $nullable.is_none() {
                                presence.insert($nullable_wire);
                            }
                        )*)?
                        $($(presence.note_null($optional_wire, &$optional);)*)?
                        Ok($name {
                            $($($required,)*)?
                            $($($nullable: $nullable.unwrap_or_default(),)*)?
                            $($($optional: $optional.unwrap_or_default(),)*)?
                            $($extra,)?
                            $($presence: presence,)?
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use object_serde;

/// The impls of a string enum: `as_str` and `Display` with each variant's wire value, then the
/// serde impls wanted (`serialize;` or `serialize(cfg);`, and `deserialize;`); a value the spec
/// does not list decodes as the enum's `Unknown(String)`.
#[allow(unused_macros)] // in a crate without string enums
macro_rules! string_enum {
    ($name:ident $variants:tt $($impl:ident $(($($cfg:tt)*))?;)*) => {
        $crate::runtime::string_enum!(@str $name $variants);
        $($crate::runtime::string_enum!(@$impl [$($($cfg)*)?] $name $variants);)*
    };
    (@str $name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    (@serialize [$($cfg:tt)*] $name:ident $variants:tt) => {
        $crate::runtime::object_serde!(@cfg [$($cfg)*] impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        });
    };
    (@deserialize [] $name:ident { $($variant:ident = $wire:literal),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(match value.as_str() {
                    $($wire => Self::$variant,)*
                    _ => Self::Unknown(value),
                })
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;
