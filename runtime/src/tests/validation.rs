//! Validation: each broken constraint recorded with its path and rule.

use crate::runtime::*;

#[test]
fn each_broken_constraint_is_recorded_in_order() {
    let mut violations = Violations::default();
    violations.length(&field_path("", "name"), "", Some(1), Some(3));
    violations.number(&field_path("size", "width"), 0.3, Some((0.3, true)), None, Some(0.1));
    violations.number("ratio", 0.25, None, None, Some(0.1));
    violations.items(&index_path("tags", 2), 4, None, Some(3));
    violations.unique("ids", &[1, 2, 1]);
    assert!(!violations.is_empty());
    assert_eq!(violations.at("ids").map(|v| v.rule.as_str()), Some("item 2 repeats an earlier item (uniqueItems)"));
    assert_eq!(
        violations.to_string(),
        "name: length 0 is below minLength 1; size.width: 0.3 is not above exclusiveMinimum 0.3; \
         ratio: 0.25 is not a multiple of 0.1; tags[2]: 4 items is above maxItems 3; \
         ids: item 2 repeats an earlier item (uniqueItems)"
    );
    assert_eq!(violations.clone().into_result(), Err(violations));
    assert_eq!(Violations::default().into_result(), Ok(()));
}

#[test]
fn pattern_is_searched_unanchored_and_an_unsupported_one_is_not_checked() {
    let mut violations = Violations::default();
    violations.pattern("slug", "abc", "^[a-z]+$");
    violations.pattern("code", "x-12-y", r"\d{2}");
    violations.pattern("ascii", "é", "^[a-zé]+$");
    assert!(violations.is_empty(), "{violations}");

    violations.pattern("slug", "Abc", "^[a-z]+$");
    violations.pattern("code", "none", r"\d{2}");
    // Look-around and `\p{..}` are beyond `regex-lite`: unchecked rather than refused.
    violations.pattern("ahead", "b", "^(?=a)");
    violations.pattern("letters", "123", r"^\p{L}+$");
    assert_eq!(
        violations.to_string(),
        r"slug: does not match pattern `^[a-z]+$`; code: does not match pattern `\d{2}`"
    );
}

#[test]
fn display_is_bounded_and_iter_keeps_everything() {
    let mut violations = Violations::default();
    let long_key = "k".repeat(10_000);
    violations.length(&field_path("byName", &long_key), "", Some(1), None);
    for i in 0..1_000 {
        violations.number(&index_path("sizes", i), 0.0, Some((1.0, false)), None, None);
    }
    static LONG: &str =
        "^(alpha|bravo|charlie|delta|echo|foxtrot|golf|hotel|india|juliett|kilo|lima|mike|november|oscar|papa)+$";
    violations.pattern("name", "!", LONG);
    assert_eq!(violations.iter().count(), 1_002);
    let shown = violations.to_string();
    assert!(shown.len() < 4_096, "{} bytes", shown.len());
    assert!(shown.starts_with("byName.kkk"), "{shown}");
    assert!(shown.contains("kkk...: length 0 is below minLength 1; sizes[0]: 0 is below minimum 1"), "{shown}");
    assert!(shown.ends_with("sizes[8]: 0 is below minimum 1; and 992 more"), "{shown}");
    let rule = &violations.at("name").expect("recorded").rule;
    assert!(rule.len() < 130 && rule.ends_with("...`"), "{rule}");
}
