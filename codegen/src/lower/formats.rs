//! Schema `format`s into primitive types. The table (format, Rust type, opt-out) is in
//! `docs/conformance.md`; keep the two in step.

use crate::ir::Primitive;
use crate::options::ApiOptions;
use openapiv3::{IntegerFormat, NumberFormat, StringFormat, VariantOrUnknownOrEmpty};

/// The type of `type: integer` with this `format`. `int32` is `i32` whatever the options;
/// `plain_integers` reads no other format (every other integer is `i64`). `uint` and `int` are
/// what schemars writes for `usize` and `isize`. Without a format an integer is `i64`, even with
/// `minimum: 0`: the bound says nothing about the width.
pub(super) fn integer(format: Option<&str>, options: &ApiOptions) -> Primitive {
    match format {
        Some("int32") => Primitive::I32,
        _ if options.plain_integers => Primitive::I64,
        Some("int8") => Primitive::I8,
        Some("int16") => Primitive::I16,
        Some("uint8") => Primitive::U8,
        Some("uint16") => Primitive::U16,
        Some("uint32") => Primitive::U32,
        Some("uint64" | "uint") => Primitive::U64,
        _ => Primitive::I64,
    }
}

/// The type of `type: number` with this `format`: `float` is `f32`, anything else `f64`.
pub(super) fn number(format: Option<&str>) -> Primitive {
    match format {
        Some("float") => Primitive::F32,
        _ => Primitive::F64,
    }
}

/// The type of `type: string` with this `format`; `formats_as_strings` keeps every one `String`.
pub(super) fn string(format: Option<&str>, options: &ApiOptions) -> Primitive {
    if options.formats_as_strings {
        return Primitive::String;
    }
    match format {
        Some("date-time") => Primitive::DateTime,
        Some("date") => Primitive::Date,
        Some("uuid") => Primitive::Uuid,
        Some("ipv4") => Primitive::Ipv4,
        Some("ipv6") => Primitive::Ipv6,
        Some("ip") => Primitive::Ip,
        _ => Primitive::String,
    }
}

/// The `format` of an integer schema, as written.
pub(super) fn integer_format(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> Option<&str> {
    text(format, |f| match f {
        IntegerFormat::Int32 => "int32",
        IntegerFormat::Int64 => "int64",
    })
}

/// The `format` of a number schema, as written.
pub(super) fn number_format(format: &VariantOrUnknownOrEmpty<NumberFormat>) -> Option<&str> {
    text(format, |f| match f {
        NumberFormat::Float => "float",
        NumberFormat::Double => "double",
    })
}

/// The `format` of a string schema, as written.
pub(super) fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<&str> {
    text(format, |f| match f {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    })
}

fn text<T>(format: &VariantOrUnknownOrEmpty<T>, known: impl Fn(&T) -> &'static str) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(known(item)),
        VariantOrUnknownOrEmpty::Unknown(text) => Some(text),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sized_integer_formats_get_sized_types_unless_plain_integers() {
        let sized = ApiOptions::default();
        let plain = ApiOptions { plain_integers: true, ..Default::default() };
        let cases = [
            ("int8", Primitive::I8),
            ("int16", Primitive::I16),
            ("int32", Primitive::I32),
            ("int64", Primitive::I64),
            ("int", Primitive::I64),
            ("uint8", Primitive::U8),
            ("uint16", Primitive::U16),
            ("uint32", Primitive::U32),
            ("uint64", Primitive::U64),
            ("uint", Primitive::U64),
            ("unix-time", Primitive::I64),
        ];
        for (format, expected) in cases {
            assert_eq!(integer(Some(format), &sized), expected, "{format}");
            let plain_expected = if format == "int32" { Primitive::I32 } else { Primitive::I64 };
            assert_eq!(integer(Some(format), &plain), plain_expected, "{format} with plain_integers");
        }
        assert_eq!(integer(None, &sized), Primitive::I64);
    }

    #[test]
    fn string_formats_and_formats_as_strings() {
        let typed = ApiOptions::default();
        let strings = ApiOptions { formats_as_strings: true, ..Default::default() };
        for (format, expected) in [
            ("date-time", Primitive::DateTime),
            ("date", Primitive::Date),
            ("uuid", Primitive::Uuid),
            ("ipv4", Primitive::Ipv4),
            ("ipv6", Primitive::Ipv6),
            ("ip", Primitive::Ip),
            ("cidr", Primitive::String),
            ("hostname", Primitive::String),
        ] {
            assert_eq!(string(Some(format), &typed), expected, "{format}");
            assert_eq!(string(Some(format), &strings), Primitive::String, "{format} with formats_as_strings");
        }
        assert_eq!(number(Some("float")), Primitive::F32);
        assert_eq!(number(Some("double")), Primitive::F64);
        assert_eq!(number(None), Primitive::F64);
    }
}
