//! Dropping the types no kept operation uses, when only some operations are generated.

use super::Lowerer;
use crate::ir::{reachable_types, Operation};

impl Lowerer<'_> {
    /// Keeps only the types reachable from `operations`' parameters, bodies and responses.
    pub(super) fn keep_reachable(&mut self, operations: &[Operation]) {
        let roots = operations.iter().flat_map(Operation::named_types).collect();
        let reachable = reachable_types(&self.types, roots);
        self.types.retain(|t| reachable.contains(&t.name));
    }
}
