//! The bundled checklists as `build.rs` loaded them: an image of the
//! catalog, read at start-up instead of parsing, checking and linting the
//! same files again. Site layers are read from their files, over the
//! bundled checklists, as before.

use crate::catalog::{self, Loaded, Site, image, source};

static IMAGE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/catalog.image"));

/// The catalog at `location` with `sites` over it: the image when that is
/// the bundled checklists alone.
pub fn load_layered(location: &source::Location, sites: &[Site]) -> Loaded {
    if *location == source::Location::Bundled && sites.is_empty() {
        match image::decode(IMAGE, source::bundled_sources()) {
            Ok(loaded) => return loaded,
            Err(broken) => tracing::warn!("{broken}: reading the bundled checklists again"),
        }
    }
    catalog::load_layered(location, sites)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_image_built_in_is_the_bundled_checklists_loaded_now() {
        let built = image::decode(IMAGE, source::bundled_sources()).unwrap();
        let now = catalog::load_bundled();
        assert_eq!(format!("{built:#?}"), format!("{now:#?}"));
    }
}
