//! The bundled catalog as an image: what loading the bundled checklists
//! gives (the model and its warnings), written when the binary is built
//! and read back at start-up without the TOML parser, the checks or the
//! lints, which already ran on the build machine.
//!
//! The image names the files it was loaded from, so an image is only
//! ever read beside the very sources it came from: their text is still
//! needed to show a warning's line.

mod codec;
// One line per type reads as the list of fields it is; rustfmt would put
// each field on a line of its own.
#[rustfmt::skip]
mod model;

pub use codec::Broken;
use codec::{Bytes, Image};

use super::Loaded;
use super::diagnostic::Sources;

/// The first bytes of an image, so that anything else is refused at once.
const MAGIC: &[u8] = b"runbook catalog image 1\n";

/// The image of `loaded`. A catalog with site layers has none: layers
/// are read from the site's files at each start.
pub fn encode(loaded: &Loaded) -> Result<Vec<u8>, Broken> {
    if !loaded.layers.is_empty() {
        return Err(Broken("a catalog with site layers has no image".into()));
    }
    let mut out = MAGIC.to_vec();
    names(&loaded.sources).put(&mut out);
    loaded.catalog.put(&mut out);
    loaded.diagnostics.put(&mut out);
    Ok(out)
}

/// The catalog that `image` holds, read beside `sources`, the files it
/// was loaded from.
pub fn decode(image: &[u8], sources: Sources) -> Result<Loaded, Broken> {
    let rest = image
        .strip_prefix(MAGIC)
        .ok_or_else(|| Broken("not an image of this build".into()))?;
    let mut bytes = Bytes::new(rest);
    let named: Vec<String> = Image::get(&mut bytes)?;
    if named != names(&sources) {
        return Err(Broken(format!(
            "made from {named:?}, read beside {:?}",
            names(&sources)
        )));
    }
    let catalog = Image::get(&mut bytes)?;
    let diagnostics = Image::get(&mut bytes)?;
    if !bytes.is_empty() {
        return Err(Broken("bytes left after the catalog".into()));
    }
    Ok(Loaded {
        catalog,
        sources,
        diagnostics,
        layers: Vec::new(),
    })
}

fn names(sources: &Sources) -> Vec<String> {
    sources.files.iter().map(|f| f.name.clone()).collect()
}

#[cfg(test)]
mod tests;
