//! Secrets out of a stream: every occurrence of a secret value becomes
//! `[redacted]` before a byte is stored or shown, even when the value is
//! split across two reads of the pipe.

use memchr::memmem::Finder;

pub const MASK: &[u8] = b"[redacted]";

/// Values shorter than this are not treated as secrets: masking every `a`
/// or `42` would make the output unreadable and hide nothing.
pub const SHORTEST: usize = 3;

#[derive(Debug)]
pub struct Redactor {
    finders: Vec<Finder<'static>>,
    longest: usize,
    /// The end of the last chunk, held back because a secret may start
    /// in it and end in the next.
    carry: Vec<u8>,
}

impl Redactor {
    pub fn new<S: AsRef<str>>(secrets: &[S]) -> Self {
        let mut values: Vec<Vec<u8>> = secrets
            .iter()
            .map(|s| s.as_ref().as_bytes().to_vec())
            .filter(|s| s.len() >= SHORTEST)
            .collect();
        values.sort();
        values.dedup();
        let longest = values.iter().map(Vec::len).max().unwrap_or(0);
        Redactor {
            finders: values
                .into_iter()
                .map(|v| Finder::new(&v).into_owned())
                .collect(),
            longest,
            carry: Vec::new(),
        }
    }

    /// Whether it masks anything at all.
    pub fn is_empty(&self) -> bool {
        self.finders.is_empty()
    }

    /// The masked bytes of `chunk` that are certain now; the rest waits
    /// for the next chunk or `finish`.
    pub fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) {
        if self.finders.is_empty() {
            out.extend_from_slice(chunk);
            return;
        }
        let mut buf = std::mem::take(&mut self.carry);
        buf.extend_from_slice(chunk);
        let kept = self.scan(&buf, false, out);
        self.carry = buf[kept..].to_vec();
    }

    /// `push` for a chunk the caller owns: when nothing in it is masked or
    /// held back (nearly always), the chunk itself is handed on, never
    /// copied; only what holds a secret, or may begin one, is rebuilt.
    pub fn pass(&mut self, mut chunk: Vec<u8>) -> Vec<u8> {
        if self.finders.is_empty() {
            return chunk;
        }
        if self.carry.is_empty() && self.finders.iter().all(|f| f.find(&chunk).is_none()) {
            let sure = self.pending(&chunk, 0);
            self.carry = chunk[sure..].to_vec();
            chunk.truncate(sure);
            return chunk;
        }
        let mut out = Vec::with_capacity(chunk.len() + MASK.len());
        self.push(&chunk, &mut out);
        out
    }

    /// What was held back, masked: the stream has ended.
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        let buf = std::mem::take(&mut self.carry);
        self.scan(&buf, true, out);
    }

    /// Where, from `at`, the buffer's end may be the start of a secret
    /// that the next chunk completes; the buffer's length when nowhere.
    /// Only such a start is held back: output that cannot begin a secret
    /// is shown at once, however quiet the command then stays.
    fn pending(&self, buf: &[u8], at: usize) -> usize {
        let from = buf.len().saturating_sub(self.longest - 1).max(at);
        (from..buf.len())
            .find(|&p| {
                let rest = &buf[p..];
                self.finders
                    .iter()
                    .any(|f| f.needle().len() > rest.len() && f.needle().starts_with(rest))
            })
            .unwrap_or(buf.len())
    }

    /// Masks `buf` into `out` up to where it is sure; returns that place.
    fn scan(&self, buf: &[u8], last: bool, out: &mut Vec<u8>) -> usize {
        let mut at = 0;
        loop {
            let pending = if last {
                buf.len()
            } else {
                self.pending(buf, at)
            };
            // The leftmost secret from `at`, the longest of those starting
            // there.
            let found = self
                .finders
                .iter()
                .filter_map(|f| f.find(&buf[at..]).map(|i| (at + i, f.needle().len())))
                .min_by_key(|&(start, len)| (start, std::cmp::Reverse(len)));
            match found {
                // Sure: no secret that could run past the buffer starts at
                // or before it.
                Some((start, len)) if start < pending => {
                    out.extend_from_slice(&buf[at..start]);
                    out.extend_from_slice(MASK);
                    at = start + len;
                }
                _ => {
                    out.extend_from_slice(&buf[at..pending]);
                    return pending;
                }
            }
        }
    }

    /// `text` masked whole.
    pub fn text(&self, text: &str) -> String {
        let mut out = Vec::with_capacity(text.len());
        self.scan(text.as_bytes(), true, &mut out);
        String::from_utf8_lossy(&out).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn whole(secrets: &[&str], input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        Redactor::new(secrets).scan(input, true, &mut out);
        out
    }

    #[test]
    fn output_that_cannot_begin_a_secret_is_never_held_back() {
        let mut redactor = Redactor::new(&["tok3n-value"]);
        let mut out = Vec::new();
        redactor.push(b"ready\n", &mut out);
        assert_eq!(out, b"ready\n");
        redactor.push(b"x tok3n", &mut out);
        assert_eq!(out, b"ready\nx ", "a secret's start waits for the rest");
        redactor.push(b"-value!", &mut out);
        assert_eq!(out, b"ready\nx [redacted]!");
    }

    #[test]
    fn masks_every_occurrence_and_the_longest_at_one_place() {
        assert_eq!(
            whole(&["hunter2", "hunter2-long"], b"a hunter2 b hunter2-long c"),
            b"a [redacted] b [redacted] c"
        );
        assert_eq!(
            whole(&["ab"], b"ab ab"),
            b"ab ab",
            "too short to be a secret"
        );
        assert_eq!(
            Redactor::new(&["s3cr3t"]).text("x=s3cr3ts3cr3t"),
            "x=[redacted][redacted]"
        );
    }

    #[test]
    fn a_chunk_with_nothing_to_mask_is_handed_on_as_it_is() {
        let mut redactor = Redactor::new(&["tok3n-value"]);
        let chunk = b"plain output\n".to_vec();
        let at = chunk.as_ptr();
        let passed = redactor.pass(chunk);
        assert_eq!(passed, b"plain output\n");
        assert_eq!(passed.as_ptr(), at, "the same buffer, not a copy");
        assert_eq!(redactor.pass(b"x tok3n".to_vec()), b"x ");
        assert_eq!(redactor.pass(b"-value y".to_vec()), b"[redacted] y");
    }

    proptest! {
        /// However the pipe splits the stream, the masked output is the
        /// same as masking it whole, and no secret survives.
        #[test]
        fn chunking_never_changes_the_result(
            noise in proptest::collection::vec(prop_oneof![Just(b'x'), Just(b'\n'), Just(b't'), Just(b'o'), Just(b'a')], 0..200),
            inserts in proptest::collection::vec((0usize..200, 0usize..3), 0..6),
            cuts in proptest::collection::vec(0usize..260, 0..8),
        ) {
            let secrets = ["tok3n-value", "tok", "atok-ott"];
            let mut input = noise.clone();
            for (at, which) in inserts {
                let at = at.min(input.len());
                input.splice(at..at, secrets[which].bytes());
            }
            let expected = whole(&secrets, &input);
            let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(input.len())).collect();
            cuts.sort_unstable();
            let mut redactor = Redactor::new(&secrets);
            let mut owned = Redactor::new(&secrets);
            let mut out = Vec::new();
            let mut passed = Vec::new();
            let mut from = 0;
            for cut in cuts.into_iter().chain([input.len()]) {
                redactor.push(&input[from..cut], &mut out);
                passed.extend(owned.pass(input[from..cut].to_vec()));
                from = cut;
            }
            redactor.finish(&mut out);
            owned.finish(&mut passed);
            prop_assert_eq!(&out, &expected);
            prop_assert_eq!(&passed, &expected);
            let shown = String::from_utf8_lossy(&out);
            prop_assert!(!shown.contains("tok3n-value") && !shown.contains("atok-ott"));
        }
    }
}
