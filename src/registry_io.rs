//! Registry import and export between files and the store.

use crate::cli::RegistryFormat;
use anyhow::{Context, Result, bail};
use egovwatch_domain::Text;
use egovwatch_domain::change::Channels;
use egovwatch_interop::spreadsheet::Cells;
use egovwatch_interop::{Parsed, csv_folder, json};
use egovwatch_store::{ChangeMeta, ImportReport, Store, StoreError};
use std::path::Path;

/// Reads a registry JSON file or a CSV folder, with every error located.
pub fn read(path: &Path) -> Result<Parsed> {
    let started = std::time::Instant::now();
    let parsed = if path.is_dir() {
        csv_folder::read_folder(path)
    } else {
        let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        json::read(&path.display().to_string(), &bytes)
    };
    let parsed = parsed.map_err(|e| anyhow::anyhow!("{e}\nnothing was imported"))?;
    tracing::debug!(
        "read {} services from {} in {:.2?}",
        parsed.registry.services.len(),
        path.display(),
        started.elapsed()
    );
    Ok(parsed)
}

/// Imports a file or folder in one transaction; errors name file, line and field.
pub fn import(store: &Store, path: &Path, author: &str, reason: &Text) -> Result<ImportReport> {
    let parsed = read(path)?;
    import_parsed(store, &parsed, author, reason)
}

pub fn import_parsed(
    store: &Store,
    parsed: &Parsed,
    author: &str,
    reason: &Text,
) -> Result<ImportReport> {
    let meta = ChangeMeta {
        author: author.to_string(),
        reason: reason.clone(),
    };
    let channels = if parsed.channels_given {
        Channels::Given
    } else {
        Channels::Kept
    };
    match store.import_with(&parsed.registry, channels, &meta) {
        Ok(r) => Ok(r),
        Err(StoreError::Invalid(problems)) => {
            bail!("{}\nnothing was imported", parsed.locate(&problems))
        }
        Err(e) => Err(e.into()),
    }
}

pub fn export(
    store: &Store,
    format: RegistryFormat,
    out: Option<&Path>,
    cells: Cells,
) -> Result<()> {
    let registry = store.registry()?;
    match (format, out) {
        (RegistryFormat::Json, None) => {
            print!("{}", json::write(&registry));
        }
        (RegistryFormat::Json, Some(path)) => {
            std::fs::write(path, json::write(&registry))
                .with_context(|| format!("writing {}", path.display()))?;
            eprintln!("wrote {}", path.display());
        }
        (RegistryFormat::Csv, Some(dir)) => {
            csv_folder::write_folder(&registry, dir, cells)
                .with_context(|| format!("writing {}", dir.display()))?;
            eprintln!("wrote {}", dir.display());
        }
        (RegistryFormat::Csv, None) => {
            bail!("--format csv writes a folder: give it with --out DIR")
        }
    }
    Ok(())
}
