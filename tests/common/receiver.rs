//! A recording HTTP receiver on 127.0.0.1: it keeps every request (path,
//! headers, body) and answers each path from a script of replies (status,
//! headers, delay), then with its default. Tests wait on what it received
//! with a deadline, never by sleeping.

use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
}

impl Request {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap()
    }
}

#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub delay: Duration,
}

impl Answer {
    pub fn status(status: u16) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn after(mut self, delay: Duration) -> Answer {
        self.delay = delay;
        self
    }
}

#[derive(Default)]
struct State {
    received: Vec<Request>,
    script: HashMap<String, VecDeque<Answer>>,
}

pub struct Receiver {
    pub port: u16,
    state: Arc<(Mutex<State>, Condvar)>,
    default: Answer,
}

impl Receiver {
    pub fn start() -> Receiver {
        Receiver::answering(Answer::status(202))
    }

    pub fn answering(default: Answer) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let state: Arc<(Mutex<State>, Condvar)> = Arc::default();
        let shared = state.clone();
        let fallback = default.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let shared = shared.clone();
                let fallback = fallback.clone();
                std::thread::spawn(move || serve(stream, &shared, &fallback));
            }
        });
        Receiver {
            port,
            state,
            default,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The next requests to `path` get these answers, in order.
    pub fn script(&self, path: &str, answers: Vec<Answer>) {
        let (lock, _) = &*self.state;
        lock.lock()
            .unwrap()
            .script
            .entry(path.to_owned())
            .or_default()
            .extend(answers);
    }

    pub fn received(&self, path: &str) -> Vec<Request> {
        let (lock, _) = &*self.state;
        let state = lock.lock().unwrap();
        state
            .received
            .iter()
            .filter(|r| r.path == path)
            .cloned()
            .collect()
    }

    /// Waits until `path` has received `count` requests; what it received.
    pub fn wait_for(&self, path: &str, count: usize, within: Duration) -> Vec<Request> {
        let (lock, ready) = &*self.state;
        let deadline = Instant::now() + within;
        let mut state = lock.lock().unwrap();
        loop {
            let got: Vec<Request> = state
                .received
                .iter()
                .filter(|r| r.path == path)
                .cloned()
                .collect();
            if got.len() >= count {
                return got;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "{path} received {} request(s) of {count} in {within:?}: {got:#?}",
                got.len()
            );
            state = ready.wait_timeout(state, left).unwrap().0;
        }
    }

    pub fn default_answer(&self) -> &Answer {
        &self.default
    }
}

fn serve(stream: TcpStream, shared: &(Mutex<State>, Condvar), fallback: &Answer) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let (lock, ready) = shared;
    let answer = {
        let mut state = lock.lock().unwrap();
        state.received.push(Request {
            path: path.clone(),
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        ready.notify_all();
        state
            .script
            .get_mut(&path)
            .and_then(VecDeque::pop_front)
            .unwrap_or_else(|| fallback.clone())
    };
    std::thread::sleep(answer.delay);
    let headers = answer
        .headers
        .iter()
        .fold(String::new(), |mut all, (name, value)| {
            let _ = write!(all, "{name}: {value}\r\n");
            all
        });
    let said = format!("{{\"status\":\"ok\",\"code\":{}}}", answer.status);
    let response = format!(
        "HTTP/1.1 {} X\r\n{headers}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{said}",
        answer.status,
        said.len()
    );
    let mut stream = stream;
    let _ = stream.write_all(response.as_bytes());
}
