//! Parameters on the wire: path segments, query styles, form bodies, header values.

use crate::runtime::*;

#[test]
fn path_segment_encodes_everything_but_unreserved() {
    assert_eq!(path_segment("a/b c").unwrap(), "a%2Fb%20c");
    assert_eq!(path_segment("AZaz09-._~").unwrap(), "AZaz09-._~");
    assert_eq!(path_segment("?#%&+=;:@").unwrap(), "%3F%23%25%26%2B%3D%3B%3A%40");
    assert_eq!(path_segment("café ☕").unwrap(), "caf%C3%A9%20%E2%98%95");
    assert_eq!(path_segment("...").unwrap(), "...");
}

#[test]
fn path_segment_rejects_dot_segments_and_empty() {
    for value in ["", ".", ".."] {
        assert!(matches!(path_segment(value), Err(Error::InvalidRequest(_))), "{value:?}");
    }
}

fn styled(style: Style, explode: bool, value: serde_json::Value) -> Vec<(String, String)> {
    let mut request = Request::new("testOp", Method::GET, "/".to_owned(), &[]);
    request.query_styled("p", style, explode, &value);
    request.query.into_iter().map(|(name, value)| (name.into_owned(), value)).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(name, value)| (name.to_string(), value.to_string())).collect()
}

#[test]
fn query_arrays_follow_style_and_explode() {
    let items = || serde_json::json!([1, "a b", null, true]);
    assert_eq!(styled(Style::Form, true, items()), pairs(&[("p", "1"), ("p", "a b"), ("p", "true")]));
    assert_eq!(styled(Style::Form, false, items()), pairs(&[("p", "1,a b,true")]));
    assert_eq!(styled(Style::SpaceDelimited, false, items()), pairs(&[("p", "1 a b true")]));
    assert_eq!(styled(Style::PipeDelimited, true, items()), pairs(&[("p", "1|a b|true")]));
    assert_eq!(styled(Style::Form, true, serde_json::Value::Null), pairs(&[]));
    assert_eq!(styled(Style::Form, true, serde_json::json!("x")), pairs(&[("p", "x")]));
}

#[test]
fn query_objects_follow_style_and_explode() {
    // Keys in order: serde_json keeps them sorted, or in insertion order with `preserve_order`.
    let object = || serde_json::json!({"a": 1, "b": "x", "c": null});
    assert_eq!(styled(Style::Form, true, object()), pairs(&[("a", "1"), ("b", "x")]));
    assert_eq!(styled(Style::Form, false, object()), pairs(&[("p", "a,1,b,x")]));
    assert_eq!(styled(Style::PipeDelimited, false, object()), pairs(&[("p", "a|1|b|x")]));
    let nested = serde_json::json!({"a": {"b": 1}, "c": [1, 2], "d": [{"e": 3}]});
    assert_eq!(
        styled(Style::DeepObject, true, nested),
        pairs(&[("p[a][b]", "1"), ("p[c]", "1"), ("p[c]", "2"), ("p[d][][e]", "3")])
    );
}

#[test]
fn form_bodies_header_values_and_params_are_encoded() {
    let body = serde_json::json!({"a": "x y&z", "o": {"k": 1}, "tags": ["p", "q"]});
    assert_eq!(form_urlencoded(&body).unwrap(), "a=x+y%26z&o%5Bk%5D=1&tags=p&tags=q");
    assert!(matches!(form_urlencoded(&serde_json::json!([1])), Err(Error::InvalidRequest(_))));
    assert_eq!(simple(&["a", "b"], false), "a,b");
    assert_eq!(simple(&serde_json::json!({"k": 1, "l": "v"}), false), "k,1,l,v");
    assert_eq!(simple(&serde_json::json!({"k": 1, "l": "v"}), true), "k=1,l=v");
    assert_eq!((param("text"), param(&2.5), param(&false)), ("text".to_owned(), "2.5".to_owned(), "false".to_owned()));
}
