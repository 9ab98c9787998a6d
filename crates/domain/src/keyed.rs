//! Maps keyed by run id, hashed with FNV-1a: run ids are short, chosen by
//! the program, and looked up several times for every entry replayed or
//! judged, where the standard hasher's resistance to chosen keys costs more than it
//! buys (a journal's writers can already make its reader work).

use std::hash::{BuildHasherDefault, Hasher};

#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

pub type ByRun<V> = std::collections::HashMap<String, V, BuildHasherDefault<Fnv>>;
pub type RunSet = std::collections::HashSet<String, BuildHasherDefault<Fnv>>;
