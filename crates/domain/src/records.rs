//! The records of one kind in a registry, each shared.

use std::cmp::Ordering;
use std::sync::Arc;

/// The records of one kind in a [`Registry`](crate::Registry), each behind its own `Arc`.
///
/// A registry copied from another (a site's snapshot updated with the few records saved since)
/// copies one pointer per record and shares every record it does not change: at the UN
/// survey's scale a copy of the registry is a few megabytes instead of the whole registry
/// again. Read as a slice of records (`iter`, indexing, `get`, `binary_search_by`); changed
/// through [`Records::push`] and [`Records::set`], or in place through [`Records::iter_mut`],
/// [`Records::get_mut`] and mutable indexing, which copy a shared record before changing it,
/// so a registry never changes another's records.
#[derive(Debug, PartialEq, Eq)]
pub struct Records<T>(Vec<Arc<T>>);

impl<T> Clone for Records<T> {
    /// The same records, shared.
    fn clone(&self) -> Self {
        Records(self.0.clone())
    }
}

impl<T> Default for Records<T> {
    fn default() -> Self {
        Records(Vec::new())
    }
}

impl<T> Records<T> {
    pub fn new() -> Self {
        Records(Vec::new())
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> Iter<'_, T> {
        Iter(self.0.iter())
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.0.get(i).map(Arc::as_ref)
    }

    pub fn push(&mut self, record: T) {
        self.0.push(Arc::new(record));
    }

    /// Puts `record` in place of the record at `i`, which other registries may go on sharing.
    pub fn set(&mut self, i: usize, record: T) {
        self.0[i] = Arc::new(record);
    }

    /// Moves every record of `other` after these.
    pub fn append(&mut self, other: &mut Records<T>) {
        self.0.append(&mut other.0);
    }

    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        self.0.retain(|r| keep(r));
    }

    pub fn sort_by(&mut self, mut compare: impl FnMut(&T, &T) -> Ordering) {
        self.0.sort_by(|a, b| compare(a, b));
    }

    pub fn sort_unstable_by(&mut self, mut compare: impl FnMut(&T, &T) -> Ordering) {
        self.0.sort_unstable_by(|a, b| compare(a, b));
    }

    pub fn reverse(&mut self) {
        self.0.reverse();
    }

    pub fn shrink_to_fit(&mut self) {
        self.0.shrink_to_fit();
    }

    pub fn is_sorted_by(&self, mut ordered: impl FnMut(&T, &T) -> bool) -> bool {
        self.0.is_sorted_by(|a, b| ordered(a, b))
    }

    pub fn binary_search_by(
        &self,
        mut compare: impl FnMut(&T) -> Ordering,
    ) -> Result<usize, usize> {
        self.0.binary_search_by(|r| compare(r))
    }
}

impl<T> Records<T> {
    /// The records `keep` keeps (given each one's position), shared with these.
    pub fn sharing(&self, mut keep: impl FnMut(usize, &T) -> bool) -> Records<T> {
        Records(
            self.0
                .iter()
                .enumerate()
                .filter(|(i, r)| keep(*i, r))
                .map(|(_, r)| r.clone())
                .collect(),
        )
    }
}

impl<T: Clone> Records<T> {
    /// Each record to change in place; a record shared with another registry is copied first.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.0.iter_mut().map(Arc::make_mut)
    }

    /// The record at `i` to change in place, copied first when it is shared.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        self.0.get_mut(i).map(Arc::make_mut)
    }
}

/// The records in order, borrowed.
#[derive(Debug, Clone)]
pub struct Iter<'a, T>(std::slice::Iter<'a, Arc<T>>);

impl<'a, T> Iterator for Iter<'a, T> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        self.0.next().map(Arc::as_ref)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }

    fn nth(&mut self, n: usize) -> Option<&'a T> {
        self.0.nth(n).map(Arc::as_ref)
    }
}

impl<T> DoubleEndedIterator for Iter<'_, T> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(Arc::as_ref)
    }
}

impl<T> ExactSizeIterator for Iter<'_, T> {}

impl<T> std::iter::FusedIterator for Iter<'_, T> {}

impl<T> std::ops::Index<usize> for Records<T> {
    type Output = T;

    fn index(&self, i: usize) -> &T {
        &self.0[i]
    }
}

impl<T: Clone> std::ops::IndexMut<usize> for Records<T> {
    /// The record at `i` to change in place, copied first when it is shared.
    fn index_mut(&mut self, i: usize) -> &mut T {
        Arc::make_mut(&mut self.0[i])
    }
}

impl<'a, T> IntoIterator for &'a Records<T> {
    type Item = &'a T;
    type IntoIter = Iter<'a, T>;

    fn into_iter(self) -> Iter<'a, T> {
        self.iter()
    }
}

impl<'a, T: Clone> IntoIterator for &'a mut Records<T> {
    type Item = &'a mut T;
    type IntoIter = std::iter::Map<std::slice::IterMut<'a, Arc<T>>, fn(&mut Arc<T>) -> &mut T>;

    fn into_iter(self) -> Self::IntoIter {
        self.0
            .iter_mut()
            .map(Arc::make_mut as fn(&mut Arc<T>) -> &mut T)
    }
}

impl<T: Clone> IntoIterator for Records<T> {
    type Item = T;
    type IntoIter = std::iter::Map<std::vec::IntoIter<Arc<T>>, fn(Arc<T>) -> T>;

    /// The records, each taken out of its `Arc` (copied when another registry shares it).
    fn into_iter(self) -> Self::IntoIter {
        self.0
            .into_iter()
            .map(Arc::unwrap_or_clone as fn(Arc<T>) -> T)
    }
}

impl<T> FromIterator<T> for Records<T> {
    fn from_iter<I: IntoIterator<Item = T>>(records: I) -> Self {
        Records(records.into_iter().map(Arc::new).collect())
    }
}

impl<T> Extend<T> for Records<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, records: I) {
        self.0.extend(records.into_iter().map(Arc::new));
    }
}

impl<T> From<Vec<T>> for Records<T> {
    fn from(records: Vec<T>) -> Self {
        records.into_iter().collect()
    }
}

impl<T: serde::Serialize> serde::Serialize for Records<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Records<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(deserializer).map(Records::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_shares_every_record_until_one_is_changed() {
        let a: Records<String> = vec!["x".to_string(), "y".to_string()].into();
        let mut b = a.clone();
        assert!(std::ptr::eq(&a[0], &b[0]) && std::ptr::eq(&a[1], &b[1]));
        b.set(1, "z".to_string());
        for r in b.iter_mut().take(1) {
            r.push('!');
        }
        assert_eq!(a.iter().collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(b.iter().collect::<Vec<_>>(), ["x!", "z"]);
        assert!(!std::ptr::eq(&a[0], &b[0]));
    }
}
