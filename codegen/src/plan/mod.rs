//! Decisions about the generated crate that need the whole API, or more than one operation or
//! type, made once on the model ([`crate::ir`]) so that [`crate::emit`] only prints them: which
//! operations share an error enum, which operations page and how, which types requests send
//! (and validate), which types cannot derive `Eq`. The seed of the surface plan of DESIGN.md.

pub mod derives;
pub mod errors;
pub mod pagination;
pub mod sent;
