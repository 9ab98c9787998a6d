//! Stamps the binary with the commit it was built from and the build date,
//! for `runbook --version`: a bug report then names the exact source.
//!
//! Loads the bundled checklists, fails the build on any error in them,
//! and writes the loaded catalog's image for `src/bundled.rs`: the
//! installed binary starts without parsing, checking or linting them.

use std::io::Write as _;
use std::process::Command;

fn main() {
    if let Err(message) = bundled_catalog() {
        let _ = writeln!(std::io::stderr(), "{message}");
        std::process::exit(1);
    }
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=RUNBOOK_COMMIT={commit}");
    println!("cargo:rustc-env=RUNBOOK_BUILD_DATE={}", build_date());
    // A new commit or checkout changes HEAD or the branch it points to (a
    // path that does not exist would rerun this at every build).
    let branch = git(&["symbolic-ref", "-q", "HEAD"]).map(|b| format!(".git/{b}"));
    let watched = [".git/HEAD".to_owned(), ".git/packed-refs".to_owned()];
    for path in watched.into_iter().chain(branch) {
        if std::path::Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    // Linked at a fixed address: a position-independent binary has its
    // 1.2 MB of read-only pointers rewritten by the loader at every start
    // (private memory, and milliseconds before main). RUNBOOK_PIE=1 keeps
    // PIE, with its relocations packed (DT_RELR). docs/performance.md.
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        if std::env::var_os("RUNBOOK_PIE").is_some_and(|v| v == "1") {
            println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
        } else {
            println!("cargo:rustc-link-arg-bins=-no-pie");
        }
    }
    println!("cargo:rerun-if-env-changed=RUNBOOK_PIE");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
}

fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The day of the build, UTC; `SOURCE_DATE_EPOCH` makes it reproducible.
fn build_date() -> String {
    let at = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0))
        .unwrap_or_else(chrono::Utc::now);
    at.format("%Y-%m-%d").to_string()
}

/// The bundled checklists, loaded as the binary would load them: a
/// mistake in them stops the build with the loader's own message.
fn bundled_catalog() -> Result<(), String> {
    use runbook_domain::catalog;
    println!("cargo:rerun-if-changed=checklists");
    let loaded = catalog::load_bundled();
    if loaded.has_errors() {
        return Err(format!(
            "{}\nthe bundled checklists have errors (above): the binary would not start on them",
            loaded.render_diagnostics()
        ));
    }
    let image = catalog::image::encode(&loaded).map_err(|e| e.to_string())?;
    let out = std::env::var_os("OUT_DIR").ok_or("cargo did not set OUT_DIR")?;
    let path = std::path::Path::new(&out).join("catalog.image");
    std::fs::write(&path, image).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
