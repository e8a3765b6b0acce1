//! The overlays in `specs/` fix what the vendors' literal specs get wrong. Each fix must stop
//! applying (E0061) once the vendor ships it, so it is never applied twice: for every action of
//! every overlay named in `specs/codegen.toml`, this test adds the action's fields to the spec the
//! way a vendor fix would, and expects that action, and only it, to fail.

use serde_json::Value;
use serde_json_path::JsonPath;
use std::path::{Path, PathBuf};

/// `(spec, overlay)` pairs named by `specs/codegen.toml`.
fn overlays() -> Vec<(PathBuf, PathBuf)> {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs");
    let config: toml::Table =
        std::fs::read_to_string(specs.join("codegen.toml")).expect("codegen.toml").parse().expect("TOML");
    let apis = config["api"].as_array().expect("[[api]] tables");
    apis.iter()
        .flat_map(|api| {
            let spec = specs.join(api["spec"].as_str().expect("spec"));
            let names = api.get("overlays").and_then(|o| o.as_array()).cloned().unwrap_or_default();
            let overlays: Vec<PathBuf> = names.iter().map(|n| specs.join(n.as_str().expect("overlay file"))).collect();
            overlays.into_iter().map(move |overlay| (spec.clone(), overlay))
        })
        .collect()
}

fn load(path: &Path) -> Value {
    codegen::load::load(path).unwrap_or_else(|e| panic!("{} loads: {e:?}", path.display())).document
}

fn failing_actions(document: &mut Value, overlay: &Value) -> Vec<String> {
    match codegen::overlay::apply(document, overlay, "overlay.yaml") {
        Ok(()) => Vec::new(),
        Err(diagnostics) => diagnostics.iter().map(|d| format!("{} {}", d.code, d.pointer)).collect(),
    }
}

/// Merges `update` into every node `target` selects, as the vendor fixing its spec would.
fn ship_fix(document: &mut Value, target: &str, update: &Value) {
    let path = JsonPath::parse(target).unwrap_or_else(|e| panic!("target `{target}`: {e}"));
    let pointers: Vec<String> = path.query_located(document).locations().map(|l| l.to_json_pointer()).collect();
    assert!(!pointers.is_empty(), "`{target}` applies to the vendor's spec today");
    for pointer in pointers {
        let node = document.pointer_mut(&pointer).expect("located node").as_object_mut().expect("an object");
        for (key, value) in update.as_object().expect("an update object") {
            node.insert(key.clone(), value.clone());
        }
    }
}

#[test]
fn specs_have_overlays_and_they_apply_today() {
    let pairs = overlays();
    assert!(!pairs.is_empty(), "specs/codegen.toml names at least one overlay");
    for (spec, overlay) in pairs {
        let mut document = load(&spec);
        assert_eq!(failing_actions(&mut document, &load(&overlay)), Vec::<String>::new(), "{}", overlay.display());
    }
}

#[test]
fn every_overlay_action_fails_once_the_vendor_ships_its_fix() {
    for (spec, overlay_path) in overlays() {
        let overlay = load(&overlay_path);
        let actions = overlay["actions"].as_array().expect("actions");
        for (index, action) in actions.iter().enumerate() {
            let Some(update) = action.get("update") else { continue };
            let mut fixed = load(&spec);
            ship_fix(&mut fixed, action["target"].as_str().expect("target"), update);
            assert_eq!(
                failing_actions(&mut fixed, &overlay),
                [format!("E0061 #/actions/{index}")],
                "{} action {index} must stop applying once the spec has its fields",
                overlay_path.display()
            );
        }
    }
}
