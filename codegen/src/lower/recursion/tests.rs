use super::depth::{deepest, BUDGET};
use super::*;
use crate::ir::{Docs, Field, TaggedVariant, TypeKind, TypeRef};

#[test]
fn cycles_share_a_component_and_chains_do_not() {
    // 0 -> 1 -> 2 -> 0 is a cycle; 3 -> 0 is not on it; 4 -> 4 is a self-loop.
    let c = strongly_connected(&[vec![1], vec![2], vec![0], vec![0], vec![4]]);
    assert_eq!(c[0], c[1]);
    assert_eq!(c[1], c[2]);
    assert_ne!(c[3], c[0]);
    assert_ne!(c[4], c[0]);
}

fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

fn def(name: &str, kind: TypeKind) -> TypeDef {
    TypeDef { name: name.to_owned(), pointer: format!("#/components/schemas/{name}"), docs: Docs::default(), kind }
}

fn field(name: &str, ty: TypeRef, required: bool) -> Field {
    Field {
        name: name.to_owned(),
        wire_name: name.to_owned(),
        ty,
        required,
        boxed: false,
        docs: Docs::default(),
        constraints: Default::default(),
        default: None,
    }
}

fn object(name: &str, fields: Vec<Field>) -> TypeDef {
    def(name, TypeKind::Struct { fields, additional: None })
}

fn alias(name: &str, target: TypeRef) -> TypeDef {
    def(name, TypeKind::Alias { target })
}

fn run(mut types: Vec<TypeDef>) -> (Vec<TypeDef>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    finish(&mut types, &mut diagnostics);
    (types, diagnostics)
}

/// A ring of `n` structs, each requiring the next.
fn ring(n: usize) -> Vec<TypeDef> {
    (0..n)
        .map(|i| {
            object(
                &format!("A{i}"),
                vec![field(&format!("a{}", (i + 1) % n), named(&format!("A{}", (i + 1) % n)), true)],
            )
        })
        .collect()
}

#[test]
fn aliases_naming_each_other_are_a_cycle_at_the_first() {
    let (_, diagnostics) = run(vec![alias("A", named("B")), alias("B", TypeRef::Nullable(Box::new(named("A"))))]);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d = &diagnostics[0];
    assert_eq!((d.code, d.pointer.as_str()), ("E0032", "#/components/schemas/A"));
    assert!(
        d.message.contains("`#/components/schemas/A` -> `#/components/schemas/B` -> `#/components/schemas/A`"),
        "{}",
        d.message
    );
    let (_, diagnostics) = run(vec![alias("S", named("S"))]);
    assert_eq!(diagnostics[0].code, "E0032");
}

#[test]
fn aliases_through_arrays_and_maps_become_newtypes() {
    let list = alias("List", TypeRef::Array(Box::new(named("List"))));
    let a = alias("A", TypeRef::Map(Box::new(named("B"))));
    let b = alias("B", TypeRef::Nullable(Box::new(named("A"))));
    let plain = alias("Plain", TypeRef::Array(Box::new(named("List"))));
    let (types, diagnostics) = run(vec![list, a, b, plain]);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert!(matches!(types[0].kind, TypeKind::Newtype { .. }));
    assert!(matches!(types[1].kind, TypeKind::Newtype { .. }));
    assert!(matches!(types[2].kind, TypeKind::Newtype { .. }));
    assert!(matches!(types[3].kind, TypeKind::Alias { .. }), "not on a cycle");
}

#[test]
fn union_variants_on_a_cycle_are_boxed() {
    let u = def(
        "U",
        TypeKind::Untagged {
            variants: vec![("S".into(), TypeRef::Primitive(crate::ir::Primitive::String)), ("U".into(), named("U"))],
            boxed: Vec::new(),
        },
    );
    let m1 = def("M1", TypeKind::Untagged { variants: vec![("M2".into(), named("M2"))], boxed: Vec::new() });
    let m2 = def(
        "M2",
        TypeKind::Tagged {
            property: "kind".into(),
            variants: vec![TaggedVariant { name: "M1".into(), tags: vec!["m1".into()], ty: named("V"), boxed: false }],
        },
    );
    let v = alias("V", named("M1"));
    let (types, diagnostics) = run(vec![u, m1, m2, v]);
    assert!(diagnostics.is_empty());
    assert!(matches!(&types[0].kind, TypeKind::Untagged { boxed, .. } if boxed == &[1]));
    assert!(matches!(&types[1].kind, TypeKind::Untagged { boxed, .. } if boxed == &[0]));
    assert!(matches!(&types[2].kind, TypeKind::Tagged { variants, .. } if variants[0].boxed));
}

#[test]
fn short_cycles_and_chains_are_left_alone() {
    let (types, diagnostics) = run(ring(30));
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert!(types.iter().all(|t| matches!(&t.kind, TypeKind::Struct { fields, .. } if fields[0].boxed)));
    // A large cycle of short paths (as Stripe's 187 types that expand into each other): a
    // hub holding 150 types, each holding the hub.
    let hub = object(
        "Hub",
        (0..150).map(|i| field(&format!("d{i}"), TypeRef::Array(Box::new(named(&format!("D{i}")))), false)).collect(),
    );
    let mut dense: Vec<TypeDef> =
        (0..150).map(|i| object(&format!("D{i}"), vec![field("hub", named("Hub"), false)])).collect();
    dense.push(hub);
    let (types, diagnostics) = run(dense);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert!(deepest(&types) <= 10);
}

#[test]
fn random_graphs_fit_after_cutting() {
    // A small linear congruential generator: the same graphs on every run.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |bound: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % bound
    };
    let mut rounds_with_cuts = 0;
    for round in 0..40 {
        let n = 50 + next(500);
        let types: Vec<TypeDef> = (0..n)
            .map(|i| {
                let fields = (0..next(4))
                    .map(|k| {
                        // Mostly to a near type (long chains and cycles), sometimes anywhere.
                        let to = if next(4) == 0 { next(n) } else { (i + 1 + next(3)) % n };
                        let mut ty = named(&format!("T{to}"));
                        for _ in 0..next(3) {
                            ty = match next(3) {
                                0 => TypeRef::Array(Box::new(ty)),
                                1 => TypeRef::Map(Box::new(ty)),
                                _ => TypeRef::Nullable(Box::new(ty)),
                            };
                        }
                        field(&format!("f{k}"), ty, next(2) == 0)
                    })
                    .collect();
                object(&format!("T{i}"), fields)
            })
            .collect();
        let (types, diagnostics) = run(types);
        assert!(deepest(&types) <= BUDGET, "round {round}: {}", deepest(&types));
        rounds_with_cuts += usize::from(!diagnostics.is_empty());
    }
    assert!(rounds_with_cuts > 10, "{rounds_with_cuts}");
}

#[test]
fn long_cycles_are_cut_until_every_walk_fits() {
    let (types, diagnostics) = run(ring(200));
    assert!(!diagnostics.is_empty());
    assert!(diagnostics.iter().all(|d| d.code == "W0033" && d.severity == crate::Severity::Warning));
    assert!(deepest(&types) <= BUDGET, "{}", deepest(&types));
    // Far fewer cuts than types: one per band.
    assert!(diagnostics.len() < 20, "{}", diagnostics.len());
    assert!(diagnostics[0].message.contains("property `a"), "{}", diagnostics[0].message);
}

#[test]
fn deep_chains_of_optional_objects_are_cut() {
    let chain: Vec<TypeDef> = (0..300)
        .map(|i| {
            let fields = if i == 299 { Vec::new() } else { vec![field("next", named(&format!("C{}", i + 1)), false)] };
            object(&format!("C{i}"), fields)
        })
        .collect();
    let (types, diagnostics) = run(chain);
    assert!(!diagnostics.is_empty());
    assert!(deepest(&types) <= BUDGET, "{}", deepest(&types));
}

#[test]
fn mixed_long_cycles_with_arrays_maps_and_unions_fit() {
    // A ring of 120 where the references alternate between an array, a map, a union and a
    // required field, with a shortcut back every 7 types.
    let n: usize = 120;
    let types: Vec<TypeDef> = (0..n)
        .map(|i| {
            let next = named(&format!("R{}", (i + 1) % n));
            let back = named(&format!("R{}", i.saturating_sub(7)));
            match i % 4 {
                0 => object(
                    &format!("R{i}"),
                    vec![field("a", TypeRef::Array(Box::new(next)), true), field("b", back, false)],
                ),
                1 => def(
                    &format!("R{i}"),
                    TypeKind::Struct { fields: vec![field("b", back, false)], additional: Some(next) },
                ),
                2 => def(
                    &format!("R{i}"),
                    TypeKind::Untagged { variants: vec![("N".into(), next), ("B".into(), back)], boxed: Vec::new() },
                ),
                _ => object(&format!("R{i}"), vec![field("n", next, true)]),
            }
        })
        .collect();
    let (types, diagnostics) = run(types);
    assert!(!diagnostics.is_empty());
    assert!(deepest(&types) <= BUDGET, "{}", deepest(&types));
}
