//! The store as a network sync reaches it: locked for one write at a time, never across a
//! network wait. The app keeps its store behind a mutex shared with every window's commands;
//! an IMAP sync or an SMTP send that held it for the whole session would freeze the EP's
//! inbox while a slow server answered.

use std::ops::DerefMut;
use std::sync::Mutex;

use tandem_store::Store;

/// Something that can lend the store for one short piece of work.
pub trait LockedStore: Sync {
    fn with<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R;
}

impl<S: DerefMut<Target = Store> + Send> LockedStore for Mutex<S> {
    fn with<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        // A panic elsewhere while holding the lock leaves the store itself consistent (every
        // write is a transaction), so carry on with it.
        let mut guard = self.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        f(&mut guard)
    }
}
