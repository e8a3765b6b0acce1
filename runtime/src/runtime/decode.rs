//! JSON decoding whose errors say where it failed: whole bodies, and `oneOf`/`anyOf` values tried
//! variant by variant (with the serialization of a discriminated variant).

use std::fmt;

/// Decodes JSON, naming the path of the value that failed (`pets[2].kind: unknown variant ...`).
pub fn decode_json<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| path_error(&e))?;
    deserializer.end().map_err(|e| e.to_string())?;
    Ok(value)
}

/// Decodes a whole response body: with serde_json alone, so a success costs nothing more; only
/// on failure is the body decoded again with serde_path_to_error, for the path of the value that
/// failed (`data[3].isDefault`, empty for the body itself) and serde's error.
pub(super) fn decode_body<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, (String, serde_json::Error)> {
    serde_json::from_slice(bytes).map_err(|error| {
        let mut deserializer = serde_json::Deserializer::from_slice(bytes);
        match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(located) => (path_of(located.path()), located.into_inner()),
            // Only trailing characters, which the first error already says.
            Ok(_) => (String::new(), error),
        }
    })
}

/// Decodes a JSON value (an item of a page), naming the path inside it on failure.
pub(super) fn decode_value<T: serde::de::DeserializeOwned>(
    value: &serde_json::Value,
) -> Result<T, (String, serde_json::Error)> {
    T::deserialize(value).map_err(|error| match serde_path_to_error::deserialize::<_, T>(value) {
        Err(located) => (path_of(located.path()), located.into_inner()),
        Ok(_) => (String::new(), error),
    })
}

/// A path as `a.b[2]`, empty for the root (serde_path_to_error writes `.`).
fn path_of(path: &serde_path_to_error::Path) -> String {
    let path = path.to_string();
    if path == "." {
        String::new()
    } else {
        path
    }
}

fn path_error<E: fmt::Display>(error: &serde_path_to_error::Error<E>) -> String {
    let path = error.path().to_string();
    if path == "." {
        error.inner().to_string()
    } else {
        format!("{path}: {}", error.inner())
    }
}

/// Buffers one JSON value, for `oneOf` types that inspect it before choosing a variant.
pub fn buffer<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<serde_json::Value, D::Error> {
    serde::Deserialize::deserialize(deserializer)
}

/// The string value of a discriminator property, if the value is an object that has one.
pub fn tag_of<'v>(value: &'v serde_json::Value, property: &str) -> Option<&'v str> {
    value.get(property)?.as_str()
}

/// The decoding of a `oneOf`/`anyOf` value: each variant is tried in turn (in spec order, or best
/// fit first: [`Variants::ranked`]) and every failure is kept, so a value that matches none fails with an error naming each variant and why (with the
/// path inside the value), not serde's bare "data did not match any variant".
#[derive(Debug)]
pub struct Variants<'v> {
    type_name: &'static str,
    value: &'v serde_json::Value,
    failures: Vec<(&'static str, String)>,
}

impl<'v> Variants<'v> {
    /// Starts decoding `value` as the type `type_name`.
    pub fn new(type_name: &'static str, value: &'v serde_json::Value) -> Self {
        Self { type_name, value, failures: Vec::new() }
    }

    /// The order to try the variants in: best fit first, by their [`Shape`]s (`None` for a
    /// variant that is not an object type), ties in spec order. See [`Shape`] for the rule.
    pub fn ranked(&self, shapes: &[Option<Shape>]) -> Vec<usize> {
        let mut order: Vec<(Fit, usize)> = shapes
            .iter()
            .enumerate()
            .map(|(index, shape)| (shape.as_ref().map_or(Fit::default(), |shape| shape.fit(self.value)), index))
            .collect();
        order.sort();
        order.into_iter().map(|(_, index)| index).collect()
    }

    /// Tries the variant `variant`; on failure, records why and returns `None`.
    pub fn attempt<T: serde::de::DeserializeOwned>(&mut self, variant: &'static str) -> Option<T> {
        match serde_path_to_error::deserialize(self.value) {
            Ok(decoded) => Some(decoded),
            Err(error) => {
                self.failures.push((variant, path_error(&error)));
                None
            }
        }
    }

    /// The error for a value no variant matched.
    pub fn no_match<E: serde::de::Error>(&self) -> E {
        let tried: Vec<String> = self.failures.iter().map(|(variant, why)| format!("{variant}: {why}")).collect();
        E::custom(format_args!("no variant of `{}` matched (tried {})", self.type_name, tried.join("; ")))
    }

    /// Decodes the variant a discriminator `property` = `tag` selected; its failure names both.
    pub fn dispatched<T: serde::de::DeserializeOwned, E: serde::de::Error>(
        &self,
        variant: &'static str,
        property: &str,
        tag: &str,
    ) -> Result<T, E> {
        serde_path_to_error::deserialize(self.value).map_err(|error| {
            E::custom(format_args!(
                "`{}` with {property} = {tag:?} is a `{variant}`, which does not match: {}",
                self.type_name,
                path_error(&error)
            ))
        })
    }
}

/// What an object variant of a `oneOf`/`anyOf` declares, for choosing the variant that fits a
/// value best rather than the first that decodes (a variant whose missing required properties are
/// nullable, or whose enums keep unknown values, decodes from objects it does not fit, and would
/// lose their other properties).
///
/// The rule, for an object value, in order: fewer properties whose value contradicts the
/// variant's `const`/`enum` (`values`); fewer `required` properties missing (a required nullable
/// one must be present, `null` or not); more of the value's properties declared by the variant;
/// fewer undeclared ones (none for a variant that keeps them, `open`). Ties go to the variant
/// listed first in the spec. Variants are then tried in that order and the first that decodes
/// wins. A variant that is not an object type (a primitive, an array, a map, another union)
/// counts as fitting with no property matched; for a value that is not an object, the order is
/// the spec's.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Every declared property, by wire name.
    pub properties: &'static [&'static str],
    /// The required ones.
    pub required: &'static [&'static str],
    /// Properties whose value the spec lists (`const`, `enum`), with the values (integers
    /// written in decimal).
    pub values: &'static [(&'static str, &'static [&'static str])],
    /// Whether undeclared properties are kept (`additionalProperties`), not unknown.
    pub open: bool,
}

/// How well a value fits a [`Shape`]; smaller is better.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Fit {
    contradicted: usize,
    missing: usize,
    unmatched: std::cmp::Reverse<usize>,
    unknown: usize,
}

impl Shape {
    fn fit(&self, value: &serde_json::Value) -> Fit {
        let Some(object) = value.as_object() else { return Fit::default() };
        let matched = self.properties.iter().filter(|p| object.contains_key(**p)).count();
        let contradicted = self
            .values
            .iter()
            .filter(|(property, allowed)| match object.get(*property) {
                Some(serde_json::Value::String(s)) => !allowed.contains(&s.as_str()),
                Some(serde_json::Value::Number(n)) => !allowed.contains(&n.to_string().as_str()),
                Some(serde_json::Value::Null) | None => false,
                Some(_) => true,
            })
            .count();
        Fit {
            contradicted,
            missing: self.required.iter().filter(|p| !object.contains_key(**p)).count(),
            unmatched: std::cmp::Reverse(matched),
            unknown: if self.open { 0 } else { object.len().saturating_sub(matched) },
        }
    }
}

/// Serializes a variant of a discriminated `oneOf`, adding the discriminator `property` = `tag`
/// when the variant's own fields do not already carry it.
pub fn serialize_tagged<S: serde::Serializer, T: serde::Serialize>(
    serializer: S,
    property: &str,
    tag: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let serde_json::Value::Object(map) = &mut json {
        if !map.contains_key(property) {
            map.insert(property.to_owned(), serde_json::Value::String(tag.to_owned()));
        }
    }
    serde::Serialize::serialize(&json, serializer)
}
