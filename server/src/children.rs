//! How the server starts a nested execution ([`Children`] for [`App`]): the
//! StartExecution operation's own path (checks, store, ListExecutions,
//! history), and the parent's task completed as its pattern says.

use crate::app::App;
use crate::executions::{self, OnEnd};
use crate::fields::Fields;
use crate::nested::{self, ChildRequest, Children, Pattern, Starting};
use stampede::handlers::Completion;
use std::sync::{Arc, Mutex, PoisonError};

/// The parent's completion, taken by whichever comes first: a refused
/// start, the start itself (patterns that do not wait), or the child's end.
type Slot = Arc<Mutex<Option<Completion>>>;

fn take(slot: &Slot) -> Option<Completion> {
    slot.lock().unwrap_or_else(PoisonError::into_inner).take()
}

impl Children for App {
    fn start_child(self: Arc<Self>, req: ChildRequest) -> Starting {
        Box::pin(async move {
            let ChildRequest {
                pattern,
                body,
                parent,
                done,
            } = req;
            let slot: Slot = Arc::new(Mutex::new(Some(done)));
            let waiter = pattern.waits().then(|| {
                let slot = Arc::clone(&slot);
                let on_end: OnEnd = Box::new(move |e| {
                    if let Some(d) = take(&slot) {
                        d.complete(nested::result(e, pattern));
                    }
                });
                (parent, on_end)
            });
            match executions::start_nested(&self, Fields::from_map(body), waiter).await {
                Err(e) => {
                    if let Some(d) = take(&slot) {
                        d.fail(nested::refused(e.kind, &e.message, e.status, &self.uuid()));
                    }
                }
                // A `.waitForTaskToken` task takes this as "sent" and goes on
                // waiting for its token.
                Ok(l) if matches!(pattern, Pattern::Start | Pattern::Callback) => {
                    if let Some(d) = take(&slot) {
                        d.succeed(nested::started(&l.arn, l.start_ms, &self.uuid()));
                    }
                }
                Ok(_) => {}
            }
        })
    }
}
