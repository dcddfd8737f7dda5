//! What the sync crate's test binaries share: a store on disk with one executive in it.

use tandem_core::ExecutiveProfile;
use tandem_store::Store;

pub fn setup() -> (tempfile::TempDir, Store, ExecutiveProfile) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open_dir(dir.path()).unwrap();
    let profile = ExecutiveProfile::from_toml(
        "id = \"dana\"\nname = \"Dana\"\naddresses = [\"dana@northwind.example\"]\nhome_time_zone = \"America/New_York\"\n",
    )
    .unwrap();
    store.save_executive(&profile).unwrap();
    (dir, store, profile)
}
