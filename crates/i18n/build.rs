//! The messages are compiled in by `fluent_templates::static_loader!`, which reads the files
//! while the crate is compiled; cargo does not know about that read. This script names the
//! files and passes their fingerprint to the crate, so an edited message always recompiles it.

use std::hash::{Hash, Hasher};

fn main() {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for lang in ["az", "en", "ru"] {
        let path = format!("../../locales/{lang}/main.ftl");
        println!("cargo:rerun-if-changed={path}");
        std::fs::read(&path).unwrap_or_default().hash(&mut h);
    }
    println!(
        "cargo:rustc-env=EGOVWATCH_LOCALES_FINGERPRINT={:x}",
        h.finish()
    );
}
