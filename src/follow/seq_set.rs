//! A set of yield sequence numbers as ranges: the sequences a thread yields are consecutive in
//! practice, so a million of them cost one range, not a million entries.

use std::collections::BTreeMap;

#[derive(Clone, Debug, Default)]
pub struct SeqSet {
    /// Disjoint, non-adjacent ranges: start → end, both included.
    ranges: BTreeMap<i64, i64>,
    len: u64,
}

impl SeqSet {
    /// Adds `n`; false when it was there already.
    pub fn insert(&mut self, n: i64) -> bool {
        if self.contains(n) {
            return false;
        }
        let mut start = n;
        let mut end = n;
        // Joins the range ending just before `n`, and the one starting just after it.
        if let Some((&s, &e)) = self.ranges.range(..n).next_back() {
            if e.checked_add(1) == Some(n) {
                start = s;
                self.ranges.remove(&s);
            }
        }
        if let Some(after) = n.checked_add(1) {
            if let Some(e) = self.ranges.remove(&after) {
                end = e;
            }
        }
        self.ranges.insert(start, end);
        self.len += 1;
        true
    }

    pub fn contains(&self, n: i64) -> bool {
        self.ranges
            .range(..=n)
            .next_back()
            .is_some_and(|(_, &end)| end >= n)
    }

    /// How many numbers it holds.
    pub fn len(&self) -> u64 {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_merge_and_count() {
        let mut set = SeqSet::default();
        for n in [1, 2, 3, 5, 7, 6, 4] {
            assert!(set.insert(n), "{n}");
        }
        assert_eq!(set.ranges.len(), 1);
        assert_eq!(set.len(), 7);
        assert!(!set.insert(4));
        assert!(set.insert(i64::MAX) && set.insert(i64::MIN) && set.insert(-1));
        assert!(!set.contains(0) && set.contains(-1) && set.contains(i64::MAX));
        assert_eq!(set.len(), 10);
    }

    proptest::proptest! {
        #[test]
        fn behaves_as_a_set(ns in proptest::collection::vec(-20i64..20, 0..60)) {
            let mut set = SeqSet::default();
            let mut plain = std::collections::BTreeSet::new();
            for n in ns {
                proptest::prop_assert_eq!(set.insert(n), plain.insert(n));
            }
            proptest::prop_assert_eq!(set.len(), plain.len() as u64);
            for n in -21..21 {
                proptest::prop_assert_eq!(set.contains(n), plain.contains(&n));
            }
        }
    }
}
