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
