//! One cargo feature per OpenAPI tag, so a consumer compiles only the operations (and the types
//! only they need) of the tags it uses.
//!
//! An operation is compiled when any of its tags' features is on; untagged operations always are.
//! A type is gated by the features of the tags whose operations reach it; types reached from an
//! untagged operation, from no operation at all, or from every tag are always compiled. Events
//! (the `webhooks` module) count as operations: a callback has its operation's tags, a webhook
//! its own (a webhook whose tags no operation has is always compiled).

use crate::ir::{Api, TypeIndex};
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeSet, HashMap};

/// The tag features of one API, and which items each gates.
#[derive(Debug, Default)]
pub struct TagFeatures {
    /// Feature names, in the spec's tag order.
    pub features: Vec<String>,
    operations: HashMap<String, Vec<String>>,
    /// By `Event` variant.
    events: HashMap<String, Vec<String>>,
    types: HashMap<String, Vec<String>>,
}

impl TagFeatures {
    /// No features: everything is always compiled.
    pub fn none() -> Self {
        Self::default()
    }

    /// Features for every tag of `api`, named in lowering (none when it has fewer than two tags:
    /// nothing to choose).
    pub fn of(api: &Api) -> Self {
        if api.tag_features.len() < 2 {
            return Self::none();
        }
        let tags: Vec<&str> = api.tag_features.iter().map(|(tag, _)| tag.as_str()).collect();
        let feature_of: HashMap<&str, String> =
            api.tag_features.iter().map(|(tag, feature)| (tag.as_str(), feature.clone())).collect();

        // One walk per tag from all its operations (not one per operation): linear in the spec
        // for a given number of tags.
        let mut operations = HashMap::new();
        let mut always_roots = Vec::new();
        let mut roots_of: HashMap<&str, Vec<String>> = HashMap::new();
        for op in &api.operations {
            if op.tags.is_empty() {
                always_roots.extend(op.named_types());
                continue;
            }
            let features: BTreeSet<&str> =
                op.tags.iter().filter_map(|t| feature_of.get(t.as_str())).map(String::as_str).collect();
            for feature in &features {
                roots_of.entry(feature).or_default().extend(op.named_types());
            }
            operations.insert(op.name.clone(), features.iter().map(|f| (*f).to_owned()).collect());
        }
        let mut events = HashMap::new();
        for event in &api.events {
            let features: BTreeSet<&str> =
                event.tags.iter().filter_map(|t| feature_of.get(t.as_str())).map(String::as_str).collect();
            if features.is_empty() {
                always_roots.extend(event.named_types());
                continue;
            }
            for feature in &features {
                roots_of.entry(feature).or_default().extend(event.named_types());
            }
            events.insert(event.variant.clone(), features.iter().map(|f| (*f).to_owned()).collect());
        }
        let index = TypeIndex::new(&api.types);
        let mut reached_by: HashMap<String, BTreeSet<&str>> = HashMap::new();
        for (feature, roots) in roots_of {
            for name in index.reachable(roots) {
                reached_by.entry(name).or_default().insert(feature);
            }
        }
        always_roots.extend(api.types.iter().filter(|t| !reached_by.contains_key(&t.name)).map(|t| t.name.clone()));
        let always = index.reachable(always_roots);
        let types = reached_by
            .into_iter()
            .filter(|(name, features)| !always.contains(name) && features.len() < tags.len())
            .map(|(name, features)| (name, features.into_iter().map(str::to_owned).collect()))
            .collect();
        let features = tags.iter().map(|t| feature_of[t].clone()).collect();
        Self { features, operations, events, types }
    }

    /// The features that compile operation `name` (any one suffices); empty when always compiled.
    pub fn operation_features(&self, name: &str) -> &[String] {
        self.operations.get(name).map_or(&[], Vec::as_slice)
    }

    /// `#[cfg(...)]` for the client method of operation `name`, or nothing.
    pub fn operation_cfg(&self, name: &str) -> TokenStream {
        Self::cfg_of(self.operations.get(name).map_or(&[], Vec::as_slice))
    }

    /// `#[cfg(...)]` for the variant, match arms and function of the event whose `Event` variant
    /// is `variant`, or nothing.
    pub fn event_cfg(&self, variant: &str) -> TokenStream {
        Self::cfg_of(self.events.get(variant).map_or(&[], Vec::as_slice))
    }

    /// `#[cfg(...)]` for the items of type `name`, or nothing.
    pub fn type_cfg(&self, name: &str) -> TokenStream {
        Self::cfg_of(self.types.get(name).map_or(&[], Vec::as_slice))
    }
}

impl TagFeatures {
    /// `#[cfg(...)]` for an item compiled when any of `features` is on; nothing when none are
    /// listed (always compiled).
    pub fn cfg_of(features: &[String]) -> TokenStream {
        match features {
            [] => quote!(),
            [one] => quote!(#[cfg(feature = #one)]),
            many => quote!(#[cfg(any(#(feature = #many),*))]),
        }
    }
}
