//! A generated file in parts: what [`crate::emit`] produces and [`crate::format`] formats,
//! spread over the cores. A leaf module, so neither stage imports the other.

use proc_macro2::TokenStream;

/// A piece of a generated file: builds its tokens when called, on whichever thread formats it
/// (tokens cannot cross threads). A file is its parts' tokens in order.
pub struct Part<'a> {
    /// Rough cost, in types' worth: the heaviest parts are started first so that no thread is
    /// left with one big part at the end.
    pub weight: usize,
    /// Builds the tokens.
    pub build: Box<dyn Fn() -> TokenStream + Send + Sync + 'a>,
}

impl<'a> Part<'a> {
    /// A part of cost `weight` whose tokens `build` makes.
    pub fn new(weight: usize, build: impl Fn() -> TokenStream + Send + Sync + 'a) -> Self {
        Self { weight, build: Box::new(build) }
    }
}
