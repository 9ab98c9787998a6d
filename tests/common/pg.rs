//! A real PostgreSQL server for one test: `initdb` in a temporary folder
//! (as the `postgres` user when the test runs as root: initdb refuses
//! root), `pg_ctl` on a free loopback port, stopped and removed on drop.
//! Where PostgreSQL is not installed, the test fails and says so: it never
//! passes without its server.

#![allow(dead_code, clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;
use std::process::{Command, Output};

pub const PASSWORD: &str = "runbook-test-pw";

pub struct Pg {
    pub port: u16,
    /// Whether commits reach the disk (off for tests: speed; on for
    /// benchmarks: a fair match for the file's fdatasync).
    durable: bool,
    pub dir: tempfile::TempDir,
    bin: PathBuf,
    as_postgres: bool,
}

fn bin_dir() -> PathBuf {
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    found.retain(|p| p.join("initdb").exists());
    found.sort();
    found.pop().unwrap_or_else(|| {
        panic!(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): \
             scripts/test installs Debian's postgresql; these tests need a real server"
        )
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Pg {
    pub fn start() -> Pg {
        Pg::start_with(false)
    }

    /// A server whose commits are flushed to disk, as in production.
    pub fn start_durable() -> Pg {
        Pg::start_with(true)
    }

    fn start_with(durable: bool) -> Pg {
        let bin = bin_dir();
        let as_postgres = running_as_root();
        let dir = tempfile::Builder::new()
            .prefix("runbook-pg")
            .tempdir()
            .unwrap();
        let data = dir.path().join("data");
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, PASSWORD).unwrap();
        if as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(status.success());
        }
        let pg = Pg {
            port: free_port(),
            durable,
            dir,
            bin,
            as_postgres,
        };
        let out = pg.tool(
            "initdb",
            &[
                "-D",
                data.to_str().unwrap(),
                "-U",
                "postgres",
                "--pwfile",
                pwfile.to_str().unwrap(),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-N",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        assert!(
            out.status.success(),
            "initdb: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        pg.start_server();
        pg
    }

    /// A server that speaks TLS only, with a certificate for `localhost`
    /// signed by a CA of the test's own (`ca.pem` in its folder): a
    /// connection without TLS is rejected by its `pg_hba.conf`.
    pub fn start_tls() -> Pg {
        let pg = Pg::start();
        pg.stop_server();
        let dir = pg.dir.path();
        // A CA of the test's own, and a server certificate it signs.
        let script = "set -e
            openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=runbook-test-ca -keyout ca.key -out ca.pem
            openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout key.pem -out server.csr
            printf 'subjectAltName=DNS:localhost\\nbasicConstraints=CA:FALSE\\n' > server.ext
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile server.ext -out cert.pem";
        let out = Command::new("sh")
            .args(["-c", script])
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "openssl: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let conf = pg.data().join("postgresql.conf");
        let text = format!(
            "{}\nssl = on\nssl_cert_file = '{}'\nssl_key_file = '{}'\n",
            std::fs::read_to_string(&conf).unwrap(),
            dir.join("cert.pem").display(),
            dir.join("key.pem").display()
        );
        std::fs::write(&conf, text).unwrap();
        let hba = pg.data().join("pg_hba.conf");
        let rules = std::fs::read_to_string(&hba).unwrap();
        std::fs::write(&hba, format!("hostnossl all all 0.0.0.0/0 reject\n{rules}")).unwrap();
        if pg.as_postgres {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir)
                .status()
                .unwrap();
            assert!(status.success());
        }
        let status = Command::new("chmod")
            .arg("600")
            .arg(dir.join("key.pem"))
            .status()
            .unwrap();
        assert!(status.success());
        pg.start_server();
        pg
    }

    fn tool(&self, name: &str, args: &[&str]) -> Output {
        self.command(name, args).output().unwrap()
    }

    /// One of the server's programs, run as the user that owns it.
    fn command(&self, name: &str, args: &[&str]) -> Command {
        let program = self.bin.join(name);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        command.args(args).current_dir(self.dir.path());
        command
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn start_server(&self) {
        let options = format!(
            "-c listen_addresses=127.0.0.1 -c port={} -c unix_socket_directories={} -c fsync={} -c max_connections=60",
            self.port,
            self.dir.path().display(),
            if self.durable { "on" } else { "off" }
        );
        let log = self.dir.path().join("server.log");
        let out = self.tool(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().unwrap(),
                "-o",
                &options,
                "-l",
                log.to_str().unwrap(),
                "-w",
                "-t",
                "30",
                "start",
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl start: {}{}",
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(&log).unwrap_or_default()
        );
    }

    pub fn stop_server(&self) {
        let out = self.tool(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().unwrap(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
        assert!(
            out.status.success(),
            "pg_ctl stop: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// The journal URL; the password comes from `RUNBOOK_PG_PASSWORD`.
    pub fn url(&self) -> String {
        format!(
            "postgres://postgres:${{RUNBOOK_PG_PASSWORD}}@127.0.0.1:{}/postgres?sslmode=disable",
            self.port
        )
    }

    /// Runs SQL through psql on the local socket, as the superuser.
    pub fn psql(&self, sql: &str) -> Output {
        self.psql_command(sql).output().unwrap()
    }

    /// psql running `sql` in one session, to be started by the caller
    /// (a session that holds a lock while the test goes on).
    pub fn psql_command(&self, sql: &str) -> Command {
        self.psql_in("postgres", sql)
    }

    /// psql running `sql` in database `db`.
    pub fn psql_in(&self, db: &str, sql: &str) -> Command {
        let socket = self.dir.path().to_str().unwrap().to_owned();
        let port = self.port.to_string();
        self.command(
            "psql",
            &[
                "-X",
                "-q",
                "-A",
                "-t",
                "-v",
                "ON_ERROR_STOP=1",
                "-h",
                &socket,
                "-p",
                &port,
                "-U",
                "postgres",
                "-d",
                db,
                "-c",
                sql,
            ],
        )
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default()
    }
}

impl Drop for Pg {
    fn drop(&mut self) {
        let _ = self.tool(
            "pg_ctl",
            &[
                "-D",
                self.data().to_str().unwrap(),
                "-m",
                "immediate",
                "stop",
            ],
        );
    }
}

fn running_as_root() -> bool {
    // The uid of /proc/self is the process's own.
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}
