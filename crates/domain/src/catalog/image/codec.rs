//! The image's byte format: each value written in field order, integers
//! little-endian and fixed-width, lengths before what they count. Nothing
//! self-describing: the image is read by the very code that wrote it, and
//! `record!`/`choice!` make the compiler check every field is in both
//! directions.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc, Weekday};

/// Why an image could not be read: it was cut short, or it holds a value
/// no writer of this build writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken(pub String);

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the bundled catalog's image is unreadable: {}", self.0)
    }
}

/// The bytes still to read.
pub struct Bytes<'a> {
    rest: &'a [u8],
}

impl<'a> Bytes<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Bytes { rest: bytes }
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], Broken> {
        if self.rest.len() < n {
            return Err(Broken(format!(
                "cut short: {n} bytes wanted, {} left",
                self.rest.len()
            )));
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(head)
    }

    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], Broken> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

/// A value the image holds.
pub trait Image: Sized {
    fn put(&self, out: &mut Vec<u8>);
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken>;
}

pub fn unknown<T>(what: &str, tag: u8) -> Result<T, Broken> {
    Err(Broken(format!("unknown {what} tag {tag}")))
}

/// A struct, field by field: `record!(Gate { after, wait })`. The
/// destructuring has no `..`, so a field added to the struct and not here
/// is a compile error.
macro_rules! record {
    ($ty:ident { $($field:ident),* $(,)? }) => {
        impl $crate::catalog::image::codec::Image for $ty {
            fn put(&self, out: &mut Vec<u8>) {
                let $ty { $($field),* } = self;
                $( $crate::catalog::image::codec::Image::put($field, out); )*
            }
            fn get(
                bytes: &mut $crate::catalog::image::codec::Bytes<'_>,
            ) -> Result<Self, $crate::catalog::image::codec::Broken> {
                Ok($ty { $( $field: $crate::catalog::image::codec::Image::get(bytes)? ),* })
            }
        }
    };
}

/// An enum, variant by variant, each with its tag byte:
/// `choice!(Anchor { 0 => RunStart, 1 => Step(id) })`.
macro_rules! choice {
    ($ty:ident { $($tag:literal => $variant:ident
        $( ( $($part:ident),* ) )?
        $( { $($field:ident),* } )?
    ),* $(,)? }) => {
        impl $crate::catalog::image::codec::Image for $ty {
            fn put(&self, out: &mut Vec<u8>) {
                match self {
                    $( $ty::$variant $( ( $($part),* ) )? $( { $($field),* } )? => {
                        out.push($tag);
                        $( $( $crate::catalog::image::codec::Image::put($part, out); )* )?
                        $( $( $crate::catalog::image::codec::Image::put($field, out); )* )?
                    } )*
                }
            }
            fn get(
                bytes: &mut $crate::catalog::image::codec::Bytes<'_>,
            ) -> Result<Self, $crate::catalog::image::codec::Broken> {
                let [tag] = bytes.array::<1>()?;
                Ok(match tag {
                    $( $tag => $ty::$variant
                        $( ( $( { let $part = $crate::catalog::image::codec::Image::get(bytes)?; $part } ),* ) )?
                        $( { $( $field: $crate::catalog::image::codec::Image::get(bytes)? ),* } )?, )*
                    other => return $crate::catalog::image::codec::unknown(stringify!($ty), other),
                })
            }
        }
    };
}

pub(crate) use {choice, record};

impl Image for u8 {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        Ok(bytes.array::<1>()?[0])
    }
}

impl Image for bool {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        match u8::get(bytes)? {
            0 => Ok(false),
            1 => Ok(true),
            other => unknown("bool", other),
        }
    }
}

macro_rules! number {
    ($($ty:ty),*) => {$(
        impl Image for $ty {
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
                Ok(<$ty>::from_le_bytes(bytes.array()?))
            }
        }
    )*};
}

number!(u16, u32, u64, i64, f64);

impl Image for usize {
    fn put(&self, out: &mut Vec<u8>) {
        (*self as u64).put(out);
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        let n = u64::get(bytes)?;
        usize::try_from(n).map_err(|_| Broken(format!("{n} does not fit this machine")))
    }
}

impl Image for String {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        out.extend_from_slice(self.as_bytes());
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        let len = usize::get(bytes)?;
        let raw = bytes.take(len)?;
        String::from_utf8(raw.to_vec()).map_err(|e| Broken(format!("text not UTF-8: {e}")))
    }
}

/// The loader names its codes with literals; an image's few (one per
/// bundled warning) are made static once per process, which is what a
/// literal is.
impl Image for &'static str {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        out.extend_from_slice(self.as_bytes());
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        Ok(String::get(bytes)?.leak())
    }
}

impl<T: Image> Image for Vec<T> {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        for item in self {
            item.put(out);
        }
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        let len = usize::get(bytes)?;
        // Each item takes at least a byte: a forged length cannot make
        // us reserve more than the image holds.
        let mut items = Vec::with_capacity(len.min(bytes.rest.len()));
        for _ in 0..len {
            items.push(T::get(bytes)?);
        }
        Ok(items)
    }
}

impl<T: Image> Image for Option<T> {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(value) => {
                out.push(1);
                value.put(out);
            }
        }
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        match u8::get(bytes)? {
            0 => Ok(None),
            1 => Ok(Some(T::get(bytes)?)),
            other => unknown("option", other),
        }
    }
}

impl<A: Image, B: Image> Image for (A, B) {
    fn put(&self, out: &mut Vec<u8>) {
        self.0.put(out);
        self.1.put(out);
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        Ok((A::get(bytes)?, B::get(bytes)?))
    }
}

impl<K: Image + Ord, V: Image> Image for BTreeMap<K, V> {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        for (key, value) in self {
            key.put(out);
            value.put(out);
        }
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        Ok(Vec::<(K, V)>::get(bytes)?.into_iter().collect())
    }
}

impl<T: Image + Ord> Image for BTreeSet<T> {
    fn put(&self, out: &mut Vec<u8>) {
        self.len().put(out);
        for item in self {
            item.put(out);
        }
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        Ok(Vec::<T>::get(bytes)?.into_iter().collect())
    }
}

impl Image for Range<usize> {
    fn put(&self, out: &mut Vec<u8>) {
        self.start.put(out);
        self.end.put(out);
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        Ok(usize::get(bytes)?..usize::get(bytes)?)
    }
}

impl Image for DateTime<Utc> {
    fn put(&self, out: &mut Vec<u8>) {
        self.timestamp().put(out);
        self.timestamp_subsec_nanos().put(out);
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        let (secs, nanos) = (i64::get(bytes)?, u32::get(bytes)?);
        DateTime::from_timestamp(secs, nanos).ok_or_else(|| Broken(format!("no instant {secs}")))
    }
}

impl Image for NaiveDate {
    fn put(&self, out: &mut Vec<u8>) {
        i64::from(self.to_epoch_days()).put(out);
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        let days = i64::get(bytes)?;
        i32::try_from(days)
            .ok()
            .and_then(NaiveDate::from_epoch_days)
            .ok_or_else(|| Broken(format!("no day {days}")))
    }
}

impl Image for NaiveTime {
    fn put(&self, out: &mut Vec<u8>) {
        self.num_seconds_from_midnight().put(out);
        self.nanosecond().put(out);
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        let (secs, nanos) = (u32::get(bytes)?, u32::get(bytes)?);
        NaiveTime::from_num_seconds_from_midnight_opt(secs, nanos)
            .ok_or_else(|| Broken(format!("no time of day {secs}")))
    }
}

impl Image for Weekday {
    fn put(&self, out: &mut Vec<u8>) {
        out.push(self.num_days_from_monday().try_into().unwrap_or(u8::MAX));
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        let day = u8::get(bytes)?;
        Weekday::try_from(day).map_err(|_| Broken(format!("no weekday {day}")))
    }
}

impl Image for chrono_tz::Tz {
    fn put(&self, out: &mut Vec<u8>) {
        self.name().to_owned().put(out);
    }
    fn get(bytes: &mut Bytes<'_>) -> Result<Self, Broken> {
        let name = String::get(bytes)?;
        name.parse()
            .map_err(|_| Broken(format!("no time zone {name}")))
    }
}
