//! Dropping the types no kept operation uses, when only some operations are generated.

use super::Lowerer;
use crate::ir::{reachable_types, Event, Operation};

impl Lowerer<'_> {
    /// Keeps only the types reachable from `operations`' parameters, bodies and responses, and
    /// from the payloads of the `events` kept.
    pub(super) fn keep_reachable(&mut self, operations: &[Operation], events: &[Event]) {
        let roots = operations
            .iter()
            .flat_map(Operation::named_types)
            .chain(events.iter().flat_map(Event::named_types))
            .collect();
        let reachable = reachable_types(&self.types, roots);
        self.types.retain(|t| reachable.contains(&t.name));
    }
}
