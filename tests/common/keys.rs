//! Keys made by OpenSSH's own `ssh-keygen` in a temporary folder, and a
//! real `ssh-agent` per person on a socket there, stopped when dropped.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// An `ssh-agent` in the foreground on its own socket, holding one key;
/// killed when dropped.
pub struct Agent {
    child: Child,
    pub socket: PathBuf,
}

impl Agent {
    pub fn holding(dir: &Path, key: &Path) -> Agent {
        let socket = dir.join(format!(
            "agent-{}.sock",
            key.file_name().unwrap().to_string_lossy()
        ));
        let child = Command::new("ssh-agent")
            .arg("-D")
            .arg("-a")
            .arg(&socket)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("ssh-agent (openssh-client) must be installed");
        // Self-contained, so that benchmarks can use it too. The socket
        // exists from bind(), a moment before the agent listens: a refused
        // connection until then means "not yet", anything else fails.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            let added = socket.exists().then(|| {
                Command::new("ssh-add")
                    .arg("-q")
                    .arg(key)
                    .env("SSH_AUTH_SOCK", &socket)
                    .output()
                    .unwrap()
            });
            match added {
                Some(added) if added.status.success() => break,
                Some(added) if !String::from_utf8_lossy(&added.stderr).contains("refused") => {
                    assert!(added.status.success(), "ssh-add: {added:?}");
                }
                _ => assert!(
                    std::time::Instant::now() < deadline,
                    "ssh-agent did not listen on {} within 10 s",
                    socket.display()
                ),
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        Agent { child, socket }
    }
}

impl Agent {
    /// Locks the agent (`ssh-add -x`), its password given by an askpass
    /// script: a locked agent lists no key and signs nothing.
    pub fn lock(&self) {
        let dir = self.socket.parent().unwrap();
        let askpass = dir.join("askpass.sh");
        std::fs::write(&askpass, "#!/bin/sh\necho lock-password\n").unwrap();
        let mode = std::os::unix::fs::PermissionsExt::from_mode(0o700);
        std::fs::set_permissions(&askpass, mode).unwrap();
        let locked = Command::new("ssh-add")
            .arg("-x")
            .env("SSH_AUTH_SOCK", &self.socket)
            .env("SSH_ASKPASS", &askpass)
            .env("SSH_ASKPASS_REQUIRE", "force")
            .env("DISPLAY", ":0")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(locked.status.success(), "ssh-add -x: {locked:?}");
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A new ed25519 key pair in `dir`: the private key's path.
pub fn keygen(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", ""])
        .arg("-C")
        .arg(format!("{name}@laptop"))
        .arg("-f")
        .arg(&path)
        .output()
        .expect("ssh-keygen (openssh-client) must be installed");
    assert!(out.status.success(), "{out:?}");
    path
}

pub fn public(key: &Path) -> String {
    std::fs::read_to_string(key.with_extension("pub"))
        .unwrap()
        .trim()
        .to_owned()
}
