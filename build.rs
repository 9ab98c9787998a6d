//! Stamps the binary with the commit it was built from and the build date,
//! for `runbook --version`: a bug report then names the exact source.

use std::process::Command;

fn main() {
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
    let seconds = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
        });
    let (y, m, d) = civil(seconds.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Days since 1970-01-01 to a (year, month, day): Howard Hinnant's
/// `civil_from_days`, to keep chrono out of the build script.
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}
