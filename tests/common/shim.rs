//! A clock set forward, as an insider would set it: a shared library
//! preloaded into the binary (`LD_PRELOAD`) that moves its wall clock.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stderr
)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A shared library that moves this process's wall clock `hours` ahead,
/// as an insider's `LD_PRELOAD` would; built with the system's C
/// compiler. `None`, said on the test's output, where there is no `cc`:
/// the test is then skipped, not failed.
pub fn clock_ahead(dir: &Path, hours: u32) -> Option<PathBuf> {
    let source = dir.join("ahead.c");
    std::fs::write(
        &source,
        format!(
            "#define _GNU_SOURCE\n#include <dlfcn.h>\n#include <time.h>\n\
             int clock_gettime(clockid_t id, struct timespec *ts) {{\n\
               static int (*real)(clockid_t, struct timespec *);\n\
               if (!real) real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, \"clock_gettime\");\n\
               int r = real(id, ts);\n\
               if (r == 0 && id == CLOCK_REALTIME) ts->tv_sec += {hours} * 3600;\n\
               return r;\n\
             }}\n"
        ),
    )
    .unwrap();
    let shim = dir.join("ahead.so");
    let built = Command::new("cc")
        .args(["-shared", "-fPIC", "-o"])
        .arg(&shim)
        .arg(&source)
        .arg("-ldl")
        .output();
    let built = match built {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("skipped: no C compiler (`cc`) here to build the clock shim");
            return None;
        }
        built => built.unwrap(),
    };
    assert!(built.status.success(), "cc: {built:?}");
    Some(shim)
}
